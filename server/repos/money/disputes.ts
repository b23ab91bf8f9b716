/** SQL for disputes: one open per purchase, opening, listing (all for staff, a party's own otherwise), resolving. */
import type { DisputeView } from '../../../shared/payments.ts';
import type { Sql } from '../../db.ts';

export interface DisputeRow {
  id: string;
  purchase_id: string;
  asset_id: string | null;
  asset_name: string | null;
  source: DisputeView['source'];
  reason: string;
  state: DisputeView['state'];
  outcome: DisputeView['outcome'];
  resolution: string | null;
  amount_cents: number;
  created_at: Date;
  resolved_at: Date | null;
  buyer_id: string;
  creator_id: string | null;
}

const SELECT = `SELECT d.*, p.asset_id, p.amount_cents, p.buyer_id, a.name AS asset_name, a.creator_id
  FROM disputes d JOIN purchases p ON p.id = d.purchase_id LEFT JOIN assets a ON a.id = p.asset_id`;

export async function hasOpenDispute(sql: Sql, purchaseId: string): Promise<boolean> {
  return (await sql.query(`SELECT 1 FROM disputes WHERE purchase_id = $1 AND state = 'open'`, [purchaseId])).rows.length > 0;
}

export async function insertDispute(
  sql: Sql,
  d: { purchaseId: string; openedBy: string; source: string; reason: string },
): Promise<number> {
  const r = await sql.query<{ id: string }>(
    'INSERT INTO disputes (purchase_id, opened_by, source, reason) VALUES ($1,$2,$3,$4) RETURNING id',
    [d.purchaseId, d.openedBy, d.source, d.reason],
  );
  return Number(r.rows[0]?.id);
}

export async function findDispute(sql: Sql, id: number): Promise<DisputeRow | undefined> {
  return (await sql.query<DisputeRow>(`${SELECT} WHERE d.id = $1`, [id])).rows[0];
}

/** Open first, newest first; a party's own when `userId` is given, else every dispute. */
export async function listDisputes(sql: Sql, userId: string | null): Promise<DisputeRow[]> {
  const r = await sql.query<DisputeRow>(
    `${SELECT} ${userId === null ? '' : 'WHERE p.buyer_id = $1 OR a.creator_id = $1'} ORDER BY (d.state = 'open') DESC, d.created_at DESC LIMIT 200`,
    userId === null ? [] : [userId],
  );
  return r.rows;
}

export async function resolveDispute(sql: Sql, id: number, r: { outcome: string; resolution: string; by: string }): Promise<void> {
  await sql.query(
    `UPDATE disputes SET state = 'resolved', outcome = $2, resolution = $3, resolved_by = $4, resolved_at = now() WHERE id = $1`,
    [id, r.outcome, r.resolution, r.by],
  );
}
