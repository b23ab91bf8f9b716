/**
 * Affine-simulated views of a query (engine/image/local/tilt.ts, policy local.tilt): the working
 * frame stretched along a few directions, each view described and verified as a query of its own,
 * its match placed back on the query as it is. The warp's own geometry (a pixel lands where its map
 * back says), which views the settings ask for, that the views are a query's only (never stored,
 * serialised or described for a library entry), and the case they exist for: a drawing sheared by
 * 0.4 (fresh seed 660107's shear-7), missed by every other view, found through a tilted one with
 * its outline drawn on the sheared query.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { GrayFrame } from '../../engine/image/local/frame.ts';
import { project } from '../../engine/image/local/homography.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { deserialize, forLibrary, serialize } from '../../engine/image/local/serialize.ts';
import { tiltAngles, tiltFrame } from '../../engine/image/local/tilt.ts';
import { verify } from '../../engine/image/local/verify.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { checkFeatures } from '../helpers/clipart.ts';
import { evalCopy, evalLibrary, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

afterAll(() => terminateLocalFeaturePool());

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const POTATO = 'food/breads_and_carbs/potato_nicu_buculei_01.png';
const SHEARED: Step[] = [{ family: 'shear', params: { shx: 0, shy: -0.402, fill: 'white' } }];
const TOL = UNIQUENESS_POLICY.local.trimTolerance;
const BACKDROP: Step = {
  family: 'background',
  params: { texture: 'noise', hue: 196.1, hue2: 225.6, lightness: 0.302, period: 26, seed: 7 },
};
const OTHERS = ['tools/cog_01.png', 'office/paperclip.png', 'food/fruit/cherry_jonathan_dietrich_01.png', 'animals/bugs/spider.png'];
const withFactors = (factors: number[]) => policyWith({ local: { tilt: { factors } } });

/** A 90 × 60 dark frame holding a grey 80 × 50 drawing with one bright pixel on it. */
function dot(x: number, y: number): GrayFrame {
  const gray = new Uint8Array(90 * 60).fill(10);
  for (let v = 5; v < 55; v++) for (let u = 5; u < 85; u++) gray[v * 90 + u] = 100;
  gray[y * 90 + x] = 250;
  return { gray, width: 90, height: 60, frame: { x: 0.1, y: 0, w: 0.8, h: 1 }, background: 10 };
}

function brightest(g: Uint8Array, w: number): [number, number] {
  let best = 0;
  for (let i = 1; i < g.length; i++) if ((g[i] as number) > (g[best] as number)) best = i;
  return [best % w, Math.floor(best / w)];
}

describe('tilted views of a working frame (tilt.ts)', () => {
  it('warps a pixel to where its map back says it came from, the drawing at the frame’s longest side, the outside its backdrop', () => {
    for (const phi of [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4]) {
      const src = dot(30, 20);
      const { frame, toBase } = tiltFrame(src, 2, phi, TOL);
      expect(Math.max(frame.width, frame.height)).toBe(90);
      expect(frame.frame).toEqual(src.frame);
      const [u, v] = brightest(frame.gray, frame.width);
      const back = project(toBase as never, u + 0.5, v + 0.5) as [number, number];
      // The bright pixel's centre is (30.5, 20.5); a view pixel is at most ~2 frame pixels wide.
      expect(Math.hypot(back[0] - 30.5, back[1] - 20.5)).toBeLessThan(2);
      // Stretched along the diagonal, the drawing's corners leave the canvas's upper-right and
      // lower-left corners to the backdrop.
      if (phi === Math.PI / 4) {
        expect(frame.gray[frame.width - 1]).toBe(10);
        expect(frame.gray[(frame.height - 1) * frame.width]).toBe(10);
      }
    }
    // Stretched 2× along x, the 80 × 50 drawing (its frame's border trimmed away, as a library
    // frame's is) is 160 × 50, scaled back to 90 × 28.
    const flat = tiltFrame(dot(30, 20), 2, 0, TOL).frame;
    expect([flat.width, flat.height]).toEqual([90, 28]);
  });

  it('makes the fine octave’s view from the same map, at the octave’s size', () => {
    const src = dot(30, 20);
    const fine: GrayFrame = { ...src, gray: new Uint8Array(180 * 120), width: 180, height: 120 };
    const { frame, fine: f, toBase } = tiltFrame(src, 2, Math.PI / 4, TOL, fine);
    expect(f?.width).toBe(2 * frame.width);
    expect(f?.height).toBe(2 * frame.height);
    // The fine view is the working frame seen at twice the size: its bright pixel sits at twice the view's.
    const [u, v] = brightest(f?.gray as Uint8Array, f?.width as number);
    const back = project(toBase as never, (u + 0.5) / 2, (v + 0.5) / 2) as [number, number];
    expect(Math.hypot(back[0] - 30.5, back[1] - 20.5)).toBeLessThan(1.5);
  });

  it('asks for every factor above 1 in each direction, half a step from the x axis, and for none without factors', () => {
    const angles = tiltAngles({ factors: [2, 1.5], directions: 4 });
    expect(angles).toHaveLength(8);
    expect(angles.map((a) => a.t)).toEqual([2, 2, 2, 2, 1.5, 1.5, 1.5, 1.5]);
    expect(angles.slice(0, 4).map((a) => (a.phi * 180) / Math.PI)).toEqual([22.5, 67.5, 112.5, 157.5].map((d) => expect.closeTo(d, 9)));
    expect(tiltAngles({ factors: [1, 0.5], directions: 4 })).toHaveLength(0);
    expect(tiltAngles({ factors: [], directions: 4 })).toHaveLength(0);
    expect(tiltAngles({ factors: [2], directions: 0 })).toHaveLength(0);
  });
});

describe('a query’s tilted views (policy local.tilt)', () => {
  it('describes them for a query only, each with its map back; never stores or serialises them', async () => {
    const png = await evalCopy(POTATO, SHEARED);
    const q = await checkFeatures(png);
    const P = UNIQUENESS_POLICY.local.tilt;
    expect(q.tilts).toHaveLength(P.factors.length * P.directions);
    for (const v of q.tilts ?? []) {
      expect(v.tilt?.width).toBe(q.width);
      expect(v.tilt?.height).toBe(q.height);
      expect(v.tilt?.toBase).toHaveLength(9);
      expect(v.frameGray).toHaveLength(v.width * v.height);
      expect(v.primary.words.length).toBeGreaterThan(50);
      expect(v.mirror).toBeUndefined(); // tilt.mirror is off
      // Each view also carries its fine octave's keypoints (mapped onto the view), as the whole frame does.
      expect(v.primary.base).toBeLessThan(v.primary.words.length);
    }
    // Warped and described by the workers (pool.ts extractTilted): the same views either way.
    expect(q.tilts?.map((v) => [v.width, v.height])).toEqual(
      tiltAngles(P).map(({ t, phi }) => {
        const f = tiltFrame(
          { gray: q.frameGray as Uint8Array, width: q.width, height: q.height, frame: q.frame, background: 255 },
          t,
          phi,
          TOL,
        ).frame;
        return [f.width, f.height];
      }),
    );
    // On a coloured backdrop each view also carries its whitened pixels (appearance.ts compares them too).
    const onBackdrop = await checkFeatures(await evalCopy(POTATO, [BACKDROP]));
    expect(onBackdrop.flatGray).toBeDefined();
    for (const v of onBackdrop.tilts ?? []) expect(v.flatGray).toHaveLength(v.width * v.height);
    expect(forLibrary(q).tilts).toBeUndefined();
    expect(deserialize(serialize(q)).tilts).toBeUndefined();
    expect((await checkFeatures(png, true)).tilts).toBeUndefined();
    expect((await checkFeatures(png, false, withFactors([]))).tilts).toBeUndefined();
  }, 60_000);

  it('finds a drawing sheared by 0.4 through a tilted view, outlined on the sheared query', async () => {
    const lib = await checkFeatures(await libraryPng(POTATO), true);
    const q = await checkFeatures(await evalCopy(POTATO, SHEARED));
    // The whole frame and its zoom windows do not verify it; a tilted view does.
    expect(verify(q, lib)).toBeNull();
    for (const w of q.windows ?? []) expect(verify(w, lib)).toBeNull();
    const found = (q.tilts ?? []).map((v) => verify(v, lib)).filter((m) => m !== null);
    expect(found.length).toBeGreaterThan(0);

    const open = (policy: UniquenessPolicy) => evalLibrary([POTATO, ...OTHERS], policy);
    const png = await evalCopy(POTATO, SHEARED);
    const on = await open(UNIQUENESS_POLICY);
    const match = (await on.check({ card: CARD, creatorId: 'b', image: png })).matches.find((m) => m.assetId === POTATO);
    on.close();
    expect(match?.copySignals).toContain('partial copy (local features, geometrically verified)');
    const r = match?.region;
    expect(r).toBeDefined();
    // Placed on the query as it is: most of the potato matched, its outline inside the query and
    // slanted as the shear slants it (y' = y − 0.402 x: the right side sits higher than the left).
    expect(r?.matchCoverage).toBeGreaterThan(0.6);
    for (const [x, y] of r?.outline ?? []) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(1);
    }
    const pts = r?.outline ?? [];
    const left = pts.filter(([x]) => x < 0.5);
    const right = pts.filter(([x]) => x >= 0.5);
    const top = (side: [number, number][]): number => Math.min(...side.map(([, y]) => y));
    expect(top(left) - top(right)).toBeGreaterThan(0.1);
    // Named a shear, not a turn: a shear by 0.4 stretches 1.49 : 1, its nearest rotation is 11°.
    expect(r?.stretch).toBeGreaterThan(1.3);
    expect(Math.abs(r?.rotationDeg ?? 99)).toBeLessThan(16);
    expect(match?.summary).toContain('stretched or sheared');

    const off = await open(withFactors([]));
    const without = (await off.check({ card: CARD, creatorId: 'b', image: png })).matches.find((m) => m.assetId === POTATO);
    off.close();
    expect(without?.copySignals ?? []).not.toContain('partial copy (local features, geometrically verified)');
  }, 120_000);
});
