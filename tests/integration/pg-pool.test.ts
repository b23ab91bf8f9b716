/**
 * The PostgreSQL store survives its connections being dropped: an idle connection the server
 * terminates is logged and replaced (no uncaught 'error' event), and close() returns only once
 * every connection has really closed, so a database dropped right afterwards cannot kill one that
 * is still closing. Runs only under `npm run test:pg` (a real PostgreSQL server).
 */
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db.ts';
import { PG_URL, freshPgDatabase } from '../helpers/server.ts';

describe.skipIf(!PG_URL)('PostgreSQL connection pool', () => {
  it('logs a terminated idle connection and answers the next query on a new one', async () => {
    const fresh = await freshPgDatabase();
    const db = await openDatabase({ url: fresh.url });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      // Several connections at once, then all idle.
      await Promise.all(Array.from({ length: 4 }, () => db.query('SELECT pg_sleep(0.05)')));
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      const dbName = new URL(fresh.url).pathname.slice(1);
      const killed = await admin.query(
        'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1) t',
        [dbName],
      );
      await admin.end();
      expect(killed.rows[0].n).toBeGreaterThan(0);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith('[db] idle PostgreSQL connection lost:', expect.any(String)));
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      logged.mockRestore();
      await db.close();
      await fresh.drop();
    }
  });

  it('re-runs a statement and a transaction that were handed a connection the server had just ended', async () => {
    const fresh = await freshPgDatabase();
    const db = await openDatabase({ url: fresh.url });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await db.exec('CREATE TABLE t (n int)');
      for (let round = 0; round < 3; round++) {
        await Promise.all(Array.from({ length: 6 }, () => db.query('SELECT pg_sleep(0.03)')));
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          new URL(fresh.url).pathname.slice(1),
        ]);
        // No waiting for the pool to notice: the idle connections it holds are being ended right now.
        const answers = await Promise.all([
          ...Array.from({ length: 4 }, (_, i) => db.query<{ n: number }>('SELECT $1::int AS n', [i])),
          db.tx(async (t) => t.query('INSERT INTO t (n) VALUES ($1)', [round])),
        ]);
        await admin.end();
        expect(answers.slice(0, 4).map((a) => a.rows[0]?.n)).toEqual([0, 1, 2, 3]);
      }
      // Each transaction ran exactly once.
      expect((await db.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n)).toEqual([0, 1, 2]);
    } finally {
      logged.mockRestore();
      await db.close();
      await fresh.drop();
    }
  });

  it('closes every connection before close() returns, so dropping the database right after is clean', async () => {
    for (let round = 0; round < 5; round++) {
      const fresh = await freshPgDatabase();
      const db = await openDatabase({ url: fresh.url });
      await Promise.all(Array.from({ length: 8 }, () => db.query('SELECT pg_sleep(0.02)')));
      await db.close();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      // Client backends only: an autovacuum worker may be visiting the new database (it has just
      // been migrated), and DROP DATABASE ends those itself. A client backend clears its row before
      // it closes its socket (PostgreSQL's shared-memory exit hooks run before the socket is
      // closed), so once close() has seen every socket close, none of ours may be listed.
      const left = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
        [new URL(fresh.url).pathname.slice(1)],
      );
      await admin.end();
      expect(left.rows[0].n).toBe(0);
      await fresh.drop();
    }
  });
});
