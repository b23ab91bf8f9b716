/**
 * Homographies for local-feature verification: the normalised DLT recovers a known perspective map,
 * projection and inverse agree, the Jacobian approximates the map locally, implausible maps (the
 * frame folded or behind the camera) are refused, and refinement grows an affine consensus.
 */
import { describe, expect, it } from 'vitest';
import {
  type Homography,
  fitHomography,
  fromAffine,
  inliersH,
  invertH,
  localAffine,
  plausibleH,
  project,
  refineHomography,
} from '../../engine/image/local/homography.ts';
import { rng } from '../../engine/rng.ts';

const TRUE_H: Homography = [0.9, 0.12, 30, -0.08, 1.05, 12, 0.0006, -0.0004, 1];

function pairs(n: number, h: Homography, noise: number, seed = 3): { src: Float64Array; dst: Float64Array } {
  const rand = rng(seed);
  const src = new Float64Array(2 * n);
  const dst = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const x = rand() * 480;
    const y = rand() * 360;
    const p = project(h, x, y)!;
    src.set([x, y], 2 * i);
    dst.set([p[0] + (rand() - 0.5) * noise, p[1] + (rand() - 0.5) * noise], 2 * i);
  }
  return { src, dst };
}

describe('homography', () => {
  it('recovers a perspective map from noisy matches', () => {
    const { src, dst } = pairs(60, TRUE_H, 1);
    const h = fitHomography(src, dst, [...Array(60).keys()])!;
    for (const [x, y] of [
      [0, 0],
      [480, 0],
      [480, 360],
      [0, 360],
    ] as const) {
      const a = project(h, x, y)!;
      const b = project(TRUE_H, x, y)!;
      expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeLessThan(1.5);
    }
  });

  it('inverts, and its Jacobian matches the map near a point', () => {
    const inv = invertH(TRUE_H)!;
    const p = project(TRUE_H, 200, 150)!;
    const back = project(inv, p[0], p[1])!;
    expect(back[0]).toBeCloseTo(200, 6);
    expect(back[1]).toBeCloseTo(150, 6);
    const a = localAffine(TRUE_H, 200, 150)!;
    const q = project(TRUE_H, 203, 148)!;
    expect(Math.hypot(a[0] * 203 + a[1] * 148 + a[4] - q[0], a[2] * 203 + a[3] * 148 + a[5] - q[1])).toBeLessThan(0.05);
  });

  it('refuses a folded frame or one that crosses the horizon', () => {
    expect(plausibleH(TRUE_H, 480, 360, 3)).toBe(true);
    expect(plausibleH([-1, 0, 480, 0, 1, 0, 0, 0, 1], 480, 360, 3)).toBe(false);
    expect(plausibleH([1, 0, 0, 0, 1, 0, -0.004, 0, 1], 480, 360, 3)).toBe(false);
    expect(plausibleH([1, 0, 0, 0, 1, 0, 0.001, 0.001, 1], 480, 360, 1.2)).toBe(false);
  });

  it('grows an affine consensus into the homography that explains every true match', () => {
    const { src, dst } = pairs(80, TRUE_H, 0.5);
    // Outliers: a fifth of the matches sent anywhere.
    const rand = rng(9);
    for (let i = 0; i < 16; i++) dst.set([rand() * 600, rand() * 500], 2 * i);
    const affine = fromAffine([0.9, 0.12, -0.08, 1.05, 30, 12]);
    const seed = inliersH(affine, src, dst, 12);
    expect(seed.length).toBeLessThan(64);
    const g = refineHomography(src, dst, seed, 3, { width: 480, height: 360, maxDepthRatio: 3 })!;
    expect(g.inliers.length).toBeGreaterThanOrEqual(62);
    expect(g.inliers.every((i) => i >= 16)).toBe(true);
  });
});
