/**
 * The refunds service on fake repositories (no server, no database): the refund window and what may
 * be refunded, the processor asked once under our idempotency key, the sale reversed and settled in
 * a balanced ledger, entitlements taken back, the creator's paid-out transfer reversed, and one
 * `refund.posted` event written in the refund's own transaction.
 */
import { describe, expect, it } from 'vitest';
import { MONEY_POLICY } from '../../shared/policy/money.ts';
import { creatorAccount } from '../../server/repos/ledger.ts';
import { PayoutsService } from '../../server/services/money/payouts.ts';
import { PurchasesService } from '../../server/services/money/purchases.ts';
import { RefundsService } from '../../server/services/money/refunds.ts';
import type { MoneyEvents } from '../../server/services/money/events.ts';
import { FakeMoneyStore, RecordingProcessor, fakeContext, purchase, user } from '../helpers/money-fakes.ts';

const DAY = 86_400_000;

/** A paid $10 sale of a1 by `creator` to `buyer`: 70 % to the creator, the processor's 59¢ fee. */
function world(over: Parameters<typeof purchase>[1] = {}) {
  const store = new FakeMoneyStore();
  const processor = new RecordingProcessor();
  const { ctx, db } = fakeContext(store, processor);
  const p = purchase('p1', over);
  store.purchases.set(p.id, p);
  const fromBalance = p.kind === 'top_up';
  store.ledger.push({
    id: 1,
    kind: fromBalance ? 'top_up' : 'sale',
    idempotencyKey: 'sale:p1',
    entries: fromBalance
      ? [
          { account: 'processor:clearing', amount: 9_410_000 },
          { account: 'processor:fees', amount: 590_000 },
          { account: 'buyer_balance:buyer', amount: -10_000_000 },
        ]
      : [
          { account: 'processor:clearing', amount: 9_410_000 },
          { account: 'processor:fees', amount: 590_000 },
          { account: creatorAccount('creator'), amount: -7_000_000 },
          { account: 'platform:revenue', amount: -3_000_000 },
        ],
  });
  store.entitlements.push({ userId: 'buyer', assetId: 'a1', version: 1, source: 'purchase', ref: 'p1' });
  const events: MoneyEvents['refund.posted'][] = [];
  ctx.events.on('refund.posted', (e) => void events.push(e));
  const purchases = new PurchasesService(ctx, () => Promise.reject(new Error('no checkout to sync in these tests')));
  const refunds = new RefundsService(ctx, purchases, new PayoutsService(ctx));
  return { store, processor, refunds, events, db };
}

const sum = (entries: { amount: number }[]) => entries.reduce((a, e) => a + e.amount, 0);

describe('refunds service (fake repositories)', () => {
  it('refunds a purchase inside the window: processor once, sale reversed and settled, access and payout taken back, one event', async () => {
    const w = world();
    w.store.payoutAccounts.set('creator', 'acct_creator');
    w.store.payouts.set('po1', {
      id: 'po1',
      user_id: 'creator',
      amount_cents: 700,
      reversed_cents: 0,
      status: 'paid',
      transfer_id: 'tr_1',
      transfer_group: 'purchase_p1',
      purchase_id: 'p1',
      created_at: new Date(),
    });
    w.store.ledger.push({
      id: 2,
      kind: 'payout',
      idempotencyKey: 'payout:po1',
      entries: [
        { account: creatorAccount('creator'), amount: 7_000_000 },
        { account: 'processor:clearing', amount: -7_000_000 },
      ],
    });

    const view = await w.refunds.requestRefund(user('buyer'), 'p1', { reason: 'not_as_described', details: 'blurry' });

    expect(view).toMatchObject({ id: 'p1', status: 'refunded', refundReason: 'not_as_described', refundableUntil: null });
    expect(w.processor.calls).toEqual([
      { method: 'createRefund', args: [{ paymentIntentId: 'pi_p1', reasonCode: 'not_as_described', purchaseId: 'p1' }, 'refund:p1'] },
      { method: 'reverseTransfer', args: ['tr_1', 700, 'po1', 'reversal:po1'] },
    ]);
    const kinds = w.store.ledger.map((t) => [t.kind, t.idempotencyKey]);
    expect(kinds).toEqual([
      ['sale', 'sale:p1'],
      ['payout', 'payout:po1'],
      ['refund', 'refund:p1'],
      ['refund_settled', 'refund_settled:p1'],
      ['payout_reversal', 'reversal:po1'],
    ]);
    for (const t of w.store.ledger) expect(sum(t.entries)).toBe(0);
    expect(w.store.ledger[2]?.reverses).toBe(1);
    // The creator gave back their share and the reversal took back the transfer: nothing owed either way.
    expect(w.store.balance(creatorAccount('creator'))).toBe(0);
    expect(w.store.balance('refunds:payable')).toBe(0);
    expect(w.store.payouts.get('po1')?.reversed_cents).toBe(700);
    expect(w.store.entitlements).toEqual([]);
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({
      purchaseId: 'p1',
      buyerId: 'buyer',
      creatorId: 'creator',
      amountCents: 1000,
      reason: 'not_as_described',
      subscription: false,
    });
    expect(w.events[0]?.tx).toBe(w.db);

    // Asking again changes nothing.
    await expect(w.refunds.requestRefund(user('buyer'), 'p1', { reason: 'other' })).rejects.toMatchObject({ code: 'not_refundable' });
    await w.refunds.refund('p1', 'other');
    expect(w.store.ledger).toHaveLength(5);
    expect(w.events).toHaveLength(1);
  });

  it('refuses outside the window, for subscriptions and top-ups, and for anyone but the buyer', async () => {
    const late = world({ paid_at: new Date(Date.now() - (MONEY_POLICY.refundWindowDays + 1) * DAY) });
    await expect(late.refunds.requestRefund(user('buyer'), 'p1', { reason: 'other' })).rejects.toMatchObject({
      code: 'refund_window_closed',
      status: 409,
    });
    expect(late.processor.calls).toEqual([]);
    expect(late.store.purchases.get('p1')?.status).toBe('paid');

    const sub = world({ kind: 'subscription' });
    await expect(sub.refunds.requestRefund(user('buyer'), 'p1', { reason: 'other' })).rejects.toMatchObject({ code: 'not_refundable' });
    const topUp = world({ kind: 'top_up', asset_id: null });
    await expect(topUp.refunds.requestRefund(user('buyer'), 'p1', { reason: 'other' })).rejects.toMatchObject({ code: 'not_refundable' });
    const other = world();
    await expect(other.refunds.requestRefund(user('mallory'), 'p1', { reason: 'other' })).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
    });
    for (const w of [sub, topUp, other]) expect(w.store.ledger).toHaveLength(1);
  });

  it('books a refund the processor had already made, and leaves a top-up’s refund unsettled at the processor', async () => {
    const w = world();
    w.processor.refundAnswer = 'already_refunded';
    await w.refunds.refund('p1', 'copyright_takedown', 'taken down');
    expect(w.store.purchases.get('p1')).toMatchObject({ status: 'refunded', refund_reason: 'copyright_takedown' });
    expect(w.store.ledger.map((t) => t.kind)).toEqual(['sale', 'refund', 'refund_settled']);

    const t = world({ kind: 'top_up', asset_id: null, creator_id: null });
    await t.refunds.refund('p1', 'dispute_resolution');
    expect(t.store.ledger.map((x) => x.kind)).toEqual(['top_up', 'refund']);
    // The top-up's refund reverses it; no settlement posting (the money stays with the prepaid balance, not the processor).
    expect(t.store.ledger[1]?.reverses).toBe(1);
    expect(t.events[0]).toMatchObject({ creatorId: null, amountCents: 1000 });
  });

  it('leaves a purchase that is not paid alone', async () => {
    const w = world({ status: 'pending' });
    await w.refunds.refund('p1', 'other');
    expect(w.processor.calls).toEqual([]);
    expect(w.store.ledger).toHaveLength(1);
    expect(w.events).toEqual([]);
  });
});
