/**
 * A copy bent by a non-rigid warp (an elastic field, a grid distortion, a lens): several local
 * models, each fitted to one part of the drawing (verify.ts finds them one after the other among
 * the putative matches), blended into one displacement field from the first model, so that the
 * appearance check (appearance.ts) can see the query through all of them at once. Near a part's
 * inliers its own model holds; between parts the models blend by the Gaussian-weighted share of
 * each part's inliers around that point. A field traced match by match (trace-bend.ts) blends each
 * match's residual from the first model the same way (matchField). The field is computed on a coarse
 * grid of the library frame and read bilinearly.
 */
import { type Homography, project } from './homography.ts';
import { solve3x3 } from './ransac.ts';

/** A displacement (query-view pixels) added to where the first model sends a library-frame point. */
export type BendField = (x: number, y: number) => [number, number];

/** One part of a bent copy: its model (library frame → query view) and its inliers' library points (x, y pairs). */
export interface Piece {
  h: Homography;
  at: Float64Array;
}

/**
 * The field that moves `pieces[0]`'s model onto each piece's own near that piece's inliers, on a
 * `width` × `height` library frame: sigma (a share of its longer side) is the Gaussian's, `nodes`
 * the grid's nodes along the longer side. A point no inlier is near keeps the first model.
 */
export function piecewiseField(pieces: readonly Piece[], width: number, height: number, sigma: number, nodes: number): BendField {
  const base = (pieces[0] as Piece).h;
  const side = Math.max(width, height);
  const k = 1 / (2 * (sigma * side) ** 2);
  return gridField(width, height, nodes, (x, y) => {
    const p0 = project(base, x, y);
    if (!p0) return [0, 0];
    // The first model weighs in with one inlier's worth everywhere: far from every part it holds.
    let w = 1e-3;
    let sx = 0;
    let sy = 0;
    for (const [n, piece] of pieces.entries()) {
      let e = 0;
      for (let m = 0; m < piece.at.length; m += 2)
        e += Math.exp(-(((piece.at[m] as number) - x) ** 2 + ((piece.at[m + 1] as number) - y) ** 2) * k);
      if (n === 0 || e === 0) {
        w += e;
        continue;
      }
      const p = project(piece.h, x, y);
      if (!p) continue;
      w += e;
      sx += e * (p[0] - p0[0]);
      sy += e * (p[1] - p0[1]);
    }
    return [sx / w, sy / w];
  });
}

/**
 * The field that moves `h` onto matched points (library `src` → query view `dst`, x, y pairs):
 * at each node, the matches' residuals from `h` fitted by a local linear regression weighted by a
 * Gaussian of sigma × the frame's longer side (trace-bend.ts), so that a turn or stretch that
 * grows across the matches carries on a little past them; its slope held back by `ridge` (a share
 * of the weights), and a node no match is near keeps `h`.
 */
export function matchField(
  h: Homography,
  src: Float64Array,
  dst: Float64Array,
  width: number,
  height: number,
  sigma: number,
  nodes: number,
  ridge: number,
): BendField {
  const s = sigma * Math.max(width, height);
  const n = src.length / 2;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    const p = project(h, src[2 * m] as number, src[2 * m + 1] as number);
    rx[m] = p ? (dst[2 * m] as number) - p[0] : 0;
    ry[m] = p ? (dst[2 * m + 1] as number) - p[1] : 0;
  }
  return gridField(width, height, nodes, (x, y) => {
    // Σ w [u v 1]ᵀ[u v 1] and Σ w [u v 1]ᵀ r, with u, v the match's offset from the node in sigmas.
    let sw = 1e-3;
    let su = 0;
    let sv = 0;
    let suu = 0;
    let suv = 0;
    let svv = 0;
    const bx = [0, 0, 0];
    const by = [0, 0, 0];
    for (let m = 0; m < n; m++) {
      const u = ((src[2 * m] as number) - x) / s;
      const v = ((src[2 * m + 1] as number) - y) / s;
      const w = Math.exp(-(u * u + v * v) / 2);
      if (w < 1e-12) continue;
      sw += w;
      su += w * u;
      sv += w * v;
      suu += w * u * u;
      suv += w * u * v;
      svv += w * v * v;
      const [ex, ey] = [w * (rx[m] as number), w * (ry[m] as number)];
      bx[0] = (bx[0] as number) + ex * u;
      bx[1] = (bx[1] as number) + ex * v;
      bx[2] = (bx[2] as number) + ex;
      by[0] = (by[0] as number) + ey * u;
      by[1] = (by[1] as number) + ey * v;
      by[2] = (by[2] as number) + ey;
    }
    const k = ridge * sw + 1e-6;
    // The constant terms (the residual at the node); none when the weights leave the fit singular.
    const fit = solve3x3([suu + k, suv, su, suv, svv + k, sv, su, sv, sw], [bx, by], 1e-12);
    return fit ? [fit[0]![2]!, fit[1]![2]!] : [0, 0];
  });
}

/** `sample` taken on a grid of `nodes` along the frame's longer side and read bilinearly. */
function gridField(width: number, height: number, nodes: number, sample: (x: number, y: number) => [number, number]): BendField {
  const step = Math.max(width, height) / Math.max(1, nodes - 1);
  const nx = Math.ceil(width / step) + 1;
  const ny = Math.ceil(height / step) + 1;
  const fx = new Float64Array(nx * ny);
  const fy = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) [fx[j * nx + i], fy[j * nx + i]] = sample(i * step, j * step);
  return (x, y) => {
    const u = Math.min(nx - 1, Math.max(0, x / step));
    const v = Math.min(ny - 1, Math.max(0, y / step));
    const i = Math.min(nx - 2, Math.floor(u));
    const j = Math.min(ny - 2, Math.floor(v));
    const a = u - i;
    const b = v - j;
    const at = (f: Float64Array) =>
      (f[j * nx + i] as number) * (1 - a) * (1 - b) +
      (f[j * nx + i + 1] as number) * a * (1 - b) +
      (f[(j + 1) * nx + i] as number) * (1 - a) * b +
      (f[(j + 1) * nx + i + 1] as number) * a * b;
    return [at(fx), at(fy)];
  };
}
