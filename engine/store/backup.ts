/**
 * Rolling backups of the library with better-sqlite3's online backup API (`db.backup()`, a
 * consistent copy taken while the library stays open), pruned to the N most recent; and restoring
 * the newest (or a chosen) backup after checking it, keeping the damaged file beside it.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { EngineError } from '../errors.ts';
import { type BackupFile, backupName, backupsDirOf, listBackups } from './backup-files.ts';
import { join } from 'node:path';
import { LibraryFileError, openCheckedDatabase } from './integrity.ts';

export { type BackupFile, backupsDirOf, listBackups, newestBackup } from './backup-files.ts';

/** Copies the open library to a new backup file and deletes all but the `keep` newest. */
export async function makeBackup(db: Database.Database, libraryPath: string, keep = 5, now = new Date()): Promise<BackupFile> {
  const dir = backupsDirOf(libraryPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, backupName(libraryPath, now));
  const tmp = `${path}.part`;
  await db.backup(tmp);
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  for (const old of listBackups(libraryPath).slice(Math.max(1, keep))) rmSync(old.path, { force: true });
  return listBackups(libraryPath).find((b) => b.path === path) ?? { path, madeAt: now, bytes: 0 };
}

/**
 * Puts a backup in the library's place: the backup is checked first (header, quick_check); the
 * damaged library and its -wal/-shm files are renamed to `<name>.damaged-<time>`, never deleted.
 */
export function restoreBackup(libraryPath: string, from?: string, now = new Date()): { restored: string; damagedKeptAs: string | null } {
  const source = from ?? listBackups(libraryPath)[0]?.path;
  if (!source) throw new EngineError('no_backup', `there is no backup of ${libraryPath} in ${backupsDirOf(libraryPath)}`, 'backup');
  if (!existsSync(source)) throw new EngineError('no_backup', `the backup ${source} does not exist`, 'backup');
  try {
    openCheckedDatabase(source).close();
  } catch (err) {
    if (err instanceof LibraryFileError)
      throw new EngineError('bad_backup', `the backup ${source} ${err.problem}; choose another with --from`, 'backup');
    throw err;
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let damagedKeptAs: string | null = null;
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(libraryPath + suffix)) continue;
    const kept = `${libraryPath}${suffix}.damaged-${stamp}`;
    renameSync(libraryPath + suffix, kept);
    if (suffix === '') damagedKeptAs = kept;
  }
  const tmp = `${libraryPath}.restoring`;
  copyFileSync(source, tmp);
  chmodSync(tmp, 0o600);
  renameSync(tmp, libraryPath);
  return { restored: source, damagedKeptAs };
}

export interface RollingBackupOptions {
  /** How many backups to keep (default 5). */
  keep?: number;
  /** Make one when the newest is older than this (default 6 hours), checked at start and on a timer. */
  everyMs?: number;
  /** And after this many saves since the last one (default 50). */
  everySaves?: number;
  onError?: (err: Error) => void;
}

/** The studio's rolling backups: at start when due, every few hours, and after every N saves. */
export class RollingBackups {
  private saves = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | null = null;
  readonly keep: number;
  readonly everyMs: number;
  readonly everySaves: number;

  constructor(
    private readonly db: Database.Database,
    readonly libraryPath: string,
    private readonly opts: RollingBackupOptions = {},
  ) {
    this.keep = opts.keep ?? 5;
    this.everyMs = opts.everyMs ?? 6 * 3600_000;
    this.everySaves = opts.everySaves ?? 50;
  }

  /** Makes a backup now unless one is already being made; errors go to onError, not the caller's save. */
  backupNow(): Promise<unknown> {
    if (this.running) return this.running;
    this.saves = 0;
    this.running = makeBackup(this.db, this.libraryPath, this.keep)
      .catch((err: Error) => this.opts.onError?.(err))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** At start: a backup when none is younger than everyMs; then a timer. */
  start(now = Date.now()): Promise<unknown> {
    const newest = listBackups(this.libraryPath)[0];
    this.timer = setInterval(() => void this.backupNow(), this.everyMs);
    this.timer.unref();
    return !newest || now - newest.madeAt.getTime() >= this.everyMs ? this.backupNow() : Promise.resolve();
  }

  /** Resolves when no backup is being made. */
  whenIdle(): Promise<unknown> {
    return this.running ?? Promise.resolve();
  }

  noteSave(): void {
    if (++this.saves >= this.everySaves) void this.backupNow();
  }

  /** Stops the timer and waits for a backup in progress (the library must stay open until then). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
