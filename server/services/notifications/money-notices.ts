/** The notices the money domain's events send (buyer, creator, parent creator, dispute parties), written in the event's transaction. */
import type { Sql } from '../../db.ts';
import type { MoneyBus } from '../money/events.ts';

export type Notify = (sql: Sql, userId: string, kind: string, payload: Record<string, unknown>) => Promise<unknown>;

export function subscribeMoneyNotices(bus: MoneyBus, notify: Notify): void {
  bus.on('sale.posted', async (e) => {
    await notify(e.tx, e.creatorId, 'sale', {
      assetId: e.assetId,
      name: e.name,
      purchaseId: e.purchaseId,
      kind: e.kind,
      grossMicros: e.grossMicros,
      creatorNetMicros: e.creatorNetMicros,
    });
    if (e.parentCreatorId)
      await notify(e.tx, e.parentCreatorId, 'derivative_royalty', {
        assetId: e.assetId,
        name: e.name,
        royaltyMicros: e.parentRoyaltyMicros,
      });
  });
  bus.on('refund.posted', async (e) => {
    const about = { purchaseId: e.purchaseId, assetId: e.assetId, name: e.name, amountCents: e.amountCents, reason: e.reason };
    await notify(e.tx, e.buyerId, 'refund_issued', about);
    if (!e.subscription && e.creatorId) await notify(e.tx, e.creatorId, 'sale_refunded', about);
  });
  bus.on('purchase.completed', (e) =>
    notify(e.tx, e.buyerId, 'purchase_complete', { assetId: e.assetId, name: e.name, purchaseId: e.purchaseId, licenseKey: e.licenseKey }),
  );
  bus.on('purchase.unfulfilled', (e) =>
    notify(e.tx, e.buyerId, 'purchase_unfulfilled', {
      purchaseId: e.purchaseId,
      assetId: e.assetId,
      message: 'this item was no longer available when your payment arrived; it is refunded in full',
    }),
  );
  bus.on('balance.topped_up', (e) =>
    notify(e.tx, e.buyerId, 'balance_topped_up', { purchaseId: e.purchaseId, amountCents: e.amountCents }),
  );
  bus.on('subscription.ended', (e) => notify(e.tx, e.buyerId, 'subscription_ended', { purchaseId: e.purchaseId }));
  bus.on('payout.reversal_failed', (e) =>
    notify(e.tx, e.userId, 'negative_balance', {
      message: 'a refunded sale could not be taken back from your payout account; it will be recovered from your next earnings',
      error: e.error,
    }),
  );
  bus.on('dispute.opened', async (e) => {
    await notify(e.tx, e.openedBy, 'dispute_opened', { disputeId: e.disputeId, purchaseId: e.purchaseId, name: e.name });
    if (e.otherParty)
      await notify(e.tx, e.otherParty, 'dispute_opened', { disputeId: e.disputeId, purchaseId: e.purchaseId, name: e.name, by: e.side });
  });
  bus.on('dispute.resolved', async (e) => {
    for (const u of e.parties)
      if (u) await notify(e.tx, u, 'dispute_resolved', { disputeId: e.disputeId, outcome: e.outcome, resolution: e.resolution });
  });
}
