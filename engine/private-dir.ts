/**
 * The studio's data folder is private to its user: the folder and the studio's folders in it
 * 0700, its files 0600. `securePrivateTree` creates the folder that way and tightens an existing one (older
 * versions made it 0755 with 0644 files); `restrictUmask` makes new files come out private too.
 * POSIX modes only: on Windows the per-user profile's ACLs already keep other users out.
 */
import { type Stats, chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TightenReport {
  /** Paths whose mode was made stricter. */
  changed: string[];
}

/**
 * What the studio keeps in its data folder. Only these are walked: ORIGINALS_DATA_DIR may point at
 * a folder that holds other things, whose modes are not the studio's to change (they are out of
 * other users' reach anyway once the folder itself is 0700).
 */
export const STUDIO_ENTRIES = [
  'library.sqlite',
  'library.sqlite-wal',
  'library.sqlite-shm',
  'backups',
  'images',
  'models',
  'marketplace',
  'marketplace-session',
  'marketplace-session.bin',
  'settings.json',
];

/** Creates `dir` 0700 if missing; makes it and the studio's entries in it owner-only (links are not followed). */
export function securePrivateTree(dir: string, platform: NodeJS.Platform = process.platform, entries = STUDIO_ENTRIES): TightenReport {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const changed: string[] = [];
  if (platform === 'win32') return { changed };
  const walk = (p: string) => {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return; // not there (yet)
    }
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? 0o700 : 0o600;
    // Only take permissions away: never add the owner's write or execute bits to a file.
    const mode = st.mode & 0o777;
    const next = st.isDirectory() ? want : mode & want;
    if (mode !== next) {
      chmodSync(p, next);
      changed.push(p);
    }
    if (st.isDirectory() && p !== dir) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  for (const e of entries) walk(join(dir, e));
  return { changed };
}

/** New files and folders of this process: owner-only. Not possible in worker threads (Node throws there). */
export function restrictUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; securePrivateTree still fixes modes at start.
  }
}
