/**
 * Refunds: a buyer's request within the window, full refunds for takedowns and disputes, refunds
 * seen first at the processor; the ledger reversal, entitlements taken back, the creator's transfer
 * reversed, and the `refund.posted` event.
 */
import { ApiError } from '../../../shared/api.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import { MICROS_PER_CENT } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import type { Sql } from '../../db.ts';
import { settleRefundEntries } from '../../repos/ledger.ts';
import type { PurchaseRow } from '../../repos/money/purchases.ts';
import type { MoneyContext } from './context.ts';
import type { MoneyEvents } from './events.ts';
import type { PayoutsService } from './payouts.ts';
import type { PurchasesService } from './purchases.ts';

/** The `refund.posted` event for a refunded purchase row (a card purchase, or a subscription's current period). */
export function refundPosted(
  tx: Sql,
  p: PurchaseRow,
  amountCents: number,
  reason: string,
  subscription: boolean,
): MoneyEvents['refund.posted'] {
  return {
    tx,
    purchaseId: p.id,
    buyerId: p.buyer_id,
    creatorId: p.creator_id,
    assetId: p.asset_id,
    name: p.asset_name,
    amountCents,
    reason,
    subscription,
  };
}

/**
 * Reverses one sale (refund: shares given back, the buyer owed the gross) and, when the processor
 * returns the money, settles it; idempotent on `key`. Returns the gross and whether it was already posted.
 */
export async function postRefund(
  ctx: Pick<MoneyContext, 'repos'>,
  sql: Sql,
  saleTxId: number,
  key: string,
  p: Pick<PurchaseRow, 'id' | 'buyer_id' | 'asset_id' | 'creator_id'>,
  reason: string,
  settle: boolean,
): Promise<{ gross: number; duplicate: boolean }> {
  const { ledger } = ctx.repos;
  const { entries, gross } = await ledger.refundEntries(sql, saleTxId);
  const common = { purchaseId: p.id, buyerId: p.buyer_id, assetId: p.asset_id, creatorId: p.creator_id };
  const r = await ledger.post(sql, {
    kind: 'refund',
    idempotencyKey: `refund:${key}`,
    reverses: saleTxId,
    memo: { reason },
    ...common,
    entries,
  });
  if (settle)
    await ledger.post(sql, {
      kind: 'refund_settled',
      idempotencyKey: `refund_settled:${key}`,
      ...common,
      entries: settleRefundEntries(gross),
    });
  return { gross, duplicate: r.duplicate };
}

export class RefundsService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly purchases: Pick<PurchasesService, 'ownPurchase' | 'refundableUntil' | 'purchaseView'>,
    private readonly payouts: Pick<PayoutsService, 'reverseTransfer'>,
  ) {}

  async requestRefund(user: UserRow, purchaseId: string, input: { reason: string; details?: string | undefined }): Promise<PurchaseView> {
    const p = await this.purchases.ownPurchase(user, purchaseId);
    if (p.status !== 'paid') throw new ApiError('not_refundable', `this purchase is ${p.status}`, 'id', 409);
    if (p.kind === 'subscription')
      throw new ApiError('not_refundable', 'cancel the subscription instead; it runs to the end of the period', 'id', 409);
    if (p.kind === 'top_up') throw new ApiError('not_refundable', 'prepaid balances are refunded through a dispute', 'id', 409);
    const until = this.purchases.refundableUntil(p) as Date;
    if (until.getTime() < Date.now())
      throw new ApiError(
        'refund_window_closed',
        `the ${this.ctx.policy.refundWindowDays}-day refund window closed on ${until.toISOString().slice(0, 10)}; you can open a dispute`,
        'id',
        409,
      );
    await this.refund(purchaseId, input.reason, input.details);
    return this.purchases.purchaseView(purchaseId);
  }

  /** Asks the processor to return a purchase's payment in full (nothing to do without a payment). */
  async processorRefund(p: Pick<PurchaseRow, 'id' | 'payment_intent_id'>, reason: string) {
    if (!p.payment_intent_id) return;
    await this.ctx.processor.createRefund({ paymentIntentId: p.payment_intent_id, reasonCode: reason, purchaseId: p.id }, `refund:${p.id}`);
  }

  /** Refunds a paid purchase in full, whatever the window (takedowns and dispute resolutions call this directly). */
  async refund(purchaseId: string, reason: string, details?: string): Promise<void> {
    const p = await this.ctx.repos.purchases.findPurchase(this.ctx.db, purchaseId);
    if (!p || p.status !== 'paid') return;
    await this.processorRefund(p, reason);
    await this.applyRefund(purchaseId, reason, details);
  }

  /** Books a refund the processor made: reverses the sale, takes back what it granted, reverses the creator's transfers. */
  async applyRefund(purchaseId: string, reason: string, details?: string) {
    const { purchases, ledger, entitlements, payouts } = this.ctx.repos;
    const payoutsToReverse = await this.ctx.db.tx(async (sql) => {
      const p = await purchases.findPurchase(sql, purchaseId, true);
      if (!p || p.status !== 'paid') return [];
      const saleId = await ledger.txIdByKey(sql, `sale:${purchaseId}`);
      // A top-up's refund goes back to the prepaid balance, not through the processor.
      if (saleId) await postRefund(this.ctx, sql, saleId, purchaseId, p, reason, p.kind !== 'top_up');
      await purchases.markRefunded(sql, purchaseId, reason, details ?? null);
      await entitlements.revoke(sql, purchaseId);
      await this.ctx.events.emit('refund.posted', refundPosted(sql, p, p.amount_cents, reason, false));
      return payouts.reversibleOf(sql, purchaseId);
    });
    for (const id of payoutsToReverse) await this.payouts.reverseTransfer(id);
  }

  /** The processor returned an undeliverable payment: the money owed to the buyer leaves clearing. */
  async settleUnfulfilled(purchaseId: string, amountCents: number) {
    await this.ctx.db.tx((sql) =>
      this.ctx.repos.ledger.post(sql, {
        kind: 'refund_settled',
        idempotencyKey: `refund_settled:${purchaseId}`,
        purchaseId,
        entries: settleRefundEntries(amountCents * MICROS_PER_CENT),
      }),
    );
  }
}
