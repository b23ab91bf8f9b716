/**
 * Geometric verification of a candidate: descriptors matched under shared vocabulary nodes (Hamming
 * distance, Lowe's ratio test, one match per library keypoint), an affine model found by RANSAC for
 * the query as decoded and for its mirrored view, and acceptance only when enough matches agree
 * (count, share of putative matches, and spread over both images). Both images must carry enough
 * information (info.ts) or nothing is verified.
 */
import type { MatchedRegion, NormBox } from '../../../shared/check.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../../shared/policy/uniqueness.ts';
import { type Pt, bbox, clipToRect, polygonArea } from './geometry.ts';
import { type Putative, groupByNode, groupedQuery, matchGrouped } from './putative.ts';
import { type Affine, ransacAffine } from './ransac.ts';
import type { LocalFeatureSet, LocalView } from './types.ts';
import type { Vocabulary } from './vocab.ts';

export { type Putative, putativeMatches } from './putative.ts';
import { loadVocabulary } from './vocab-file.ts';

export type LocalPolicy = UniquenessPolicy['local'];

export interface LocalMatch {
  region: MatchedRegion;
  /** 0..1: grows with the inliers above the minimum and with the inlier share. */
  confidence: number;
  /** Putative descriptor matches before RANSAC. */
  putative: number;
  /** The affine map from the library image's working frame onto the query's working frame. */
  affine: Affine;
}

function apply(m: Affine, p: Pt): Pt {
  return [m[0] * p[0] + m[1] * p[1] + m[4], m[2] * p[0] + m[3] * p[1] + m[5]];
}

function invert(m: Affine): Affine {
  const [a, b, c, d, tx, ty] = m;
  const det = a * d - b * c;
  const ia = d / det,
    ib = -b / det,
    ic = -c / det,
    id = a / det;
  return [ia, ib, ic, id, -(ia * tx + ib * ty), -(ic * tx + id * ty)];
}

/** Area of the inliers' bounding box as a share of the frame. */
function spreadOf(xy: Float64Array, idx: number[], w: number, h: number): number {
  const pts = idx.map((i) => [xy[2 * i] as number, xy[2 * i + 1] as number] as Pt);
  const b = bbox(pts);
  return (b.w * b.h) / (w * h);
}

/** Working-frame pixels → fractions of the original image (the frame is the trimmed rectangle). */
function toOriginal(set: LocalFeatureSet, p: Pt): Pt {
  return [set.frame.x + (p[0] / set.width) * set.frame.w, set.frame.y + (p[1] / set.height) * set.frame.h];
}
/** The original image's corners in working-frame pixels. */
function originalCorners(set: LocalFeatureSet): Pt[] {
  const f = set.frame;
  const X = (fx: number): number => ((fx - f.x) / f.w) * set.width;
  const Y = (fy: number): number => ((fy - f.y) / f.h) * set.height;
  return [
    [X(0), Y(0)],
    [X(1), Y(0)],
    [X(1), Y(1)],
    [X(0), Y(1)],
  ];
}

function boxOf(set: LocalFeatureSet, poly: Pt[]): { box: NormBox; area: number } {
  const orig = poly.map((p) => toOriginal(set, p));
  const clipped = clipToRect(orig, 1, 1);
  return { box: bbox(clipped), area: polygonArea(clipped) };
}

/** Verifies that `candidate` (a library image) appears in `query`; null when it does not. */
export function verify(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy = UNIQUENESS_POLICY.local,
  vocab: Vocabulary = loadVocabulary(),
): LocalMatch | null {
  if (query.info.score < policy.minInfo || candidate.info.score < policy.minInfo) return null;
  let best: { mirrored: boolean; model: Affine; inliers: number[]; put: Putative } | null = null;
  const views: [LocalView, boolean][] = [[query.primary, false]];
  if (query.mirror) views.push([query.mirror, true]);
  // The candidate's keypoints are grouped by vocabulary node once, for both query views.
  const lib = groupByNode(vocab, candidate.primary, policy.matchLevel);
  for (const [view, mirrored] of views) {
    const put = matchGrouped(groupedQuery(vocab, view, policy.matchLevel), lib, policy);
    if (put.count < policy.minInliers) continue;
    const r = ransacAffine(put.src, put.dst, {
      tolerance: policy.inlierPx,
      iterations: policy.iterations,
      scaleRange: policy.scaleRange,
      maxAnisotropy: policy.maxAnisotropy,
    });
    if (!r) continue;
    // Chance consensus rarely also agrees on keypoint orientation: keep the inliers whose ORB angle
    // turned by the model's rotation (in image coordinates, as OpenCV measures keypoint angles).
    const turn = (Math.atan2(r.model[2], r.model[0]) * 180) / Math.PI;
    r.inliers = r.inliers.filter((i) => Math.abs((((((put.turn[i] as number) - turn) % 360) + 540) % 360) - 180) <= policy.angleTolerance);
    if (r.inliers.length < policy.minInliers || r.inliers.length / put.count < policy.minInlierRatio) continue;
    if (spreadOf(put.src, r.inliers, candidate.width, candidate.height) < policy.minInlierArea) continue;
    if (
      spreadOf(put.dst, r.inliers, query.width, query.height) <
      policy.minInlierArea * (r.model[0] * r.model[3] - r.model[1] * r.model[2])
    )
      continue;
    if (!best || r.inliers.length > best.inliers.length) best = { mirrored, model: r.model, inliers: r.inliers, put };
  }
  if (!best) return null;
  const m = best.model;
  // Rotation and scale of the copy (after undoing the mirror), counter-clockwise on screen (y down).
  const rotationDeg = (Math.atan2(-m[2], m[0]) * 180) / Math.PI;
  const scale = Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
  // The map from library frame to the query's own (unmirrored) frame.
  const toQuery: Affine = best.mirrored ? [-m[0], -m[1], m[2], m[3], query.width - m[4], m[5]] : m;
  const outlineQ = originalCorners(candidate).map((p) => apply(toQuery, p));
  const q = boxOf(query, outlineQ);
  const back = invert(toQuery);
  const l = boxOf(
    candidate,
    originalCorners(query).map((p) => apply(back, p)),
  );
  const inliers = best.inliers.length;
  const ratio = inliers / best.put.count;
  const confidence =
    (1 - Math.exp((-3 * (inliers - policy.minInliers + 1)) / policy.confidentInliers)) * Math.min(1, ratio / (2 * policy.minInlierRatio));
  return {
    region: {
      query: q.box,
      match: l.box,
      outline: outlineQ.map((p) => toOriginal(query, p)),
      rotationDeg,
      scale,
      mirrored: best.mirrored,
      inliers,
      matchCoverage: l.area,
      queryCoverage: q.area,
    },
    confidence,
    putative: best.put.count,
    affine: toQuery,
  };
}
