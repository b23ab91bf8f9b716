/** Subscriptions: recording one once paid, one sale per paid invoice, cancelling at period end, ending at once with a refund (takedowns), ending when the processor says so. */
import { ApiError } from '../../../shared/api.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import { MICROS_PER_CENT } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import type { PurchaseRow } from '../../repos/money/purchases.ts';
import { type MoneyContext, loadAsset } from './context.ts';
import type { PayoutsService } from './payouts.ts';
import type { PurchasesService } from './purchases.ts';
import { postRefund, refundPosted } from './refunds.ts';
import { postCardSale } from './sales.ts';

export class SubscriptionsService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly purchases: Pick<PurchasesService, 'ownPurchase' | 'purchaseView'>,
    private readonly payouts: Pick<PayoutsService, 'payCreator'>,
  ) {}

  /** Marks the purchase paid and records the subscription and its entitlement (safe to repeat). */
  async recordSubscription(purchaseId: string, subscriptionId: string) {
    const { purchases, subscriptions, entitlements } = this.ctx.repos;
    const sub = await this.ctx.processor.retrieveSubscription(subscriptionId);
    await this.ctx.db.tx(async (sql) => {
      const p = await purchases.findPurchase(sql, purchaseId, true);
      if (!p) throw new Error(`no purchase ${purchaseId}`);
      if (p.status === 'pending' || p.status === 'expired') await purchases.markSubscribed(sql, purchaseId, subscriptionId);
      await subscriptions.insertSubscription(sql, {
        id: subscriptionId,
        purchaseId,
        buyerId: p.buyer_id,
        assetId: p.asset_id,
        interval: sub.interval,
        currentPeriodEnd: sub.currentPeriodEnd,
      });
      await entitlements.grant(sql, {
        userId: p.buyer_id,
        assetId: p.asset_id,
        version: p.version,
        source: 'subscription',
        ref: purchaseId,
      });
    });
  }

  /** One paid subscription invoice = one sale (each billing period). */
  async settleInvoice(invoiceId: string) {
    const inv = await this.ctx.processor.retrieveInvoice(invoiceId);
    const subId = inv.subscriptionId;
    const purchaseId = inv.purchaseId;
    if (!subId || !purchaseId) return;
    await this.recordSubscription(purchaseId, subId);
    if (!inv.paymentIntentId) return;
    const ch = await this.ctx.processor.retrievePaymentCharge(inv.paymentIntentId);
    const sub = await this.ctx.processor.retrieveSubscription(subId);
    const payTo = await this.ctx.db.tx(async (sql) => {
      const p = (await this.ctx.repos.purchases.findPurchase(sql, purchaseId)) as PurchaseRow;
      const a = await loadAsset(this.ctx, sql, p.asset_id as string);
      await this.ctx.repos.subscriptions.setPeriodEnd(sql, subId, sub.currentPeriodEnd);
      return postCardSale(this.ctx, sql, a, {
        purchaseId,
        buyerId: p.buyer_id,
        kind: 'subscription',
        grossMicros: ch.amountCents * MICROS_PER_CENT,
        feeMicros: ch.feeCents * MICROS_PER_CENT,
        idempotencyKey: `invoice:${inv.id}`,
        memo: { invoice: inv.id, paymentIntent: ch.paymentIntentId },
      });
    });
    if (this.ctx.policy.instantPayout)
      for (const u of payTo) await this.payouts.payCreator(u, { purchaseId, chargeId: ch.chargeId, chargeCents: ch.amountCents });
  }

  async cancelSubscription(user: UserRow, purchaseId: string): Promise<PurchaseView> {
    const p = await this.purchases.ownPurchase(user, purchaseId);
    if (p.kind !== 'subscription' || !p.subscription_id)
      throw new ApiError('not_a_subscription', 'this purchase is not a subscription', 'id', 409);
    await this.ctx.processor.cancelSubscriptionAtPeriodEnd(p.subscription_id, `cancel:${p.subscription_id}`);
    await this.ctx.repos.subscriptions.markCanceling(this.ctx.db, p.subscription_id);
    return this.purchases.purchaseView(purchaseId);
  }

  /**
   * Ends a subscription at once and refunds its current period (a takedown): the processor cancels
   * it and refunds the last invoice's payment; the ledger reverses that period's sale.
   */
  async endSubscriptionNow(purchaseId: string, reason: string): Promise<void> {
    const { purchases, ledger } = this.ctx.repos;
    const p = await purchases.findPurchase(this.ctx.db, purchaseId);
    if (!p?.subscription_id) return;
    await this.ctx.processor.cancelSubscriptionNow(p.subscription_id, `cancel-now:${p.subscription_id}`).catch(() => undefined);
    await this.endSubscription(p.subscription_id);
    const last = await ledger.lastSaleOf(this.ctx.db, purchaseId);
    const pi = last?.memo.paymentIntent;
    if (!last || !pi) return;
    await this.ctx.processor.createRefund({ paymentIntentId: pi, reasonCode: reason, purchaseId }, `refund:tx:${last.id}`);
    await this.ctx.db.tx(async (sql) => {
      const { gross, duplicate } = await postRefund(this.ctx, sql, Number(last.id), `tx:${last.id}`, p, reason, true);
      await purchases.markSubscriptionRefunded(sql, purchaseId, reason);
      if (!duplicate) await this.ctx.events.emit('refund.posted', refundPosted(sql, p, Math.round(gross / MICROS_PER_CENT), reason, true));
    });
  }

  /** The subscription is over: its entitlement goes and the buyer is told. */
  async endSubscription(subscriptionId: string) {
    await this.ctx.db.tx(async (sql) => {
      const s = await this.ctx.repos.subscriptions.markCanceled(sql, subscriptionId);
      if (!s) return;
      await this.ctx.repos.entitlements.revoke(sql, s.purchase_id, 'subscription');
      await this.ctx.events.emit('subscription.ended', { tx: sql, buyerId: s.buyer_id, purchaseId: s.purchase_id });
    });
  }
}
