/**
 * In-memory stand-ins for the money services' outside world, for unit tests without a server or a
 * database: repositories over plain maps and arrays (a balanced-ledger check included), a database
 * whose transactions run the callback on one handle, and a payment processor that records calls.
 * Only what the services under test use is implemented; anything else throws when called.
 */
import type { LicenseTerms } from '../../shared/payments.ts';
import { MONEY_POLICY, type MoneyPolicy } from '../../shared/policy/money.ts';
import type { UserRow } from '../../server/auth.ts';
import type { Database, Sql } from '../../server/db.ts';
import {
  PROCESSOR_CLEARING,
  PROCESSOR_FEES,
  REFUNDS_PAYABLE,
  type Entry,
  type Posting,
  creatorAccount,
} from '../../server/repos/ledger.ts';
import type { PaymentProcessor } from '../../server/payments/processor.ts';
import type { AssetMoneyRow } from '../../server/repos/money/assets.ts';
import type { MoneyRepos } from '../../server/repos/money/index.ts';
import type { PayoutRow } from '../../server/repos/money/payouts.ts';
import type { PurchaseRow } from '../../server/repos/money/purchases.ts';
import type { MoneyContext } from '../../server/services/money/context.ts';
import { moneyBus } from '../../server/services/money/events.ts';

/** The one handle every fake transaction (and the fake database itself) passes to repositories. */
const noSql = (): never => {
  throw new Error('unit tests run no SQL: a repository call reached the fake database');
};

export function fakeDatabase(): Database & { txCount: number } {
  const db = {
    kind: 'pglite' as const,
    vectors: false,
    txCount: 0,
    query: noSql,
    exec: noSql,
    async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      db.txCount += 1;
      return fn(db);
    },
    exclusive: <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn(),
    async close() {},
  };
  return db;
}

export interface LedgerTx extends Posting {
  id: number;
}

/** The in-memory state the fake repositories read and write. */
export class FakeMoneyStore {
  assets = new Map<string, AssetMoneyRow & { asset_type: string }>();
  reviews: { assetId: string; rating: number }[] = [];
  purchases = new Map<string, PurchaseRow>();
  entitlements: { userId: string; assetId: string | null; version: number | null; source: string; ref: string }[] = [];
  ledger: LedgerTx[] = [];
  payouts = new Map<string, PayoutRow>();
  payoutAccounts = new Map<string, string>();

  balance(account: string): number {
    return this.ledger.flatMap((t) => t.entries).reduce((s, e) => (e.account === account ? s + e.amount : s), 0);
  }

  repos(): MoneyRepos {
    return fakeRepos(this);
  }
}

/** Repositories over one store's maps and arrays. */
function fakeRepos(s: FakeMoneyStore): MoneyRepos {
  const post = async (_sql: Sql, p: Posting) => {
    if (p.entries.reduce((a, e) => a + e.amount, 0) !== 0) throw new Error(`unbalanced ${p.kind} posting`);
    const prior = p.idempotencyKey ? s.ledger.find((t) => t.idempotencyKey === p.idempotencyKey) : undefined;
    if (prior) return { txId: prior.id, duplicate: true };
    const tx = { ...p, id: s.ledger.length + 1 };
    s.ledger.push(tx);
    return { txId: tx.id, duplicate: false };
  };
  /** Same reading of a sale as server/repos/ledger.ts: shares given back, the gross owed to the buyer (or their balance). */
  const refundEntries = async (_sql: Sql, saleTxId: number) => {
    const sale = s.ledger.find((t) => t.id === saleTxId);
    if (!sale) throw new Error(`no ledger transaction ${saleTxId}`);
    const entries: Entry[] = [];
    let gross = 0;
    let payee = REFUNDS_PAYABLE;
    for (const e of sale.entries) {
      if (e.account === PROCESSOR_FEES || e.account === PROCESSOR_CLEARING) gross += e.amount;
      else if (e.account.startsWith('buyer_balance:')) {
        gross += e.amount;
        payee = e.account;
      } else entries.push({ account: e.account, amount: -e.amount });
    }
    entries.push({ account: payee, amount: -gross });
    return { entries, gross };
  };
  const creatorBalance = async (_sql: Sql, userId: string) => 0 - s.balance(creatorAccount(userId));
  const repos = {
    assets: {
      findAsset: async (_sql: Sql, id: string) => s.assets.get(id),
      setPricing: async (_sql: Sql, id: string, model: string, priceCents: number, interval: 'month' | 'year' | null) => {
        const a = s.assets.get(id) as AssetMoneyRow;
        Object.assign(a, { pricing_model: model, price_cents: priceCents, billing_interval: interval });
      },
      reviewStats: async (_sql: Sql, assetId: string) => {
        const r = s.reviews.filter((x) => x.assetId === assetId);
        return { avg: r.length ? r.reduce((a, x) => a + x.rating, 0) / r.length : null, n: r.length };
      },
      assetType: async (_sql: Sql, assetId: string) => s.assets.get(assetId)?.asset_type,
    },
    purchases: {
      findPurchase: async (_sql: Sql, id: string) => {
        const p = s.purchases.get(id);
        return p ? { ...p } : undefined;
      },
      markRefunded: async (_sql: Sql, id: string, reason: string, _details: string | null) => {
        Object.assign(s.purchases.get(id) as PurchaseRow, { status: 'refunded', refunded_at: new Date(), refund_reason: reason });
      },
    },
    subscriptions: { findSubscription: async () => undefined },
    entitlements: {
      revoke: async (_sql: Sql, ref: string, source?: string) => {
        s.entitlements = s.entitlements.filter((e) => e.ref !== ref || (source !== undefined && e.source !== source));
      },
    },
    ledger: {
      post,
      refundEntries,
      creatorBalance,
      balance: async (_sql: Sql, account: string) => s.balance(account),
      payableCents: async (sql: Sql, userId: string) => {
        const owed = await creatorBalance(sql, userId);
        return owed > 0 ? Math.floor(owed / 10_000) : 0;
      },
      txIdByKey: async (_sql: Sql, key: string) => Number(s.ledger.find((t) => t.idempotencyKey === key)?.id),
    },
    payouts: {
      payoutAccount: async (_sql: Sql, userId: string) => s.payoutAccounts.get(userId) ?? null,
      lockName: async () => {},
      findPayout: async (_sql: Sql, id: string) => s.payouts.get(id),
      markReversed: async (_sql: Sql, id: string) => {
        const p = s.payouts.get(id) as PayoutRow;
        p.reversed_cents = p.amount_cents;
      },
      reversibleOf: async (_sql: Sql, purchaseId: string) =>
        [...s.payouts.values()]
          .filter((p) => p.purchase_id === purchaseId && p.status === 'paid' && p.reversed_cents < p.amount_cents)
          .map((p) => p.id),
    },
  };
  // Repositories the services under test never reach are left out: calling one fails the test.
  return repos as unknown as MoneyRepos;
}

type Call = { method: string; args: unknown[] };

/** A processor that answers refunds and transfer reversals and records every call (others throw). */
export class RecordingProcessor {
  readonly kind = 'local_test' as const;
  calls: Call[] = [];
  /** The refund answer: the processor may have refunded the charge already (e.g. from its dashboard). */
  refundAnswer: 'refunded' | 'already_refunded' = 'refunded';

  asProcessor(): PaymentProcessor {
    return this as unknown as PaymentProcessor;
  }

  async createRefund(...args: unknown[]) {
    this.calls.push({ method: 'createRefund', args });
    return this.refundAnswer;
  }

  async reverseTransfer(...args: unknown[]) {
    this.calls.push({ method: 'reverseTransfer', args });
  }
}

export function fakeContext(store: FakeMoneyStore, processor: RecordingProcessor, policy: MoneyPolicy = MONEY_POLICY) {
  const db = fakeDatabase();
  const ctx: MoneyContext = {
    db,
    processor: processor.asProcessor(),
    policy,
    publicUrl: 'http://market.test/',
    events: moneyBus(),
    repos: store.repos(),
  };
  return { ctx, db };
}

export function user(id: string, roles: UserRow['roles'] = ['buyer']): UserRow {
  return {
    id,
    email: `${id}@test`,
    display_name: id,
    password_hash: '',
    roles,
    creator_tier: true,
    verified: false,
    selling_banned: false,
    reputation: 0,
  };
}

export function asset(id: string, creatorId: string, over: Partial<AssetMoneyRow & { asset_type: string }> = {}) {
  return {
    id,
    creator_id: creatorId,
    name: `Asset ${id}`,
    status: 'published',
    published_version: 1,
    parent_asset_id: null,
    parent_creator_id: null,
    pricing_model: null,
    price_cents: null,
    billing_interval: null,
    asset_type: 'item',
    ...over,
  } satisfies AssetMoneyRow & { asset_type: string };
}

export function purchase(id: string, over: Partial<PurchaseRow> = {}): PurchaseRow {
  return {
    id,
    buyer_id: 'buyer',
    asset_id: 'a1',
    version: 1,
    kind: 'one_time',
    offer_id: null,
    exclusive: false,
    amount_cents: 1000,
    status: 'paid',
    checkout_session_id: 'cs_1',
    checkout_url: null,
    payment_intent_id: `pi_${id}`,
    charge_id: `ch_${id}`,
    subscription_id: null,
    license_key: null,
    license_terms: null as LicenseTerms | null,
    license_expires_at: null,
    impressions_used: 0,
    refund_reason: null,
    created_at: new Date(),
    paid_at: new Date(),
    refunded_at: null,
    license_type: null,
    asset_name: 'Asset a1',
    creator_id: 'creator',
    ...over,
  };
}
