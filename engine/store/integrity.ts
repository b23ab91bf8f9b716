/**
 * Checks a library file before the studio or the CLI trusts it: a 0-byte file is not a new
 * library, a file without the SQLite header is not a library, and `PRAGMA quick_check` must say
 * "ok". A failure is a LibraryFileError naming the file, what is wrong, and how to restore the
 * newest rolling backup (backup.ts) — never a raw SqliteError.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
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

/** `PRAGMA quick_check` on an open connection; throws LibraryFileError naming the first problems. */
export function quickCheck(db: Database.Database, path: string): void {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  } catch (err) {
    throw new LibraryFileError(path, `is damaged (${(err as Error).message})`);
  }
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length) throw new LibraryFileError(path, `is damaged (SQLite quick_check: ${problems.join('; ')})`);
}

/** Opens a library with every check: header and size first, SQLite's own errors named, then quick_check. */
export function openCheckedDatabase(path: string): Database.Database {
  const problem = libraryFileProblem(path);
  if (problem) throw new LibraryFileError(path, problem);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new LibraryFileError(path, `cannot be opened (${(err as Error).message})`);
  }
  try {
    quickCheck(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
