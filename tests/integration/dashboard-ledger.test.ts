/**
 * The studio's earnings dashboard equals the server's ledger: for random histories of sales,
 * per-use charges, derivative sales and refunds, what the studio shows (its `market.earnings`
 * call, the numbers the Earnings screen renders) is recomputed here straight from the ledger
 * entries in the database and must match to the micro-dollar.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handlers, dispatch } from '../../electron/main/handlers.ts';
import type { Connected } from '../../electron/main/services/connected.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { type Person, moneyWorld } from '../helpers/money.ts';
import { openConnectedStudio } from '../helpers/connected-studio.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
let creator: Person;
let parent: Person;
let buyers: Person[];
let assets: string[];
let studio: Studio;
let connected: Connected;
let h: Handlers;
const call = async <T>(m: string, i: unknown = {}): Promise<T> => {
  const r = await dispatch(h, m, i);
  if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
  return r.value as T;
};

beforeAll(async () => {
  w = await moneyWorld();
  creator = await w.creator('dana');
  parent = await w.creator('pia');
  buyers = await Promise.all([0, 1, 2].map((i) => w.buyer(`buyer${i}`)));
  const original = await w.publish(parent, { model: 'one_time', priceCents: 300 });
  assets = [
    await w.publish(creator, { model: 'one_time', priceCents: 999 }),
    await w.publish(creator, { model: 'one_time', priceCents: 4_321 }),
    await w.publish(creator, { model: 'one_time', priceCents: 1_250 }, original),
    await w.publish(creator, { model: 'per_use', priceCents: 7 }),
  ];
  for (const b of buyers) await w.buy(b, '/v1/me/balance/top-up', { amountCents: 2_000 });
  const dir = mkdtempSync(join(tmpdir(), 'studio-dash-'));
  ({ studio, connected, handlers: h } = await openConnectedStudio(dir, { syncIntervalMs: 3_600_000 }));
  await call('settings.set', { marketplaceUrl: w.srv.url });
  await call('account.signIn', { email: 'dana@money.dev', password: 'a long enough password' });
}, 120_000);
afterAll(async () => {
  await connected.close();
  await studio.close();
  await w.stop();
});

type Op = { t: 'buy'; buyer: number; asset: number } | { t: 'use'; buyer: number } | { t: 'refund'; pick: number };

describe('earnings dashboard', () => {
  it('shows exactly what the ledger holds, for random sale, use and refund histories', async () => {
    const bought: { buyer: Person; id: string; asset: number }[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ t: fc.constant('buy' as const), buyer: fc.nat(2), asset: fc.nat(2) }),
            fc.record({ t: fc.constant('use' as const), buyer: fc.nat(2) }),
            fc.record({ t: fc.constant('refund' as const), pick: fc.nat(20) }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (ops: Op[]) => {
          for (const o of ops) {
            if (o.t === 'buy') {
              const b = buyers[o.buyer] as Person;
              const start = await w.api.call('POST', `/v1/assets/${assets[o.asset]}/purchase`, { token: b.token, json: {} });
              if (start.status !== 201) continue; // already owned
              await w.pay(start.body);
              bought.push({ buyer: b, id: start.body.id, asset: o.asset });
            } else if (o.t === 'use') {
              w.must(
                'use',
                await w.api.call('POST', `/v1/assets/${assets[3]}/use`, { token: (buyers[o.buyer] as Person).token, json: {} }),
              );
            } else {
              const p = bought.splice(o.pick % Math.max(1, bought.length), 1)[0];
              if (p)
                w.must(
                  'refund',
                  await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: p.buyer.token, json: { reason: 'other' } }),
                );
            }
          }
          // What the studio's dashboard shows…
          const shown = await call<{ totals: Record<string, number>; balanceMicros: number; perAsset: { assetId: string; net: number }[] }>(
            'market.earnings',
            { period: 'all' },
          );
          // …against the ledger itself.
          const q = async (sql: string) =>
            Number((await w.srv.marketplace.db.query<{ v: string | null }>(sql, [`creator:${creator.id}`])).rows[0]?.v ?? 0);
          const entries = `FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id WHERE e.account_id = $1`;
          expect(shown.balanceMicros).toBe(0 - (await q(`SELECT sum(e.amount_micros) AS v ${entries}`)));
          expect(shown.totals.net).toBe(
            0 - (await q(`SELECT sum(e.amount_micros) AS v ${entries} AND t.kind IN ('sale','usage','refund')`)),
          );
          expect(shown.totals.refunds).toBe(await q(`SELECT sum(e.amount_micros) AS v ${entries} AND t.kind = 'refund'`));
          expect(shown.totals.payouts).toBe(
            await q(`SELECT sum(e.amount_micros) AS v ${entries} AND t.kind IN ('payout','payout_reversal')`),
          );
          expect(shown.totals.sales).toBe(await q(`SELECT count(*) AS v ${entries} AND t.kind IN ('sale','usage')`));
          expect(shown.totals.grossSales).toBe(
            await q(`SELECT sum((t.memo->'breakdown'->>'gross')::bigint) AS v ${entries} AND t.kind IN ('sale','usage')`),
          );
          expect(shown.totals.parentRoyaltiesPaid).toBe(
            await q(`SELECT sum((t.memo->'breakdown'->>'parentRoyalty')::bigint) AS v ${entries} AND t.kind IN ('sale','usage')`),
          );
          const perAssetSum = shown.perAsset.reduce((a, x) => a + x.net, 0);
          expect(perAssetSum).toBe(shown.totals.net);
          // And the whole ledger still balances.
          expect(
            Number(
              (await w.srv.marketplace.db.query<{ v: string | null }>('SELECT sum(amount_micros) AS v FROM ledger_entries')).rows[0]?.v ??
                0,
            ),
          ).toBe(0);
        },
      ),
      { numRuns: 10 },
    );
    // The histories did move money: sales and refunds both happened.
    const final = await call<{ totals: { sales: number; refundCount: number } }>('market.earnings', { period: 'all' });
    expect(final.totals.sales).toBeGreaterThan(3);
    expect(final.totals.refundCount).toBeGreaterThan(0);
  }, 180_000);
});
