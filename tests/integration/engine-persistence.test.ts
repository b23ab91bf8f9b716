/**
 * The engine's search structures persist: snapshots plus a journal of changes, so a library opens
 * without rebuilding, a crash loses nothing, and another process's writes are never hidden.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HammingIndex } from '../../engine/hash/mih.ts';
import { LshIndex } from '../../engine/index/lsh.ts';
import { SearchIndexes } from '../../engine/index/search-indexes.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { AssetCard } from '../../shared/asset.ts';
import { artwork, transforms } from '../helpers/images.ts';

const card = (name: string, description = ''): AssetCard => ({ asset_type: 'item', name, description, tags: [] });
const story = (n: number) =>
  `Item ${n}: a lantern forged by the river smiths of Kell, whose flame burns blue near hidden doors and goes out when a liar speaks.`;
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'persist-')), 'lib.sqlite');
const snapshotCount = (e: UniquenessEngine) => (e.db.prepare('SELECT count(*) AS n FROM index_snapshots').get() as { n: number }).n;
const journal = (e: UniquenessEngine) => (e.db.prepare('SELECT count(*) AS n FROM index_journal').get() as { n: number }).n;

describe('index persistence', () => {
  it('Hamming index and LSH snapshots answer like the live structures, and keep accepting changes', () => {
    const rnd = (s: number) => () => (s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    const r = rnd(7);
    const mih = new HammingIndex();
    const hashes = Array.from({ length: 500 }, (_, i) => ({ owner: i, h: { hi: r(), lo: r() } }));
    for (const { owner, h } of hashes) mih.add(owner, h, owner % 6);
    mih.remove(3);
    const loaded = HammingIndex.fromBuffer(mih.toBuffer());
    expect(loaded.size).toBe(499);
    for (const { owner, h } of hashes.slice(0, 50)) {
      const near = { hi: h.hi ^ 0b1011, lo: h.lo };
      const a = mih.search(near, 11).map((x) => x.owner);
      expect(loaded.search(near, 11).map((x) => x.owner)).toEqual(a);
      expect(a.includes(owner)).toBe(owner !== 3);
    }
    loaded.remove(10);
    loaded.add(10, { hi: 1, lo: 2 }, 0);
    expect(loaded.search({ hi: 1, lo: 3 }, 2).map((x) => x.owner)).toEqual([10]);
    expect(loaded.search(hashes[10]?.h as { hi: number; lo: number }, 0)).toEqual([]);

    const lsh = new LshIndex();
    const sigs = Array.from({ length: 200 }, () => Uint32Array.from({ length: 128 }, r));
    sigs.forEach((s, i) => lsh.add(i, s));
    lsh.remove(5);
    const l2 = LshIndex.fromBuffer(lsh.toBuffer());
    expect([...l2.candidates(sigs[7] as Uint32Array)]).toEqual([7]);
    expect([...l2.candidates(sigs[5] as Uint32Array)]).toEqual([]);
    l2.remove(7);
    l2.add(7, sigs[8] as Uint32Array);
    expect([...l2.candidates(sigs[8] as Uint32Array)].sort()).toEqual([7, 8]);
    expect(LshIndex.fromBuffer(l2.toBuffer()).candidates(sigs[7] as Uint32Array).size).toBe(0);
  });

  it('opens from snapshots plus the journal, and finds what was indexed, changed and removed', async () => {
    const path = dbPath();
    const a = UniquenessEngine.open({ dbPath: path });
    for (let i = 0; i < 6; i++)
      await a.index({ id: `x${i}`, creatorId: 'alice', card: card(`thing ${i}`, story(i)), image: await artwork(100 + i) });
    a.close();
    const b = UniquenessEngine.open({ dbPath: path });
    expect(snapshotCount(b)).toBe(Object.keys(new SearchIndexes().snapshots()).length);
    expect(journal(b)).toBe(0);
    // Changes after the snapshot: a removal and a re-index with another image, then a "crash"
    // (the file is left without close(), so the snapshot is not rewritten).
    b.remove('x1');
    await b.index({ id: 'x2', creatorId: 'alice', card: card('thing 2', story(2)), image: await artwork(200) });
    expect(journal(b)).toBe(2);
    const c = UniquenessEngine.open({ dbPath: path });
    const copyOf = async (seed: number) =>
      c.check({
        card: card('mine', 'nothing alike'),
        image: await (transforms.resize as (x: Buffer) => Promise<Buffer>)(await artwork(seed)),
        creatorId: 'bob',
      });
    expect((await copyOf(100)).matches[0]?.assetId).toBe('x0');
    expect((await copyOf(101)).status).toBe('approved');
    expect((await copyOf(102)).status).toBe('approved');
    expect((await copyOf(200)).matches[0]?.assetId).toBe('x2');
    const text = await c.check({ card: card('copy', story(3)), creatorId: 'bob' });
    expect(text.matches[0]?.assetId).toBe('x3');
    expect(c.size).toBe(5);
    c.close();
    b.close();
  });

  it('an engine that missed another process’s writes saves no snapshot over them', async () => {
    const path = dbPath();
    const a = UniquenessEngine.open({ dbPath: path });
    const b = UniquenessEngine.open({ dbPath: path });
    await a.index({ id: 'a', creatorId: 'alice', card: card('first', story(1)) });
    await b.index({ id: 'b', creatorId: 'bob', card: card('second', story(2)) });
    a.close(); // a did not see b's write: it must not snapshot over it
    expect(journal(b)).toBeGreaterThan(0);
    b.close(); // b did not see a's write either
    const c = UniquenessEngine.open({ dbPath: path });
    expect((await c.check({ card: card('x', story(1)), creatorId: 'carol' })).matches[0]?.assetId).toBe('a');
    expect((await c.check({ card: card('y', story(2)), creatorId: 'carol' })).matches[0]?.assetId).toBe('b');
    c.close();
  });

  it('a damaged snapshot is rebuilt from the stored fingerprints', async () => {
    const path = dbPath();
    const a = UniquenessEngine.open({ dbPath: path });
    await a.index({ id: 'a', creatorId: 'alice', card: card('first', story(1)) });
    a.close();
    const raw = UniquenessEngine.open({ dbPath: path });
    raw.db.prepare("UPDATE index_snapshots SET data = x'00010203' WHERE name = 'text_lsh'").run();
    raw.db.close();
    const c = UniquenessEngine.open({ dbPath: path });
    expect((await c.check({ card: card('x', story(1)), creatorId: 'carol' })).matches[0]?.assetId).toBe('a');
    c.close();
  });

  it('a local-feature snapshot in the older layout (each image’s words) is read as it is, and saved in the current one on close', async () => {
    const path = dbPath();
    const a = UniquenessEngine.open({ dbPath: path });
    for (let i = 0; i < 4; i++) await a.index({ id: `x${i}`, creatorId: 'alice', card: card(`thing ${i}`), image: await artwork(300 + i) });
    a.close();
    const raw = UniquenessEngine.open({ dbPath: path });
    const snap = (raw.db.prepare("SELECT data FROM index_snapshots WHERE name = 'local'").get() as { data: Buffer }).data;
    raw.db.prepare("UPDATE index_snapshots SET data = ? WHERE name = 'local'").run(olderLayout(snap));
    raw.db.close();
    const b = UniquenessEngine.open({ dbPath: path });
    // Read, not rebuilt: a rebuild from the rows would have saved new snapshots while opening.
    const magic = (e: UniquenessEngine) =>
      (e.db.prepare("SELECT data FROM index_snapshots WHERE name = 'local'").get() as { data: Buffer }).data
        .subarray(0, 4)
        .toString('latin1');
    expect(magic(b)).toBe('OLX1');
    const copy = await (transforms.crop as (x: Buffer) => Promise<Buffer>)(await artwork(302));
    expect((await b.check({ card: card('mine'), image: copy, creatorId: 'bob' })).matches[0]?.assetId).toBe('x2');
    b.close();
    const c = UniquenessEngine.open({ dbPath: path });
    expect(magic(c)).toBe('OLX2');
    expect((await c.check({ card: card('mine'), image: copy, creatorId: 'bob' })).matches[0]?.assetId).toBe('x2');
    c.close();
  });
});

/** The same local index written as "OLX1" (rowids, word counts, each image's words), the layout before segments. */
function olderLayout(snap: Buffer): Buffer {
  const V = snap.readUInt32LE(4);
  const n = snap.readUInt32LE(8);
  const S = snap.readUInt32LE(12);
  const counts = Array.from({ length: n }, (_, i) => snap.readUInt32LE(16 + n * 8 + i * 4));
  const endsAt = 16 + n * 12;
  const lengthsAt = endsAt + V * (S - 1) * 4;
  const words: number[][] = Array.from({ length: n }, () => []);
  let o = lengthsAt + V * 4;
  for (let w = 0; w < V; w++) {
    const len = snap.readUInt32LE(lengthsAt + w * 4);
    for (let i = 0, h = 0; i < len; i++, o += 2) {
      while (h < S - 1 && i >= snap.readUInt32LE(endsAt + (w * (S - 1) + h) * 4)) h++;
      words[h * 65536 + snap.readUInt16LE(o)]?.push(w);
    }
  }
  const total = counts.reduce((x, y) => x + y, 0);
  const out = Buffer.alloc(12 + n * 12 + total * 2);
  out.writeUInt32LE(0x31584c4f, 0);
  out.writeUInt32LE(V, 4);
  out.writeUInt32LE(n, 8);
  snap.copy(out, 12, 16, 16 + n * 12);
  let p = 12 + n * 12;
  for (const ws of words) for (const w of ws) p = out.writeUInt16LE(w, p);
  return out;
}
