/** SQL for trust: the inputs of a creator's reputation, its stored value and history, strikes, and buyers' reviews. */
import type { Sql } from '../db.ts';

const count = async (sql: Sql, text: string, userId: string) =>
  Number((await sql.query<{ n: string | null }>(text, [userId])).rows[0]?.n ?? 0);

export async function ratingsOfCreator(sql: Sql, userId: string): Promise<{ count: number; sum: number }> {
  const r = (
    await sql.query<{ n: string; s: string | null }>(
      'SELECT count(*) AS n, sum(r.rating) AS s FROM reviews r JOIN assets a ON a.id = r.asset_id WHERE a.creator_id = $1',
      [userId],
    )
  ).rows[0];
  return { count: Number(r?.n ?? 0), sum: Number(r?.s ?? 0) };
}

/** Purchases of the creator's assets that were paid (whether refunded later or not). */
export const paidSales = (sql: Sql, userId: string) =>
  count(
    sql,
    `SELECT count(*) AS n FROM purchases p JOIN assets a ON a.id = p.asset_id WHERE a.creator_id = $1 AND p.status IN ('paid', 'refunded')`,
    userId,
  );
/** Per-use charges of the creator's assets. */
export const uses = (sql: Sql, userId: string) =>
  count(sql, `SELECT count(*) AS n FROM usages u JOIN assets a ON a.id = u.asset_id WHERE a.creator_id = $1 AND u.kind = 'use'`, userId);
/** Refunded sales of the creator's assets, counted per refund reason code (none recorded: 'other'). */
export async function refundsByReason(sql: Sql, userId: string): Promise<Record<string, number>> {
  const r = await sql.query<{ reason: string; n: string }>(
    `SELECT coalesce(p.refund_reason, 'other') AS reason, count(*) AS n FROM purchases p JOIN assets a ON a.id = p.asset_id
     WHERE a.creator_id = $1 AND p.status = 'refunded' GROUP BY 1`,
    [userId],
  );
  return Object.fromEntries(r.rows.map((x) => [x.reason, Number(x.n)]));
}
export const reviewsWritten = (sql: Sql, userId: string) => count(sql, 'SELECT count(*) AS n FROM reviews WHERE user_id = $1', userId);
export const derivativesAcknowledged = (sql: Sql, userId: string) =>
  count(
    sql,
    'SELECT count(*) AS n FROM asset_derivations d JOIN assets c ON c.id = d.child_asset_id WHERE c.creator_id = $1 AND c.published_version IS NOT NULL',
    userId,
  );
export const helpfulReports = (sql: Sql, userId: string) =>
  count(sql, `SELECT count(*) AS n FROM reports WHERE reporter_id = $1 AND state = 'upheld'`, userId);
export const strikesOf = (sql: Sql, userId: string) => count(sql, 'SELECT strikes AS n FROM users WHERE id = $1', userId);
export const upheldReportsAgainst = (sql: Sql, userId: string) =>
  count(
    sql,
    `SELECT count(*) AS n FROM reports r JOIN assets a ON a.id = r.asset_id WHERE a.creator_id = $1 AND r.state = 'upheld'`,
    userId,
  );

export async function storedReputation(sql: Sql, userId: string): Promise<number> {
  return Number((await sql.query<{ reputation: number }>('SELECT reputation FROM users WHERE id = $1', [userId])).rows[0]?.reputation);
}

export async function storeReputation(
  sql: Sql,
  userId: string,
  rep: { total: number; level: string; components: unknown },
  reason: string,
): Promise<void> {
  await sql.query('UPDATE users SET reputation = $2 WHERE id = $1', [userId, rep.total]);
  await sql.query('INSERT INTO reputation_history (user_id, total, level, components, reason) VALUES ($1,$2,$3,$4,$5)', [
    userId,
    rep.total,
    rep.level,
    JSON.stringify(rep.components),
    reason,
  ]);
}

export async function publicProfile(
  sql: Sql,
  userId: string,
): Promise<{ display_name: string; verified: boolean; strikes: number; selling_banned: boolean } | undefined> {
  return (
    await sql.query<{ display_name: string; verified: boolean; strikes: number; selling_banned: boolean }>(
      'SELECT display_name, verified, strikes, selling_banned FROM users WHERE id = $1',
      [userId],
    )
  ).rows[0];
}

export interface StrikeRow {
  id: string;
  reason: string;
  active: boolean;
  created_at: Date;
  lifted_at: Date | null;
  case_id: string;
  asset_name: string | null;
}

export async function strikeHistory(sql: Sql, userId: string): Promise<StrikeRow[]> {
  return (
    await sql.query<StrikeRow>(
      'SELECT s.*, a.name AS asset_name FROM strikes s LEFT JOIN assets a ON a.id = s.asset_id WHERE s.user_id = $1 ORDER BY s.id DESC',
      [userId],
    )
  ).rows;
}

export async function reputationHistory(
  sql: Sql,
  userId: string,
): Promise<{ total: number; level: string; reason: string; created_at: Date }[]> {
  return (
    await sql.query<{ total: number; level: string; reason: string; created_at: Date }>(
      'SELECT total, level, reason, created_at FROM reputation_history WHERE user_id = $1 ORDER BY id DESC LIMIT 50',
      [userId],
    )
  ).rows;
}

// ---------------------------------------------------------------- reviews

export async function creatorOf(sql: Sql, assetId: string): Promise<string | undefined> {
  return (await sql.query<{ creator_id: string }>('SELECT creator_id FROM assets WHERE id = $1', [assetId])).rows[0]?.creator_id;
}

export async function holdsAsset(sql: Sql, userId: string, assetId: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM entitlements WHERE user_id = $1 AND asset_id = $2 LIMIT 1', [userId, assetId])).rows.length > 0;
}

export async function upsertReview(sql: Sql, assetId: string, userId: string, rating: number, body: string): Promise<void> {
  await sql.query(
    `INSERT INTO reviews (asset_id, user_id, rating, body) VALUES ($1,$2,$3,$4)
     ON CONFLICT (asset_id, user_id) DO UPDATE SET rating = excluded.rating, body = excluded.body, created_at = now()`,
    [assetId, userId, rating, body],
  );
}

export async function reviewsOf(
  sql: Sql,
  assetId: string,
): Promise<{ rating: number; body: string; created_at: Date; display_name: string }[]> {
  return (
    await sql.query<{ rating: number; body: string; created_at: Date; display_name: string }>(
      'SELECT r.rating, r.body, r.created_at, u.display_name FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.asset_id = $1 ORDER BY r.id DESC LIMIT 200',
      [assetId],
    )
  ).rows;
}
