/**
 * The library file is checked before use and backed up while in use: a 0-byte, foreign or damaged
 * file is refused with its path, what is wrong and the newest backup; rolling backups are made with
 * the online backup API and pruned; `originals library restore` and restoreBackup put the newest
 * backup back and keep the damaged file; the studio refuses to start on a damaged library with that
 * message instead of a raw SqliteError; and its data folder is owner-only. A large file is checked
 * whole in the background (tables read to open first): damage found then is reported, never backed up.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main.ts';
import { ProgressBar } from '../../engine/cli/progress.ts';
import { securePrivateTree } from '../../engine/private-dir.ts';
import { RollingBackups, listBackups, makeBackup, restoreBackup } from '../../engine/store/backup.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { openDatabase } from '../../engine/store/db.ts';
import { LibraryFileError } from '../../engine/store/integrity.ts';
import { Studio } from '../../electron/main/services/studio.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'libfile-'));

/** A real library with enough rows to span many pages, closed (WAL checkpointed). */
function library(path: string, rows = 2000): void {
  const db = openDatabase(path);
  db.exec('CREATE TABLE filler(x TEXT)');
  const ins = db.prepare('INSERT INTO filler VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run(`row ${i} ${'.'.repeat(100)}`);
  })();
  db.close();
}

/** Overwrites one page near the end with garbage: the header stays valid, the b-tree does not. */
function damage(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, size - 4096 * 3);
  closeSync(fd);
}

function cli(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      progress: new ProgressBar({ isTTY: false } as NodeJS.WriteStream),
      env,
    },
    out,
    err,
  };
}

describe('library file checks', () => {
  it('refuses a 0-byte library instead of treating it as a new one, naming the file', () => {
    const path = join(tmp(), 'library.sqlite');
    writeFileSync(path, '');
    expect(() => openDatabase(path)).toThrow(
      expect.objectContaining({ code: 'library_corrupt', message: expect.stringContaining(`${path} is empty (0 bytes)`) }),
    );
    expect(statSync(path).size).toBe(0);
  });

  it('maps the file into memory for the quick_check only: the open library reads pages as usual', () => {
    const path = join(tmp(), 'library.sqlite');
    library(path);
    const db = openDatabase(path);
    expect(db.pragma('mmap_size', { simple: true })).toBe(0);
    db.close();
  });

  it('refuses a file that is not SQLite, and a damaged one (quick_check), naming the newest backup and how to restore it', async () => {
    const dir = tmp();
    const path = join(dir, 'library.sqlite');
    library(path);
    const db = openDatabase(path);
    const b = await makeBackup(db, path);
    db.close();
    damage(path);
    let msg = '';
    try {
      openDatabase(path);
    } catch (e) {
      msg = (e as Error).message;
      expect((e as Error).name).toBe('LibraryFileError');
    }
    expect(msg).toContain(`the library file ${path} is damaged`);
    expect(msg).toContain(`The newest backup is ${b.path}`);
    expect(msg).toContain(`originals library restore --db "${path}"`);
    writeFileSync(path, 'name,price\nsword,3\n'.repeat(20));
    expect(() => openDatabase(path)).toThrow(/is not an SQLite database \(\d+ bytes, no SQLite header\)/);
  });
});

describe('rolling backups and restore', () => {
  it('backs up with the online API, keeps the N newest, and backs up again after N saves', async () => {
    const path = join(tmp(), 'library.sqlite');
    library(path, 50);
    const db = openDatabase(path);
    for (let i = 0; i < 4; i++) await makeBackup(db, path, 3, new Date(Date.UTC(2026, 0, 1, i)));
    expect(listBackups(path).map((b) => b.madeAt.getUTCHours())).toEqual([3, 2, 1]);
    const copy = openDatabase(listBackups(path)[0]?.path as string);
    expect((copy.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n).toBe(50);
    copy.close();

    const rolling = new RollingBackups(db, path, { keep: 3, everySaves: 2, everyMs: 3600_000 });
    await rolling.start(); // the newest backup is from 2026-01-01, older than an hour: one now
    const afterStart = listBackups(path)[0]?.madeAt.getTime() ?? 0;
    expect(Date.now() - afterStart).toBeLessThan(60_000);
    rolling.noteSave();
    expect(listBackups(path)).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 5));
    rolling.noteSave();
    await rolling.stop();
    expect(listBackups(path)[0]?.madeAt.getTime()).toBeGreaterThan(afterStart);
    expect(listBackups(path)).toHaveLength(3);
    expect(statSync(listBackups(path)[0]?.path as string).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('`originals library restore` puts the newest backup back and keeps the damaged file; check names the file before', async () => {
    const path = join(tmp(), 'library.sqlite');
    library(path, 300);
    const db = openDatabase(path);
    await makeBackup(db, path);
    db.close();
    damage(path);

    const c1 = cli();
    expect(await main(['check', '--db', path, '/nonexistent.png'], c1.io)).toBe(1);
    expect(c1.err.join('\n')).toContain(`the library file ${path} is damaged`);

    const c2 = cli();
    expect(await main(['library', 'status', '--db', path], c2.io)).toBe(1);
    expect(c2.out.join('\n')).toMatch(/backups \(newest first\):\n {2}.*library-.*\.sqlite/);

    const c3 = cli();
    expect(await main(['library', 'restore', '--db', path], c3.io)).toBe(0);
    expect(c3.out[0]).toMatch(/^restored .* from .*backups\/library-.*\.sqlite; the previous file is kept as .*library\.sqlite\.damaged-/);
    const ok = openDatabase(path);
    expect((ok.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n).toBe(300);
    ok.close();

    const bad = join(tmp(), 'not-a-backup.sqlite');
    writeFileSync(bad, '');
    expect(() => restoreBackup(path, bad)).toThrow(/the backup .*not-a-backup\.sqlite is empty/);
  });

  it('the studio refuses a damaged library at start with the file, the problem and the backup — not a raw SqliteError', async () => {
    const dataDir = tmp();
    const path = join(dataDir, 'library.sqlite');
    library(path);
    damage(path);
    const err = await Studio.open({ dataDir, mode: 'browser', version: 't' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('LibraryFileError');
    expect((err as Error).message).toContain(`the library file ${path} is damaged`);
  });

  it('the studio makes a backup at start, and its data folder is owner-only, fixing an existing 0755 folder', async () => {
    const dataDir = tmp();
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'images'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'images', 'old.webp'), 'x');
    writeFileSync(join(dataDir, 'not-ours.txt'), 'x');
    // Modes set explicitly: an earlier Studio.open in this process has already set the umask to 077.
    chmodSync(join(dataDir, 'images'), 0o755);
    chmodSync(join(dataDir, 'images', 'old.webp'), 0o644);
    chmodSync(join(dataDir, 'not-ours.txt'), 0o644);
    const s = await Studio.open({ dataDir, mode: 'browser', version: 't' });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'images')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'images', 'old.webp')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'library.sqlite')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'not-ours.txt')).mode & 0o777).toBe(0o644); // only the studio's own entries are changed
      await s.backups.whenIdle();
      expect(listBackups(join(dataDir, 'library.sqlite'))).toHaveLength(1);
    } finally {
      await s.close();
    }
    expect(securePrivateTree(dataDir).changed).toEqual([]);
    expect(existsSync(join(dataDir, 'backups'))).toBe(true);
  });
});

describe('the whole-file check of a large library, in the background', () => {
  it('opens after checking only the tables it reads, then settles: sound file resolves, damaged file rejects naming it', async () => {
    const sound = join(tmp(), 'library.sqlite');
    library(sound);
    const ok = UniquenessEngine.open({ dbPath: sound, backgroundCheckAbove: 0 });
    try {
      await expect(ok.integrity).resolves.toBeUndefined();
    } finally {
      ok.close();
    }
    // Damage outside the tables read while opening (the filler table's last pages): open succeeds,
    // the background check names the file and the problem.
    const bad = join(tmp(), 'library.sqlite');
    library(bad);
    damage(bad);
    expect(() => openDatabase(bad)).toThrow(/is damaged/); // checked before opening without the option
    const e = UniquenessEngine.open({ dbPath: bad, backgroundCheckAbove: 0 });
    try {
      const err = await e.integrity.catch((x: Error) => x);
      expect(err).toBeInstanceOf(LibraryFileError);
      expect((err as LibraryFileError).message).toContain(`the library file ${bad} is damaged (`);
    } finally {
      e.close();
    }
  });

  it('below the threshold the whole file is still checked before open returns', () => {
    const bad = join(tmp(), 'library.sqlite');
    library(bad);
    damage(bad);
    expect(() => UniquenessEngine.open({ dbPath: bad, backgroundCheckAbove: statSync(bad).size })).toThrow(/is damaged/);
  });

  it('damage in a table read while opening is still refused at open', () => {
    const path = join(tmp(), 'library.sqlite');
    library(path);
    const db = openDatabase(path);
    const root = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'engine_meta'").get() as { rootpage: number }).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);
    expect(() => openDatabase(path, { deferCheckAbove: 0 })).toThrow(
      expect.objectContaining({ name: 'LibraryFileError', message: expect.stringContaining('is damaged') }),
    );
  });

  it('closing before the check ends stops it without an error', async () => {
    const path = join(tmp(), 'library.sqlite');
    library(path, 20_000);
    const e = UniquenessEngine.open({ dbPath: path, backgroundCheckAbove: 0 });
    e.close();
    await expect(e.integrity).resolves.toBeUndefined();
  });

  it('the studio makes no backup of a file the background check found damaged, and says so in its info and a push', async () => {
    const dataDir = tmp();
    const path = join(dataDir, 'library.sqlite');
    library(path);
    damage(path);
    const s = await Studio.open({ dataDir, mode: 'browser', version: 't', backgroundCheckAbove: 0 });
    const pushed: unknown[] = [];
    s.push.subscribe((ev) => pushed.push(ev));
    try {
      await s.checked;
      expect(s.libraryDamage?.message).toContain(`the library file ${path} is damaged`);
      expect(s.info().libraryDamage).toEqual({ message: s.libraryDamage?.message, backup: null });
      expect(pushed).toEqual([{ type: 'library.damaged', payload: { message: s.libraryDamage?.message, backup: null } }]);
      await s.backups.whenIdle();
      expect(listBackups(path)).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  it('the studio backs up a sound file once its background check has passed', async () => {
    const dataDir = tmp();
    const path = join(dataDir, 'library.sqlite');
    library(path);
    const s = await Studio.open({ dataDir, mode: 'browser', version: 't', backgroundCheckAbove: 0 });
    try {
      await s.checked;
      expect(s.libraryDamage).toBeNull();
      expect(s.info().libraryDamage).toBeNull();
      await s.backups.whenIdle();
      expect(listBackups(path)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
