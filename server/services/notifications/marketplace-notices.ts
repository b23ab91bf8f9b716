/** The notices the marketplace's events send (submissions, review decisions and appeals, takedowns and their appeals), in the event's transaction. */
import type { MarketplaceBus } from '../marketplace-events.ts';
import type { Notify } from './money-notices.ts';

/** The notification a creator receives for each decision on a submission. */
const DECISION_NOTICE = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
  overturn: 'appeal_decided',
  uphold: 'appeal_decided',
} as const;

export function subscribeMarketplaceNotices(bus: MarketplaceBus, notify: Notify): void {
  bus.on('asset.submitted', (e) =>
    notify(e.tx, e.creatorId, 'submitted', {
      assetId: e.assetId,
      version: e.version,
      name: e.name,
      heldForManualReview: e.heldForManualReview,
      estimatedReviewTime: e.estimatedReviewTime,
    }),
  );
  bus.on('review.decided', (e) =>
    notify(e.tx, e.creatorId, e.itemKind === 'appeal' ? 'appeal_decided' : DECISION_NOTICE[e.decision], {
      assetId: e.assetId,
      version: e.version,
      name: e.name,
      decision: e.decision,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.decision === 'reject' ? { appeal: `/v1/assets/${e.assetId}/appeal` } : {}),
    }),
  );
  bus.on('review.appealed', (e) =>
    notify(e.tx, e.creatorId, 'appeal_submitted', { assetId: e.assetId, version: e.version, estimatedReviewTime: e.estimatedReviewTime }),
  );
  bus.on('asset.taken_down', async (e) => {
    for (const r of e.reporterIds) await notify(e.tx, r, 'report_upheld', { assetId: e.assetId, name: e.name });
    await notify(e.tx, e.creatorId, 'taken_down', {
      assetId: e.assetId,
      name: e.name,
      caseId: e.caseId,
      reason: e.reason,
      strikes: e.strikes,
      sellingBanned: e.sellingBanned,
      appeal: `/v1/moderation/cases/${e.caseId}/appeal`,
    });
  });
  bus.on('takedown.appealed', (e) =>
    notify(e.tx, e.creatorId, 'appeal_submitted', {
      caseId: e.caseId,
      assetId: e.assetId,
      name: e.name,
      estimatedReviewTime: e.estimatedReviewTime,
    }),
  );
  bus.on('takedown.appeal_decided', (e) =>
    notify(e.tx, e.creatorId, 'appeal_decided', {
      caseId: e.caseId,
      assetId: e.assetId,
      name: e.name,
      decision: e.decision,
      reason: e.reason,
      ...(e.strikes ? { strikes: e.strikes.strikes, sellingBanned: e.strikes.banned } : {}),
    }),
  );
}
