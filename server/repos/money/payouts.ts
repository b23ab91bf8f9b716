/** SQL for payouts and payout accounts: the per-creator lock, recording, sending state, reversals, listing. */
import type { Sql } from '../../db.ts';

export interface PayoutRow {
  id: string;
  user_id: string;
  amount_cents: number;
  reversed_cents: number;
  status: string;
  transfer_id: string | null;
  transfer_group: string | null;
  purchase_id: string | null;
  created_at: Date;
}

export async function payoutAccount(sql: Sql, userId: string): Promise<string | null> {
  const r = await sql.query<{ payout_account_id: string | null }>('SELECT payout_account_id FROM users WHERE id = $1', [userId]);
  return r.rows[0]?.payout_account_id ?? null;
}

export async function setPayoutAccount(sql: Sql, userId: string, accountId: string): Promise<void> {
  await sql.query('UPDATE users SET payout_account_id = $2 WHERE id = $1', [userId, accountId]);
}

/** A transaction-scoped advisory lock on a name (one payout or balance change at a time per person). */
export async function lockName(sql: Sql, name: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name]);
}

export async function insertPayout(
  sql: Sql,
  p: { id: string; userId: string; cents: number; purchaseId: string | null; transferGroup: string | null; ledgerTxId: number },
): Promise<void> {
  await sql.query(`INSERT INTO payouts (id, user_id, amount_cents, purchase_id, transfer_group, ledger_tx_id) VALUES ($1,$2,$3,$4,$5,$6)`, [
    p.id,
    p.userId,
    p.cents,
    p.purchaseId,
    p.transferGroup,
    p.ledgerTxId,
  ]);
}

export async function findPayout(sql: Sql, id: string): Promise<PayoutRow | undefined> {
  return (await sql.query<PayoutRow>('SELECT * FROM payouts WHERE id = $1', [id])).rows[0];
}

export async function markSent(sql: Sql, id: string, transferId: string): Promise<void> {
  await sql.query(`UPDATE payouts SET transfer_id = $2, status = 'paid' WHERE id = $1`, [id, transferId]);
}

export async function markFailed(sql: Sql, id: string, error: string): Promise<void> {
  await sql.query(`UPDATE payouts SET status = 'failed', error = $2 WHERE id = $1`, [id, error]);
}

export async function markReversed(sql: Sql, id: string): Promise<void> {
  await sql.query('UPDATE payouts SET reversed_cents = amount_cents WHERE id = $1', [id]);
}

/** Paid payouts of one purchase not yet fully reversed. */
export async function reversibleOf(sql: Sql, purchaseId: string): Promise<string[]> {
  const r = await sql.query<{ id: string }>(
    `SELECT id FROM payouts WHERE purchase_id = $1 AND status = 'paid' AND reversed_cents < amount_cents`,
    [purchaseId],
  );
  return r.rows.map((x) => x.id);
}

/** Payouts left pending over a minute (a crash between posting and transfer), with their destination. */
export async function stalePending(sql: Sql): Promise<{ id: string; payout_account_id: string }[]> {
  const r = await sql.query<{ id: string; payout_account_id: string }>(
    `SELECT p.id, u.payout_account_id FROM payouts p JOIN users u ON u.id = p.user_id WHERE p.status = 'pending' AND p.created_at < now() - interval '1 minute'`,
  );
  return r.rows;
}

export async function payoutsOf(sql: Sql, userId: string): Promise<PayoutRow[]> {
  return (await sql.query<PayoutRow>('SELECT * FROM payouts WHERE user_id = $1 ORDER BY created_at DESC, id', [userId])).rows;
}
