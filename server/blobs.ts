/**
 * Content-addressed blob storage behind one small interface: the filesystem by default; an
 * S3-compatible store implements the same methods (not built yet: no object store is reachable
 * from these machines). Writes are atomic (temporary file + rename); a file (an uploaded audio or
 * video) is stored by streaming it, never read whole into memory. A blob can also be staged: hashed
 * and written aside first (the slow part, for a large upload), then stored under its id by a quick
 * commit or dropped — so a submission copies its files before it takes the compare-and-store lock
 * and stores nothing when it is refused or cancelled.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { copyFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A blob written aside, not yet under its id: commit() stores it (quick), discard() drops it (a no-op once committed). */
export interface StagedBlob {
  readonly sha256: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  /** Stores the file at `path` (streamed), returning its SHA-256. */
  putFile(path: string): Promise<string>;
  /** Hashes and writes the bytes aside (StagedBlob). */
  stage(bytes: Uint8Array): Promise<StagedBlob>;
  /** Hashes and copies the file at `path` aside (streamed; StagedBlob). */
  stageFile(path: string): Promise<StagedBlob>;
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  /** A stored file to stream (an audio or video), whole or a byte range [start, end] inclusive; null when absent. */
  open(sha256: string): Promise<BlobFile | null>;
}

export interface BlobFile {
  size: number;
  stream(range?: { start: number; end: number }): NodeJS.ReadableStream;
}

/** Staged files older than this when a store opens were left by a process that stopped between staging and commit. */
export const STALE_STAGED_MS = 24 * 60 * 60 * 1000;

export class FsBlobStore implements BlobStore {
  /** Where staged blobs wait for their commit: inside the store's folder, so a commit is a rename on one filesystem. */
  private readonly staging: string;
  constructor(private readonly dir: string) {
    this.staging = join(dir, '.staging');
    mkdirSync(this.staging, { recursive: true });
    this.sweepStaged();
  }
  private path(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error('bad blob id');
    return join(this.dir, sha.slice(0, 2), sha);
  }
  /** Removes staged files left by a process that stopped before committing them (not those another node may still commit). */
  private sweepStaged(): void {
    const now = Date.now();
    for (const f of readdirSync(this.staging)) {
      const p = join(this.staging, f);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st && now - st.mtimeMs > STALE_STAGED_MS) rmSync(p, { force: true });
    }
  }
  async put(bytes: Uint8Array): Promise<string> {
    const staged = await this.stage(bytes);
    await staged.commit();
    return staged.sha256;
  }
  async putFile(path: string): Promise<string> {
    const staged = await this.stageFile(path);
    await staged.commit();
    return staged.sha256;
  }
  async stage(bytes: Uint8Array): Promise<StagedBlob> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    return this.aside(sha, (tmp) => writeFile(tmp, bytes));
  }
  async stageFile(path: string): Promise<StagedBlob> {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
    const sha = h.digest('hex');
    return this.aside(sha, (tmp) => copyFile(path, tmp));
  }
  /** The blob `sha` written aside by `write` (nothing written when the store already holds it). */
  private async aside(sha: string, write: (tmp: string) => Promise<void>): Promise<StagedBlob> {
    const p = this.path(sha);
    if (existsSync(p)) return { sha256: sha, commit: async () => undefined, discard: async () => undefined };
    const tmp = join(this.staging, `${sha}.${randomBytes(6).toString('hex')}`);
    try {
      await write(tmp);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    let committed: Promise<void> | undefined;
    return {
      sha256: sha,
      // Renamed once however often it is called; over a copy of the same bytes stored meanwhile, if any.
      commit: () =>
        (committed ??= (async () => {
          mkdirSync(join(this.dir, sha.slice(0, 2)), { recursive: true });
          await rename(tmp, p);
        })()),
      discard: () => rm(tmp, { force: true }),
    };
  }
  async get(sha: string): Promise<Buffer | null> {
    const p = this.path(sha);
    return existsSync(p) ? readFileSync(p) : null;
  }
  async has(sha: string): Promise<boolean> {
    return existsSync(this.path(sha));
  }
  async open(sha: string): Promise<BlobFile | null> {
    const p = this.path(sha);
    const st = await stat(p).catch(() => null);
    if (!st?.isFile()) return null;
    return { size: st.size, stream: (range) => createReadStream(p, range ?? {}) };
  }
}
