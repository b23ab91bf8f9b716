/**
 * A picture inside the frame's backdrop, peeled (engine/image/local/background.ts, policy
 * local.background.picture): clip art flattened on a dotted backdrop and then sheared on a white
 * canvas (seed 660093's combo-39, a pencil) keeps the dots around the art after the white canvas
 * is taken off; the picture's own backdrop is whitened too, and the check finds the pencil (it
 * missed it before: the frame's white border meant no whitened view at all). Art on white is left
 * alone (tests/unit/local-background.test.ts). On a dark or grey canvas the outer view stays as it
 * was, and the picture peeled is cut out as one more zoom window (frame.ts, local.zoom.cutout):
 * seed 660095's combo-10, a kangaroo on dots sheared on black and saved as a JPEG at quality 17.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { whitenBackground, whitenBackgrounds } from '../../engine/image/local/background.ts';
import { grayFramesOf } from '../../engine/image/local/frame.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { rgbAndGray } from '../helpers/backdrop-pixels.ts';
import { evalCopy, evalLibrary } from '../helpers/eval-copies.ts';
import { expectLocalMatchAlone } from '../helpers/local-match.ts';

const PENCIL = 'office/pencil_benji_park_01.png';
const KANGAROO = 'animals/mammals/canguro_architetto_franc_01.png';
const OTHERS = ['tools/cog_01.png', 'office/paperclip.png', 'food/fruit/cherry_jonathan_dietrich_01.png'];
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const B = UNIQUENESS_POLICY.local.background;

afterAll(() => terminateLocalFeaturePool());

const PENCIL_COPY: Step[] = [
  { family: 'background', params: { texture: 'dots', hue: 281.5, hue2: 229.6, lightness: 0.557, period: 15, seed: 29293359 } },
  { family: 'shear', params: { shx: -0.269, shy: -0.19, fill: 'white' } },
  {
    family: 'overlay',
    params: {
      kind: 'watermark',
      text: '@copperleaf',
      font: 'DejaVu Sans Mono',
      size: 0.073,
      x: 0.437,
      y: 0.621,
      angle: 0,
      opacity: 0.165,
      hue: 322.4,
      lightness: 0.204,
    },
  },
];

const KANGAROO_COPY: Step[] = [
  { family: 'background', params: { texture: 'dots', hue: 217.6, hue2: 79.6, lightness: 0.255, period: 14, seed: 16640576 } },
  { family: 'shear', params: { shx: 0.236, shy: -0.426, fill: 'black' } },
  { family: 'reencode', params: { format: 'jpeg', quality: 17 } },
];

const library = (source: string) => evalLibrary([source, ...OTHERS]);

/** The check of `query` against the library around `source` flags `source` by its local features, and nothing else. */
async function expectFoundAlone(source: string, query: Buffer): Promise<void> {
  const e = await library(source);
  expectLocalMatchAlone(await e.check({ card: CARD, creatorId: 'b', image: query }), source);
  e.close();
}

describe('a picture inside the backdrop (local.background.picture)', () => {
  it("whitens the sheared picture's dots around the pencil; without the setting the white canvas stops it", async () => {
    const query = await evalCopy(PENCIL, PENCIL_COPY);
    const { rgb, channels, gray, w, h } = await rgbAndGray(query);
    expect(whitenBackground(rgb, channels, gray, w, h, { ...B, picture: undefined })).toBeNull();
    const out = whitenBackground(rgb, channels, gray, w, h, B) as Uint8Array;
    expect(out).not.toBeNull();
    // The art is left: the pencil's darker strokes, under a fifth of the frame; the dots are gone:
    // three quarters of the frame — the white canvas and the sheared picture's backdrop — are white.
    let dark = 0;
    for (let i = 0; i < w * h; i++) if (out[i]! < 200) dark++;
    expect(dark / (w * h)).toBeGreaterThan(0.03);
    expect(dark / (w * h)).toBeLessThan(0.2);
    let white = 0;
    for (let i = 0; i < w * h; i++) if (out[i]! >= 250) white++;
    expect(white / (w * h)).toBeGreaterThan(0.75);
  });

  it('finds the pencil on dots, sheared on white under a watermark, and flags nothing else with it', async () => {
    const query = await evalCopy(PENCIL, PENCIL_COPY);
    await expectFoundAlone(PENCIL, query);
  }, 120_000);

  it('on a black canvas: the outer view as before, the picture peeled as a cut-out window, and the check finds the kangaroo', async () => {
    const query = await evalCopy(KANGAROO, KANGAROO_COPY);
    const { rgb, channels, gray, w, h } = await rgbAndGray(query);
    const both = whitenBackgrounds(rgb, channels, gray, w, h, B);
    expect(
      Buffer.from(both.flat as Uint8Array).equals(
        Buffer.from(whitenBackground(rgb, channels, gray, w, h, { ...B, picture: undefined }) as Uint8Array),
      ),
    ).toBe(true);
    const picture = both.picture as Uint8Array;
    expect(picture).not.toBeNull();
    // The black fill and the dots are white; the kangaroo is left (a twentieth to a half of the frame).
    let dark = 0;
    for (let i = 0; i < w * h; i++) if (picture[i]! < 200) dark++;
    expect(dark / (w * h)).toBeGreaterThan(0.05);
    expect(dark / (w * h)).toBeLessThan(0.5);
    // The working frame's first zoom window is that art, cut out of the peeled frame.
    const open = () => sharp(query);
    const zoom = UNIQUENESS_POLICY.local.zoom;
    const [frame] = await grayFramesOf(open, [UNIQUENESS_POLICY.local.workSize], UNIQUENESS_POLICY.local.trimTolerance, {
      flat: true,
      zoom,
    });
    const [plain] = await grayFramesOf(open, [UNIQUENESS_POLICY.local.workSize], UNIQUENESS_POLICY.local.trimTolerance, {
      flat: true,
      zoom: { ...zoom, cutout: 0 },
    });
    expect(frame?.windows?.length).toBe((plain?.windows?.length ?? 0) + 1);
    const cut = frame?.windows?.[0];
    expect(cut?.background).toBe(255);
    expect(cut?.frame.w).toBeLessThan(1);
    await expectFoundAlone(KANGAROO, query);
  }, 120_000);
});
