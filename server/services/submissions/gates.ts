/**
 * The pure steps of a submission (no I/O): the card's schema, whether a media file fits the asset
 * type, the verdict gates (a copy of one's own listing, an undeclared derivative), what holds it for
 * a human, the similarity rows stored for review, and the check as creators see it.
 */
import { type AssetCard, parseAssetCard } from '../../../engine/cards.ts';
import { ApiError } from '../../../shared/api.ts';
import { cardIssues } from '../../../shared/errors.ts';
import type { CheckResult, Match } from '../../../shared/check.ts';
import { isCopy } from '../../../shared/matches.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../../shared/policy/uniqueness.ts';
import { copiesOf, ownPartReuseAllowed, partOnly } from '../../../engine/decision.ts';
import type { SimilarityInsert } from '../../repos/submissions.ts';

export interface BlocklistHit {
  list: string;
  label: string;
  signals: string[];
}

export function parseCard(raw: unknown): AssetCard {
  const r = parseAssetCard(raw);
  if (!r.ok) throw new ApiError('invalid_card', r.message, `card.${r.field}`, 400, cardIssues(r));
  return r.card;
}

/** An audio or video file belongs to a "media" asset only. */
export function assertMediaFits(card: AssetCard, hasMedia: boolean): void {
  if (hasMedia && card.asset_type !== 'media')
    throw new ApiError(
      'invalid_input',
      `media: an audio or video file belongs to a "media" asset, not a "${card.asset_type}"`,
      'media',
      400,
    );
}

/** A declared parent must be another creator's live published asset. */
export function assertParent(
  parent: { creator_id: string; published_version: number | null; status: string } | undefined,
  userId: string,
): void {
  if (!parent || parent.published_version === null || parent.status === 'taken_down')
    throw new ApiError('parent_not_found', 'the declared parent is not a published asset', 'parentAssetId', 400);
  if (parent.creator_id === userId)
    throw new ApiError(
      'own_parent',
      'a derivative of your own asset is an update: submit a new version of it instead',
      'parentAssetId',
      400,
    );
}

/**
 * Refuses a copy of the creator's own listing (unless it reuses only part of it and the policy
 * allows that: `ownPartReuse`, as the studio advised), and a close derivative of another creator's
 * asset that does not declare its parent.
 */
export function verdictGate(
  check: CheckResult,
  parentId: string | undefined,
  userId: string,
  pol: UniquenessPolicy = UNIQUENESS_POLICY,
): void {
  if (check.status === 'duplicate_self' && !ownPartReuseAllowed(check.matches, pol)) {
    // Named: the asset copied whole, where one is among the parts reused.
    const copies = copiesOf(check.matches, pol);
    const m = copies.find((c) => !partOnly(c, pol)) ?? copies[0] ?? check.matches[0];
    throw new ApiError(
      'duplicate_self',
      m?.pending
        ? `this is a copy of your asset '${m.name}', which is waiting for review: wait for its review and update it then, or withdraw it and submit this one instead`
        : `this is a copy of your published asset '${m?.name}': update that asset instead of creating a duplicate`,
      'card',
      409,
      { existingAssetId: m?.assetId, check: summarize(check) },
    );
  }
  if (check.status === 'derivative_potential' && !parentId) {
    throw new ApiError(
      'derivative_potential',
      'this is close to another creator’s asset: resubmit declaring it as the parent (its creator receives a royalty), or change it further',
      'parentAssetId',
      409,
      {
        candidates: check.matches
          .filter((m) => m.creatorId !== userId)
          .map((m) => ({ assetId: m.assetId, name: m.name, combined: m.combined })),
        check: summarize(check),
      },
    );
  }
}

/** Whether a human must look first (likely plagiarism or a blocklist hit), and the flags they see. */
export function reviewFlags(check: CheckResult, blocklist: BlocklistHit[], userId: string): { flagged: boolean; flags: string[] } {
  const flagged = check.status === 'flagged_plagiarism' || blocklist.length > 0;
  const flags = flagged
    ? [
        ...check.matches
          .filter((m) => m.copySignals.length && m.creatorId !== userId)
          .map((m) => `possible copy of “${m.name}”${m.pending ? ' (a submission waiting for review)' : ''}: ${m.copySignals.join(', ')}`),
        ...blocklist.map((b) => `matches “${b.label}” on the ${b.list} blocklist: ${b.signals.join(', ')}`),
      ]
    : [];
  return { flagged, flags };
}

/**
 * The stored analysis of each match. A match is a copy when it has a copy signal or its combined
 * score is above the policy's duplicate threshold; a copy of another creator's asset is plagiarism.
 */
export function similarityRows(
  check: CheckResult,
  who: { userId: string; parentId: string | undefined; duplicateThreshold: number },
): SimilarityInsert[] {
  return check.matches.map((m) => {
    const copy = isCopy(m, who.duplicateThreshold);
    return {
      matchedAssetId: m.assetId,
      metadata: m.metadata,
      visual: m.visualScore,
      combined: m.combined,
      isDuplicate: copy,
      isPlagiarism: copy && m.creatorId !== who.userId,
      isDerivative: m.assetId === who.parentId,
      differences: m.differences,
      details: {
        layers: m.layers,
        signals: m.copySignals,
        checkLayers: check.layers,
        ...(m.pending ? { pending: true } : {}),
        ...(m.summary ? { summary: m.summary } : {}),
        ...(m.region ? { region: m.region } : {}),
        ...(m.passages ? { passages: m.passages } : {}),
        ...(m.media?.length ? { media: m.media } : {}),
      },
    };
  });
}

/** The check as returned to creators: verdict, layers and top matches with their evidence. */
export function summarize(c: CheckResult) {
  return {
    status: c.status,
    reason: c.reason,
    action: c.action,
    layers: c.layers,
    matches: c.matches.map((m: Match) => ({
      assetId: m.assetId,
      name: m.name,
      creatorId: m.creatorId,
      combined: m.combined,
      layers: m.layers,
      copySignals: m.copySignals,
      differences: m.differences,
      ...(m.pending ? { pending: true } : {}),
      ...(m.summary ? { summary: m.summary } : {}),
      ...(m.region ? { region: m.region } : {}),
      ...(m.passages ? { passages: m.passages } : {}),
      ...(m.media?.length ? { media: m.media } : {}),
    })),
  };
}
