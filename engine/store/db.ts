/**
 * The local store: better-sqlite3 with sqlite-vec, WAL, foreign keys, numbered migrations applied
 * in one transaction each (a failed migration leaves the database as it was). A library file is
 * checked before it is used (integrity.ts): empty, foreign or damaged files are refused by name.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { LibraryFileError, openCheckedDatabase } from './integrity.ts';

export type DB = Database.Database;

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

export function migrate(db: DB, migrations: Migration[] = loadMigrations()): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  let applied = 0;
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    applied++;
  }
  return applied;
}

export function openDatabase(path: string): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = path === ':memory:' ? new Database(path) : openCheckedDatabase(path);
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
