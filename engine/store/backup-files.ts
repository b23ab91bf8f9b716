/**
 * Where a library's rolling backups live and which is newest: `<library folder>/backups/
 * <library name>-<UTC time>.sqlite`. Pure file-name logic, shared by the backup writer and the
 * integrity check's error message.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface BackupFile {
  path: string;
  madeAt: Date;
  bytes: number;
}

function stem(libraryPath: string): string {
  return basename(libraryPath, extname(libraryPath));
}

/** `library-2026-11-22T09-10-00-000Z.sqlite` for `library.sqlite` at that time. */
export function backupName(libraryPath: string, at: Date): string {
  return `${stem(libraryPath)}-${at.toISOString().replace(/[:.]/g, '-')}.sqlite`;
}

function parseTime(name: string, prefix: string): Date | null {
  const m = new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{4}-\\d{2}-\\d{2})T(\\d{2})-(\\d{2})-(\\d{2})-(\\d{3})Z\\.sqlite$`,
  ).exec(name);
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Every backup of this library, newest first. */
export function listBackups(libraryPath: string): BackupFile[] {
  const dir = backupsDirOf(libraryPath);
  if (!existsSync(dir)) return [];
  const out: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const madeAt = parseTime(name, stem(libraryPath));
    if (madeAt) out.push({ path: join(dir, name), madeAt, bytes: statSync(join(dir, name)).size });
  }
  return out.sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime());
}

export function backupsDirOf(libraryPath: string): string {
  return join(dirname(libraryPath), 'backups');
}

/** The newest backup, or null. */
export function newestBackup(libraryPath: string): BackupFile | null {
  return listBackups(libraryPath)[0] ?? null;
}
