/**
 * Posting to the double-entry ledger (server/migrations/002_ledger.sql). Amounts are integer
 * micro-dollars; each posting balances; corrections are reversing transactions; an idempotency
 * key makes a repeated posting return the first one instead of moving money twice.
 */
import type { SaleBreakdown } from '../../shared/policy/money.ts';
import type { Sql } from '../db.ts';

export type AccountKind = 'creator' | 'buyer_balance' | 'platform_revenue' | 'processor_clearing' | 'processor_fees' | 'refunds_payable';

export const PLATFORM_REVENUE = 'platform:revenue';
export const PROCESSOR_CLEARING = 'processor:clearing';
export const PROCESSOR_FEES = 'processor:fees';
/** Refunds granted and not yet confirmed by the processor. */
export const REFUNDS_PAYABLE = 'refunds:payable';
export const creatorAccount = (userId: string) => `creator:${userId}`;
export const buyerBalanceAccount = (userId: string) => `buyer_balance:${userId}`;

export interface Entry {
  account: string;
  amount: number;
}

export interface Posting {
  kind: 'sale' | 'usage' | 'top_up' | 'refund' | 'refund_settled' | 'unfulfilled' | 'payout' | 'payout_reversal' | 'correction';
  ref?: string;
  /** Analytics: what the money was about. */
  assetId?: string | null;
  purchaseId?: string | null;
  buyerId?: string | null;
  /** The creator of the asset sold (a parent's royalty is a credit to another creator in the same transaction). */
  creatorId?: string | null;
  idempotencyKey?: string;
  reverses?: number;
  memo?: Record<string, unknown>;
  entries: Entry[];
}

function kindOf(account: string): { kind: AccountKind; owner: string | null } {
  const [prefix, rest] = account.split(':') as [string, string | undefined];
  if (prefix === 'creator') return { kind: 'creator', owner: rest ?? null };
  if (prefix === 'buyer_balance') return { kind: 'buyer_balance', owner: rest ?? null };
  if (account === PLATFORM_REVENUE) return { kind: 'platform_revenue', owner: null };
  if (account === PROCESSOR_CLEARING) return { kind: 'processor_clearing', owner: null };
  if (account === PROCESSOR_FEES) return { kind: 'processor_fees', owner: null };
  if (account === REFUNDS_PAYABLE) return { kind: 'refunds_payable', owner: null };
  throw new Error(`unknown ledger account ${account}`);
}

/**
 * Posts one balanced transaction; returns its id (the existing one for a repeated idempotency key).
 * Call it inside a database transaction (`db.tx`): the balance check is a deferred constraint that
 * runs at commit, so entries written outside one are refused one by one.
 */
export async function post(sql: Sql, p: Posting): Promise<{ txId: number; duplicate: boolean }> {
  const entries = p.entries.filter((e) => e.amount !== 0);
  for (const e of entries)
    if (!Number.isSafeInteger(e.amount)) throw new Error(`ledger amounts are integer micro-dollars (got ${e.amount} for ${e.account})`);
  const sum = entries.reduce((a, e) => a + e.amount, 0);
  if (sum !== 0) throw new Error(`unbalanced posting (${sum} micro-dollars)`);
  if (p.idempotencyKey) {
    const prior = await sql.query<{ id: string }>('SELECT id FROM ledger_transactions WHERE idempotency_key = $1', [p.idempotencyKey]);
    if (prior.rows[0]) return { txId: Number(prior.rows[0].id), duplicate: true };
  }
  for (const e of entries) {
    const k = kindOf(e.account);
    await sql.query('INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
      e.account,
      k.kind,
      k.owner,
    ]);
  }
  const tx = await sql.query<{ id: string }>(
    `INSERT INTO ledger_transactions (kind, ref, idempotency_key, reverses, memo, asset_id, purchase_id, buyer_id, creator_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [
      p.kind,
      p.ref ?? null,
      p.idempotencyKey ?? null,
      p.reverses ?? null,
      JSON.stringify(p.memo ?? {}),
      p.assetId ?? null,
      p.purchaseId ?? null,
      p.buyerId ?? null,
      p.creatorId ?? null,
    ],
  );
  const txId = Number(tx.rows[0]?.id);
  for (const e of entries)
    await sql.query('INSERT INTO ledger_entries (tx_id, account_id, amount_micros) VALUES ($1, $2, $3)', [txId, e.account, e.amount]);
  return { txId, duplicate: false };
}

/** Debit-positive balance of an account, derived from its entries. */
export async function balance(sql: Sql, account: string): Promise<number> {
  const r = await sql.query<{ b: string | null }>('SELECT sum(amount_micros) AS b FROM ledger_entries WHERE account_id = $1', [account]);
  return Number(r.rows[0]?.b ?? 0);
}

/** What the platform owes a creator (credit balance of their account), in micro-dollars. */
export async function creatorBalance(sql: Sql, userId: string): Promise<number> {
  return 0 - (await balance(sql, creatorAccount(userId)));
}

/**
 * Entries of one sale. Card sale: the processor clearing account receives the gross less the
 * processor's fee (an expense); the creator, the parent's creator and the platform are credited
 * their shares. Balance-funded use: the buyer's prepaid balance pays the gross.
 */
export function saleEntries(
  b: SaleBreakdown,
  who: { creatorId: string; parentCreatorId?: string | null; buyerId?: string; fromBalance?: boolean },
): Entry[] {
  const entries: Entry[] = who.fromBalance
    ? [{ account: buyerBalanceAccount(who.buyerId as string), amount: b.gross }]
    : [
        { account: PROCESSOR_CLEARING, amount: b.gross - b.processorFee },
        { account: PROCESSOR_FEES, amount: b.processorFee },
      ];
  entries.push({ account: creatorAccount(who.creatorId), amount: -b.creatorNet }, { account: PLATFORM_REVENUE, amount: -b.platformFee });
  if (b.parentRoyalty) entries.push({ account: creatorAccount(who.parentCreatorId as string), amount: -b.parentRoyalty });
  return entries;
}

/** A reversing transaction for a prior one (refunds, corrections): the same entries negated, except the processor's fee, which is not returned. */
export async function reverse(
  sql: Sql,
  txId: number,
  p: Omit<Posting, 'entries' | 'reverses'>,
): Promise<{ txId: number; duplicate: boolean }> {
  const rows = await sql.query<{ account_id: string; amount_micros: string }>(
    'SELECT account_id, amount_micros FROM ledger_entries WHERE tx_id = $1',
    [txId],
  );
  if (!rows.rows.length) throw new Error(`no ledger transaction ${txId}`);
  let feeKept = 0;
  const entries: Entry[] = [];
  for (const r of rows.rows) {
    const amount = Number(r.amount_micros);
    if (r.account_id === PROCESSOR_FEES) {
      feeKept += amount;
      continue;
    }
    entries.push({ account: r.account_id, amount: -amount });
  }
  // The processor keeps its fee: the refund to the buyer comes out of clearing in full.
  if (feeKept) entries.push({ account: PROCESSOR_CLEARING, amount: -feeKept });
  return post(sql, { ...p, reverses: txId, entries });
}

/**
 * A refund of a sale, in two steps. `refundEntries`: the creator, the parent and the platform give
 * back their shares and the buyer is owed the gross (refunds:payable; a balance-funded use goes
 * straight back to the buyer's prepaid balance). The processor keeps its fee: the platform bears
 * it. `settleRefund`: the processor confirmed the refund, the money leaves clearing.
 */
export async function refundEntries(sql: Sql, saleTxId: number): Promise<{ entries: Entry[]; gross: number }> {
  const rows = await sql.query<{ account_id: string; amount_micros: string }>(
    'SELECT account_id, amount_micros FROM ledger_entries WHERE tx_id = $1',
    [saleTxId],
  );
  if (!rows.rows.length) throw new Error(`no ledger transaction ${saleTxId}`);
  const entries: Entry[] = [];
  let gross = 0;
  let payee = REFUNDS_PAYABLE;
  for (const r of rows.rows) {
    const amount = Number(r.amount_micros);
    if (r.account_id === PROCESSOR_FEES || r.account_id === PROCESSOR_CLEARING) {
      gross += amount;
      continue;
    }
    if (r.account_id.startsWith('buyer_balance:')) {
      gross += amount;
      payee = r.account_id;
      continue;
    }
    entries.push({ account: r.account_id, amount: -amount });
  }
  entries.push({ account: payee, amount: -gross });
  return { entries, gross };
}

export const settleRefundEntries = (grossMicros: number): Entry[] => [
  { account: REFUNDS_PAYABLE, amount: grossMicros },
  { account: PROCESSOR_CLEARING, amount: -grossMicros },
];

/** Whole cents of what the platform owes a creator (the sub-cent remainder stays for the next payout). */
export async function payableCents(sql: Sql, userId: string): Promise<number> {
  const owed = await creatorBalance(sql, userId);
  return owed > 0 ? Math.floor(owed / 10_000) : 0;
}

/** A payout of whole cents to the creator: their balance goes down, clearing pays it. */
export const payoutEntries = (userId: string, cents: number): Entry[] => [
  { account: creatorAccount(userId), amount: cents * 10_000 },
  { account: PROCESSOR_CLEARING, amount: -cents * 10_000 },
];

/** Pays a creator's balance out in whole cents; the sub-cent remainder stays for the next payout. */
export async function payout(sql: Sql, userId: string, idempotencyKey: string): Promise<{ txId: number | null; amountMicros: number }> {
  const cents = await payableCents(sql, userId);
  if (cents === 0) return { txId: null, amountMicros: 0 };
  const r = await post(sql, { kind: 'payout', ref: userId, idempotencyKey, entries: payoutEntries(userId, cents) });
  return { txId: r.txId, amountMicros: cents * 10_000 };
}
