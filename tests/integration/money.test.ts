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
import { backdatePayment, expireLicense, forceAssetStatus } from '../helpers/seed.ts';

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
    await backdatePayment(w.srv.marketplace.db, p.id, 8);
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

describe('subscriptions', () => {
  it('bills each period as a sale, and a cancelled subscription ends with its period', async () => {
    const id = await w.publish(creator, { model: 'subscription', priceCents: 499, interval: 'month' });
    const p = await w.buy(buyer2, `/v1/assets/${id}/purchase`);
    expect(p).toMatchObject({ kind: 'subscription', status: 'paid', refundableUntil: null });
    expect(p.subscription).toMatchObject({ status: 'active', interval: 'month' });
    expect((await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: buyer2.token, json: {} })).body.error.code).toBe(
      'already_subscribed',
    );
    const salesOf = async () =>
      (await w.api.call('GET', '/v1/me/sales?limit=500', { token: creator.token })).body.filter(
        (s: { assetId: string; kind: string }) => s.assetId === id && s.kind === 'sale',
      );
    expect(await salesOf()).toHaveLength(1);
    w.processor.renew(p.subscription.id);
    await w.processor.settled();
    expect(await salesOf()).toHaveLength(2);
    expect(
      (await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer2.token, json: { reason: 'other' } })).body.error.message,
    ).toContain('cancel');
    const c = await w.api.call('POST', `/v1/purchases/${p.id}/cancel`, { token: buyer2.token });
    expect(c.body.subscription.status).toBe('canceling');
    w.processor.renew(p.subscription.id); // the period ends
    await w.processor.settled();
    expect((await w.api.call('GET', `/v1/purchases/${p.id}`, { token: buyer2.token })).body.subscription.status).toBe('canceled');
    expect(await salesOf()).toHaveLength(2);
  });
});

const terms = (over: Record<string, unknown> = {}) => ({ usageRights: ['web', 'social'], territory: ['worldwide'], ...over });

describe('licenses', () => {
  it('creates offers with every field of the licensing spec, validates them, and freezes the terms once bought', async () => {
    const id = await w.publish(creator, null);
    const mk = (json: unknown) => w.api.call('POST', `/v1/assets/${id}/licenses`, { token: creator.token, json });
    expect((await mk({ licenseType: 'royalty_free', priceCents: 999, terms: terms({ royaltyPercent: 10 }) })).body.error.field).toBe(
      'terms.royaltyPercent',
    );
    expect((await mk({ licenseType: 'rights_managed', priceCents: 999, terms: terms({ royaltyPercent: 51 }) })).status).toBe(400);
    expect(
      (await mk({ licenseType: 'commercial', priceCents: 999, terms: terms({ usageRights: ['ai_training'] }) })).body.error.field,
    ).toBe('terms.allowsAiTraining');
    expect((await mk({ licenseType: 'commercial', priceCents: 0, terms: terms() })).body.error.message).toContain('free');
    expect(
      (
        await w.api.call('POST', `/v1/assets/${id}/licenses`, {
          token: buyer.token,
          json: { licenseType: 'commercial', priceCents: 999, terms: terms() },
        })
      ).status,
    ).toBe(403);
    const offer = await mk({
      licenseType: 'rights_managed',
      priceCents: 999,
      terms: terms({
        durationDays: 30,
        maxImpressions: 3,
        royaltyPercent: 10,
        requiresAttribution: true,
        allowsAiTraining: false,
        territory: ['EU', 'US'],
      }),
    });
    expect(offer.status).toBe(201);
    expect(offer.body.terms).toMatchObject({
      durationDays: 30,
      maxImpressions: 3,
      royaltyPercent: 10,
      requiresAttribution: true,
      territory: ['EU', 'US'],
    });
    // Editable while nobody has bought it.
    const edit = await w.api.call('POST', `/v1/licenses/${offer.body.id}`, {
      token: creator.token,
      json: { licenseType: 'rights_managed', priceCents: 1099, terms: offer.body.terms },
    });
    expect(edit.body.priceCents).toBe(1099);
    const p = await w.buy(buyer, `/v1/licenses/${offer.body.id}/purchase`, { companyName: 'Acme Games' });
    expect(p).toMatchObject({ kind: 'license', status: 'paid', licenseType: 'rights_managed' });
    expect(p.licenseKey).toMatch(/^OSL1\./);
    expect(p.licenseExpiresAt).not.toBeNull();
    const frozen = await w.api.call('POST', `/v1/licenses/${offer.body.id}`, {
      token: creator.token,
      json: { licenseType: 'rights_managed', priceCents: 1, terms: offer.body.terms },
    });
    expect(frozen.status).toBe(400); // below the license minimum: refused before anything else
    const frozen2 = await w.api.call('POST', `/v1/licenses/${offer.body.id}`, {
      token: creator.token,
      json: { licenseType: 'rights_managed', priceCents: 2000, terms: offer.body.terms },
    });
    expect(frozen2.status).toBe(409);
    expect(frozen2.body.error.code).toBe('terms_immutable');
    // The database refuses it too, whatever the code path.
    await expect(w.srv.marketplace.db.query('UPDATE license_offers SET price_cents = 5 WHERE id = $1', [offer.body.id])).rejects.toThrow(
      /immutable/,
    );
    // The creator sees who bought it.
    const buyers = await w.api.call('GET', `/v1/licenses/${offer.body.id}/purchases`, { token: creator.token });
    expect(buyers.body[0]).toMatchObject({ buyer: 'bianca', companyName: 'Acme Games', status: 'paid' });
  });

  it('verifies keys, counts usage at the spec’s base rates × royalty %, and enforces impression limits and expiry', async () => {
    const id = await w.publish(creator, null);
    const offer = w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${id}/licenses`, {
        token: creator.token,
        json: { licenseType: 'rights_managed', priceCents: 999, terms: terms({ maxImpressions: 3, royaltyPercent: 10 }) },
      }),
      201,
    );
    const p = await w.buy(buyer2, `/v1/licenses/${offer.id}/purchase`);
    const v = await w.api.call('GET', `/v1/licenses/verify?key=${encodeURIComponent(p.licenseKey)}`);
    expect(v.body).toMatchObject({ valid: true, signatureValid: true, assetId: id, licenseType: 'rights_managed' });
    const [tag, payload, sig] = p.licenseKey.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), a: 'someone-else' })).toString(
      'base64url',
    );
    expect((await w.api.call('GET', `/v1/licenses/verify?key=${tag}.${forged}.${sig}`)).body).toMatchObject({
      valid: false,
      signatureValid: false,
    });
    // Usage: a download at $0.01 × 10 % = $0.001, impressions at $0.001 × 10 % = $0.0001 each, owed from the prepaid balance.
    const use = (json: unknown) => w.api.call('POST', `/v1/purchases/${p.id}/usage`, { token: buyer2.token, json });
    expect((await use({ usageType: 'download' })).body).toMatchObject({ royaltyMicros: 1_000, valid: true });
    expect((await use({ usageType: 'impression', count: 2 })).body).toMatchObject({ royaltyMicros: 200, impressionsUsed: 2 });
    const over = await use({ usageType: 'impression', count: 2 });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('license_limit');
    expect((await use({ usageType: 'impression', count: 1 })).body).toMatchObject({ valid: false, reasons: ['all 3 impressions used'] });
    expect((await w.api.call('GET', `/v1/purchases/${p.id}/validity`, { token: creator.token })).body.valid).toBe(false);
    expect((await w.api.call('GET', `/v1/purchases/${p.id}/validity`, { token: buyer.token })).status).toBe(404);
    expect((await use({ usageType: 'bogus' })).body.error.field).toBe('usageType');
    // Royalties owed: 1000 + 300 micro-dollars from the licensee's balance; 70 % of them to the creator.
    expect(await balanceOf(`buyer_balance:${buyer2.id}`)).toBe(1_300);
    // An expired license is invalid.
    await expireLicense(w.srv.marketplace.db, p.id);
    expect((await w.api.call('GET', `/v1/purchases/${p.id}/validity`, { token: buyer2.token })).body.reasons.join()).toContain('expired');
  });

  it('sells an exclusive license exactly once to 50 concurrent buyers, then withdraws it; nothing is charged and left unrefunded', async () => {
    const id = await w.publish(creator, null);
    const offer = w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${id}/licenses`, {
        token: creator.token,
        json: { licenseType: 'exclusive', priceCents: 49_900, terms: terms() },
      }),
      201,
    );
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => w.buyer(`excl${i}`)));
    const tries = await Promise.all(
      buyers.map((b) => w.api.call('POST', `/v1/licenses/${offer.id}/purchase`, { token: b.token, json: {} })),
    );
    const won = tries.filter((t) => t.status === 201);
    const lost = tries.filter((t) => t.status !== 201);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const l of lost) expect(l.body.error).toMatchObject({ code: 'license_unavailable', field: 'id' });
    const sessionsBefore = w.processor
      .list('checkout.session')
      .filter((s) => (s.metadata as Record<string, string>).kind === 'license').length;
    await w.pay(won[0]?.body);
    const winner = buyers[tries.indexOf(won[0] as (typeof tries)[number])] as Person;
    expect((await w.api.call('GET', `/v1/purchases/${won[0]?.body.id}`, { token: winner.token })).body.status).toBe('paid');
    // Withdrawn from sale: not listed, not buyable.
    expect((await w.api.call('GET', `/v1/assets/${id}/licenses`)).body).toEqual([]);
    expect((await w.api.call('POST', `/v1/licenses/${offer.id}/purchase`, { token: buyers[1]?.token, json: {} })).status).toBe(409);
    // Exactly one checkout was created for it and one charge captured; none other exists.
    const charges = w.processor.list('charge').filter((c) => c.amount === 49_900);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ captured: true, refunded: false });
    expect(sessionsBefore).toBeGreaterThanOrEqual(1);
    // 50 sign-ups at scrypt N=2^17 (128 MiB, about 0.5 s each on 4 libuv threads) take a while on a shared machine.
  }, 180_000);

  it('refunds a payment that arrives for something no longer deliverable (asset taken down during checkout)', async () => {
    const id = await w.publish(creator, { model: 'one_time', priceCents: 777 });
    const start = w.must('buy', await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: buyer.token, json: {} }), 201);
    await forceAssetStatus(w.srv.marketplace.db, id, 'taken_down');
    await w.pay(start);
    const p = (await w.api.call('GET', `/v1/purchases/${start.id}`, { token: buyer.token })).body;
    expect(p.status).toBe('unfulfilled');
    const charge = w.processor.list('charge').find((c) => (c.metadata as Record<string, string>).purchase_id === start.id);
    expect(charge).toMatchObject({ refunded: true });
    expect(await balanceOf('refunds:payable')).toBe(0);
  });
});

describe('earnings', () => {
  it('exports every sale and payout as CSV with the fee breakdown, matching the summary', async () => {
    const summary = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: creator.token }));
    const csv = await fetch(new URL('/v1/me/earnings.csv?kind=sales', w.srv.url), {
      headers: { authorization: `Bearer ${creator.token}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe(
      'date,kind,asset_id,asset,purchase_id,role,gross_usd,processor_fee_usd,platform_fee_usd,parent_royalty_usd,your_amount_usd',
    );
    const total = rows.slice(1).reduce((a, r) => a + Math.round(Number(r.split(',').at(-1)) * 1_000_000), 0);
    expect(total).toBe(summary.totals.net);
    const payouts = await fetch(new URL('/v1/me/earnings.csv?kind=payouts', w.srv.url), {
      headers: { authorization: `Bearer ${creator.token}` },
    });
    const prow = (await payouts.text()).trim().split('\r\n');
    expect(prow.length - 1).toBe((await w.api.call('GET', '/v1/me/payouts', { token: creator.token })).body.length);
    // Balance = everything earned − everything paid out.
    expect(summary.balanceMicros).toBe(summary.totals.net - summary.totals.payouts);
    expect((await w.api.call('GET', '/v1/me/earnings?period=forever', { token: creator.token })).body.error.field).toBe('period');
  });
});
