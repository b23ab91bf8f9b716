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
});
