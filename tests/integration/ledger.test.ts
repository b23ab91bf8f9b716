/**
 * The double-entry ledger on PGlite: property tests over random sequences of sales, prepaid
 * top-ups and uses, refunds and payouts; append-only and balance enforced by the database itself.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MICROS_PER_CENT, splitSale } from '../../shared/policy/money.ts';
import type { Database } from '../../server/db.ts';
import { testDatabase } from '../helpers/server.ts';
import {
  PLATFORM_REVENUE,
  PROCESSOR_CLEARING,
  PROCESSOR_FEES,
  balance,
  buyerBalanceAccount,
  creatorAccount,
  creatorBalance,
  payout,
  post,
  refundEntries,
  reverse,
  saleEntries,
  settleRefundEntries,
} from '../../server/repos/ledger.ts';

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await testDatabase());
});
afterAll(() => drop());

type Op =
  | { t: 'sale'; creator: number; parent: number | null; cents: number }
  | { t: 'topup'; buyer: number; cents: number }
  | { t: 'use'; buyer: number; creator: number; parent: number | null; cents: number }
  | { t: 'refund'; pick: number }
  | { t: 'payout'; creator: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('sale' as const),
    creator: fc.nat(2),
    parent: fc.option(fc.nat(2), { nil: null }),
    cents: fc.integer({ min: 99, max: 9999 }),
  }),
  fc.record({ t: fc.constant('topup' as const), buyer: fc.nat(1), cents: fc.integer({ min: 100, max: 5000 }) }),
  fc.record({
    t: fc.constant('use' as const),
    buyer: fc.nat(1),
    creator: fc.nat(2),
    parent: fc.option(fc.nat(2), { nil: null }),
    cents: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({ t: fc.constant('refund' as const), pick: fc.nat(50) }),
  fc.record({ t: fc.constant('payout' as const), creator: fc.nat(2) }),
);

describe('ledger', () => {
  it('for any sequence of sales, uses, refunds and payouts: balances equal their entries, the ledger sums to zero, no money is created or lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const creators = [randomUUID(), randomUUID(), randomUUID()];
        const buyers = [randomUUID(), randomUUID()];
        const globals = [PLATFORM_REVENUE, PROCESSOR_CLEARING, PROCESSOR_FEES];
        const before = Object.fromEntries(await Promise.all(globals.map(async (a) => [a, await balance(db, a)] as const)));
        const expected = new Map<string, number>();
        const add = (acct: string, v: number) => expected.set(acct, (expected.get(acct) ?? 0) + v);
        const sales: { txId: number; entries: { account: string; amount: number }[]; refunded: boolean; gross: number }[] = [];
        let charged = 0;
        let refunded = 0;
        let paidOut = 0;
        for (const o of ops) {
          if (o.t === 'sale' || o.t === 'use') {
            const parent = o.parent !== null && o.parent !== o.creator ? (creators[o.parent] as string) : null;
            const b = splitSale(o.cents * MICROS_PER_CENT, { hasParent: Boolean(parent), cardCharge: o.t === 'sale' });
            if (o.t === 'use' && -(expected.get(buyerBalanceAccount(buyers[o.buyer] as string)) ?? 0) < b.gross) continue; // insufficient prepaid balance
            const entries = saleEntries(b, {
              creatorId: creators[o.creator] as string,
              parentCreatorId: parent,
              buyerId: buyers[o.t === 'use' ? o.buyer : 0] as string,
              fromBalance: o.t === 'use',
            });
            const r = await db.tx((sql) => post(sql, { kind: o.t === 'sale' ? 'sale' : 'usage', entries }));
            for (const e of entries) add(e.account, e.amount);
            if (o.t === 'sale') {
              sales.push({ txId: r.txId, entries, refunded: false, gross: b.gross });
              charged += b.gross;
            }
          } else if (o.t === 'topup') {
            const gross = o.cents * MICROS_PER_CENT;
            const fee = splitSale(gross, { hasParent: false, cardCharge: true }).processorFee;
            const entries = [
              { account: PROCESSOR_CLEARING, amount: gross - fee },
              { account: PROCESSOR_FEES, amount: fee },
              { account: buyerBalanceAccount(buyers[o.buyer] as string), amount: -gross },
            ];
            await db.tx((sql) => post(sql, { kind: 'top_up', entries }));
            for (const e of entries) add(e.account, e.amount);
            charged += gross;
          } else if (o.t === 'refund') {
            const s = sales.filter((x) => !x.refunded)[o.pick % Math.max(1, sales.length)];
            if (!s || s.refunded) continue;
            // The marketplace's refund: shares given back, the buyer owed the gross (refunds:payable),
            // then the processor's confirmation moves it out of clearing; the processor keeps its fee.
            await db.tx(async (sql) => {
              const r = await refundEntries(sql, s.txId);
              await post(sql, { kind: 'refund', idempotencyKey: `refund-${s.txId}`, reverses: s.txId, entries: r.entries });
              await post(sql, { kind: 'refund_settled', idempotencyKey: `settled-${s.txId}`, entries: settleRefundEntries(r.gross) });
            });
            // Idempotent: the same refund posted again (a repeated webhook) moves nothing.
            await db.tx(async (sql) => {
              const r = await refundEntries(sql, s.txId);
              expect((await post(sql, { kind: 'refund', idempotencyKey: `refund-${s.txId}`, entries: r.entries })).duplicate).toBe(true);
            });
            s.refunded = true;
            refunded += s.gross;
            for (const e of s.entries) if (e.account !== PROCESSOR_FEES && e.account !== PROCESSOR_CLEARING) add(e.account, -e.amount);
            add(PROCESSOR_CLEARING, -s.gross);
          } else {
            const who = creators[o.creator] as string;
            const r = await db.tx((sql) => payout(sql, who, `payout-${randomUUID()}`));
            if (r.amountMicros) {
              add(creatorAccount(who), r.amountMicros);
              add(PROCESSOR_CLEARING, -r.amountMicros);
              paidOut += r.amountMicros;
            }
          }
        }
        // Every account's balance is exactly what the operations imply, derived from its entries.
        for (const [acct, v] of expected) {
          const got = (await balance(db, acct)) - (globals.includes(acct) ? (before[acct] as number) : 0);
          expect({ acct, got }).toEqual({ acct, got: v });
        }
        // The whole ledger sums to zero, and every transaction balances.
        expect((await db.query<{ s: string }>('SELECT COALESCE(sum(amount_micros), 0) AS s FROM ledger_entries')).rows[0]?.s).toBe('0');
        expect((await db.query('SELECT tx_id FROM ledger_entries GROUP BY tx_id HAVING sum(amount_micros) <> 0')).rows).toEqual([]);
        // Conservation: the processor holds what buyers paid, less refunds and payouts (fees included).
        const clearing = (await balance(db, PROCESSOR_CLEARING)) - (before[PROCESSOR_CLEARING] as number);
        const fees = (await balance(db, PROCESSOR_FEES)) - (before[PROCESSOR_FEES] as number);
        expect(clearing + fees).toBe(charged - refunded - paidOut);
        // Creators are never paid a fraction of a cent.
        for (const c of creators) {
          const owed = await creatorBalance(db, c);
          if (owed > 0)
            expect(owed < 10_000 || (await db.tx((sql) => payout(sql, c, `final-${c}`))).amountMicros % 10_000 === 0).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('refuses unbalanced postings, float amounts, edits and deletions; idempotency keys post once', async () => {
    await expect(post(db, { kind: 'correction', entries: [{ account: PLATFORM_REVENUE, amount: 5 }] })).rejects.toThrow(/unbalanced/);
    await expect(
      post(db, {
        kind: 'correction',
        entries: [
          { account: PLATFORM_REVENUE, amount: 0.5 },
          { account: PROCESSOR_CLEARING, amount: -0.5 },
        ],
      }),
    ).rejects.toThrow(/integer micro-dollars/);
    // The database itself refuses an unbalanced transaction at commit, and any edit.
    await expect(
      db.tx(async (sql) => {
        const t = await sql.query<{ id: string }>(`INSERT INTO ledger_transactions (kind) VALUES ('correction') RETURNING id`);
        await sql.query(`INSERT INTO ledger_accounts (id, kind) VALUES ($1, 'platform_revenue') ON CONFLICT DO NOTHING`, [
          PLATFORM_REVENUE,
        ]);
        await sql.query('INSERT INTO ledger_entries (tx_id, account_id, amount_micros) VALUES ($1, $2, 7)', [
          t.rows[0]?.id,
          PLATFORM_REVENUE,
        ]);
      }),
    ).rejects.toThrow(/unbalanced ledger transaction/);
    const c = randomUUID();
    const entries = saleEntries(splitSale(999 * MICROS_PER_CENT, { hasParent: false, cardCharge: true }), { creatorId: c });
    const first = await db.tx((sql) => post(sql, { kind: 'sale', idempotencyKey: `sale-${c}`, entries }));
    const again = await db.tx((sql) => post(sql, { kind: 'sale', idempotencyKey: `sale-${c}`, entries }));
    expect(again).toEqual({ txId: first.txId, duplicate: true });
    expect(await creatorBalance(db, c)).toBe(6_993_000);
    await expect(db.query('UPDATE ledger_entries SET amount_micros = 1 WHERE tx_id = $1', [first.txId])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM ledger_entries WHERE tx_id = $1', [first.txId])).rejects.toThrow(/append-only/);
  });

  it('a refund can leave a negative creator balance after a payout, recovered from later earnings', async () => {
    const c = randomUUID();
    const sale = await db.tx((sql) =>
      post(sql, {
        kind: 'sale',
        entries: saleEntries(splitSale(999 * MICROS_PER_CENT, { hasParent: false, cardCharge: true }), { creatorId: c }),
      }),
    );
    expect((await db.tx((sql) => payout(sql, c, `p1-${c}`))).amountMicros).toBe(6_990_000);
    await db.tx((sql) => reverse(sql, sale.txId, { kind: 'refund' }));
    expect(await creatorBalance(db, c)).toBe(3_000 - 6_993_000);
    await db.tx((sql) =>
      post(sql, {
        kind: 'sale',
        entries: saleEntries(splitSale(9999 * MICROS_PER_CENT, { hasParent: false, cardCharge: true }), { creatorId: c }),
      }),
    );
    expect(await creatorBalance(db, c)).toBe(3_000 - 6_993_000 + 69_993_000);
  });
});
