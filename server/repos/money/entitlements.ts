/** SQL for entitlements: what a purchase, subscription or use grants, and taking it back. */
import type { Sql } from '../../db.ts';

export async function grant(
  sql: Sql,
  e: { userId: string; assetId: string | null; version: number | null; source: string; ref: string },
): Promise<void> {
  await sql.query(`INSERT INTO entitlements (user_id, asset_id, version, source, ref) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`, [
    e.userId,
    e.assetId,
    e.version,
    e.source,
    e.ref,
  ]);
}

/** Removes what one purchase granted (every source, or only one). */
export async function revoke(sql: Sql, ref: string, source?: string): Promise<void> {
  if (source) await sql.query(`DELETE FROM entitlements WHERE ref = $1 AND source = $2`, [ref, source]);
  else await sql.query(`DELETE FROM entitlements WHERE ref = $1`, [ref]);
}
