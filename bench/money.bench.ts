/**
 * Money benchmarks on the embedded store (PGlite), each against a baseline from the same run:
 *  - ledger postings/s (a balanced 4-entry sale through `post`, in its own transaction, with the
 *    append-only and balance triggers) vs plain INSERTs of the same rows into an unconstrained table;
 *  - purchases/s end to end (checkout over HTTP → the test processor's checkout page → signed
 *    webhook → fulfilment, ledger, entitlement, Connect transfer) vs the processor alone doing the
 *    same checkout and payment through the stripe SDK with no marketplace around it.
 * BENCH_MONEY_POSTINGS and BENCH_MONEY_PURCHASES set the counts.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { post, saleEntries } from '../server/repos/ledger.ts';
import { MICROS_PER_CENT, splitSale } from '../shared/policy/money.ts';
import { moneyWorld } from '../tests/helpers/money.ts';

const POSTINGS = Number(process.env.BENCH_MONEY_POSTINGS ?? 2000);
const PURCHASES = Number(process.env.BENCH_MONEY_PURCHASES ?? 150);

const w = await moneyWorld();
const db = w.srv.marketplace.db;

// ---------------------------------------------------------------- ledger postings
const creators = Array.from({ length: 20 }, () => randomUUID());
const sales = Array.from({ length: POSTINGS }, (_, i) =>
  saleEntries(splitSale((99 + ((i * 37) % 9900)) * MICROS_PER_CENT, { hasParent: i % 3 === 0, cardCharge: true }), {
    creatorId: creators[i % 20] as string,
    parentCreatorId: creators[(i + 7) % 20] as string,
  }),
);
await db.exec('CREATE TABLE bench_plain (id bigserial PRIMARY KEY, tx integer NOT NULL, account text NOT NULL, amount bigint NOT NULL)');
let t = performance.now();
for (const [i, entries] of sales.entries())
  await db.tx(async (sql) => {
    for (const e of entries) await sql.query('INSERT INTO bench_plain (tx, account, amount) VALUES ($1,$2,$3)', [i, e.account, e.amount]);
  });
const plainRate = POSTINGS / ((performance.now() - t) / 1000);
t = performance.now();
for (const [i, entries] of sales.entries()) await db.tx((sql) => post(sql, { kind: 'sale', idempotencyKey: `bench-${i}`, entries }));
const postRate = POSTINGS / ((performance.now() - t) / 1000);
const sum = (await db.query<{ s: string | null }>('SELECT sum(amount_micros) AS s FROM ledger_entries')).rows[0]?.s;
console.log(
  `ledger: ${postRate.toFixed(0)} postings/s (${POSTINGS} sales of 4–5 entries, each its own transaction; ledger sum ${sum}) = ${(postRate / plainRate).toFixed(2)}× plain INSERTs of the same rows (${plainRate.toFixed(0)}/s)`,
);

// ---------------------------------------------------------------- purchases
const creator = await w.creator('bench-creator');
const buyer = await w.buyer('bench-buyer');
const assets: string[] = [];
for (let i = 0; i < 10; i++) assets.push(await w.publish(creator, null));
const offers: string[] = [];
for (const a of assets)
  offers.push(
    w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${a}/licenses`, {
        token: creator.token,
        json: { licenseType: 'royalty_free', priceCents: 999, terms: { usageRights: ['web'] } },
      }),
      201,
    ).id,
  );

// Baseline: the same checkout + payment on the processor through the SDK, no marketplace.
const sdk = new Stripe(w.processor.secretKey, { host: '127.0.0.1', port: w.processor.port, protocol: 'http' });
w.processor.autoDeliver = false;
t = performance.now();
for (let i = 0; i < PURCHASES; i++) {
  const s = await sdk.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 999, product_data: { name: 'baseline' } } }],
    success_url: 'http://127.0.0.1/done',
  });
  await fetch(`${s.url}/pay`, { method: 'POST', redirect: 'manual' });
}
const processorRate = PURCHASES / ((performance.now() - t) / 1000);
w.processor.autoDeliver = true;

t = performance.now();
for (let i = 0; i < PURCHASES; i++) {
  const p = await w.buy(buyer, `/v1/licenses/${offers[i % offers.length]}/purchase`);
  if (p.status !== 'paid') throw new Error(`purchase ${i} ended ${p.status}`);
}
const purchaseRate = PURCHASES / ((performance.now() - t) / 1000);
const paid = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM purchases WHERE status = 'paid'`)).rows[0]?.n;
console.log(
  `purchases: ${purchaseRate.toFixed(1)}/s end to end (${paid} paid: checkout, payment, signed webhook, ledger, entitlement, transfer) = ${(purchaseRate / processorRate).toFixed(2)}× the test processor alone doing checkout + payment (${processorRate.toFixed(1)}/s)`,
);
await w.stop();
