/**
 * Re-ranking the inverted file's shortlist by weak geometric consistency (Jégou, Douze & Schmid,
 * "Hamming embedding and weak geometric consistency", ECCV 2008): a copy's putative matches turn
 * by one angle (the copy's rotation) and scale their keypoints by one factor (the copy's scale),
 * chance matches by any. The score of a library image is the largest number of its putative
 * matches whose orientation change falls in two adjacent bins of `binDeg` and whose log2 size
 * change falls in two adjacent bins of `zoomBin` (0: orientation only), over the query's views
 * (plain and mirrored). It costs one putative matching per image
 * and no RANSAC, so it can look further down the inverted file's list than verification can: a
 * blurred or re-encoded copy shares few exact visual words (ranked low) but still many descriptors
 * under the same coarser vocabulary node, agreeing in their turn.
 */
import { type Vocabulary } from './vocab.ts';
import { groupedView, matchGrouped } from './putative.ts';
import type { LocalFeatureSet } from './types.ts';
import type { LocalPolicy } from './verify.ts';

/** log2 size changes beyond ±ZOOM_SPAN fall into the end bins (the accepted scales span ±2.7). */
const ZOOM_SPAN = 4;

/**
 * The largest count of putative matches agreeing in orientation change (two adjacent bins of
 * binDeg) and, when zoomBin > 0, in log2 size change (two adjacent bins of zoomBin), over the
 * query's views.
 */
export function turnAgreement(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy,
  vocab: Vocabulary,
  binDeg: number,
  zoomBin = 0,
): number {
  const bins = Math.max(1, Math.round(360 / binDeg));
  const zbins = zoomBin > 0 ? Math.max(1, Math.ceil((2 * ZOOM_SPAN) / zoomBin)) : 1;
  const hist = new Uint32Array(bins * zbins);
  const lib = groupedView(vocab, candidate.primary, policy.matchLevel);
  const aw = bins > 1 ? 2 : 1;
  const zw = zbins > 1 ? 2 : 1;
  let best = 0;
  for (const view of query.mirror ? [query.primary, query.mirror] : [query.primary]) {
    const put = matchGrouped(groupedView(vocab, view, policy.matchLevel), lib, policy);
    hist.fill(0);
    for (let i = 0; i < put.count; i++) {
      const t = (((put.turn[i] as number) % 360) + 360) % 360;
      const b = Math.min(bins - 1, Math.floor(t / (360 / bins)));
      const z = zbins > 1 ? Math.max(0, Math.min(zbins - 1, Math.floor(((put.zoom[i] as number) + ZOOM_SPAN) / zoomBin))) : 0;
      hist[b * zbins + z] = (hist[b * zbins + z] as number) + 1;
    }
    // Two adjacent bins each way (orientation wraps around; size does not).
    for (let b = 0; b < bins; b++)
      for (let z = 0; z + zw <= zbins; z++) {
        let n = 0;
        for (let db = 0; db < aw; db++) for (let dz = 0; dz < zw; dz++) n += hist[((b + db) % bins) * zbins + z + dz] as number;
        best = Math.max(best, n);
      }
  }
  return best;
}

/**
 * The `take` library images of `rest` (ranked below the verified head of the inverted file's list)
 * with the most orientation- (and size-) agreeing putative matches, best first; images whose stored features
 * cannot be read, or with none agreeing, are left out.
 */
export function rerankByTurn<T extends { rowid: number }>(
  query: LocalFeatureSet,
  rest: readonly T[],
  stored: (rowid: number) => LocalFeatureSet | null,
  policy: LocalPolicy,
  vocab: Vocabulary,
  take: number,
  binDeg: number,
  zoomBin = 0,
): T[] {
  if (take <= 0 || !rest.length) return [];
  const scored: { c: T; s: number }[] = [];
  for (const c of rest) {
    const lib = stored(c.rowid);
    if (!lib) continue;
    const s = turnAgreement(query, lib, policy, vocab, binDeg, zoomBin);
    if (s > 0) scored.push({ c, s });
  }
  scored.sort((a, b) => b.s - a.s || a.c.rowid - b.c.rowid);
  return scored.slice(0, take).map((x) => x.c);
}
