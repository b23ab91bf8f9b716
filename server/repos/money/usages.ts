/** SQL for usage records: per-use charges and license usage (impressions, downloads, embeds). */
import type { Sql } from '../../db.ts';

export async function insertUsage(
  sql: Sql,
  u: {
    userId: string;
    assetId: string | null;
    purchaseId: string | null;
    kind: string;
    count: number;
    amountMicros: number;
    context: string | null;
    ledgerTxId: number | null;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO usages (user_id, asset_id, purchase_id, kind, count, amount_micros, context, ledger_tx_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [u.userId, u.assetId, u.purchaseId, u.kind, u.count, u.amountMicros, u.context, u.ledgerTxId],
  );
}
