/**
 * One query view's consensus model against a library image, shared by verification (verify.ts)
 * and the search for a bent copy's parts (bent-parts.ts): the affine RANSAC fit grown into a
 * homography when that explains more matches (fitModel), the inliers whose keypoint orientations
 * turned as the model turns (turnedAlike), guided matching's limits from the policy, and the maps
 * between a query's mirrored view and its own frame.
 */
import type { UniquenessPolicy } from '../../../shared/policy/uniqueness.ts';
import { type Pt } from './geometry.ts';
import { type Homography, angleGap, fromAffine, inliersH, localAffine, multiply, refineHomography, turnOf } from './homography.ts';
import type { Putative } from './putative.ts';
import { ransacAffine } from './ransac.ts';
import type { BendField } from './bend.ts';
import type { GuidedParams } from './guided.ts';
import type { LocalFeatureSet } from './types.ts';

export type LocalPolicy = UniquenessPolicy['local'];

/** Keypoint orientation change (degrees, image coordinates) that the model implies at library point i. */
function turnAt(h: Homography, put: Putative, i: number): number {
  const a = localAffine(h, put.src[2 * i] as number, put.src[2 * i + 1] as number);
  return a ? turnOf(a) : NaN;
}

/** The mean position of the points of `xy` at `idx`. */
export function centroid(xy: Float64Array, idx: readonly number[]): Pt {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += xy[2 * i] as number;
    y += xy[2 * i + 1] as number;
  }
  return [x / idx.length, y / idx.length];
}

/**
 * The model for one view: the affine RANSAC consensus, grown into a homography (homography.ts)
 * when one explains more of the matches (a copy seen in perspective), or null.
 */
export function fitModel(put: Putative, candidate: LocalFeatureSet, policy: LocalPolicy): { h: Homography; inliers: number[] } | null {
  const r = ransacAffine(put.src, put.dst, {
    tolerance: policy.inlierPx,
    iterations: policy.iterations,
    scaleRange: policy.scaleRange,
    maxAnisotropy: policy.maxAnisotropy,
  });
  if (!r) return null;
  let model = { h: fromAffine(r.model), inliers: r.inliers };
  if (policy.maxDepthRatio > 1 && r.inliers.length >= policy.minInliers / 2) {
    // Seed with the matches near the affine model (perspective bends them away from it towards the
    // far side of the copy), then keep what the homography explains within the tolerance.
    const seed = inliersH(model.h, put.src, put.dst, 2 * policy.inlierPx);
    const g = refineHomography(put.src, put.dst, seed, policy.inlierPx, {
      width: candidate.width,
      height: candidate.height,
      maxDepthRatio: policy.maxDepthRatio,
    });
    if (g && g.inliers.length > r.inliers.length) model = g;
  }
  return model;
}

/** A model that passed every acceptance gate, with its inliers (indices into `put`). */
export interface Consensus {
  h: Homography;
  inliers: number[];
  put: Putative;
  spots: number;
  interior: number;
}

/** Inliers of `model` whose ORB angle turned by the model's local rotation (image coordinates, as OpenCV measures keypoint angles). */
export function turnedAlike(model: { h: Homography; inliers: number[] }, put: Putative, policy: LocalPolicy): number[] {
  return model.inliers.filter((i) => angleGap(put.turn[i] as number, turnAt(model.h, put, i)) <= policy.angleTolerance);
}

/** Guided matching's limits (guided.ts) from the policy. */
export const guidedParams = (policy: LocalPolicy): GuidedParams => ({
  radiusPx: policy.guided.radiusPx,
  maxHamming: policy.guided.maxHamming,
  angleTolerance: policy.angleTolerance,
  sizeTolerance: policy.guided.sizeTolerance,
  ratio: policy.guided.ratio,
});

/** The left-right flip of a frame `width` pixels wide (x → width − x). */
export function flipX(width: number): Homography {
  return [-1, 0, width, 0, 1, 0, 0, 0, 1];
}

/** The query's own (unmirrored) frame from a model fitted on its mirrored view. */
export function unmirrored(query: LocalFeatureSet, h: Homography, mirrored: boolean): Homography {
  return mirrored ? multiply(flipX(query.width), h) : h;
}

/** A field estimated in the mirrored view's frame, as a displacement in the query's own (x runs the other way). */
export function mirroredBend(f: BendField): BendField {
  return (x, y) => {
    const [dx, dy] = f(x, y);
    return [-dx, dy];
  };
}
