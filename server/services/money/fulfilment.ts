/**
 * Fulfilment: applying what the processor says about a checkout (paid, expired, a subscription),
 * marking a purchase paid once with its sale, key and entitlement, refunding a payment that can no
 * longer be delivered, and expiring abandoned checkouts.
 */
import type { LicenseTerms } from '../../../shared/payments.ts';
import { MICROS_PER_CENT } from '../../../shared/policy/money.ts';
import { PROCESSOR_CLEARING, PROCESSOR_FEES, REFUNDS_PAYABLE, buyerBalanceAccount } from '../../repos/ledger.ts';
import type { SettledCharge } from '../../payments/processor.ts';
import type { AssetMoneyRow } from '../../repos/money/assets.ts';
import { DAY, type MoneyContext, loadAsset } from './context.ts';
import type { LicensesService } from './licenses.ts';
import type { PayoutsService } from './payouts.ts';
import type { RefundsService } from './refunds.ts';
import { postCardSale } from './sales.ts';
import type { SubscriptionsService } from './subscriptions.ts';

/** Money a card charge brought in (clearing gets it less the processor's fee), owed to `payee`. */
const chargeEntries = (gross: number, fee: number, payee: string) => [
  { account: PROCESSOR_CLEARING, amount: gross - fee },
  { account: PROCESSOR_FEES, amount: fee },
  { account: payee, amount: -gross },
];

export class FulfilmentService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly deps: {
      licenses: Pick<LicensesService, 'issueKey'>;
      payouts: Pick<PayoutsService, 'payCreator'>;
      refunds: Pick<RefundsService, 'processorRefund' | 'settleUnfulfilled'>;
      subscriptions: Pick<SubscriptionsService, 'recordSubscription'>;
    },
  ) {}

  /** Re-reads a Checkout Session from the processor and applies what it says (safe to repeat). */
  async syncCheckout(sessionId: string): Promise<void> {
    const s = await this.ctx.processor.retrieveCheckout(sessionId);
    const purchaseId = s.purchaseId;
    if (!purchaseId) return;
    if (s.expired) return this.ctx.repos.purchases.expirePending(this.ctx.db, purchaseId);
    if (!s.paid) return;
    if (s.subscription) {
      await this.deps.subscriptions.recordSubscription(purchaseId, s.subscriptionId);
      return;
    }
    await this.fulfil(purchaseId, s.charge as SettledCharge);
  }

  /**
   * Purchases left `pending` with no checkout session (a crash between recording the purchase and
   * the processor's answer) can never be paid: they expire once older than the processor calls'
   * longest run (retries included), so a checkout still being created on another node is left alone.
   */
  expireAbandonedCheckouts(minAgeMinutes = 10): Promise<number> {
    return this.ctx.repos.purchases.expireAbandoned(this.ctx.db, minAgeMinutes);
  }

  /**
   * Marks a purchase paid and posts its sale, once (`pay` null: a free license). A payment that
   * arrives for something that can no longer be delivered (an exclusive license sold meanwhile, an
   * asset taken down) is refunded in full; the processor's fee is the platform's loss.
   */
  async fulfil(purchaseId: string, pay: SettledCharge | null) {
    const { purchases, offers, entitlements, ledger } = this.ctx.repos;
    const outcome = await this.ctx.db.tx(async (sql) => {
      const p = await purchases.findPurchase(sql, purchaseId, true);
      if (!p) throw new Error(`no purchase ${purchaseId}`);
      if (p.status === 'paid' || p.status === 'refunded' || p.status === 'unfulfilled') return null;
      const gross = (pay?.amountCents ?? p.amount_cents) * MICROS_PER_CENT;
      const fee = (pay?.feeCents ?? 0) * MICROS_PER_CENT;
      const a = p.asset_id ? await loadAsset(this.ctx, sql, p.asset_id) : null;
      let deliverable = !a || a.status !== 'taken_down';
      if (deliverable && p.exclusive) deliverable = !(await purchases.exclusiveTaken(sql, p.offer_id, p.id));
      const piId = pay?.paymentIntentId ?? null;
      const chargeId = pay?.chargeId ?? null;
      if (!deliverable) {
        await purchases.markUnfulfilled(sql, p.id, piId, chargeId);
        await ledger.post(sql, {
          kind: 'unfulfilled',
          idempotencyKey: `sale:${p.id}`,
          purchaseId: p.id,
          buyerId: p.buyer_id,
          assetId: p.asset_id,
          entries: chargeEntries(gross, fee, REFUNDS_PAYABLE),
        });
        await this.ctx.events.emit('purchase.unfulfilled', { tx: sql, buyerId: p.buyer_id, purchaseId: p.id, assetId: p.asset_id });
        return { refund: { ...p, payment_intent_id: piId }, payouts: [] as string[] };
      }
      const paidAt = new Date();
      let key: string | null = null;
      let terms: LicenseTerms | null = null;
      let expires: Date | null = null;
      if (p.kind === 'license') {
        const o = await offers.offerTerms(sql, p.offer_id);
        terms = o?.terms ?? null;
        key = this.deps.licenses.issueKey(p, o?.license_type ?? 'unknown', paidAt);
        expires = terms?.durationDays ? new Date(paidAt.getTime() + terms.durationDays * DAY) : null;
        if (p.exclusive) await offers.markSoldOut(sql, p.offer_id);
      }
      await purchases.markPaid(sql, p.id, { paidAt, paymentIntentId: piId, chargeId, licenseKey: key, terms, expiresAt: expires });
      if (p.kind === 'top_up') {
        await ledger.post(sql, {
          kind: 'top_up',
          idempotencyKey: `sale:${p.id}`,
          purchaseId: p.id,
          buyerId: p.buyer_id,
          entries: chargeEntries(gross, fee, buyerBalanceAccount(p.buyer_id)),
        });
        await this.ctx.events.emit('balance.topped_up', { tx: sql, buyerId: p.buyer_id, purchaseId: p.id, amountCents: p.amount_cents });
        return { refund: null, payouts: [] };
      }
      const asset = a as AssetMoneyRow;
      const payouts = await postCardSale(this.ctx, sql, asset, {
        purchaseId: p.id,
        buyerId: p.buyer_id,
        kind: p.kind,
        grossMicros: gross,
        feeMicros: fee,
        idempotencyKey: `sale:${p.id}`,
      });
      await entitlements.grant(sql, {
        userId: p.buyer_id,
        assetId: asset.id,
        version: p.version,
        source: p.kind === 'license' ? 'license' : 'purchase',
        ref: p.id,
      });
      await this.ctx.events.emit('purchase.completed', {
        tx: sql,
        buyerId: p.buyer_id,
        assetId: asset.id,
        name: asset.name,
        purchaseId: p.id,
        licenseKey: key,
      });
      return { refund: null, payouts };
    });
    if (!outcome) return;
    if (outcome.refund) {
      await this.deps.refunds.processorRefund(outcome.refund, 'other');
      await this.deps.refunds.settleUnfulfilled(purchaseId, outcome.refund.amount_cents);
      return;
    }
    if (this.ctx.policy.instantPayout)
      for (const u of outcome.payouts)
        await this.deps.payouts.payCreator(u, { purchaseId, chargeId: pay?.chargeId, chargeCents: pay?.amountCents });
  }
}
