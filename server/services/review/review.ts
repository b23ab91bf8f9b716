/**
 * Human review of submissions: the queue (with each version's similarity evidence), one moderator's
 * claim at a time, the decision (publishing goes through listings), and one appeal of a rejection,
 * decided by another moderator.
 */
import type { z } from 'zod';
import { ApiError } from '../../../shared/api.ts';
import { iso } from '../../../shared/format.ts';
import type { Decision } from '../../../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../../../shared/policy/marketplace.ts';
import type { UserRow } from '../../auth.ts';
import { authorize, conflictOfInterest } from '../../authz.ts';
import { type Database, isUniqueViolation } from '../../db.ts';
import type * as reviewRepo from '../../repos/review.ts';
import type { ListingsService } from '../listings/listings.ts';
import type { MarketplaceBus } from '../marketplace-events.ts';
import type { AuditLog } from '../moderation/audit.ts';

export type ReviewRepo = typeof reviewRepo;
/** What review needs from listings: rows and views, and the publish/refuse transitions. */
export type ReviewListings = Pick<ListingsService, 'assetRow' | 'view' | 'imageUrl' | 'publish' | 'refuse'>;

const numberOrNull = (v: string | number | null) => (v === null || !Number.isFinite(Number(v)) ? null : Number(v));

/** Which decisions each kind of item takes. */
export const DECISIONS_FOR = { appeal: ['overturn', 'uphold'], submission: ['approve', 'reject', 'request_changes'] } as const;

export class ReviewService {
  constructor(
    private readonly db: Database,
    private readonly repo: ReviewRepo,
    private readonly listings: ReviewListings,
    private readonly auditLog: AuditLog,
    private readonly events: MarketplaceBus,
  ) {}

  async queue(mod: UserRow, limit = 50) {
    // Hidden: appeals of this moderator's decisions. Their own listings are listed, marked with why they may not decide them.
    const items = await this.repo.openItemsFor(this.db, mod.id, limit);
    return Promise.all(
      items.map(async (i) => {
        const ev = await this.repo.evidence(this.db, i.asset_id, i.version);
        const asset = this.listings.view(await this.listings.assetRow(i.asset_id, i.version));
        return {
          id: Number(i.id),
          kind: i.kind,
          assetId: i.asset_id,
          version: i.version,
          priority: i.priority,
          flags: i.flags,
          createdAt: iso(i.created_at) as string,
          claimedBy: i.claimed_by,
          claimExpiresAt: iso(i.claim_expires_at),
          asset,
          evidence: ev.map((e) => ({
            matchedAssetId: e.matched_asset_id,
            matchedName: e.name,
            matchedImageUrl: e.matched_asset_id && e.mv ? this.listings.imageUrl(e.matched_asset_id, e.mv, e.image_sha256) : null,
            matchedVersion: e.matched_asset_id ? e.mv : null,
            combined: e.combined_similarity,
            details: e.analysis_details,
            // Media durations (from the fingerprints' probe facts) let the review screen draw both timelines.
            mediaSeconds:
              e.query_seconds !== null || e.match_seconds !== null
                ? { query: numberOrNull(e.query_seconds), match: numberOrNull(e.match_seconds) }
                : null,
          })),
          appealReason: i.kind === 'appeal' ? i.reason : null,
          conflict: conflictOfInterest(mod, { creatorId: asset.creatorId, previousDeciderIds: [i.excluded_moderator] }),
        };
      }),
    );
  }

  /** One moderator at a time: the claim succeeds only if the item is open and unclaimed (or the claim expired). */
  async claim(mod: UserRow, itemId: number) {
    await this.impartialOnItem(mod, itemId, 'claim');
    const r = await this.repo.claim(this.db, itemId, mod.id, MARKETPLACE_POLICY.claimMinutes);
    if (!r) {
      const c = await this.repo.item(this.db, itemId);
      if (!c) throw new ApiError('not_found', 'no such queue item', 'itemId', 404);
      if (c.state !== 'open') throw new ApiError('already_decided', 'this item was already decided', 'itemId', 409);
      if (c.excluded_moderator === mod.id)
        throw new ApiError('conflict_of_interest', 'appeals go to a different moderator than the one who decided', 'itemId', 403);
      throw new ApiError('claimed', 'another moderator is reviewing this item', 'itemId', 409);
    }
    return { itemId, claimedBy: mod.id, claimExpiresAt: iso(r.claim_expires_at) as string };
  }

  /**
   * The conflict-of-interest check on a review item: not the listing's creator, not the decider of the
   * rejection under appeal. The audit log records the refusal; the 403 names why, whatever the log does.
   */
  private async impartialOnItem(mod: UserRow, itemId: number, attempted: string): Promise<void> {
    const r = await this.repo.itemParties(this.db, itemId);
    if (!r) return;
    const parties = { creatorId: r.creator_id, previousDeciderIds: [r.excluded_moderator] };
    const why = conflictOfInterest(mod, parties);
    if (!why) return;
    await this.auditLog.impartial(mod, { type: 'review_item', id: String(itemId) }, attempted, parties);
    throw new ApiError('conflict_of_interest', `conflict of interest: ${why}`, 'itemId', 403);
  }

  async decide(mod: UserRow, itemId: number, d: z.infer<typeof Decision>) {
    await this.impartialOnItem(mod, itemId, `review_${d.decision}`);
    return this.db.tx(async (sql) => {
      const item = await this.repo.lockItem(sql, itemId);
      if (!item) throw new ApiError('not_found', 'no such queue item', 'itemId', 404);
      if (item.state !== 'open') throw new ApiError('already_decided', 'this item was already decided', 'itemId', 409);
      if (item.claimed_by !== mod.id || !item.claim_expires_at || new Date(item.claim_expires_at) < new Date()) {
        throw new ApiError('not_claimed', 'claim the item before deciding it (claims expire)', 'itemId', 409);
      }
      const allowed: readonly string[] = DECISIONS_FOR[item.kind === 'appeal' ? 'appeal' : 'submission'];
      if (!allowed.includes(d.decision))
        throw new ApiError('invalid_decision', `${item.kind} items take: ${allowed.join(', ')}`, 'decision', 400);
      const asset = await this.listings.assetRow(item.asset_id, undefined, sql);
      await this.repo.recordDecision(sql, itemId, d.decision, d.reason ?? null, mod.id);
      const publish = d.decision === 'approve' || d.decision === 'overturn';
      if (publish) await this.listings.publish(sql, item.asset_id, item.version);
      else if (d.decision !== 'uphold')
        await this.listings.refuse(sql, item.asset_id, item.version, d.decision === 'reject' ? 'rejected' : 'changes_requested');
      await this.auditLog.audit(sql, mod, `review_${d.decision}`, { type: 'asset', id: item.asset_id }, d.reason ?? null, {
        itemId,
        version: item.version,
        kind: item.kind,
      });
      await this.events.emit('review.decided', {
        tx: sql,
        assetId: item.asset_id,
        version: item.version,
        creatorId: asset.creator_id,
        name: asset.name,
        itemKind: item.kind,
        decision: d.decision,
        reason: d.reason ?? null,
      });
      return { itemId, decision: d.decision, assetId: item.asset_id, version: item.version, published: publish };
    });
  }

  async appeal(user: UserRow, assetId: string, reason: string) {
    const a = await this.listings.assetRow(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    const d = await this.repo.lastDecision(this.db, assetId, a.latest_version);
    if (!d || d.decision !== 'reject' || d.kind !== 'submission')
      throw new ApiError('not_rejected', 'only a rejected submission can be appealed (once)', 'id', 409);
    try {
      const appealId = await this.db.tx(async (sql) => {
        const id = await this.repo.insertAppeal(sql, assetId, a.latest_version, reason, d.decided_by);
        await this.events.emit('review.appealed', {
          tx: sql,
          assetId,
          version: a.latest_version,
          creatorId: user.id,
          estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.appeal,
        });
        return id;
      });
      return { appealId, estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.appeal };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('appeal_pending', 'an appeal for this version is already open', 'id', 409);
      throw err;
    }
  }
}
