/** A verified region (shared/check.ts MatchedRegion) for tests of what is said about it: the whole of both images, unturned, 50 inliers, unless `extra` says otherwise. */
import type { MatchedRegion } from '../../shared/check.ts';

export const matchedRegion = (extra: Partial<MatchedRegion> = {}): MatchedRegion => ({
  query: { x: 0, y: 0, w: 1, h: 1 },
  match: { x: 0, y: 0, w: 1, h: 1 },
  outline: [],
  rotationDeg: 0,
  scale: 1,
  mirrored: false,
  inliers: 50,
  matchCoverage: 1,
  queryCoverage: 1,
  ...extra,
});
