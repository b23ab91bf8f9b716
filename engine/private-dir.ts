/**
 * The studio's data folder is private to its user: the folder and every folder in it 0700, every
 * file 0600. `securePrivateTree` creates the folder that way and tightens an existing one (older
 * versions made it 0755 with 0644 files); `restrictUmask` makes new files come out private too.
 * POSIX modes only: on Windows the per-user profile's ACLs already keep other users out.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TightenReport {
  /** Paths whose mode was made stricter. */
  changed: string[];
}

/** Creates `dir` 0700 if missing; makes it and everything under it owner-only (links are not followed). */
export function securePrivateTree(dir: string, platform: NodeJS.Platform = process.platform): TightenReport {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const changed: string[] = [];
  if (platform === 'win32') return { changed };
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? 0o700 : 0o600;
    // Only take permissions away: never add the owner's write or execute bits to a file.
    const mode = st.mode & 0o777;
    const next = st.isDirectory() ? want : mode & want;
    if (mode !== next) {
      chmodSync(p, next);
      changed.push(p);
    }
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
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
