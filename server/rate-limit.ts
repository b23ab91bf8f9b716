/**
 * Fixed-window rate limits kept in the database, so every API node counts the same requests.
 * A refused request gets 429 with how long to wait (Retry-After).
 */
import { ApiError } from '../shared/api.ts';
import type { RateLimit } from '../shared/policy/trust.ts';
import type { Sql } from './db.ts';

export async function takeToken(sql: Sql, bucket: string, limit: RateLimit, what: string): Promise<void> {
  const ms = limit.windowSeconds * 1000;
  const start = Math.floor(Date.now() / ms) * ms;
  const r = await sql.query<{ count: number }>(
    `INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
    [bucket, new Date(start)],
  );
  // Old windows are cleared now and then.
  if (Math.random() < 0.01) await sql.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '2 days'`);
  if (Number(r.rows[0]?.count) > limit.max) {
    const retryAfterSeconds = Math.max(1, Math.ceil((start + ms - Date.now()) / 1000));
    throw new ApiError(
      'rate_limited',
      `too many ${what}: at most ${limit.max} per ${limit.windowSeconds / 60} minutes; try again in ${retryAfterSeconds} s`,
      undefined,
      429,
      {
        retryAfterSeconds,
      },
    );
  }
}
