/**
 * A copy bent by a non-rigid warp (an elastic field, a grid distortion, a lens): several local
 * models, each fitted to one part of the drawing (verify.ts finds them one after the other among
 * the putative matches), blended into one displacement field from the first model, so that the
 * appearance check (appearance.ts) can see the query through all of them at once. Near a part's
 * inliers its own model holds; between parts the models blend by the Gaussian-weighted share of
 * each part's inliers around that point. The field is computed on a coarse grid of the library frame
 * and read bilinearly.
 */
import { type Homography, project } from './homography.ts';

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
  const s = sigma * side;
  const k = 1 / (2 * s * s);
  const step = side / Math.max(1, nodes - 1);
  const nx = Math.ceil(width / step) + 1;
  const ny = Math.ceil(height / step) + 1;
  const fx = new Float64Array(nx * ny);
  const fy = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const x = i * step;
      const y = j * step;
      const p0 = project(base, x, y);
      if (!p0) continue;
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
      fx[j * nx + i] = sx / w;
      fy[j * nx + i] = sy / w;
    }
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
