/**
 * The filesystem blob store: content-addressed put and putFile; a staged blob is invisible under
 * its id until committed, leaves nothing when discarded, and commits once however often asked;
 * staged files left by a stopped process are swept when a store opens, fresh ones are kept.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsBlobStore, STALE_STAGED_MS } from '../../server/blobs.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fresh = () => mkdtempSync(join(tmpdir(), 'blobs-'));
const staging = (dir: string) => readdirSync(join(dir, '.staging'));

describe('FsBlobStore', () => {
  it('stores bytes and files under their SHA-256', async () => {
    const dir = fresh();
    const store = new FsBlobStore(dir);
    const bytes = Buffer.from('a blob of bytes');
    expect(await store.put(bytes)).toBe(sha(bytes));
    expect((await store.get(sha(bytes)))?.equals(bytes)).toBe(true);
    const file = join(dir, 'upload.bin');
    const big = Buffer.alloc(300_000, 7);
    writeFileSync(file, big);
    expect(await store.putFile(file)).toBe(sha(big));
    expect((await store.open(sha(big)))?.size).toBe(big.length);
    expect(staging(dir)).toEqual([]);
  });

  it('a staged blob appears only when committed, and a discarded one leaves nothing', async () => {
    const dir = fresh();
    const store = new FsBlobStore(dir);
    const kept = await store.stage(Buffer.from('kept'));
    const dropped = await store.stage(Buffer.from('dropped'));
    expect(staging(dir)).toHaveLength(2);
    expect(await store.has(kept.sha256)).toBe(false);
    await Promise.all([kept.commit(), kept.commit()]);
    await kept.commit();
    await kept.discard(); // after the commit: nothing to drop
    expect((await store.get(kept.sha256))?.toString()).toBe('kept');
    await dropped.discard();
    expect(await store.has(dropped.sha256)).toBe(false);
    expect(staging(dir)).toEqual([]);
  });

  it('staging what the store already holds writes nothing aside', async () => {
    const dir = fresh();
    const store = new FsBlobStore(dir);
    const b = Buffer.from('twice');
    await store.put(b);
    const again = await store.stage(b);
    expect(again.sha256).toBe(sha(b));
    expect(staging(dir)).toEqual([]);
    await again.discard();
    expect(await store.has(sha(b))).toBe(true);
  });

  it('sweeps staged files older than a day when it opens, keeping recent ones', async () => {
    const dir = fresh();
    const store = new FsBlobStore(dir);
    const old = await store.stage(Buffer.from('left by a stopped process'));
    const recent = await store.stage(Buffer.from('another node is still analysing'));
    const [oldFile] = staging(dir).filter((f) => f.startsWith(old.sha256));
    const then = (Date.now() - STALE_STAGED_MS - 60_000) / 1000;
    utimesSync(join(dir, '.staging', oldFile as string), then, then);
    new FsBlobStore(dir);
    expect(staging(dir).map((f) => f.split('.')[0])).toEqual([recent.sha256]);
    await recent.commit();
    expect(await store.has(recent.sha256)).toBe(true);
  });
});
