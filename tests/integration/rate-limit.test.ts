// Sliding-window rate limits: a burst that straddles a window boundary is still limited (a fixed
// window let up to twice the limit through there), and Retry-After says when a request will pass.
// PGlite here; a fresh PostgreSQL database under `npm run test:pg`.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../server/db.ts';
import { PG_URL, freshPgDatabase } from '../helpers/server.ts';
import { retryAfterSeconds, slidingCount, takeToken } from '../../server/rate-limit.ts';

const LIMIT = { max: 10, windowSeconds: 600 };
const WINDOW = LIMIT.windowSeconds * 1000;
const T0 = Date.UTC(2026, 10, 24, 20, 0, 0); // a window boundary

async function attempt(db: Database, bucket: string, now: number): Promise<number> {
  try {
    await takeToken(db, bucket, LIMIT, 'attempts', now);
    return 200;
  } catch (e) {
    return (e as { status?: number }).status ?? 500;
  }
}

describe('sliding-window rate limits', () => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const fresh = PG_URL ? await freshPgDatabase() : undefined;
    drop = fresh?.drop;
    db = await openDatabase({ url: fresh?.url });
  }, 60_000);
  afterAll(async () => {
    await db.close();
    await drop?.();
  });

  it('weights the previous window by how much of it is still inside the sliding window', () => {
    expect(slidingCount(3, 10, 0)).toBe(13);
    expect(slidingCount(3, 10, 0.25)).toBe(10.5);
    expect(slidingCount(3, 10, 1)).toBe(3);
    expect(slidingCount(0, 0, 0.5)).toBe(0);
  });

  it('limits a burst that straddles a window boundary', async () => {
    const statuses: number[] = [];
    // Six attempts in the last seconds of one window, six in the first seconds of the next.
    for (let i = 0; i < 6; i++) statuses.push(await attempt(db, 'straddle', T0 - 6_000 + i * 1000));
    for (let i = 0; i < 6; i++) statuses.push(await attempt(db, 'straddle', T0 + i * 1000));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('lets requests through again once the previous window has slid out', async () => {
    for (let i = 0; i < 10; i++) expect(await attempt(db, 'recover', T0 + i * 1000)).toBe(200);
    expect(await attempt(db, 'recover', T0 + 20_000)).toBe(429);
    // Next window, 10 % in: the previous window's 11 count as 9.9 and this is the first new one → 10.9 > 10.
    expect(await attempt(db, 'recover', T0 + WINDOW + WINDOW / 10)).toBe(429);
    // 60 % in: 11 × 0.4 = 4.4, plus this window's two → 6.4 ≤ 10 passes.
    expect(await attempt(db, 'recover', T0 + WINDOW + (WINDOW * 6) / 10)).toBe(200);
  });

  it('clears old windows by the clock the windows are counted by, not the database’s', async () => {
    // The occasional purge runs on every attempt here. It once compared with the database's now():
    // these windows (T0, in November 2026) are more than two days old by then, and the purge wiped
    // the counts between attempts, so the eleventh attempt passed.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      for (let i = 0; i < 10; i++) expect(await attempt(db, 'purge', T0 + i * 1000)).toBe(200);
      expect(await attempt(db, 'purge', T0 + 20_000)).toBe(429);
      // Two days and a window later by that clock, the old windows are gone and attempts pass again.
      expect(await attempt(db, 'purge', T0 + 2 * 24 * 3600 * 1000 + WINDOW)).toBe(200);
    } finally {
      random.mockRestore();
    }
  });

  it('says how long to wait until the estimate is back at the limit', async () => {
    // 11 in the previous window, 0 now, 10 % in: 9.9 + 1 → wait until 11 × (1 − f) + 1 ≤ 10, f = 2 / 11.
    expect(retryAfterSeconds(1, 11, 0.1, 10, 600)).toBe(Math.ceil((2 / 11 - 0.1) * 600));
    // Over the limit within this window alone: wait into the next window until current × (1 − f) ≤ max.
    expect(retryAfterSeconds(12, 0, 0.123, 10, 600)).toBe(Math.ceil((1 - 0.123 + 1 - 10 / 12) * 600));
    const e = await takeToken(db, 'retry', { max: 0, windowSeconds: 60 }, 'attempts', T0 + 30_000).catch((x: unknown) => x);
    expect((e as { status: number }).status).toBe(429);
    expect((e as { details?: { retryAfterSeconds?: number } }).details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});
