/**
 * Money end to end through the HTTP API: pricing, one-time purchases through Checkout (the real
 * `stripe` SDK against the local Stripe-compatible test processor), Connect transfers with transfer
 * groups, refunds with transfer reversals, prepaid balances and per-use charges, subscriptions,
 * license offers, keys, validity and usage royalties, disputes, earnings and CSV — and after every
 * test the ledger still sums to zero.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MICROS_PER_CENT } from '../../shared/policy/money.ts';
import { moneyWorld, type Person } from '../helpers/money.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
let creator: Person;
let parent: Person;
let buyer: Person;
let buyer2: Person;

beforeAll(async () => {
  w = await moneyWorld();
  creator = await w.creator('carla');
  parent = await w.creator('pablo');
  buyer = await w.buyer('bianca');
  buyer2 = await w.buyer('bruno');
}, 60_000);
afterAll(() => w.stop());

const ledgerSum = async () =>
  Number((await w.srv.marketplace.db.query<{ s: string | null }>('SELECT sum(amount_micros) AS s FROM ledger_entries')).rows[0]?.s ?? 0);
afterEach(async () => {
  expect(await ledgerSum()).toBe(0);
});

const balanceOf = async (account: string) =>
  Number(
    (
      await w.srv.marketplace.db.query<{ s: string | null }>('SELECT sum(amount_micros) AS s FROM ledger_entries WHERE account_id = $1', [
        account,
      ])
    ).rows[0]?.s ?? 0,
  );

describe('pricing', () => {
  it('validates prices on integers against the policy and shows the per-sale breakdown', async () => {
    const id = await w.publish(creator, null);
    const set = (json: unknown) => w.api.call('POST', `/v1/assets/${id}/pricing`, { token: creator.token, json });
    const frac = await set({ model: 'one_time', priceCents: 99.5 });
    expect(frac.status).toBe(400);
    expect(frac.body.error.field).toBe('priceCents');
    const low = await set({ model: 'one_time', priceCents: 98 });
    expect(low.status).toBe(400);
    expect(low.body.error.message).toContain('$0.99 to $99.99');
    expect((await set({ model: 'one_time', priceCents: 0 })).body.error.message).toContain('free listings');
    expect((await set({ model: 'subscription', priceCents: 499 })).body.error.field).toBe('interval');
    expect((await set({ model: 'per_use', priceCents: 101 })).status).toBe(400);
    const ok = await set({ model: 'one_time', priceCents: 999 });
    expect(ok.status).toBe(200);
    expect(ok.body.breakdown).toMatchObject({ gross: 9_990_000, creatorShare: 6_993_000, platformFee: 2_997_000, parentRoyalty: 0 });
    // Only the creator prices; anyone reads a published asset's pricing.
    expect(
      (await w.api.call('POST', `/v1/assets/${id}/pricing`, { token: buyer.token, json: { model: 'one_time', priceCents: 999 } })).status,
    ).toBe(403);
    expect((await w.api.call('GET', `/v1/assets/${id}/pricing`)).body.priceCents).toBe(999);
    const rec = await w.api.call('GET', `/v1/assets/${id}/pricing/recommendation?model=one_time`, { token: creator.token });
    expect(rec.status).toBe(200);
    expect(rec.body.reasoning.length).toBeGreaterThanOrEqual(3);
    expect(rec.body.recommendedCents).toBeGreaterThanOrEqual(99);
  });
});

describe('one-time purchase through Checkout', () => {
  it('charges, credits the split, transfers the creator’s whole cents in the purchase’s transfer group, and issues the entitlement', async () => {
    const id = await w.publish(creator, { model: 'one_time', priceCents: 999 });
    const start = await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: buyer.token, json: {} });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ status: 'pending', processor: 'local_test', amountCents: 999 });
    expect(start.body.checkoutUrl).toContain('/checkout/cs_test_');
    // The checkout page says what it is.
    expect(await (await fetch(start.body.checkoutUrl)).text()).toContain('LOCAL TEST PAYMENT PROCESSOR');
    await w.pay(start.body);
    const p = w.must('purchase', await w.api.call('GET', `/v1/purchases/${start.body.id}`, { token: buyer.token }));
    expect(p.status).toBe('paid');
    expect(p.refundableUntil).not.toBeNull();
    // The processor's actual fee (2.9 % + 30¢ of $9.99 = 59¢) is borne by the platform.
    const sale = (await w.api.call('GET', '/v1/me/sales', { token: creator.token })).body[0];
    expect(sale).toMatchObject({ kind: 'sale', gross: 9_990_000, processorFee: 590_000, platformFee: 2_997_000, amount: 6_993_000 });
    // Instant payout: 699 whole cents transferred, 0.3¢ carried.
    const transfers = w.processor.list('transfer').filter((t) => t.transfer_group === `purchase_${p.id}`);
    expect(transfers.map((t) => t.amount)).toEqual([699]);
    const earnings = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: creator.token }));
    expect(earnings.balanceMicros).toBe(3_000);
    // The buyer owns the version bought.
    expect((await w.api.call('GET', '/v1/my/library', { token: buyer.token })).body.map((a: { assetId: string }) => a.assetId)).toContain(
      id,
    );
    // Buying it twice is refused; buying your own asset too.
    expect((await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: buyer.token, json: {} })).body.error.code).toBe('already_owned');
    expect((await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: creator.token, json: {} })).body.error.code).toBe('own_asset');
  });

  it('pays a derivative’s parent its royalty as a separate transfer in the same transfer group', async () => {
    const original = await w.publish(parent, { model: 'one_time', priceCents: 1000 });
    const child = await w.publish(creator, { model: 'one_time', priceCents: 2000 }, original);
    const p = await w.buy(buyer2, `/v1/assets/${child}/purchase`);
    const group = w.processor.list('transfer').filter((t) => t.transfer_group === `purchase_${p.id}`);
    // $20 → creator share $14; the parent gets 10 % of it ($1.40), the creator $12.60.
    expect(group.map((t) => [t.destination, t.amount]).sort()).toEqual(
      [
        [await accountOf(creator), 1260],
        [await accountOf(parent), 140],
      ].sort(),
    );
    const pe = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: parent.token }));
    expect(pe.totals.derivativeRoyaltiesEarned).toBe(1_400_000);
  });
});

async function accountOf(p: Person): Promise<string> {
  const r = await w.srv.marketplace.db.query<{ payout_account_id: string }>('SELECT payout_account_id FROM users WHERE id = $1', [p.id]);
  return r.rows[0]?.payout_account_id as string;
}

describe('refunds', () => {
  it('refunds inside the 7-day window with a reason code: charge refunded, transfers reversed, ledger reversed, access removed, both told', async () => {
    const id = await w.publish(creator, { model: 'one_time', priceCents: 1500 });
    const p = await w.buy(buyer, `/v1/assets/${id}/purchase`);
    const before = await balanceOf(`creator:${creator.id}`);
    const bad = await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer.token, json: { reason: 'because' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('reason');
    expect((await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer2.token, json: { reason: 'other' } })).status).toBe(404);
    const r = await w.api.call('POST', `/v1/purchases/${p.id}/refund`, {
      token: buyer.token,
      json: { reason: 'not_as_described', details: 'wrong colours' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'refunded', refundReason: 'not_as_described' });
    const charge = w.processor
      .list('charge')
      .find((c) => c.payment_intent && c.metadata && (c.metadata as Record<string, string>).purchase_id === p.id);
    expect(charge).toMatchObject({ refunded: true, amount_refunded: 1500 });
    const transfer = w.processor.list('transfer').find((t) => t.transfer_group === `purchase_${p.id}`);
    expect(transfer).toMatchObject({ amount: 1050, amount_reversed: 1050 });
    // The creator is back where they were before the sale.
    expect(await balanceOf(`creator:${creator.id}`)).toBe(before);
    expect(
      (await w.api.call('GET', '/v1/my/library', { token: buyer.token })).body.map((a: { assetId: string }) => a.assetId),
    ).not.toContain(id);
    const kinds = async (who: Person) =>
      (await w.api.call('GET', '/v1/notifications', { token: who.token })).body.map((n: { kind: string }) => n.kind);
    expect(await kinds(buyer)).toContain('refund_issued');
    expect(await kinds(creator)).toContain('sale_refunded');
    // Twice is refused.
    expect(
      (await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer.token, json: { reason: 'other' } })).body.error.code,
    ).toBe('not_refundable');
  });

  it('refuses a refund after the window and offers a dispute, which a moderator resolves for both parties', async () => {
    const id = await w.publish(creator, { model: 'one_time', priceCents: 500 });
    const p = await w.buy(buyer2, `/v1/assets/${id}/purchase`);
    await w.srv.marketplace.db.query(`UPDATE purchases SET paid_at = now() - interval '8 days' WHERE id = $1`, [p.id]);
    const late = await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer2.token, json: { reason: 'other' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'refund_window_closed' });
    expect(late.body.error.message).toContain('dispute');
    const d = await w.api.call('POST', `/v1/purchases/${p.id}/disputes`, {
      token: buyer2.token,
      json: { reason: 'the file never opened in my editor' },
    });
    expect(d.status).toBe(201);
    expect(
      (await w.api.call('POST', `/v1/purchases/${p.id}/disputes`, { token: buyer2.token, json: { reason: 'the file never opened again' } }))
        .status,
    ).toBe(409);
    expect((await w.api.call('GET', '/v1/disputes', { token: creator.token })).body.map((x: { id: number }) => x.id)).toContain(d.body.id);
    expect(
      (
        await w.api.call('POST', `/v1/disputes/${d.body.id}/resolve`, {
          token: buyer2.token,
          json: { outcome: 'refund', resolution: 'ok' },
        })
      ).status,
    ).toBe(403);
    const res = await w.api.call('POST', `/v1/disputes/${d.body.id}/resolve`, {
      token: w.mod.token,
      json: { outcome: 'refund', resolution: 'the creator confirmed the file was corrupt' },
    });
    expect(res.body).toMatchObject({ state: 'resolved', outcome: 'refund' });
    expect((await w.api.call('GET', `/v1/purchases/${p.id}`, { token: buyer2.token })).body).toMatchObject({
      status: 'refunded',
      refundReason: 'dispute_resolution',
    });
    for (const who of [buyer2, creator])
      expect((await w.api.call('GET', '/v1/notifications', { token: who.token })).body.map((n: { kind: string }) => n.kind)).toContain(
        'dispute_resolved',
      );
  });

  it('leaves a negative balance when the creator already withdrew the money, and recovers it from the next sale', async () => {
    const solo = await w.creator('sofia');
    const id = await w.publish(solo, { model: 'one_time', priceCents: 1000 });
    const p = await w.buy(buyer, `/v1/assets/${id}/purchase`);
    w.processor.payOutConnectedAccount(await accountOf(solo)); // the creator's bank has the $7 now
    w.must(
      'refund',
      await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer.token, json: { reason: 'accidental_purchase' } }),
    );
    const e1 = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: solo.token }));
    expect(e1.balanceMicros).toBe(-700 * MICROS_PER_CENT);
    expect((await w.api.call('GET', '/v1/notifications', { token: solo.token })).body.map((n: { kind: string }) => n.kind)).toContain(
      'negative_balance',
    );
    const id2 = await w.publish(solo, { model: 'one_time', priceCents: 2000 });
    const p2 = await w.buy(buyer2, `/v1/assets/${id2}/purchase`);
    // $14 earned − $7 owed = $7 transferred.
    expect(
      w.processor
        .list('transfer')
        .filter((t) => t.transfer_group === `purchase_${p2.id}`)
        .map((t) => t.amount),
    ).toEqual([700]);
    expect(w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: solo.token })).balanceMicros).toBe(0);
  });
});

describe('prepaid balance and per-use assets', () => {
  it('tops up through Checkout, debits each use, refuses an overdraft, and never charges a retried use twice', async () => {
    const id = await w.publish(creator, { model: 'per_use', priceCents: 25 });
    expect((await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: buyer.token, json: {} })).body.error.code).toBe('per_use');
    const broke = await w.api.call('POST', `/v1/assets/${id}/use`, { token: buyer2.token, json: {} });
    expect(broke.status).toBe(402);
    expect(broke.body.error.code).toBe('insufficient_balance');
    expect((await w.api.call('POST', '/v1/me/balance/top-up', { token: buyer.token, json: { amountCents: 100 } })).body.error.field).toBe(
      'amountCents',
    );
    const top = await w.buy(buyer, '/v1/me/balance/top-up', { amountCents: 500 });
    expect(top.status).toBe('paid');
    expect((await w.api.call('GET', '/v1/me/balance', { token: buyer.token })).body.availableCents).toBe(500);
    const use = (key?: string) =>
      w.api.call('POST', `/v1/assets/${id}/use`, { token: buyer.token, json: key ? { idempotencyKey: key, context: 'story-1' } : {} });
    expect((await use('turn-0001')).body).toMatchObject({ chargedMicros: 250_000, duplicate: false });
    expect((await use('turn-0001')).body).toMatchObject({ chargedMicros: 0, duplicate: true });
    for (let i = 0; i < 19; i++) expect((await use()).status).toBe(200);
    expect((await w.api.call('GET', '/v1/me/balance', { token: buyer.token })).body.availableMicros).toBe(0);
    expect((await use()).status).toBe(402);
    // 20 uses × $0.25 at 70 %: $3.50 credited to the creator, all from the balance (no card fees).
    const lines = (await w.api.call('GET', '/v1/me/sales?limit=500', { token: creator.token })).body.filter(
      (s: { kind: string; assetId: string }) => s.assetId === id,
    );
    expect(lines).toHaveLength(20);
    expect(lines.reduce((a: number, s: { amount: number }) => a + s.amount, 0)).toBe(3_500_000);
  });
});
