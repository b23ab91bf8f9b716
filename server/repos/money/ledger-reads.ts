/** SQL reading the ledger for the money services: a sale's transaction, a purchase's last sale, a prior posting, a creator's lines. */
import type { Sql } from '../../db.ts';

export interface CreatorLine {
  id: string;
  kind: string;
  created_at: Date;
  asset_id: string | null;
  asset_name: string | null;
  purchase_id: string | null;
  buyer_id: string | null;
  creator_id: string | null;
  /** The purchase behind the line: one_time | license | subscription | top_up (null for usage without one). */
  purchase_kind: string | null;
  /** The license type of a license purchase (from its offer). */
  license_type: string | null;
  /** Why the purchase was refunded (the buyer's or the platform's reason code). */
  refund_reason: string | null;
  memo: { breakdown?: { gross: number; processorFee: number; platformFee: number; parentRoyalty: number; creatorShare: number } };
  amount_micros: string;
  reverses: string | null;
}

/** The id of the transaction posted under an idempotency key (NaN when none). */
export async function txIdByKey(sql: Sql, key: string): Promise<number> {
  const r = await sql.query<{ id: string }>(`SELECT id FROM ledger_transactions WHERE idempotency_key = $1`, [key]);
  return Number(r.rows[0]?.id);
}

export async function postedUnder(sql: Sql, key: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM ledger_transactions WHERE idempotency_key = $1', [key])).rows.length > 0;
}

/** A purchase's latest sale posting (a subscription's current period), with the payment intent it recorded. */
export async function lastSaleOf(sql: Sql, purchaseId: string): Promise<{ id: string; memo: { paymentIntent?: string } } | undefined> {
  const r = await sql.query<{ id: string; memo: { paymentIntent?: string } }>(
    `SELECT id, memo FROM ledger_transactions WHERE purchase_id = $1 AND kind = 'sale' ORDER BY id DESC LIMIT 1`,
    [purchaseId],
  );
  return r.rows[0];
}

/** Every entry on one account since a time (all when null), with its transaction, the breakdown of the sale it belongs to and its purchase's kind, license type and refund reason. */
export async function accountLines(sql: Sql, account: string, since: Date | null): Promise<CreatorLine[]> {
  const r = await sql.query<CreatorLine>(
    `SELECT t.id, t.kind, t.created_at, t.asset_id, a.name AS asset_name, t.purchase_id, t.buyer_id, t.creator_id, t.reverses,
            CASE WHEN t.reverses IS NULL THEN t.memo ELSE s.memo END AS memo, e.amount_micros,
            p.kind AS purchase_kind, o.license_type, p.refund_reason
     FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id
     LEFT JOIN ledger_transactions s ON s.id = t.reverses
     LEFT JOIN assets a ON a.id = t.asset_id
     LEFT JOIN purchases p ON p.id = t.purchase_id
     LEFT JOIN license_offers o ON o.id = p.offer_id
     WHERE e.account_id = $1 AND ($2::timestamptz IS NULL OR t.created_at >= $2)
     ORDER BY t.id`,
    [account, since],
  );
  return r.rows;
}
