/**
 * The parts of a copy bent by a non-rigid warp (an elastic field, a grid distortion; policy
 * local.appearance.unlike.pieces): one homography explains only the part of such a copy where the
 * warp is nearly projective, so the other parts are sought as models of their own that stay near
 * the first (bentParts), and the query is seen through all of them (seenBent; bend.ts blends the
 * parts' models into one field). Verification (verify.ts) asks it before refusing a consensus as
 * unlike the drawing, and as a weak consensus's last chance.
 */
import { type Appearance, appearance } from './appearance.ts';
import { type BendField, type Piece, piecewiseField } from './bend.ts';
import { guidedMatches } from './guided.ts';
import { type Homography, angleGap, inliersH, localAffine, project, scaleOf, turnOf } from './homography.ts';
import { type Consensus, type LocalPolicy, centroid, fitModel, guidedParams, mirroredBend, turnedAlike, unmirrored } from './model.ts';
import { type Putative, subset } from './putative.ts';
import { cellsHeld, traceBend } from './trace-bend.ts';
import type { LocalFeatureSet, LocalView } from './types.ts';

/** Cells of a 3 × 3 split of the library frame holding at least two of the parts' inliers. */
function cellsOf(parts: readonly Piece[], candidate: LocalFeatureSet): number {
  const at = new Float64Array(parts.reduce((n, p) => n + p.at.length, 0));
  let o = 0;
  for (const p of parts) {
    at.set(p.at, o);
    o += p.at.length;
  }
  return cellsHeld(at, candidate.width, candidate.height);
}

/**
 * The parts of a copy bent by a non-rigid warp (policy appearance.unlike.pieces): the consensus
 * first, then, one after the other among the putative matches no part holds yet, models of at
 * least pieces.minInliers orientation-agreeing inliers that stay near the first model where their
 * inliers lie — turned by at most maxTurnDeg from it, scaled by at most maxLogScale (natural log),
 * and placing their inliers' centre within maxShift of the query view's longer side of where the
 * first model does. Null unless at least minParts parts together hold at least minCells of a 3 × 3
 * split of the library frame (two of their inliers each): a consensus on one shared detail — the
 * same lettering under two different drawings — leaves no other part that agrees with it. When the
 * putative matches hold too few parts and the query's `view` is given, the parts are sought again
 * among guided matches within pieces.reach of the view's longer side of where the first model puts
 * each library keypoint.
 */
function bentParts(
  best: Pick<Consensus, 'h' | 'inliers' | 'put'>,
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy,
  trace?: (why: string) => void,
  view?: LocalView,
): Piece[] | null {
  const s = policy.appearance.unlike.pieces;
  if (s.maxParts < 2) return null;
  const side = Math.max(query.width, query.height);
  const enough = (parts: Piece[]): boolean => parts.length >= s.minParts && cellsOf(parts, candidate) >= s.minCells;
  const say = (how: string, parts: Piece[]): void =>
    trace?.(`parts (${how}) ${parts.map((p) => p.at.length / 2).join('+')} over ${cellsOf(parts, candidate)} cells`);
  const found = partsAmong(best.put, best.inliers, best.h, candidate, policy, side);
  say('putative', found);
  if (enough(found)) return found;
  // The matches near where the first model puts each library keypoint hold only the part of a bent
  // copy it explains; further parts lie further off. Matched again within reach of it (pieces.reach
  // of the view's longer side), whatever their visual word, the others may gather their own.
  if (!view || s.reach <= 0) return null;
  const wide = guidedMatches(best.h, view, candidate.primary, { ...guidedParams(policy), radiusPx: s.reach * side });
  // The first part holds the wide matches its model already explains.
  const held = inliersH(best.h, wide.src, wide.dst, policy.inlierPx);
  const more = partsAmong(wide, held, best.h, candidate, policy, side, found[0]);
  say(`guided within ${Math.round(s.reach * side)} px`, more);
  return enough(more) ? more : null;
}

/**
 * bentParts' search among one set of matches: the first part (the consensus: `first`, or its
 * inliers `held` in `put`), then one model after the other among the matches no part holds yet.
 */
function partsAmong(
  put: Putative,
  held0: readonly number[],
  h: Homography,
  candidate: LocalFeatureSet,
  policy: LocalPolicy,
  side: number,
  first?: Piece,
): Piece[] {
  const s = policy.appearance.unlike.pieces;
  const pointsOf = (idx: readonly number[]) =>
    Float64Array.from(idx.flatMap((i) => [put.src[2 * i] as number, put.src[2 * i + 1] as number]));
  const parts: Piece[] = [first ?? { h, at: pointsOf(held0) }];
  const held = new Set(held0);
  while (parts.length < s.maxParts) {
    const rest = Array.from({ length: put.count }, (_, i) => i).filter((i) => !held.has(i));
    if (rest.length < s.minInliers) break;
    const sub = subset(put, rest);
    const model = fitModel(sub, candidate, policy);
    if (!model) break;
    const inliers = turnedAlike(model, sub, policy);
    if (inliers.length < s.minInliers) break;
    const [cx, cy] = centroid(sub.src, inliers);
    const a = localAffine(h, cx, cy);
    const b = localAffine(model.h, cx, cy);
    const pa = project(h, cx, cy);
    const pb = project(model.h, cx, cy);
    if (!a || !b || !pa || !pb) break;
    const near =
      angleGap(turnOf(a), turnOf(b)) <= s.maxTurnDeg &&
      Math.abs(Math.log(scaleOf(b) / scaleOf(a))) <= s.maxLogScale &&
      Math.hypot(pa[0] - pb[0], pa[1] - pb[1]) <= s.maxShift * side;
    if (!near) break;
    const idx = inliers.map((j) => rest[j] as number);
    for (const i of idx) held.add(i);
    parts.push({ h: model.h, at: pointsOf(idx) });
  }
  return parts;
}

/**
 * The query seen through the parts of a copy bent by a non-rigid warp (bentParts; bend.ts: each
 * part's model near its inliers), both images smoothed by pieces.smooth sketch pixels — the parts
 * leave a bent copy's strokes a pixel or two off — with how it was seen; null without them. When
 * that does not look `good` (or no parts were found), the field traced from the consensus
 * (trace-bend.ts, pieces.trace) is asked too, if its matches hold at least minCells of the library
 * frame and number at least trace.minMatches; the better-looking of the two is returned, `traced`
 * when it is the traced field's (which bends freely enough to lift a chance likeness: the caller
 * holds it to a weak consensus's bars). `rigid`: the query seen through the first model alone,
 * smoothed alike — where that looks as good, the smoothing saw the copy, not the bend, and the
 * caller does not name it bent (a halftone's dots, whose parts fit noise).
 */
export function seenBent(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  best: Pick<Consensus, 'h' | 'inliers' | 'put'>,
  mirrored: boolean,
  view: LocalView | undefined,
  policy: LocalPolicy,
  good: (looks: Appearance) => boolean,
  trace?: (why: string) => void,
): { looks: Appearance; how: string; traced: boolean; rigid: () => Appearance | null } | null {
  const s = policy.appearance.unlike.pieces;
  const through = (field: BendField) =>
    appearance(query, candidate, unmirrored(query, best.h, mirrored), policy.appearance, {
      field: mirrored ? mirroredBend(field) : field,
      sigma: s.smooth,
    });
  const rigid = () => through(() => [0, 0]);
  const parts = bentParts(best, query, candidate, policy, trace, view);
  const looks = parts && through(piecewiseField(parts, candidate.width, candidate.height, s.sigma, s.nodes));
  const byParts = parts && looks ? { looks, how: `bent over ${parts.length} parts`, traced: false, rigid } : null;
  if ((byParts && good(byParts.looks)) || !view) return byParts;
  const traced = traceBend(best.h, best.put, best.inliers, query, view, candidate, policy);
  if (!traced) return byParts;
  trace?.(`traced ${traced.matches} matches over ${traced.cells} cells`);
  if (traced.cells < s.minCells || traced.matches < s.trace.minMatches) return byParts;
  const seen = through(traced.field);
  return seen && (!byParts || seen.score > byParts.looks.score)
    ? { looks: seen, how: `bent along ${traced.matches} traced matches`, traced: true, rigid }
    : byParts;
}
