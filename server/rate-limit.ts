/**
 * Fixed-window rate limits kept in the database, so every API node counts the same requests.
 * A refused request gets 429 with how long to wait (Retry-After).
 */
import { ApiError } from '../shared/api.ts';
import type { RateLimit } from '../shared/policy/trust.ts';
import type { Sql } from './db.ts';
import * as rateLimits from './repos/rate-limits.ts';

export async function takeToken(sql: Sql, bucket: string, limit: RateLimit, what: string): Promise<void> {
  const ms = limit.windowSeconds * 1000;
  const start = Math.floor(Date.now() / ms) * ms;
  const n = await rateLimits.count(sql, bucket, new Date(start));
  // Old windows are cleared now and then.
  if (Math.random() < 0.01) await rateLimits.purgeOld(sql);
  if (n > limit.max) {
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
