import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, ModelStore } from '../../engine/models/manager.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const weights = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251));
const other = Buffer.from('x'.repeat(5000));
let unknownContent = Buffer.from('first version of an unpinned file');

let server: Server;
let base = '';
let cutNext = false;
const ranges: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = req.url?.endsWith('/weights.onnx')
      ? weights
      : req.url?.endsWith('/unpinned.onnx')
        ? unknownContent
        : req.url?.endsWith('/tampered.onnx')
          ? other
          : null;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    ranges.push(req.headers.range);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m ? Number(m[1]) : 0;
    const slice = body.subarray(from);
    res.writeHead(m ? 206 : 200, {
      'content-length': slice.length,
      ...(m ? { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}),
    });
    if (cutNext) {
      // Send part of the body, then drop the connection: an interrupted download.
      cutNext = false;
      res.write(slice.subarray(0, 120_000), () => res.socket?.destroy());
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function manifest(files: Manifest['models'][number]['files']): Manifest {
  return {
    version: 1,
    urlTemplate: `${base}/{repo}/{revision}/{path}`,
    models: [{ id: 'm', repo: 'org/m', revision: 'abc123', license: 'MIT', files }],
  };
}

describe('model downloads', () => {
  it('downloads, verifies and installs; status reports it; a second fetch does nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdl-'));
    const store = new ModelStore(
      dir,
      manifest([{ path: 'onnx/weights.onnx', role: 'bge_text', bytes: weights.length, sha256: sha(weights) }]),
    );
    expect((await store.status())[0]?.state).toBe('missing');
    const progress: number[] = [];
    expect(await store.fetch({ onProgress: (p) => progress.push(p.received) })).toEqual(['org/m/onnx/weights.onnx']);
    expect(progress.at(-1)).toBe(weights.length);
    expect(readFileSync(join(dir, 'org/m/onnx/weights.onnx')).equals(weights)).toBe(true);
    expect((await store.status())[0]).toMatchObject({ state: 'installed', verifiedBy: 'manifest' });
    expect(await store.fetch()).toEqual([]);
    expect(await store.resolveRole('bge_text')).toMatchObject({ path: join(dir, 'org/m/onnx/weights.onnx') });
  });

  it('resumes an interrupted download with a Range request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdl-'));
    const store = new ModelStore(dir, manifest([{ path: 'onnx/weights.onnx', bytes: weights.length, sha256: sha(weights) }]));
    cutNext = true;
    ranges.length = 0;
    await expect(store.fetch()).rejects.toThrow();
    const part = join(dir, 'org/m/onnx/weights.onnx.part');
    expect(existsSync(part)).toBe(true);
    const had = statSync(part).size;
    expect(had).toBeGreaterThan(0);
    expect((await store.status())[0]).toMatchObject({ state: 'partial', partialBytes: had });
    const resumedFrom: number[] = [];
    await store.fetch({ onProgress: (p) => resumedFrom.push(p.resumedFrom) });
    expect(ranges.at(-1)).toBe(`bytes=${had}-`);
    expect(resumedFrom[0]).toBe(had);
    expect(readFileSync(join(dir, 'org/m/onnx/weights.onnx')).equals(weights)).toBe(true);
    expect(existsSync(part)).toBe(false);
  });

  it('refuses a file whose hash differs from the manifest and keeps nothing of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdl-'));
    const store = new ModelStore(dir, manifest([{ path: 'onnx/tampered.onnx', bytes: null, sha256: sha(weights) }]));
    await expect(store.fetch()).rejects.toThrow(/does not match the expected/);
    expect(existsSync(join(dir, 'org/m/onnx/tampered.onnx'))).toBe(false);
    expect(existsSync(join(dir, 'org/m/onnx/tampered.onnx.part'))).toBe(false);
  });

  it('trusts an unpinned file on first use and refuses a different one later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mdl-'));
    const m = manifest([{ path: 'onnx/unpinned.onnx', bytes: null, sha256: null }]);
    const store = new ModelStore(dir, m);
    await store.fetch();
    const recorded = JSON.parse(readFileSync(join(dir, 'trust.json'), 'utf8'));
    expect(recorded['org/m/onnx/unpinned.onnx']).toBe(sha(unknownContent));
    expect((await store.status())[0]).toMatchObject({ state: 'installed', verifiedBy: 'first-use' });
    // Upstream changes the file: the local copy is replaced by hand, and a fresh download differs too.
    unknownContent = Buffer.from('a different file at the same path');
    writeFileSync(join(dir, 'org/m/onnx/unpinned.onnx'), unknownContent);
    expect((await new ModelStore(dir, m).status())[0]?.state).toBe('mismatch');
    await expect(new ModelStore(dir, m).fetch()).rejects.toThrow(/does not match/);
  });

  it('imports from a folder, verifying hashes', async () => {
    const src = mkdtempSync(join(tmpdir(), 'src-'));
    mkdirSync(join(src, 'onnx'));
    writeFileSync(join(src, 'onnx/weights.onnx'), weights);
    writeFileSync(join(src, 'tampered.onnx'), other);
    const dir = mkdtempSync(join(tmpdir(), 'mdl-'));
    const store = new ModelStore(
      dir,
      manifest([
        { path: 'onnx/weights.onnx', bytes: weights.length, sha256: sha(weights) },
        { path: 'onnx/tampered.onnx', bytes: null, sha256: sha(weights) },
        { path: 'onnx/absent.onnx', bytes: null, sha256: null },
      ]),
    );
    const r = await store.importFrom(src);
    expect(r.installed).toEqual(['org/m/onnx/weights.onnx']);
    expect(r.missing).toEqual(['org/m/onnx/absent.onnx']);
    expect(r.rejected[0]).toMatch(/tampered.onnx: .*does not match/);
  });
});
