/**
 * A copy bent by a non-rigid warp (engine/image/local/bend.ts, bent-parts.ts bentParts; policy
 * local.appearance.unlike.pieces): an elastic field moves a drawing's strokes by up to a few per cent
 * of its size, so one homography explains only a part of it — the consensus is strong on its count,
 * but the drawing, seen through that one model, lies off the query's strokes elsewhere, and the
 * unlike gate refused it. Further consensuses among the matches left over, each near the first
 * model, are the drawing's other parts; seen through every part's model, it looks like itself. The
 * copy is the probe's augmentation set's elastic transform (scripts/eval/probe-augment.ts) on ganson's
 * teapot, rendered from a fixed seed. Other drawings bent the same way are not confirmed as the
 * teapot, nor the teapot as them; the field itself holds each part's model near its inliers. A copy
 * found through a bend is named bent (MatchedRegion.bent); a halftone, whose parts fit its dots'
 * noise and whose first model alone, smoothed alike, looks as alike, is not.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { piecewiseField } from '../../engine/image/local/bend.ts';
import type { Homography } from '../../engine/image/local/homography.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import type { LocalFeatureSet } from '../../engine/image/local/types.ts';
import { verify } from '../../engine/image/local/verify.ts';
import { localQueries } from '../../engine/check/image-layers.ts';
import { AUGMENT_TRANSFORMS } from '../../scripts/eval/probe-augment.ts';
import { encodePng, flatten, toRaw } from '../../scripts/eval/raw.ts';
import { Rng } from '../../scripts/eval/rng.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { checkFeatures } from '../helpers/clipart.ts';
import { SIMPLE_DRAWINGS, evalLibrary, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

afterAll(() => terminateLocalFeaturePool());

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const LOCAL = 'partial copy (local features, geometrically verified)';
const TEAPOT = 'food/beverages/teapot_ganson.png';
// Parts only: the field traced from the consensus (trace-bend.ts, local-trace-bend.test.ts) finds these copies too.
const onePart = policyWith({ local: { appearance: { unlike: { pieces: { maxParts: 1, trace: { rounds: 0 } } } } } });

/** `file` bent by the probe's elastic field drawn with `seed`, at the probe's 384 px. */
async function bent(file: string, seed: number): Promise<Buffer> {
  const src = flatten(await toRaw(sharp(await libraryPng(file)).resize(384, 384, { fit: 'inside' })));
  const out = await (AUGMENT_TRANSFORMS.elastic as NonNullable<(typeof AUGMENT_TRANSFORMS)['elastic']>)(src, new Rng(seed, 'elastic'), {
    fillers: [],
  });
  return encodePng(out.img);
}

describe('a copy bent by a non-rigid warp (local.appearance.unlike.pieces)', () => {
  it('is confirmed through its parts, and refused as unlike the drawing with one part', async () => {
    const lib = await checkFeatures(await libraryPng(TEAPOT), true);
    const q = await checkFeatures(await bent(TEAPOT, 3));
    const said: string[] = [];
    const m = verify(q, lib, UNIQUENESS_POLICY.local, undefined, (w) => said.push(w));
    expect(m).not.toBeNull();
    expect(said.some((w) => /bent over [2-4] parts/.test(w))).toBe(true);
    expect(m?.region.inliers).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.minInliers);
    const refused: string[] = [];
    expect(verify(q, lib, onePart.local, undefined, (w) => refused.push(w))).toBeNull();
    expect(refused.some((w) => w.includes('unlike the drawing: refused'))).toBe(true);
  });

  it('is found through a check, and not with one part', async () => {
    const png = await bent(TEAPOT, 3);
    for (const [policy, found] of [
      [UNIQUENESS_POLICY, true],
      [onePart, false],
    ] as const) {
      const engine = await evalLibrary([TEAPOT, ...SIMPLE_DRAWINGS], policy);
      try {
        const res = await engine.check({ card: CARD, creatorId: 'b', image: png });
        const top = res.matches[0];
        expect(top !== undefined && top.copySignals.includes(LOCAL)).toBe(found);
        // Named bent where it is shown (MatchedRegion.bent).
        if (found) expect(top?.region?.bent).toBe(true);
      } finally {
        engine.close();
      }
    }
  });

  it("finds parts beyond the first model's guided radius (pieces.reach)", async () => {
    // The tank bent at alpha 0.059 over cells of 0.19: its putative matches hold one part; matched
    // again within a tenth of the frame of where the first model puts each keypoint, three more.
    const TANK = 'tools/weapons/m1_abrams_main_battle_tank_01.png';
    const lib = await checkFeatures(await libraryPng(TANK), true);
    const q = await checkFeatures(await bent(TANK, 6));
    const said: string[] = [];
    expect(verify(q, lib, UNIQUENESS_POLICY.local, undefined, (w) => said.push(w))?.region.bent).toBe(true);
    expect(said.some((w) => /parts \(guided within \d+ px\) \d+(\+\d+)+ over/.test(w))).toBe(true);
    const near = policyWith({ local: { appearance: { unlike: { pieces: { reach: 0, trace: { rounds: 0 } } } } } });
    const refused: string[] = [];
    expect(verify(q, lib, near.local, undefined, (w) => refused.push(w))).toBeNull();
    expect(refused.some((w) => w.includes('unlike the drawing: refused'))).toBe(true);
  });

  it('confirms a weak consensus through its parts, held to the weak bars (pieces.weak)', async () => {
    // The teapot embossed, then bent (alpha 0.04 over cells of 0.2): in one of the query's windows
    // the consensus is too small to stand on its count and, seen through one model, fails its
    // appearance; seen through its parts it looks like the drawing (0.75, 8 of 9 cells agreeing).
    const src = flatten(await toRaw(sharp(await libraryPng(TEAPOT)).resize(384, 384, { fit: 'inside' })));
    const r = new Rng(5, 'bent');
    const embossed = await AUGMENT_TRANSFORMS.emboss!(src, r, { fillers: [] });
    const both = await AUGMENT_TRANSFORMS.elastic!(embossed.img, r, { fillers: [] });
    const q = await checkFeatures(await encodePng(both.img));
    const lib = await checkFeatures(await libraryPng(TEAPOT), true);
    const view = localQueries(q, UNIQUENESS_POLICY)[5] as LocalFeatureSet;
    const said: string[] = [];
    expect(verify(view, lib, UNIQUENESS_POLICY.local, undefined, (w) => said.push(w))?.region.bent).toBe(true);
    expect(said.some((w) => /^weak, bent over [2-4] parts/.test(w))).toBe(true);
    const strict = policyWith({ local: { appearance: { unlike: { pieces: { weak: false } } } } });
    expect(verify(view, lib, strict.local)).toBeNull();
  });

  it('does not name a halftone bent: seen alike through its parts, it looks as alike through its first model smoothed', async () => {
    // The probe's halftone (dots of 6–8 px): its parts fit the dots' noise. Grapes (its consensus
    // stands on its count) and candied apples (a weak consensus): both found through a bend, neither
    // named bent, as their first model alone, smoothed alike, passes a weak consensus's bars.
    for (const [file, seed] of [
      ['food/grapes_leif_lodahl_02.png', 2],
      ['food/candied_apples_ganson.png', 3],
    ] as const) {
      const src = flatten(await toRaw(sharp(await libraryPng(file)).resize(384, 384, { fit: 'inside' })));
      const out = await AUGMENT_TRANSFORMS.halftone!(src, new Rng(seed, 'halftone'), { fillers: [] });
      const said: string[] = [];
      const m = verify(
        await checkFeatures(await encodePng(out.img)),
        await checkFeatures(await libraryPng(file), true),
        UNIQUENESS_POLICY.local,
        undefined,
        (w) => said.push(w),
      );
      expect(m, file).not.toBeNull();
      expect(
        said.some((w) => /bent over \d+ parts/.test(w)),
        file,
      ).toBe(true);
      expect(
        said.some((w) => /^one model, smoothed: 0\.[6-9]/.test(w)),
        file,
      ).toBe(true);
      expect(m?.region.bent, file).toBeUndefined();
    }
  });

  it('does not confirm other drawings bent alike as the teapot, nor the teapot as them', async () => {
    const teapot = await checkFeatures(await libraryPng(TEAPOT), true);
    const copy = await checkFeatures(await bent(TEAPOT, 3));
    for (const [k, file] of SIMPLE_DRAWINGS.entries()) {
      const other = await checkFeatures(await bent(file, 3 + k));
      expect(verify(other, teapot)).toBeNull();
      expect(verify(copy, await checkFeatures(await libraryPng(file), true))).toBeNull();
    }
  });

  it('blends the parts: each model holds near its own inliers, the first everywhere else', () => {
    const shift = (dx: number, dy: number): Homography => [1, 0, dx, 0, 1, dy, 0, 0, 1];
    const near = (x0: number, y0: number) => Float64Array.from([x0, y0, x0 + 4, y0, x0, y0 + 4, x0 + 4, y0 + 4]);
    const field = piecewiseField(
      [
        { h: shift(0, 0), at: near(40, 40) },
        { h: shift(6, -3), at: near(400, 300) },
      ],
      480,
      360,
      0.08,
      13,
    );
    const [ax, ay] = field(42, 42);
    expect(Math.hypot(ax, ay)).toBeLessThan(0.5);
    const [bx, by] = field(402, 302);
    expect(bx).toBeCloseTo(6, 0);
    expect(by).toBeCloseTo(-3, 0);
    // Halfway, a blend of the two displacements.
    const [mx] = field(221, 171);
    expect(mx).toBeGreaterThan(0);
    expect(mx).toBeLessThan(6);
  });
});
