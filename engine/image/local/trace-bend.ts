/**
 * A copy bent further than a few parts' models explain (a swirl, whose turn grows towards its
 * centre; an elastic field over the whole drawing; policy local.appearance.unlike.pieces.trace):
 * its field is traced outward from the consensus. Each round matches every library keypoint again
 * (guided matching, whatever its visual word) within `reach` of where the field so far puts it, with
 * its orientation turned as the field turns there; the matches whose residual from the field they
 * make is under `tolPx` make the next field (bend.ts matchField: each node's local linear
 * regression of the matches' residuals from the first model, Gaussian-weighted). Rounds stop when
 * one adds too few matches. Each round moves the field only by a match's reach, so a bent copy's
 * field follows its strokes from the part the consensus holds to the rest; a chance consensus's projections land on unrelated patches, whose
 * closest descriptors scatter and do not agree with their neighbours.
 */
import { type BendField, matchField } from './bend.ts';
import { type Warp, guidedMatches } from './guided.ts';
import { type Homography, project } from './homography.ts';
import { type LocalPolicy, guidedParams } from './model.ts';
import { type Putative, subset } from './putative.ts';
import type { LocalFeatureSet, LocalView } from './types.ts';

/** `h` moved by `field`: where it sends a library point, and its Jacobian there by central differences (one library pixel). */
export function bentWarp(h: Homography, field: BendField): Warp {
  const at = (x: number, y: number): [number, number] | null => {
    const p = project(h, x, y);
    if (!p) return null;
    const [dx, dy] = field(x, y);
    return [p[0] + dx, p[1] + dy];
  };
  return {
    at,
    local: (x, y) => {
      const c = at(x, y);
      const l = at(x - 1, y);
      const r = at(x + 1, y);
      const u = at(x, y - 1);
      const d = at(x, y + 1);
      if (!c || !l || !r || !u || !d) return null;
      const a = (r[0] - l[0]) / 2;
      const b = (d[0] - u[0]) / 2;
      const cc = (r[1] - l[1]) / 2;
      const dd = (d[1] - u[1]) / 2;
      return [a, b, cc, dd, c[0] - a * x - b * y, c[1] - cc * x - dd * y];
    },
  };
}

/** Cells of a 3 × 3 split of the `width` × `height` library frame holding at least two of the points (x, y pairs). */
export function cellsHeld(src: Float64Array, width: number, height: number): number {
  const n = new Array<number>(9).fill(0);
  for (let m = 0; m < src.length; m += 2) {
    const c =
      Math.min(2, Math.floor((3 * (src[m] as number)) / width)) * 3 + Math.min(2, Math.floor((3 * (src[m + 1] as number)) / height));
    n[c] = (n[c] as number) + 1;
  }
  return n.filter((k) => k >= 2).length;
}

/**
 * The field of a copy bent by a non-rigid warp, traced from the consensus (`h`, its `inliers` in
 * `put`) over the query's `view` (the frame the model maps into), with the matches that make it and
 * the cells of the library frame they hold; null when the trace is off or never grows past the
 * consensus.
 */
export function traceBend(
  h: Homography,
  put: Putative,
  inliers: readonly number[],
  query: LocalFeatureSet,
  view: LocalView,
  candidate: LocalFeatureSet,
  policy: LocalPolicy,
): { field: BendField; matches: number; cells: number } | null {
  const s = policy.appearance.unlike.pieces;
  const t = s.trace;
  if (t.rounds < 1) return null;
  const side = Math.max(query.width, query.height);
  const tol2 = t.tolPx * t.tolPx;
  const fieldOf = (m: Putative) => matchField(h, m.src, m.dst, candidate.width, candidate.height, t.sigma, s.nodes, t.ridge);
  let held = subset(put, inliers);
  let field = fieldOf(held);
  let grown = false;
  for (let round = 0; round < t.rounds; round++) {
    const wide = guidedMatches(bentWarp(h, field), view, candidate.primary, { ...guidedParams(policy), radiusPx: t.reach * side });
    // The matches that agree with the field they make together: a chance match's residual stands alone.
    const near = bentWarp(h, fieldOf(wide));
    const keep: number[] = [];
    for (let i = 0; i < wide.count; i++) {
      const p = near.at(wide.src[2 * i] as number, wide.src[2 * i + 1] as number);
      if (p && (p[0] - (wide.dst[2 * i] as number)) ** 2 + (p[1] - (wide.dst[2 * i + 1] as number)) ** 2 <= tol2) keep.push(i);
    }
    if (keep.length < t.minGain * held.count) break;
    held = subset(wide, keep);
    field = fieldOf(held);
    grown = true;
  }
  if (!grown) return null;
  return { field, matches: held.count, cells: cellsHeld(held.src, candidate.width, candidate.height) };
}
