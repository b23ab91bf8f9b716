/**
 * Webhooks with payloads signed by the `stripe` SDK's own test helper (generateTestHeaderString):
 * a bad signature is refused; the same event delivered five times (at once) makes one purchase;
 * a refund event that arrives before the checkout event still ends in one consistent state.
 * The test processor's automatic delivery is off, so the test decides order and repetition.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEvent } from '../../server/payments/test-processor.ts';
import { moneyWorld, type Person } from '../helpers/money.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
let creator: Person;
let buyer: Person;
let sdk: Stripe;

beforeAll(async () => {
  w = await moneyWorld({ autoDeliver: false });
  creator = await w.creator('wendy');
  buyer = await w.buyer('walter');
  sdk = new Stripe(w.processor.secretKey, { host: '127.0.0.1', port: w.processor.port, protocol: 'http' });
}, 60_000);
afterAll(() => w.stop());

const wire = (e: TestEvent) => {
  const { delivered: _d, ...rest } = e;
  return JSON.stringify(rest);
};
const deliver = (payload: string, secret = w.processor.webhookSecret) =>
  fetch(new URL('/v1/webhooks/stripe', w.srv.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': sdk.webhooks.generateTestHeaderString({ payload, secret }) },
    body: payload,
  });
const eventsOf = (type: string, purchaseId: string) =>
  w.processor.events().filter((e) => {
    const o = e.data.object as { metadata?: Record<string, string>; id: string };
    return e.type === type && (o.metadata?.purchase_id === purchaseId || o.id === purchaseId);
  });
const ledgerTxs = async (purchaseId: string) =>
  (
    await w.srv.marketplace.db.query<{ kind: string }>('SELECT kind FROM ledger_transactions WHERE purchase_id = $1 ORDER BY id', [
      purchaseId,
    ])
  ).rows.map((r) => r.kind);

async function paidButUndelivered(): Promise<{ id: string; checkoutUrl: string }> {
  const id = await w.publish(creator, { model: 'one_time', priceCents: 1299 });
  const start = w.must('buy', await w.api.call('POST', `/v1/assets/${id}/purchase`, { token: buyer.token, json: {} }), 201);
  const res = await fetch(`${start.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(res.status).toBe(303);
  return start;
}

describe('Stripe webhooks', () => {
  it('refuses a bad signature, a tampered payload and a missing header', async () => {
    const p = await paidButUndelivered();
    const [ev] = eventsOf('checkout.session.completed', p.id);
    const payload = wire(ev as TestEvent);
    const wrong = await deliver(payload, 'whsec_not_the_secret');
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toMatchObject({ code: 'bad_signature', field: 'stripe-signature' });
    const header = sdk.webhooks.generateTestHeaderString({ payload, secret: w.processor.webhookSecret });
    const tampered = await fetch(new URL('/v1/webhooks/stripe', w.srv.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload.replace('"checkout.session.completed"', '"checkout.session.expired"'),
    });
    expect(tampered.status).toBe(400);
    const none = await fetch(new URL('/v1/webhooks/stripe', w.srv.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(none.status).toBe(400);
    expect(await ledgerTxs(p.id)).toEqual([]);
  });

  it('makes one purchase out of the same event delivered five times at once', async () => {
    const p = await paidButUndelivered();
    const [ev] = eventsOf('checkout.session.completed', p.id);
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(wire(ev as TestEvent))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    expect(await ledgerTxs(p.id)).toEqual(['sale', 'payout']);
    const purchases = await w.srv.marketplace.db.query(`SELECT status FROM purchases WHERE id = $1`, [p.id]);
    expect(purchases.rows).toEqual([{ status: 'paid' }]);
    // And later repeats are still answered (Stripe retries until it gets a 2xx) without effect.
    expect((await (await deliver(wire(ev as TestEvent))).json()).duplicate).toBe(true);
    expect(await ledgerTxs(p.id)).toEqual(['sale', 'payout']);
  });

  it('reaches the same final state when the refund event arrives before the checkout event', async () => {
    const p = await paidButUndelivered();
    // The creator's support refunds the charge in the processor's dashboard before any webhook got through.
    const session = await sdk.checkout.sessions.retrieve(
      (await w.srv.marketplace.db.query<{ checkout_session_id: string }>('SELECT checkout_session_id FROM purchases WHERE id = $1', [p.id]))
        .rows[0]?.checkout_session_id as string,
    );
    await sdk.refunds.create({ payment_intent: session.payment_intent as string, metadata: { reason_code: 'duplicate_purchase' } });
    const refundEvent = w.processor
      .events()
      .find((e) => e.type === 'charge.refunded' && e.data.object.payment_intent === session.payment_intent);
    const [checkoutEvent] = eventsOf('checkout.session.completed', p.id);
    expect((await deliver(wire(refundEvent as TestEvent))).status).toBe(200);
    expect((await deliver(wire(checkoutEvent as TestEvent))).status).toBe(200);
    expect((await deliver(wire(refundEvent as TestEvent))).status).toBe(200);
    const view = w.must('purchase', await w.api.call('GET', `/v1/purchases/${p.id}`, { token: buyer.token }));
    expect(view).toMatchObject({ status: 'refunded', refundReason: 'duplicate_purchase' });
    expect(await ledgerTxs(p.id)).toEqual(['sale', 'payout', 'refund', 'refund_settled', 'payout_reversal']);
    // The transfer made at sale time was reversed; the creator is owed nothing for this sale.
    const tr = w.processor.list('transfer').find((t) => t.transfer_group === `purchase_${p.id}`);
    expect(tr).toMatchObject({ amount_reversed: tr?.amount });
    const entitled = await w.srv.marketplace.db.query('SELECT 1 FROM entitlements WHERE ref = $1', [p.id]);
    expect(entitled.rows).toHaveLength(0);
    const sum = await w.srv.marketplace.db.query<{ s: string | null }>('SELECT sum(amount_micros) AS s FROM ledger_entries');
    expect(Number(sum.rows[0]?.s ?? 0)).toBe(0);
  });

  it('settles a purchase from the processor when the buyer returns before any webhook', async () => {
    const p = await paidButUndelivered();
    // GET re-reads the Checkout Session; the later webhook then changes nothing.
    expect((await w.api.call('GET', `/v1/purchases/${p.id}`, { token: buyer.token })).body.status).toBe('paid');
    const [ev] = eventsOf('checkout.session.completed', p.id);
    expect((await (await deliver(wire(ev as TestEvent))).json()).duplicate).toBe(false);
    expect(await ledgerTxs(p.id)).toEqual(['sale', 'payout']);
  });
});
