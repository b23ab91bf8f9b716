/**
 * From the evidence gathered per candidate to the check's result: each candidate scored into a
 * Match (scoring.ts), matches ranked (copies first), the changed fields listed, the verdict decided
 * (decision.ts) and every layer's state reported — which ran, which were skipped and why.
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { CheckResult, LayerName, LayerRun, Match } from '../../shared/check.ts';
import { decideStatus } from '../decision.ts';
import type { AssetFingerprints } from '../fingerprints.ts';
import { scoreMatch } from '../scoring.ts';
import type { VectorSpace } from '../semantic/types.ts';
import type { UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { changedFields } from '../text/metadata.ts';
import type { CheckContext } from './context.ts';

/** Scores and ranks the candidates; the best `policy.topK` with their changed fields filled in. */
export function rankMatches(ctx: CheckContext, selfCreatorIds: readonly string[], creatorId: string): Match[] {
  const matches: Match[] = [];
  const cardOfMatch = new Map<string, AssetCard>();
  for (const [rowid, a] of ctx.evidence) {
    const e = ctx.entryOf(rowid);
    if (!e) continue;
    const m = scoreMatch(e, a, ctx.fp, ctx.policy);
    if (m.copySignals.length || m.derivativeSignals?.length || m.combined >= 0.3) {
      matches.push(m);
      cardOfMatch.set(m.assetId, e.card);
    }
  }
  // Copies first — an identical file, pixels or card before any other copy (the strongest
  // evidence leads the verdict) — then by combined score; among equals (several library images
  // share artwork) the one with more verified keypoints, then the closer global hash, is the
  // likelier source.
  matches.sort(strongerFirst);
  const top = matches.slice(0, ctx.policy.topK);
  const self = new Set(selfCreatorIds);
  for (const m of top) {
    if (self.has(m.creatorId)) m.creatorId = creatorId;
    const other = cardOfMatch.get(m.assetId);
    if (other) m.differences.fields = changedFields(ctx.card, other);
  }
  return top;
}

const identical = (m: Match) => m.copySignals.some((s) => s.startsWith('identical '));

/** The order of a check's matches: copies first, identical ones first among them, then derivatives by their signals, then by combined score, verified keypoints, global likeness. */
export function strongerFirst(x: Match, y: Match): number {
  return (
    Number(y.copySignals.length > 0) - Number(x.copySignals.length > 0) ||
    Number(identical(y)) - Number(identical(x)) ||
    Number(Boolean(y.derivativeSignals?.length)) - Number(Boolean(x.derivativeSignals?.length)) ||
    y.combined - x.combined ||
    (y.region?.inliers ?? 0) - (x.region?.inliers ?? 0) ||
    (y.layers.visual ?? 0) - (x.layers.visual ?? 0)
  );
}

/**
 * One check's result joined with another's over a second index (the marketplace's submissions in
 * review): the matches of both in one ranking (an asset matched in both keeps the first result's
 * match), the best `policy.topK` kept, and the verdict decided again over them.
 */
export function joinResults(first: CheckResult, second: CheckResult, creatorId: string, pol: UniquenessPolicy): CheckResult {
  const seen = new Set(first.matches.map((m) => m.assetId));
  const top = [...first.matches, ...second.matches.filter((m) => !seen.has(m.assetId))].sort(strongerFirst).slice(0, pol.topK);
  return {
    ...first,
    ...decideStatus(top, creatorId, pol),
    matches: top,
    elapsedMs: Math.round((first.elapsedMs + second.elapsedMs) * 10) / 10,
    compared: (first.compared ?? 0) + (second.compared ?? 0),
  };
}

/** Which layers ran for this query, and why the others did not. */
export function layerStates(fp: AssetFingerprints, card: AssetCard): Record<LayerName, LayerRun> {
  const sem = (s: VectorSpace): LayerRun => fp.semantic[s] ?? { state: 'unavailable' };
  return {
    exact: { state: 'ran' },
    visual: fp.image ? { state: 'ran' } : { state: 'skipped', reason: 'no image' },
    local: !fp.image
      ? { state: 'skipped', reason: 'no image' }
      : fp.local
        ? { state: 'ran' }
        : { state: 'unavailable', reason: `local features could not be extracted: ${fp.localError ?? 'unknown error'}` },
    text: { state: 'ran' },
    passage: { state: 'ran' },
    code: fp.code ? { state: 'ran' } : { state: 'skipped', reason: `not a module or room template (${card.asset_type})` },
    semantic_image: sem('clip_image'),
    semantic_text: sem('bge_text'),
    media: fp.media ? { state: 'ran' } : { state: 'skipped', reason: 'no audio or video file' },
  };
}

/** The result of a check from its ranked matches. */
export function checkResult(ctx: CheckContext, top: Match[], creatorId: string, t0: number): CheckResult {
  const pol = ctx.policy;
  return {
    ...decideStatus(top, creatorId, pol),
    layers: layerStates(ctx.fp, ctx.card),
    matches: top,
    metadataHash: ctx.fp.metadataHash,
    policyVersion: pol.version,
    elapsedMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}
