/**
 * `originals library status | backup | restore [--from BACKUP]`: checks the library file (size,
 * SQLite header, quick_check), lists its rolling backups, makes one now, or restores one.
 */
import { existsSync, statSync } from 'node:fs';
import { EngineError } from '../errors.ts';
import { listBackups, makeBackup, restoreBackup } from '../store/backup.ts';
import { openCheckedDatabase } from '../store/integrity.ts';
import { formatBytes } from './progress.ts';

interface Out {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function cmdLibrary(args: string[], o: { dbPath: string; from?: string | undefined }, io: Out): Promise<number> {
  const sub = args[0] ?? 'status';
  const backups = () => listBackups(o.dbPath);
  if (sub === 'status') {
    io.out(`library: ${o.dbPath}`);
    let ok = true;
    if (!existsSync(o.dbPath)) io.out('  does not exist yet (the first index or studio start creates it)');
    else {
      try {
        openCheckedDatabase(o.dbPath).close();
        io.out(`  ok: ${formatBytes(statSync(o.dbPath).size)}, SQLite quick_check passed`);
      } catch (err) {
        ok = false;
        io.err(`  ${(err as Error).message}`);
      }
    }
    const list = backups();
    io.out(list.length ? `backups (newest first):` : 'no backups yet');
    for (const b of list) io.out(`  ${b.path} — ${b.madeAt.toISOString()} — ${formatBytes(b.bytes)}`);
    return ok ? 0 : 1;
  }
  if (sub === 'backup') {
    if (!existsSync(o.dbPath)) {
      io.err(`there is no library at ${o.dbPath} to back up`);
      return 1;
    }
    const db = openCheckedDatabase(o.dbPath);
    try {
      const b = await makeBackup(db, o.dbPath);
      io.out(`backed up to ${b.path} (${formatBytes(b.bytes)}); ${backups().length} backups kept`);
      return 0;
    } finally {
      db.close();
    }
  }
  if (sub === 'restore') {
    try {
      const r = restoreBackup(o.dbPath, o.from);
      io.out(`restored ${o.dbPath} from ${r.restored}${r.damagedKeptAs ? `; the previous file is kept as ${r.damagedKeptAs}` : ''}`);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      io.err(`restore failed: ${err.message}`);
      return 1;
    }
  }
  io.err(`unknown library command: ${sub} (status, backup or restore)`);
  return 2;
}
