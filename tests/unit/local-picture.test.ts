/**
 * A picture inside the frame's backdrop, peeled (engine/image/local/background.ts, policy
 * local.background.picture): clip art flattened on a dotted backdrop and then sheared on a white
 * canvas (seed 660093's combo-39, a pencil) keeps the dots around the art after the white canvas
 * is taken off; the picture's own backdrop is whitened too, and the check finds the pencil (it
 * missed it before: the frame's white border meant no whitened view at all). Art on white is left
 * alone (tests/unit/local-background.test.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { whitenBackground } from '../../engine/image/local/background.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { rgbAndGray } from '../helpers/backdrop-pixels.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';

const PENCIL = 'office/pencil_benji_park_01.png';
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

async function library(): Promise<UniquenessEngine> {
  const e = UniquenessEngine.open({ dbPath: ':memory:' });
  for (const [i, file] of [PENCIL, ...OTHERS].entries())
    await e.index({ id: file, creatorId: 'a', card: { ...CARD, name: `Drawing ${i}` }, image: await libraryPng(file) });
  return e;
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
    const e = await library();
    const result = await e.check({ card: CARD, creatorId: 'b', image: query });
    const found = result.matches.find((m) => m.assetId === PENCIL);
    expect(found?.copySignals).toContain('partial copy (local features, geometrically verified)');
    expect(result.matches.filter((m) => m.assetId !== PENCIL).flatMap((m) => m.copySignals)).toEqual([]);
    e.close();
  }, 120_000);
});
