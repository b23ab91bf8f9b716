/** SQL for the fixed-window rate limit counters every API node shares. */
import type { Sql } from '../db.ts';

/** Counts one request in a bucket's window; returns the window's count so far. */
export async function count(sql: Sql, bucket: string, windowStart: Date): Promise<number> {
  const r = await sql.query<{ count: number }>(
    `INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
    [bucket, windowStart],
  );
  return Number(r.rows[0]?.count);
}

export async function purgeOld(sql: Sql): Promise<void> {
  await sql.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '2 days'`);
}
