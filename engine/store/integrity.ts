/**
 * Checks a library file before the studio or the CLI trusts it: a 0-byte file is not a new
 * library, a file without the SQLite header is not a library, and `PRAGMA quick_check` must say
 * "ok". A failure is a LibraryFileError naming the file, what is wrong, and how to restore the
 * newest rolling backup (backup.ts) — never a raw SqliteError.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { EngineError } from '../errors.ts';
import { backupsDirOf, newestBackup } from './backup-files.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export class LibraryFileError extends EngineError {
  readonly path: string;
  readonly backup: string | null;
  /** What is wrong, without the advice: "is empty (0 bytes)…". */
  readonly problem: string;
  constructor(path: string, problem: string) {
    const backup = newestBackup(path);
    super(
      'library_corrupt',
      `the library file ${path} ${problem}. ${
        backup
          ? `The newest backup is ${backup.path} (made ${backup.madeAt.toISOString()}); restore it with \`originals library restore --db "${path}"\` (the damaged file is kept beside it as .damaged-<time>), or from the studio's restore prompt.`
          : `No backup of it exists in ${backupsDirOf(path)}; move the file away to start a new library, or restore it from your own copy.`
      }`,
      'library',
    );
    this.name = 'LibraryFileError';
    this.path = path;
    this.problem = problem;
    this.backup = backup?.path ?? null;
  }
}

/** Size and header checks, without opening the file with SQLite. Returns the problem, or null. */
export function libraryFileProblem(path: string): string | null {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (!st.isFile()) return 'is not a regular file';
  if (st.size === 0) return 'is empty (0 bytes): it was truncated or never written, and is not treated as a new library';
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (st.size < 100 || !head.equals(SQLITE_HEADER)) return `is not an SQLite database (${st.size} bytes, no SQLite header)`;
  return null;
}

/**
 * The check reads every page of the file. Through memory-mapped I/O it costs a fraction of reading
 * them one `pread` at a time (a 3.6 GiB library of 100k images: ~0.9 s instead of 2.8–11 s, most of
 * it system time). The mapping is read-only and lasts only for the check; SQLite caps it (2 GiB in
 * this build) and reads the rest of a larger file as usual.
 */
const CHECK_MMAP_BYTES = 2 ** 31;

/** `PRAGMA quick_check` on an open connection; throws LibraryFileError naming the first problems. */
export function quickCheck(db: Database.Database, path: string): void {
  let rows: { quick_check: string }[];
  const mmap = db.pragma('mmap_size', { simple: true }) as number;
  try {
    db.pragma(`mmap_size = ${CHECK_MMAP_BYTES}`);
    rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  } catch (err) {
    throw new LibraryFileError(path, `is damaged (${(err as Error).message})`);
  } finally {
    db.pragma(`mmap_size = ${mmap}`);
  }
  throwProblems(
    path,
    rows.map((r) => r.quick_check).filter((r) => r !== 'ok'),
  );
}

/** Throws LibraryFileError naming the problems `quick_check` reported (nothing when it said "ok"). */
function throwProblems(path: string, problems: string[]): void {
  if (problems.length) throw new LibraryFileError(path, `is damaged (SQLite quick_check: ${problems.join('; ')})`);
}

/**
 * `PRAGMA quick_check` of the named tables only (and their indexes): the pages a library reads to
 * open, checked before it is trusted when the whole file is checked in the background.
 */
export function quickCheckTables(db: Database.Database, path: string, tables: readonly string[]): void {
  let present: string[];
  try {
    const all = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    present = tables.filter((t) => all.has(t));
  } catch (err) {
    throw new LibraryFileError(path, `is damaged (${(err as Error).message})`);
  }
  for (const t of present) {
    let rows: { quick_check: string }[];
    try {
      rows = db.pragma(`quick_check("${t}")`) as { quick_check: string }[];
    } catch (err) {
      throw new LibraryFileError(path, `is damaged (${(err as Error).message})`);
    }
    throwProblems(
      path,
      rows.map((r) => r.quick_check).filter((r) => r !== 'ok'),
    );
  }
}

/**
 * The whole-file `quick_check` on a worker thread with its own read-only connection: resolves when
 * the file is sound, rejects with a LibraryFileError naming the problems. `cancel()` stops it (a
 * library closed before its check finished); the promise then resolves.
 */
export function quickCheckInBackground(path: string): { done: Promise<void>; cancel: () => Promise<void> } {
  // A bundle's compiled integrity-worker.js sits next to this module, or one folder up when the
  // bundler put this module in a shared chunk; from source, engine/worker-boot.mjs runs the .ts (tsx).
  const js = ['./integrity-worker.js', '../integrity-worker.js'].map((at) => new URL(at, import.meta.url)).find((u) => existsSync(u));
  const entry = new URL('./integrity-worker.ts', import.meta.url).href;
  const worker = js
    ? new Worker(js, { workerData: { path } })
    : new Worker(new URL('../worker-boot.mjs', import.meta.url), { workerData: { path, __entry: entry } });
  let cancelled = false;
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { problems: string[] } | { error: string }) => {
      if ('error' in m) reject(new LibraryFileError(path, `is damaged (${m.error})`));
      else if (m.problems.length) reject(new LibraryFileError(path, `is damaged (SQLite quick_check: ${m.problems.join('; ')})`));
      else resolve();
    });
    worker.once('error', (err) => (cancelled ? resolve() : reject(err)));
    worker.once('exit', () => resolve()); // after a message this changes nothing; after cancel() it ends the wait
  });
  return {
    done,
    cancel: async () => {
      cancelled = true;
      await worker.terminate();
    },
  };
}

/**
 * Opens a library with every check: header and size first, SQLite's own errors named, then
 * quick_check — of the whole file, or, with `checkTables`, of those tables only (the caller checks
 * the whole file in the background: quickCheckInBackground).
 */
export function openCheckedDatabase(path: string, checkTables?: readonly string[]): Database.Database {
  const problem = libraryFileProblem(path);
  if (problem) throw new LibraryFileError(path, problem);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new LibraryFileError(path, `cannot be opened (${(err as Error).message})`);
  }
  try {
    if (checkTables) quickCheckTables(db, path, checkTables);
    else quickCheck(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
