/**
 * Plane homographies for geometric verification: a least-squares fit by the normalised DLT
 * (Hartley's conditioning, h₃₃ = 1), projection, inverse, the local affine (Jacobian) at a point,
 * and a local optimisation that grows an affine RANSAC consensus into a homography consensus (the
 * LO step of LO-RANSAC): a copy seen in perspective agrees with one affine map only over part of
 * its area, with a homography over all of it.
 */
import type { Affine } from './ransac.ts';

/** Row-major 3×3 [h0 h1 h2; h3 h4 h5; h6 h7 h8]: (x, y) → ((h0x+h1y+h2)/w, (h3x+h4y+h5)/w), w = h6x+h7y+h8. */
export type Homography = [number, number, number, number, number, number, number, number, number];

export function fromAffine(m: Affine): Homography {
  return [m[0], m[1], m[4], m[2], m[3], m[5], 0, 0, 1];
}

export function multiply(a: Homography, b: Homography): Homography {
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  return r as Homography;
}

export function invertH(h: Homography): Homography | null {
  const [a, b, c, d, e, f, g, k, l] = h;
  const A = e * l - f * k;
  const B = -(d * l - f * g);
  const C = d * k - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  return [
    A / det,
    -(b * l - c * k) / det,
    (b * f - c * e) / det,
    B / det,
    (a * l - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * k - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** The projected point, or null when it falls on or behind the line at infinity (w ≤ 0). */
export function project(h: Homography, x: number, y: number): [number, number] | null {
  const w = h[6] * x + h[7] * y + h[8];
  if (!(w > 1e-9)) return null;
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

/**
 * The keypoint orientation change (degrees, image coordinates, as OpenCV measures keypoint angles)
 * that a local affine map implies.
 */
export function turnOf(a: Affine): number {
  return (Math.atan2(a[2], a[0]) * 180) / Math.PI;
}

/**
 * The nearest rotation to a local affine map (degrees, counter-clockwise on screen, y down; polar
 * decomposition: the same turn as the first column's for a turned and scaled copy).
 */
export function rotationOf(a: Affine): number {
  return (Math.atan2(a[1] - a[2], a[0] + a[3]) * 180) / Math.PI;
}

/** The linear scale of a local affine map (square root of its area change). */
export function scaleOf(a: Affine): number {
  return Math.sqrt(Math.abs(a[0] * a[3] - a[1] * a[2]));
}

/** The smaller angle (degrees, 0..180) between two orientations given in degrees. */
export function angleGap(a: number, b: number): number {
  return Math.abs(((((a - b) % 360) + 540) % 360) - 180);
}

/** The affine map that best approximates `h` around (x, y) (its Jacobian, anchored at the point). */
export function localAffine(h: Homography, x: number, y: number): Affine | null {
  const w = h[6] * x + h[7] * y + h[8];
  if (!(w > 1e-9)) return null;
  const u = (h[0] * x + h[1] * y + h[2]) / w;
  const v = (h[3] * x + h[4] * y + h[5]) / w;
  const a = (h[0] - u * h[6]) / w;
  const b = (h[1] - u * h[7]) / w;
  const c = (h[3] - v * h[6]) / w;
  const d = (h[4] - v * h[7]) / w;
  return [a, b, c, d, u - a * x - b * y, v - c * x - d * y];
}

/** Similarity that moves the points' centroid to 0 and their mean distance from it to √2. */
function conditioner(xy: Float64Array, idx: readonly number[]): [number, number, number] {
  let mx = 0;
  let my = 0;
  for (const i of idx) {
    mx += xy[2 * i] as number;
    my += xy[2 * i + 1] as number;
  }
  mx /= idx.length;
  my /= idx.length;
  let d = 0;
  for (const i of idx) d += Math.hypot((xy[2 * i] as number) - mx, (xy[2 * i + 1] as number) - my);
  d /= idx.length;
  return [d > 1e-9 ? Math.SQRT2 / d : 1, mx, my];
}

/** Solves the n×n system M·x = b (row-major, M and b modified in place) by Gaussian elimination; null when singular. */
export function solveLinear(M: Float64Array, b: Float64Array, n: number): Float64Array | null {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c] as number) > Math.abs(M[p * n + c] as number)) p = r;
    if (Math.abs(M[p * n + c] as number) < 1e-12) return null;
    if (p !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[p * n + k]] = [M[p * n + k] as number, M[c * n + k] as number];
      [b[c], b[p]] = [b[p] as number, b[c] as number];
    }
    for (let r = c + 1; r < n; r++) {
      const f = (M[r * n + c] as number) / (M[c * n + c] as number);
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k] = (M[r * n + k] as number) - f * (M[c * n + k] as number);
      b[r] = (b[r] as number) - f * (b[c] as number);
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r] as number;
    for (let k = r + 1; k < n; k++) s -= (M[r * n + k] as number) * (x[k] as number);
    x[r] = s / (M[r * n + r] as number);
  }
  return x;
}

/** Least-squares homography mapping src onto dst through the given matches (≥ 4), or null. */
export function fitHomography(src: Float64Array, dst: Float64Array, idx: readonly number[]): Homography | null {
  if (idx.length < 4) return null;
  const [ss, sx, sy] = conditioner(src, idx);
  const [ds, dx, dy] = conditioner(dst, idx);
  const M = new Float64Array(64);
  const rhs = new Float64Array(8);
  const row = new Float64Array(8);
  const add = (target: number): void => {
    for (let r = 0; r < 8; r++) {
      const vr = row[r] as number;
      if (vr === 0) continue;
      rhs[r] = (rhs[r] as number) + vr * target;
      for (let c = 0; c < 8; c++) M[r * 8 + c] = (M[r * 8 + c] as number) + vr * (row[c] as number);
    }
  };
  for (const i of idx) {
    const x = ((src[2 * i] as number) - sx) * ss;
    const y = ((src[2 * i + 1] as number) - sy) * ss;
    const u = ((dst[2 * i] as number) - dx) * ds;
    const v = ((dst[2 * i + 1] as number) - dy) * ds;
    row.set([x, y, 1, 0, 0, 0, -x * u, -y * u]);
    add(u);
    row.set([0, 0, 0, x, y, 1, -x * v, -y * v]);
    add(v);
  }
  const h = solveLinear(M, rhs, 8);
  if (!h || !h.every(Number.isFinite)) return null;
  const hn: Homography = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
  // H = Td⁻¹ · Hn · Ts.
  const Ts: Homography = [ss, 0, -ss * sx, 0, ss, -ss * sy, 0, 0, 1];
  const TdInv: Homography = [1 / ds, 0, dx, 0, 1 / ds, dy, 0, 0, 1];
  const H = multiply(TdInv, multiply(hn, Ts));
  const k = H[8];
  return Math.abs(k) < 1e-12 ? null : (H.map((v) => v / k) as Homography);
}

/** Indices of the matches that `h` maps within `tol` pixels of their query point. */
export function inliersH(h: Homography, src: Float64Array, dst: Float64Array, tol: number): number[] {
  const tol2 = tol * tol;
  const out: number[] = [];
  for (let i = 0; i < src.length / 2; i++) {
    const p = project(h, src[2 * i] as number, src[2 * i + 1] as number);
    if (!p) continue;
    const ex = p[0] - (dst[2 * i] as number);
    const ey = p[1] - (dst[2 * i + 1] as number);
    if (ex * ex + ey * ey <= tol2) out.push(i);
  }
  return out;
}

/**
 * Whether `h` is a view of a flat picture: the w×h frame's corners project in front of the camera,
 * as a convex quadrilateral with the original orientation (mirroring goes through the mirrored
 * view), with the depth ratio across the frame at most `maxDepthRatio`.
 */
export function plausibleH(h: Homography, w: number, ht: number, maxDepthRatio: number): boolean {
  const corners: [number, number][] = [
    [0, 0],
    [w, 0],
    [w, ht],
    [0, ht],
  ];
  const ws = corners.map(([x, y]) => h[6] * x + h[7] * y + h[8]);
  if (ws.some((v) => !(v > 1e-9))) return false;
  if (Math.max(...ws) / Math.min(...ws) > maxDepthRatio) return false;
  const q = corners.map(([x, y]) => project(h, x, y) as [number, number]);
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i]!;
    const [bx, by] = q[(i + 1) % 4]!;
    const [cx, cy] = q[(i + 2) % 4]!;
    if ((bx - ax) * (cy - by) - (by - ay) * (cx - bx) <= 0) return false;
  }
  return true;
}

/**
 * Grows a consensus into a homography: fit to the seed inliers, take every match within `tol`,
 * refit, a few rounds. Returns the homography and its inliers, or null when no plausible one is found.
 */
export function refineHomography(
  src: Float64Array,
  dst: Float64Array,
  seed: readonly number[],
  tol: number,
  frame: { width: number; height: number; maxDepthRatio: number },
  rounds = 4,
): { h: Homography; inliers: number[] } | null {
  let best: { h: Homography; inliers: number[] } | null = null;
  let idx = seed;
  for (let r = 0; r < rounds; r++) {
    const h = fitHomography(src, dst, idx);
    if (!h || !plausibleH(h, frame.width, frame.height, frame.maxDepthRatio)) break;
    const inl = inliersH(h, src, dst, tol);
    if (best && inl.length <= best.inliers.length) break;
    best = { h, inliers: inl };
    idx = inl;
  }
  return best;
}
