/**
 * RANSAC for a 2-D affine transform (query = A·library + t) from point matches: minimal samples of
 * 3 matches solved exactly, hypotheses outside the accepted scale/anisotropy range discarded, the
 * best consensus refined by least squares. Deterministic (seeded).
 */
import { rng } from '../../rng.ts';

/** [a, b, c, d, tx, ty]: x' = a·x + b·y + tx, y' = c·x + d·y + ty. */
export type Affine = [number, number, number, number, number, number];

export interface RansacOptions {
  tolerance: number;
  iterations: number;
  scaleRange: readonly [number, number] | readonly number[];
  maxAnisotropy: number;
  seed?: number;
}

export interface RansacResult {
  model: Affine;
  inliers: number[];
}

/** Singular values of the 2×2 linear part. */
export function singular(m: Affine): [number, number] {
  const [a, b, c, d] = m;
  const s1 = a * a + b * b + c * c + d * d;
  const det = a * d - b * c;
  const disc = Math.sqrt(Math.max(0, s1 * s1 - 4 * det * det));
  return [Math.sqrt((s1 + disc) / 2), Math.sqrt(Math.max(0, (s1 - disc) / 2))];
}

/** The ratio of the linear part's singular values (≥ 1): 1 for a turn and a uniform scale. */
export function stretchOf(m: Affine): number {
  const [big, small] = singular(m);
  return small > 1e-9 ? big / small : Number.POSITIVE_INFINITY;
}

function plausible(m: Affine, o: RansacOptions): boolean {
  const det = m[0] * m[3] - m[1] * m[2];
  if (!(det > 0)) return false; // mirrored copies are matched through the mirrored view
  const scale = Math.sqrt(det);
  return scale >= (o.scaleRange[0] as number) && scale <= (o.scaleRange[1] as number) && stretchOf(m) <= o.maxAnisotropy;
}

function solve3(src: Float64Array, dst: Float64Array, i: number, j: number, k: number): Affine | null {
  const x1 = src[2 * i] as number,
    y1 = src[2 * i + 1] as number;
  const x2 = src[2 * j] as number,
    y2 = src[2 * j + 1] as number;
  const x3 = src[2 * k] as number,
    y3 = src[2 * k + 1] as number;
  const det = x1 * (y2 - y3) - x2 * (y1 - y3) + x3 * (y1 - y2);
  if (Math.abs(det) < 1e-6) return null;
  // Cramer's rule for both rows of the model (written out: this runs once per RANSAC hypothesis).
  const u1 = dst[2 * i] as number,
    u2 = dst[2 * j] as number,
    u3 = dst[2 * k] as number;
  const v1 = dst[2 * i + 1] as number,
    v2 = dst[2 * j + 1] as number,
    v3 = dst[2 * k + 1] as number;
  return [
    (u1 * (y2 - y3) - u2 * (y1 - y3) + u3 * (y1 - y2)) / det,
    (x1 * (u2 - u3) - x2 * (u1 - u3) + x3 * (u1 - u2)) / det,
    (v1 * (y2 - y3) - v2 * (y1 - y3) + v3 * (y1 - y2)) / det,
    (x1 * (v2 - v3) - x2 * (v1 - v3) + x3 * (v1 - v2)) / det,
    (x1 * (y2 * u3 - y3 * u2) - x2 * (y1 * u3 - y3 * u1) + x3 * (y1 * u2 - y2 * u1)) / det,
    (x1 * (y2 * v3 - y3 * v2) - x2 * (y1 * v3 - y3 * v1) + x3 * (y1 * v2 - y2 * v1)) / det,
  ];
}

/** Matches that `m` maps within the tolerance (counted only: most hypotheses are discarded). */
function countInliers(m: Affine, src: Float64Array, dst: Float64Array, tol2: number): number {
  let count = 0;
  const n = src.length / 2;
  const [a, b, c, d, tx, ty] = m;
  for (let i = 0; i < n; i++) {
    const x = src[2 * i] as number;
    const y = src[2 * i + 1] as number;
    const dx = a * x + b * y + tx - (dst[2 * i] as number);
    const dy = c * x + d * y + ty - (dst[2 * i + 1] as number);
    if (dx * dx + dy * dy <= tol2) count++;
  }
  return count;
}

function inliersOf(m: Affine, src: Float64Array, dst: Float64Array, tol2: number): number[] {
  const out: number[] = [];
  const n = src.length / 2;
  for (let i = 0; i < n; i++) {
    const x = src[2 * i] as number;
    const y = src[2 * i + 1] as number;
    const dx = m[0] * x + m[1] * y + m[4] - (dst[2 * i] as number);
    const dy = m[2] * x + m[3] * y + m[5] - (dst[2 * i + 1] as number);
    if (dx * dx + dy * dy <= tol2) out.push(i);
  }
  return out;
}

/** Least-squares affine through the given matches (null when degenerate). */
export function fitAffine(src: Float64Array, dst: Float64Array, idx: number[]): Affine | null {
  let sxx = 0,
    sxy = 0,
    syy = 0,
    sx = 0,
    sy = 0;
  let bx = [0, 0, 0];
  let by = [0, 0, 0];
  for (const i of idx) {
    const x = src[2 * i] as number,
      y = src[2 * i + 1] as number;
    const u = dst[2 * i] as number,
      v = dst[2 * i + 1] as number;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
    sx += x;
    sy += y;
    bx = [bx[0]! + x * u, bx[1]! + y * u, bx[2]! + u];
    by = [by[0]! + x * v, by[1]! + y * v, by[2]! + v];
  }
  const n = idx.length;
  // Normal equations M·p = b with M = [[sxx,sxy,sx],[sxy,syy,sy],[sx,sy,n]].
  const rows = solve3x3([sxx, sxy, sx, sxy, syy, sy, sx, sy, n], [bx, by], 1e-9);
  if (!rows) return null;
  const [[a, b, tx], [c, d, ty]] = rows as [[number, number, number], [number, number, number]];
  return [a, b, c, d, tx, ty];
}

/**
 * The solutions of the 3 × 3 system M·p = b (M row-major) for each right-hand side, by Cramer's
 * rule; null when |det M| < minDet. Least-squares fits' normal equations: fitAffine here, a bent
 * field's local regression (bend.ts matchField).
 */
export function solve3x3(M: readonly number[], rhs: readonly (readonly number[])[], minDet: number): number[][] | null {
  const det3 = (m: readonly number[]): number =>
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const D = det3(M);
  if (Math.abs(D) < minDet) return null;
  return rhs.map((b) => [0, 1, 2].map((col) => det3(M.map((val, k) => (k % 3 === col ? (b[Math.floor(k / 3)] as number) : val))) / D));
}

/** Best affine model mapping `src` points onto `dst` points (2 floats per point). */
export function ransacAffine(src: Float64Array, dst: Float64Array, o: RansacOptions): RansacResult | null {
  const n = src.length / 2;
  if (n < 3) return null;
  const rand = rng(o.seed ?? 1);
  const tol2 = o.tolerance * o.tolerance;
  let best: RansacResult | null = null;
  // Adaptive stop: enough samples for a 99 % chance of one all-inlier triple at the best ratio so far.
  let needed = o.iterations;
  for (let it = 0; it < Math.min(o.iterations, needed); it++) {
    const i = Math.floor(rand() * n);
    const j = Math.floor(rand() * n);
    const k = Math.floor(rand() * n);
    if (i === j || j === k || i === k) continue;
    const m = solve3(src, dst, i, j, k);
    if (!m || !plausible(m, o)) continue;
    if (best && countInliers(m, src, dst, tol2) <= best.inliers.length) continue;
    const inl = inliersOf(m, src, dst, tol2);
    best = { model: m, inliers: inl };
    const w = inl.length / n;
    needed = w >= 1 ? 1 : Math.ceil(Math.log(0.01) / Math.log(1 - w * w * w));
  }
  if (!best || best.inliers.length < 4) return best;
  for (let r = 0; r < 2; r++) {
    const m = fitAffine(src, dst, best.inliers);
    if (!m || !plausible(m, o)) break;
    const inl = inliersOf(m, src, dst, tol2);
    if (inl.length < best.inliers.length) break;
    best = { model: m, inliers: inl };
  }
  return best;
}
