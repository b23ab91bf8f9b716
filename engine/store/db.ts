/**
 * The local store: better-sqlite3 with sqlite-vec, WAL, foreign keys, numbered migrations applied
 * in one transaction each (a failed migration leaves the database as it was).
 *
 * Several owners share one SQLite file, each with its own numbered migrations under its own scope:
 * the engine ('engine': assets, fingerprints, features, vectors, analyses) and the studio
 * ('studio': workspace and sync tables, electron/main/store/migrations). Applied versions are
 * recorded per scope in schema_versions. A library file is
 * checked before it is used (integrity.ts): empty, foreign or damaged files are refused by name
 * (a large file's pages beyond those read while opening are checked in the background: OpenOptions).
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { LibraryFileError, openCheckedDatabase } from './integrity.ts';

export type DB = Database.Database;

export interface OpenOptions {
  /**
   * A library file larger than this many bytes gets only the tables read while opening checked here
   * (OPEN_TABLES); the caller checks the whole file in the background (quickCheckInBackground), as
   * the studio does. Reading every page of a 100k-image library (3.6 GiB) takes seconds — more from a
   * cold disk — which opening must not wait for. Default: the whole file is always checked here.
   */
  deferCheckAbove?: number;
}

/**
 * Where the studio starts checking a library file in the background instead of before opening it:
 * up to this size the whole-file check costs a few tenths of a second even from a cold disk.
 */
export const BACKGROUND_CHECK_ABOVE_BYTES = 256 * 2 ** 20;

/** The tables a library reads while it opens (schema versions, engine meta, index snapshots, journal). */
export const OPEN_TABLES = ['schema_versions', 'engine_meta', 'index_snapshots', 'index_journal'] as const;

/** Databases whose whole-file check was left to the caller (openDatabase with deferCheckAbove). */
const deferred = new WeakSet<DB>();

/** Whether openDatabase left this database's whole-file check to the caller. */
export function checkDeferred(db: DB): boolean {
  return deferred.has(db);
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Libraries written before migrations were scoped kept one list (schema_migrations): versions 1–3
 * were the engine's, 4 (studio) and 5 (sync) are now the studio's 1 and 2. Copied once.
 */
function adoptLegacyVersions(db: DB): void {
  const legacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!legacy) return;
  const scoped = (db.prepare('SELECT count(*) AS n FROM schema_versions').get() as { n: number }).n;
  if (scoped > 0) return;
  const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations').all() as {
    version: number;
    name: string;
    applied_at: string;
  }[];
  const ins = db.prepare('INSERT INTO schema_versions (scope, version, name, applied_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) {
      if (r.version <= 3) ins.run('engine', r.version, r.name, r.applied_at);
      else if (r.version === 4) ins.run('studio', 1, '001_workspace.sql', r.applied_at);
      else if (r.version === 5) ins.run('studio', 2, '002_sync.sql', r.applied_at);
    }
    db.exec('DROP TABLE schema_migrations');
  })();
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Applies the scope's migrations not yet recorded; returns how many ran. */
export function migrate(db: DB, migrations: Migration[] = loadMigrations(), scope = 'engine'): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_versions (scope TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (scope, version))',
  );
  adoptLegacyVersions(db);
  const done = new Set(
    (db.prepare('SELECT version FROM schema_versions WHERE scope = ?').all(scope) as { version: number }[]).map((r) => r.version),
  );
  let applied = 0;
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_versions (scope, version, name, applied_at) VALUES (?, ?, ?, ?)').run(
        scope,
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    applied++;
  }
  return applied;
}

export function openDatabase(path: string, opts: OpenOptions = {}): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const defer = path !== ':memory:' && opts.deferCheckAbove !== undefined && fileSize(path) > opts.deferCheckAbove;
  const db = path === ':memory:' ? new Database(path) : openCheckedDatabase(path, defer ? OPEN_TABLES : undefined);
  if (defer) deferred.add(db);
  // Inside a packaged Electron app the extension is unpacked from the asar archive.
  db.loadExtension(sqliteVec.getLoadablePath().replace(`app.asar${sep}`, `app.asar.unpacked${sep}`));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (path !== ':memory:' && /^SQLITE_(CORRUPT|NOTADB)/.test(code))
      throw new LibraryFileError(path, `is damaged (${(err as Error).message})`);
    throw err;
  }
  return db;
}
