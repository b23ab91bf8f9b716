/** SQL for subscriptions: record one, its billing period, canceling and ending it. */
import type { Sql } from '../../db.ts';

export interface SubscriptionRow {
  id: string;
  status: string;
  interval: string;
  current_period_end: Date | null;
}

export async function insertSubscription(
  sql: Sql,
  s: { id: string; purchaseId: string; buyerId: string; assetId: string | null; interval: string; currentPeriodEnd: Date | null },
): Promise<void> {
  await sql.query(
    `INSERT INTO subscriptions (id, purchase_id, buyer_id, asset_id, interval, status, current_period_end) VALUES ($1,$2,$3,$4,$5,'active',$6)
     ON CONFLICT (id) DO NOTHING`,
    [s.id, s.purchaseId, s.buyerId, s.assetId, s.interval, s.currentPeriodEnd],
  );
}

export async function setPeriodEnd(sql: Sql, id: string, end: Date | null): Promise<void> {
  await sql.query('UPDATE subscriptions SET current_period_end = $2 WHERE id = $1', [id, end]);
}

export async function markCanceling(sql: Sql, id: string): Promise<void> {
  await sql.query(`UPDATE subscriptions SET status = 'canceling' WHERE id = $1 AND status = 'active'`, [id]);
}

/** Marks it canceled; returns its purchase and buyer (undefined when unknown). */
export async function markCanceled(sql: Sql, id: string): Promise<{ purchase_id: string; buyer_id: string } | undefined> {
  const r = await sql.query<{ purchase_id: string; buyer_id: string }>(
    `UPDATE subscriptions SET status = 'canceled' WHERE id = $1 RETURNING purchase_id, buyer_id`,
    [id],
  );
  return r.rows[0];
}

export async function findSubscription(sql: Sql, id: string): Promise<SubscriptionRow | undefined> {
  return (await sql.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id])).rows[0];
}
