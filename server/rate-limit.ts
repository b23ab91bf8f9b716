/**
 * Sliding-window rate limits kept in the database, so every API node counts the same requests.
 * Each bucket keeps one counter per fixed window; a request is judged on the current window's count
 * plus the previous window's count weighted by how much of it still lies inside the sliding window
 * (the usual two-counter approximation). A plain fixed window would let twice the limit through
 * across a window boundary. A refused request gets 429 with how long to wait (Retry-After).
 */
import { ApiError } from '../shared/api.ts';
import type { RateLimit } from '../shared/policy/trust.ts';
import type { Sql } from './db.ts';
import * as rateLimits from './repos/rate-limits.ts';

/** The sliding-window estimate of requests in the last window, this one included. */
export function slidingCount(current: number, previous: number, elapsedFraction: number): number {
  return current + previous * (1 - Math.min(1, Math.max(0, elapsedFraction)));
}

/** Seconds until the estimate drops back to the limit with no further requests (at least 1). */
export function retryAfterSeconds(current: number, previous: number, elapsedFraction: number, max: number, windowSeconds: number): number {
  // Within this window the estimate falls as the previous window's weight does; in the next one,
  // this window becomes the previous one.
  if (current <= max && previous > 0) {
    const f = 1 - (max - current) / previous; // elapsed fraction at which the estimate reaches max
    return Math.max(1, Math.ceil((f - elapsedFraction) * windowSeconds));
  }
  const f = 1 - max / current; // fraction of the next window after which current × weight ≤ max
  return Math.max(1, Math.ceil((1 - elapsedFraction + f) * windowSeconds));
}

/** How long a window's counter is kept after it started. */
const PURGE_AFTER_MS = 2 * 24 * 3600 * 1000;

export async function takeToken(sql: Sql, bucket: string, limit: RateLimit, what: string, now = Date.now()): Promise<void> {
  const ms = limit.windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  const { current, previous } = await rateLimits.count(sql, bucket, new Date(start), new Date(start - ms));
  // Old windows (two days before `now`, the clock the windows are counted by) are cleared now and then.
  if (Math.random() < 0.01) await rateLimits.purgeOld(sql, new Date(now - PURGE_AFTER_MS));
  const elapsed = (now - start) / ms;
  if (slidingCount(current, previous, elapsed) > limit.max) {
    const wait = retryAfterSeconds(current, previous, elapsed, limit.max, limit.windowSeconds);
    throw new ApiError(
      'rate_limited',
      `too many ${what}: at most ${limit.max} per ${limit.windowSeconds / 60} minutes; try again in ${wait} s`,
      undefined,
      429,
      { retryAfterSeconds: wait },
    );
  }
}
