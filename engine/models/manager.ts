/**
 * Model files: the manifest (models/manifest.json), what is installed in a models folder, downloads
 * with progress, resume (HTTP Range on a .part file) and sha256 verification, and import from a
 * folder. Files whose upstream hash is unknown are trusted on first use: the hash seen then is
 * recorded in trust.json and any later file that differs is refused.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  copyFileSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { VectorSpace } from '../semantic/types.ts';

const ManifestFile = z.object({
  path: z.string().min(1),
  role: z.enum(['clip_image', 'clip_text', 'bge_text']).optional(),
  bytes: z.number().int().positive().nullable(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});
const Manifest = z.object({
  version: z.literal(1),
  urlTemplate: z.string(),
  note: z.string().optional(),
  models: z.array(
    z.object({
      id: z.string(),
      repo: z.string(),
      revision: z.string(),
      license: z.string(),
      upstream: z.string().optional(),
      files: z.array(ManifestFile),
    }),
  ),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestEntry = z.infer<typeof ManifestFile>;

export const MANIFEST_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'manifest.json');

export function loadManifest(path = MANIFEST_PATH): Manifest {
  return Manifest.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export interface FileStatus {
  model: string;
  repo: string;
  path: string;
  role?: VectorSpace | undefined;
  /** Where it lives (or would live) on disk. */
  localPath: string;
  url: string;
  expectedBytes: number | null;
  expectedSha256: string | null;
  /** installed: present and verified; missing; partial: an interrupted download can resume; mismatch: present but its hash differs. */
  state: 'installed' | 'missing' | 'partial' | 'mismatch';
  sha256?: string | undefined;
  /** 'manifest' when checked against the pinned hash, 'first-use' when against the hash recorded at first install. */
  verifiedBy?: 'manifest' | 'first-use' | undefined;
  partialBytes?: number | undefined;
}

export interface ProgressEvent {
  file: string;
  received: number;
  total: number | null;
  resumedFrom: number;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export class ModelStore {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Cache of verified hashes by path+size+mtime, so status does not re-hash 350 MB each call. */
  private readonly verified = new Map<string, string>();

  constructor(dir: string, manifest: Manifest = loadManifest()) {
    this.dir = dir;
    this.manifest = manifest;
  }

  private trustPath(): string {
    return join(this.dir, 'trust.json');
  }

  private trust(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.trustPath(), 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private recordTrust(key: string, sha: string): void {
    const t = this.trust();
    t[key] = sha;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.trustPath(), JSON.stringify(t, null, 2));
  }

  private *entries(modelId?: string) {
    for (const m of this.manifest.models) {
      if (modelId && m.id !== modelId) continue;
      for (const f of m.files) yield { m, f };
    }
  }

  private url(repo: string, revision: string, path: string): string {
    return this.manifest.urlTemplate.replace('{repo}', repo).replace('{revision}', revision).replace('{path}', path);
  }

  private async hashOf(path: string): Promise<string> {
    const st = statSync(path);
    const key = `${path}:${st.size}:${st.mtimeMs}`;
    const hit = this.verified.get(key);
    if (hit) return hit;
    const h = await sha256File(path);
    this.verified.set(key, h);
    return h;
  }

  async status(modelId?: string): Promise<FileStatus[]> {
    const trust = this.trust();
    const out: FileStatus[] = [];
    for (const { m, f } of this.entries(modelId)) {
      const localPath = join(this.dir, m.repo, f.path);
      const base: FileStatus = {
        model: m.id,
        repo: m.repo,
        path: f.path,
        role: f.role,
        localPath,
        url: this.url(m.repo, m.revision, f.path),
        expectedBytes: f.bytes,
        expectedSha256: f.sha256,
        state: 'missing',
      };
      if (existsSync(localPath)) {
        const sha = await this.hashOf(localPath);
        const expected = f.sha256 ?? trust[`${m.repo}/${f.path}`] ?? null;
        if (expected && expected !== sha) out.push({ ...base, state: 'mismatch', sha256: sha });
        else out.push({ ...base, state: 'installed', sha256: sha, verifiedBy: f.sha256 ? 'manifest' : 'first-use' });
      } else if (existsSync(`${localPath}.part`)) {
        out.push({ ...base, state: 'partial', partialBytes: statSync(`${localPath}.part`).size });
      } else out.push(base);
    }
    return out;
  }

  /** Local path and hash of the verified file for a role, or why it is not usable. */
  async resolveRole(role: VectorSpace): Promise<{ path: string; sha256: string; tokenizerDir: string } | { reason: string }> {
    const st = (await this.status()).find((s) => s.role === role);
    if (!st) return { reason: `no manifest entry for ${role}` };
    if (st.state === 'installed' && st.sha256) return { path: st.localPath, sha256: st.sha256, tokenizerDir: join(this.dir, st.repo) };
    if (st.state === 'mismatch') return { reason: `${st.path} is installed but its sha256 does not match; re-fetch it` };
    return { reason: `weights not installed (${st.repo}/${st.path}): run \`originals models fetch\` or \`originals models import <dir>\`` };
  }

  private accept(m: { repo: string }, f: ManifestEntry, sha: string, size: number): void {
    if (f.bytes !== null && size !== f.bytes) throw new Error(`${m.repo}/${f.path}: expected ${f.bytes} bytes, got ${size}`);
    const key = `${m.repo}/${f.path}`;
    const expected = f.sha256 ?? this.trust()[key];
    if (expected && expected !== sha) throw new Error(`${key}: sha256 ${sha} does not match the expected ${expected}`);
    if (!f.sha256 && !expected) this.recordTrust(key, sha);
  }

  /**
   * Downloads every missing or partial file (of one model, or all). Resumes from `.part` files,
   * verifies size and sha256 before the file is moved into place. Returns the files fetched.
   */
  async fetch(
    opts: { model?: string; onProgress?: (e: ProgressEvent) => void; fetchImpl?: typeof fetch; signal?: AbortSignal } = {},
  ): Promise<string[]> {
    const doFetch = opts.fetchImpl ?? fetch;
    const fetched: string[] = [];
    const statuses = await this.status(opts.model);
    for (const { m, f } of this.entries(opts.model)) {
      const st = statuses.find((s) => s.repo === m.repo && s.path === f.path) as FileStatus;
      if (st.state === 'installed') continue;
      const dest = st.localPath;
      const part = `${dest}.part`;
      mkdirSync(dirname(dest), { recursive: true });
      if (st.state === 'mismatch') rmSync(dest);
      let from = existsSync(part) ? statSync(part).size : 0;
      const res = await doFetch(st.url, {
        headers: from > 0 ? { Range: `bytes=${from}-` } : {},
        signal: opts.signal ?? null,
        redirect: 'follow',
      });
      if (res.status === 200 && from > 0)
        from = 0; // server ignored the range: start over
      else if (res.status !== 200 && res.status !== 206) throw new Error(`GET ${st.url}: HTTP ${res.status}`);
      if (!res.body) throw new Error(`GET ${st.url}: empty body`);
      const lenHeader = res.headers.get('content-length');
      const total = lenHeader ? from + Number(lenHeader) : f.bytes;
      const out = createWriteStream(part, { flags: from > 0 ? 'a' : 'w' });
      // A write error (disk full, folder removed) must fail the download, not crash the process as
      // an 'error' event nobody listens to, nor leave the loop waiting for a 'drain' that never comes.
      const outFailed = new Promise<never>((_, reject) => out.once('error', reject));
      outFailed.catch(() => undefined);
      let received = from;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          if (!out.write(chunk)) await Promise.race([once(out, 'drain'), outFailed]);
          received += chunk.byteLength;
          opts.onProgress?.({ file: `${m.repo}/${f.path}`, received, total, resumedFrom: from });
        }
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      const sha = await sha256File(part);
      try {
        this.accept(m, f, sha, statSync(part).size);
      } catch (err) {
        rmSync(part, { force: true });
        throw err;
      }
      renameSync(part, dest);
      fetched.push(`${m.repo}/${f.path}`);
    }
    return fetched;
  }

  /**
   * Installs files from a folder: each manifest file is looked for at `<dir>/<repo>/<path>`,
   * `<dir>/<path>` and `<dir>/<basename>`, verified, then copied. Returns what was installed and
   * what is still missing.
   */
  async importFrom(dir: string): Promise<{ installed: string[]; missing: string[]; rejected: string[] }> {
    const installed: string[] = [];
    const missing: string[] = [];
    const rejected: string[] = [];
    for (const { m, f } of this.entries()) {
      const key = `${m.repo}/${f.path}`;
      const candidates = [join(dir, m.repo, f.path), join(dir, f.path), join(dir, basename(m.repo), f.path), join(dir, basename(f.path))];
      const src = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (!src) {
        missing.push(key);
        continue;
      }
      const sha = await sha256File(src);
      try {
        this.accept(m, f, sha, statSync(src).size);
      } catch (err) {
        rejected.push(`${key}: ${(err as Error).message}`);
        continue;
      }
      const dest = join(this.dir, m.repo, f.path);
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(src, `${dest}.import`);
      renameSync(`${dest}.import`, dest);
      installed.push(key);
    }
    return { installed, missing, rejected };
  }
}
