/** SQL for the rate-limit counters every API node shares: one row per bucket and fixed window. */
import type { Sql } from '../db.ts';

/**
 * Counts one request in a bucket's current window; returns that window's count so far and the
 * previous window's final count (0 when there was none), read in the same statement.
 */
export async function count(
  sql: Sql,
  bucket: string,
  windowStart: Date,
  previousStart: Date,
): Promise<{ current: number; previous: number }> {
  const r = await sql.query<{ current: number; previous: number | null }>(
    `WITH hit AS (
       INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count
     )
     SELECT (SELECT count FROM hit) AS current,
            (SELECT count FROM rate_limits WHERE bucket = $1 AND window_start = $3) AS previous`,
    [bucket, windowStart, previousStart],
  );
  const row = r.rows[0];
  return { current: Number(row?.current ?? 0), previous: Number(row?.previous ?? 0) };
}

/** Deletes the windows that started before `before` (the caller's clock, as the counts use it). */
export async function purgeOld(sql: Sql, before: Date): Promise<void> {
  await sql.query(`DELETE FROM rate_limits WHERE window_start < $1`, [before]);
}
