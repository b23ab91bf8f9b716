/**
 * The marketplace store: PostgreSQL + pgvector in production (DATABASE_URL), PGlite with its
 * bundled pgvector extension for development, tests and one-box installs (ORIGINALS_SERVER_DATA).
 * Both run the same numbered SQL migrations from server/migrations.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import pg from 'pg';
import { Lanes } from '../engine/concurrency.ts';

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  exec(text: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Whether the pgvector columns exist (004_vectors.sql applied). */
  vectors: boolean;
  /** Runs fn in one transaction; an exception rolls everything back. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs fn while holding the lock named `name`: one holder at a time in this process (a lane per
   * name) and, on PostgreSQL, across every node on the database too (then a session advisory lock
   * on a connection of its own, taken after the lane so a node waits with one connection; released
   * however fn ends; fn's own queries use other connections).
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Next to this file in the source tree; `server-migrations` next to the Electron bundle (electron.config.ts copies them).
const HERE = fileURLToPath(new URL('.', import.meta.url));
const MIGRATIONS = existsSync(join(HERE, 'server-migrations')) ? join(HERE, 'server-migrations') : join(HERE, 'migrations');

/** In-process locks by name (Database.exclusive's first step on both backends). */
class NamedLanes {
  private readonly lanes = new Map<string, Lanes>();
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = new Lanes(1);
      this.lanes.set(name, lane);
    }
    return lane.run(fn);
  }
}

class PgliteDb implements Database {
  readonly kind = 'pglite' as const;
  vectors = false;
  private readonly lanes = new NamedLanes();
  constructor(private readonly db: PGlite) {}
  async query<T>(text: string, params: unknown[] = []) {
    const r = await this.db.query<T>(text, params);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }
  async exec(text: string) {
    await this.db.exec(text);
  }
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.lanes.run(name, fn);
  }
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) =>
      fn({
        query: async <R>(text: string, params: unknown[] = []) => {
          const r = await t.query<R>(text, params);
          return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
        },
        exec: async (text: string) => {
          await t.exec(text);
        },
      }),
    );
  }
  close() {
    return this.db.close();
  }
}

/** SQLSTATEs a server sends when it ends the connection itself (operator terminate, shutdown,
 * crash recovery, still starting). The statement that received one was aborted and rolled back,
 * so re-running it on another connection cannot apply it twice. */
const CONNECTION_ENDED = new Set(['57P01', '57P02', '57P03']);
export function isConnectionEnded(err: unknown): boolean {
  return CONNECTION_ENDED.has((err as { code?: string } | null)?.code ?? '');
}

class PostgresDb implements Database {
  readonly kind = 'postgres' as const;
  vectors = false;
  /** Connections opened and not yet fully closed (pool.end() resolves before they are). */
  private open = 0;
  private readonly closed: (() => void)[] = [];
  private readonly lanes = new NamedLanes();
  constructor(private readonly pool: pg.Pool) {
    // An idle connection the server drops (restart, failover, an operator's terminate) is an
    // 'error' event on the pool; without a listener Node would crash the whole API. The pool has
    // already discarded that connection, and the next query opens a new one.
    pool.on('error', (err) => console.error('[db] idle PostgreSQL connection lost:', err.message));
    pool.on('connect', () => {
      this.open++;
    });
    pool.on('remove', () => {
      this.open--;
      if (this.open <= 0) for (const done of this.closed.splice(0)) done();
    });
  }
  /**
   * Attempts for a statement or a BEGIN whose connection the server had ended: each failed attempt
   * discards one dead idle connection, and when the server ends them all at once (a restart, an
   * operator's terminate) every idle connection the pool holds can be dead before its 'error' event
   * arrives — so one per connection the pool may hold, plus a fresh one.
   */
  private get attempts(): number {
    return (this.pool.options.max ?? 10) + 1;
  }
  /** One autocommit statement. An idle connection the server has just ended can still be handed
   * out before its 'error' event arrives; the statement it gets back was aborted, so it runs again
   * (pool.query already discarded the dead connection). */
  private async once(text: string, params: unknown[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.query(text, params);
      } catch (err) {
        if (attempt >= this.attempts || !isConnectionEnded(err)) throw err;
      }
    }
  }
  async query<T>(text: string, params: unknown[] = []) {
    const r = await this.once(text, params);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }
  async exec(text: string) {
    await this.once(text, []);
  }
  /** A pooled connection with BEGIN already run; a connection the server ended while idle is
   * discarded and the next one tried (see attempts). */
  private async begin(): Promise<pg.PoolClient> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        return c;
      } catch (err) {
        c.release(err as Error);
        if (attempt >= this.attempts || !isConnectionEnded(err)) throw err;
      }
    }
  }
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.lanes.run(name, () => this.advisory(name, fn));
  }
  /** fn under the session advisory lock `name`, held on a pooled connection of its own. */
  private async advisory<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    } catch (err) {
      c.release(err as Error);
      throw err;
    }
    try {
      return await fn();
    } finally {
      // A connection that cannot unlock is dropped: closing it releases the lock.
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch((e: Error) => {
        broken = e;
      });
      c.release(broken);
    }
  }
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const c = await this.begin();
    let broken: Error | undefined;
    try {
      const out = await fn({
        query: async <R>(text: string, params: unknown[] = []) => {
          const r = await c.query(text, params);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
        exec: async (text: string) => {
          await c.query(text);
        },
      });
      await c.query('COMMIT');
      return out;
    } catch (err) {
      // A dead connection cannot roll back (the server already did); the original error is the
      // one the caller needs, and the connection must not go back to the pool.
      await c.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      if (isConnectionEnded(err)) broken ??= err as Error;
      throw err;
    } finally {
      c.release(broken);
    }
  }
  /** Ends the pool and waits until every connection has really closed, so a database dropped
   * right afterwards never terminates a connection that is still saying goodbye. */
  async close() {
    const allClosed = new Promise<void>((resolve) => (this.open <= 0 ? resolve() : this.closed.push(resolve)));
    await this.pool.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allClosed, new Promise<void>((r) => (timer = setTimeout(r, 5_000)))]);
    clearTimeout(timer);
  }
}

export async function migrate(db: Database): Promise<number> {
  // Several API nodes may start at once: every step takes the same advisory lock (even
  // CREATE TABLE IF NOT EXISTS races without it).
  await db.tx(async (t) => {
    await t.query('SELECT pg_advisory_xact_lock(727274)');
    await t.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  const available = new Set((await db.query<{ name: string }>('SELECT name FROM pg_available_extensions')).rows.map((r) => r.name));
  let applied = 0;
  for (const name of readdirSync(MIGRATIONS)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()) {
    const version = Number.parseInt(name, 10);
    const sql = readFileSync(join(MIGRATIONS, name), 'utf8');
    // A migration that needs an extension this server lacks is skipped (not recorded), so it
    // applies on a later start once the extension is installed.
    const needs = /^-- requires-extension: (\w+)/m.exec(sql)?.[1];
    if (needs && !available.has(needs)) continue;
    await db.tx(async (t) => {
      // Several API nodes may start at once: one migrates, the others wait and then skip.
      await t.query('SELECT pg_advisory_xact_lock(727274)');
      const done = await t.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (done.rows.length) return;
      await t.exec(sql);
      await t.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, name]);
      applied++;
    });
  }
  db.vectors =
    (await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'asset_versions' AND column_name = 'image_vector'")).rows
      .length > 0;
  return applied;
}

/** Opens the production store when DATABASE_URL is set, else the embedded PGlite one. */
export async function openDatabase(opts: { url?: string | undefined; dataDir?: string | undefined } = {}): Promise<Database> {
  if (!opts.url && opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = opts.url
    ? new PostgresDb(new pg.Pool({ connectionString: opts.url, max: 10 }))
    : new PgliteDb(await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), extensions: { vector } }));
  await migrate(db);
  return db;
}

/** pgvector's text form of a vector parameter. */
export function toVector(v: Float32Array | number[] | undefined | null): string | null {
  return v ? `[${Array.from(v).join(',')}]` : null;
}

/** PostgreSQL's unique-violation error. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (!constraint || e.constraint === constraint || (e.message ?? '').includes(constraint));
}
