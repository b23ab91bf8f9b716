/**
 * The art without its backdrop as a zoom window of its own (engine/image/local/frame.ts, policy
 * local.zoom.cutout): a query on a coloured or textured backdrop gets its whitened frame trimmed to
 * the art, as the library trims a drawing on white. A screwdriver across the top of a tall dotted
 * canvas (fresh seed 660090's background-12) is found through it and missed without it (unless the
 * aligned check also aligns the whitened frame, local.aligned.backdrop, session 95: then it is
 * found without the cut-out too, so the cut-out alone is judged with that off); a frog
 * drawing on dots, stretched, under a watermark (seed 660088's combo-39), missed without it too
 * until the appearance gates also saw queries with their backdrop whitened (session 58), is now
 * found both ways; a drawing filling
 * its canvas gets no such window (the whole frame's whitened view already describes it), nor does
 * a query on white.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { evalCopy, evalLibrary, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

const SCREWDRIVER = 'tools/screwdriver_peterm_.png';
const FROGS = 'animals/amphibian/2_dead_frogs_lumen_desig_01.png';
const OTHERS = ['tools/cog_01.png', 'office/paperclip.png', 'food/fruit/cherry_jonathan_dietrich_01.png'];
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const withCutout = (cutout: number) => policyWith({ local: { zoom: { cutout } } });
/** Without the cut-out window and without the aligned check on the whitened frame, which also finds the screwdriver. */
const withNeither = () => policyWith({ local: { zoom: { cutout: 0 }, aligned: { backdrop: false } } });

afterAll(() => terminateLocalFeaturePool());

const SCREWDRIVER_COPY: Step[] = [
  { family: 'background', params: { texture: 'dots', hue: 277.8, hue2: 62.2, lightness: 0.345, period: 7, seed: 735263963 } },
];
const FROGS_COPY: Step[] = [
  { family: 'background', params: { texture: 'dots', hue: 18.4, hue2: 152.6, lightness: 0.319, period: 23, seed: 1575461520 } },
  { family: 'stretch', params: { factor: 0.787, axis: 'x' } },
  {
    family: 'overlay',
    params: {
      kind: 'watermark',
      text: '© 2021 tallgrass',
      font: 'Liberation Mono',
      size: 0.042,
      x: 0.523,
      y: 0.38,
      angle: -13.1,
      opacity: 0.432,
      hue: 240.6,
      lightness: 0.618,
    },
  },
];

/** An engine holding the two drawings and a few others, as the eval's library stores them. */
const library = (policy: UniquenessPolicy) => evalLibrary([SCREWDRIVER, FROGS, ...OTHERS], policy);

describe('the art without its backdrop as a window (local.zoom.cutout)', () => {
  it('cuts the whitened art out of a tall dotted canvas, where the drawing is, on white', async () => {
    const e = UniquenessEngine.open({ dbPath: ':memory:' });
    const fp = await e.fingerprint(CARD, await evalCopy(SCREWDRIVER, SCREWDRIVER_COPY));
    e.close();
    // The grid's windows are cut from the whole canvas; the cut-out one is a band across its top
    // (a picture's window — the handle, outlined by its edges: visual.boxes.lines — is another).
    const cut = (fp.local?.windows ?? []).filter((w) => w.frame.h < 0.3 && !w.picture);
    expect(cut).toHaveLength(1);
    const w = cut[0]!;
    expect(w.frame.y).toBeGreaterThan(0.1);
    expect(w.frame.y + w.frame.h).toBeLessThan(0.4);
    expect(w.frame.w).toBeGreaterThan(0.8);
    // Its pixels are the whitened ones: the corners are white, not the backdrop's dots.
    const gray = w.frameGray as Uint8Array;
    expect(gray[0]).toBeGreaterThan(240);
    expect(gray[gray.length - 1]).toBeGreaterThan(240);
    // Without the setting, no such window; the grid's windows stay.
    const off = UniquenessEngine.open({ dbPath: ':memory:', policy: withCutout(0) });
    const fpOff = await off.fingerprint(CARD, await evalCopy(SCREWDRIVER, SCREWDRIVER_COPY));
    off.close();
    expect((fpOff.local?.windows ?? []).filter((x) => x.frame.h < 0.3 && !x.picture)).toEqual([]);
    expect(fpOff.local?.windows?.length).toBe((fp.local?.windows?.length ?? 0) - 1);
  }, 60_000);

  it('cuts nothing out of a drawing on white, nor out of one that fills its dotted canvas', async () => {
    const e = UniquenessEngine.open({ dbPath: ':memory:' });
    const plain = await e.fingerprint(CARD, await libraryPng(SCREWDRIVER));
    const filled = await e.fingerprint(CARD, await evalCopy(OTHERS[2] as string, SCREWDRIVER_COPY));
    e.close();
    const off = UniquenessEngine.open({ dbPath: ':memory:', policy: withCutout(0) });
    const plainOff = await off.fingerprint(CARD, await libraryPng(SCREWDRIVER));
    const filledOff = await off.fingerprint(CARD, await evalCopy(OTHERS[2] as string, SCREWDRIVER_COPY));
    off.close();
    expect(plain.local?.windows?.length).toBe(plainOff.local?.windows?.length);
    expect(filled.local?.windows?.length).toBe(filledOff.local?.windows?.length);
  }, 60_000);

  it('finds the screwdriver on dots only with it (or the whitened frame aligned), and the frogs on dots, stretched and watermarked, with it', async () => {
    const queries = [
      [SCREWDRIVER, await evalCopy(SCREWDRIVER, SCREWDRIVER_COPY)],
      [FROGS, await evalCopy(FROGS, FROGS_COPY)],
    ] as const;
    const on = await library(UNIQUENESS_POLICY);
    const off = await library(withNeither());
    const aligned = await library(withCutout(0));
    for (const [file, query] of queries) {
      const found = (await on.check({ card: CARD, creatorId: 'b', image: query })).matches.find((m) => m.assetId === file);
      expect(found?.copySignals, file).toContain('partial copy (local features, geometrically verified)');
      const without = (await off.check({ card: CARD, creatorId: 'b', image: query })).matches.find((m) => m.assetId === file);
      // The frogs are found without the cut-out too: their whitened frame now also feeds the appearance gates.
      if (file === SCREWDRIVER) expect(without?.copySignals ?? [], file).toEqual([]);
      else expect(without?.copySignals, file).toContain('partial copy (local features, geometrically verified)');
      // Without the cut-out but with the whitened frame aligned (local.aligned.backdrop): found too.
      const byAlignment = (await aligned.check({ card: CARD, creatorId: 'b', image: query })).matches.find((m) => m.assetId === file);
      expect(byAlignment?.copySignals, file).toContain('partial copy (local features, geometrically verified)');
    }
    on.close();
    off.close();
    aligned.close();
  }, 120_000);
});
