/**
 * Re-ranking the inverted file's shortlist by weak geometric consistency (Jégou, Douze & Schmid,
 * "Hamming embedding and weak geometric consistency", ECCV 2008): a copy's putative matches turn
 * by one angle (the copy's rotation), chance matches by any. The score of a library image is the
 * largest number of its putative matches whose orientation change falls in two adjacent bins of
 * `binDeg`, over the query's views (plain and mirrored). It costs one putative matching per image
 * and no RANSAC, so it can look further down the inverted file's list than verification can: a
 * blurred or re-encoded copy shares few exact visual words (ranked low) but still many descriptors
 * under the same coarser vocabulary node, agreeing in their turn.
 */
import { type Vocabulary } from './vocab.ts';
import { groupedView, matchGrouped } from './putative.ts';
import type { LocalFeatureSet } from './types.ts';
import type { LocalPolicy } from './verify.ts';

/** The largest count of putative matches agreeing in orientation change (two adjacent bins of binDeg), over the query's views. */
export function turnAgreement(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy,
  vocab: Vocabulary,
  binDeg: number,
): number {
  const bins = Math.max(1, Math.round(360 / binDeg));
  const hist = new Uint32Array(bins);
  const lib = groupedView(vocab, candidate.primary, policy.matchLevel);
  let best = 0;
  for (const view of query.mirror ? [query.primary, query.mirror] : [query.primary]) {
    const put = matchGrouped(groupedView(vocab, view, policy.matchLevel), lib, policy);
    hist.fill(0);
    for (let i = 0; i < put.count; i++) {
      const t = (((put.turn[i] as number) % 360) + 360) % 360;
      const b = Math.min(bins - 1, Math.floor(t / (360 / bins)));
      hist[b] = (hist[b] as number) + 1;
    }
    for (let b = 0; b < bins; b++) best = Math.max(best, (hist[b] as number) + (bins > 1 ? (hist[(b + 1) % bins] as number) : 0));
  }
  return best;
}

/**
 * The `take` library images of `rest` (ranked below the verified head of the inverted file's list)
 * with the most orientation-agreeing putative matches, best first; images whose stored features
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
): T[] {
  if (take <= 0 || !rest.length) return [];
  const scored: { c: T; s: number }[] = [];
  for (const c of rest) {
    const lib = stored(c.rowid);
    if (!lib) continue;
    const s = turnAgreement(query, lib, policy, vocab, binDeg);
    if (s > 0) scored.push({ c, s });
  }
  scored.sort((a, b) => b.s - a.s || a.c.rowid - b.c.rowid);
  return scored.slice(0, take).map((x) => x.c);
}
