/**
 * The engine's image memo (engine/image-memo.ts, EngineOptions.memoImages): a query image checked
 * again while only its card's text changes is described once, the result of the check is the same
 * as without the memo, stored fingerprints never come from it, and a CLIP image vector is reused only
 * while the embedder that computed it is the engine's. The embedder here runs tiny generated ONNX
 * graphs (tests/helpers/models.ts): they prove the plumbing, not CLIP's quality.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssetCard } from '../../shared/asset.ts';
import { ImageMemo, type ImageParts } from '../../engine/image-memo.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { OnnxEmbedder } from '../../engine/semantic/embedder.ts';
import { artwork, transforms } from '../helpers/images.ts';
import { SHARED_MODELS, tinyModelsDir } from '../helpers/models.ts';

const card = (name: string, description = ''): AssetCard => ({ asset_type: 'item', name, description, tags: [] });
const parts = (tag: string): ImageParts => ({ image: null, local: null, localError: tag });

describe('ImageMemo', () => {
  it('computes an image once, shares a computation in flight and drops the least recently used first', async () => {
    const memo = new ImageMemo(2);
    const make = vi.fn(async (tag: string) => parts(tag));
    const [a1, a2] = await Promise.all([memo.parts('a', () => make('a')), memo.parts('a', () => make('a'))]);
    expect(make).toHaveBeenCalledTimes(1);
    expect(a2).toBe(a1);
    await memo.parts('b', () => make('b'));
    await memo.parts('a', () => make('a')); // a is now the most recently used
    await memo.parts('c', () => make('c')); // b goes
    expect(memo.size).toBe(2);
    expect(make).toHaveBeenCalledTimes(3);
    expect((await memo.parts('a', () => make('a again'))).localError).toBe('a');
    expect((await memo.parts('b', () => make('b again'))).localError).toBe('b again');
    expect(make).toHaveBeenCalledTimes(4);
  });

  it('forgets a failed computation, and keeps nothing at capacity 0', async () => {
    const memo = new ImageMemo(2);
    await expect(memo.parts('x', () => Promise.reject(new Error('unreadable')))).rejects.toThrow('unreadable');
    await Promise.resolve();
    expect((await memo.parts('x', async () => parts('second try'))).localError).toBe('second try');
    const none = new ImageMemo(0);
    const make = vi.fn(async () => parts('n'));
    await none.parts('k', make);
    await none.parts('k', make);
    expect(make).toHaveBeenCalledTimes(2);
    expect(none.size).toBe(0);
  });

  it('refuses a capacity that is not a whole number of images, before an engine opens its file', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new ImageMemo(bad)).toThrow(RangeError);
      expect(() => UniquenessEngine.open({ dbPath: ':memory:', memoImages: bad })).toThrow(/memoImages/);
    }
  });

  it('keys an image by its bytes and how it was described', async () => {
    const img = await artwork(3);
    expect(ImageMemo.key(img, 'query')).toBe(ImageMemo.key(Buffer.from(img), 'query'));
    expect(ImageMemo.key(img, 'query')).not.toBe(ImageMemo.key(img, 'query, no zoom'));
    expect(ImageMemo.key(img, 'query')).not.toBe(ImageMemo.key(await artwork(4), 'query'));
  });
});

describe('an engine with an image memo', () => {
  const open: UniquenessEngine[] = [];
  afterEach(() => {
    for (const e of open.splice(0)) e.close();
  });

  it('describes a query image once while the card changes, and checks it as an engine without one does', async () => {
    const memoised = UniquenessEngine.open({ dbPath: ':memory:', memoImages: 4 });
    const plain = UniquenessEngine.open({ dbPath: ':memory:' });
    open.push(memoised, plain);
    const source = await artwork(11, 320);
    for (const e of [memoised, plain]) {
      await e.index({ id: 'lantern', creatorId: 'alice', card: card('Storm lantern'), image: source });
      await e.index({ id: 'other', creatorId: 'alice', card: card('Other drawing'), image: await artwork(12, 320) });
    }
    const copy = await transforms.crop!(source);

    const first = await memoised.fingerprint(card('My lantern'), copy);
    const second = await memoised.fingerprint(card('My lantern, renamed', 'now with a description'), copy);
    expect(second.local).not.toBeNull();
    expect(second.local).toBe(first.local); // not described again
    expect(second.image).toBe(first.image);
    expect(second.metadataHash).not.toBe(first.metadataHash); // the card's own fingerprints are its own
    const again = await plain.fingerprint(card('My lantern'), copy);
    expect(again.local).not.toBe(first.local);

    for (const name of ['My lantern', 'My lantern, renamed']) {
      const a = await memoised.check({ card: card(name), image: copy, creatorId: 'bob' });
      const b = await plain.check({ card: card(name), image: copy, creatorId: 'bob' });
      expect(a.status).toBe(b.status);
      expect(a.matches.map((m) => [m.assetId, m.copySignals, m.region])).toEqual(
        b.matches.map((m) => [m.assetId, m.copySignals, m.region]),
      );
    }
    const found = await memoised.check({ card: card('My lantern'), image: copy, creatorId: 'bob' });
    expect(found.matches[0]?.assetId).toBe('lantern');
  });

  it('never stores fingerprints from the memo: an indexed image is described as the library stores it', async () => {
    const e = UniquenessEngine.open({ dbPath: ':memory:', memoImages: 4 });
    open.push(e);
    const img = await artwork(21, 256);
    const query = await e.fingerprint(card('a'), img);
    const stored = await e.fingerprint(card('a'), img, { forIndexOnly: true });
    expect(stored.local).not.toBe(query.local);
    expect(stored.local?.mirror).toBeUndefined();
    expect(query.local?.mirror).toBeDefined();
    const noZoom = await e.fingerprint(card('a'), img, { zoom: false });
    expect(noZoom.local).not.toBe(query.local);
  });

  it.skipIf(!existsSync(SHARED_MODELS))('reuses a CLIP image vector only while the embedder that computed it is the engine’s', async () => {
    const { dir, manifest } = tinyModelsDir();
    const first = await OnnxEmbedder.fromModelsDir(dir, { manifest, threads: 1 });
    const second = await OnnxEmbedder.fromModelsDir(dir, { manifest, threads: 1 });
    try {
      const e = UniquenessEngine.open({ dbPath: ':memory:', embedder: first, memoImages: 4 });
      open.push(e);
      const img = await artwork(31, 200);
      const calls = vi.spyOn(first, 'embedImages');
      const a = await e.fingerprint(card('one'), img);
      const b = await e.fingerprint(card('two'), img);
      expect(calls).toHaveBeenCalledTimes(1);
      expect(a.semantic.clip_image).toEqual({ state: 'ran' });
      expect(b.semantic.clip_image).toEqual({ state: 'ran' });
      expect(Array.from(b.vectors.clip_image ?? [])).toEqual(Array.from(a.vectors.clip_image ?? []));
      expect(b.vectors.clip_image).not.toBe(a.vectors.clip_image); // each result owns its vector
      expect(b.semantic.bge_text).toEqual({ state: 'ran' }); // the text spaces run for every card

      const later = vi.spyOn(second, 'embedImages');
      e.setEmbedder(second);
      const c = await e.fingerprint(card('three'), img);
      expect(later).toHaveBeenCalledTimes(1);
      expect(c.semantic.clip_image).toEqual({ state: 'ran' });
    } finally {
      await first.close();
      await second.close();
    }
  });
});
