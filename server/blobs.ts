/**
 * Content-addressed blob storage behind one small interface: the filesystem by default; an
 * S3-compatible store implements the same three methods (not built yet: no object store is
 * reachable from these machines). Writes are atomic (temporary file + rename); a file (an uploaded
 * audio or video) is stored by streaming it, never read whole into memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { copyFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  /** Stores the file at `path` (streamed), returning its SHA-256. */
  putFile(path: string): Promise<string>;
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  /** A stored file to stream (an audio or video), whole or a byte range [start, end] inclusive; null when absent. */
  open(sha256: string): Promise<BlobFile | null>;
}

export interface BlobFile {
  size: number;
  stream(range?: { start: number; end: number }): NodeJS.ReadableStream;
}

export class FsBlobStore implements BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  private path(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error('bad blob id');
    return join(this.dir, sha.slice(0, 2), sha);
  }
  async put(bytes: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const p = this.path(sha);
    if (!existsSync(p)) {
      mkdirSync(join(this.dir, sha.slice(0, 2)), { recursive: true });
      const tmp = `${p}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, p);
    }
    return sha;
  }
  async putFile(path: string): Promise<string> {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
    const sha = h.digest('hex');
    const p = this.path(sha);
    if (!existsSync(p)) {
      mkdirSync(join(this.dir, sha.slice(0, 2)), { recursive: true });
      const tmp = `${p}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await copyFile(path, tmp);
        renameSync(tmp, p);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    }
    return sha;
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
