/**
 * The semantic layer's plumbing with tiny generated ONNX graphs that have the real models' input
 * and output signatures. These graphs are NOT CLIP or BGE: the tests prove loading, tokenising,
 * preprocessing, batching, the worker thread and the vector store, and nothing about quality.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAssetCard } from '../../engine/cards.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { OnnxEmbedder } from '../../engine/semantic/embedder.ts';
import { cosine } from '../../engine/semantic/types.ts';
import { artwork } from '../helpers/images.ts';
import { SHARED_MODELS, tinyModelsDir } from '../helpers/models.ts';

const have = existsSync(SHARED_MODELS);
if (!have) console.log('semantic plumbing tests skipped: ../shared/models (tokenizer files) not found');

describe.skipIf(!have)('semantic layer plumbing (tiny graphs, not real models)', () => {
  it('embeds images, CLIP text and BGE text in a worker, L2-normalised, with the real dimensions', async () => {
    const { dir, manifest } = tinyModelsDir();
    const e = await OnnxEmbedder.fromModelsDir(dir, { manifest, threads: 1, batchSize: 3 });
    for (const s of ['clip_image', 'clip_text', 'bge_text'] as const) expect(e.state(s).available).toBe(true);
    const imgs = await Promise.all([1, 2, 3, 4, 5].map((s) => artwork(s, 160)));
    const batched = await e.embedImages(imgs);
    expect(batched).toHaveLength(5);
    expect(batched[0]?.length).toBe(512);
    const single = await e.embedImages([imgs[3] as Buffer]);
    for (let i = 0; i < 512; i++) expect(single[0]?.[i]).toBeCloseTo(batched[3]?.[i] as number, 5);
    expect(Math.hypot(...(batched[0] as Float32Array))).toBeCloseTo(1, 5);

    const [t1, t2] = await e.embedClipTexts(['a drow rogue', 'a drow rogue']);
    expect(t1?.length).toBe(512);
    expect(cosine(t1 as Float32Array, t2 as Float32Array)).toBeCloseTo(1, 6);

    const bge = await e.embedTexts(['short', 'a much longer description of a haunted lighthouse keeper']);
    expect(bge.map((v) => v.length)).toEqual([384, 384]);
    expect(cosine(bge[0] as Float32Array, bge[1] as Float32Array)).toBeLessThan(0.9999);
    await e.close();
  });

  it('inference runs off the main thread: the event loop turns while a batch is pending, and the batch is right', async () => {
    const { dir, manifest } = tinyModelsDir();
    const e = await OnnxEmbedder.fromModelsDir(dir, { manifest, threads: 1 });
    const images = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((s) => artwork(s, 224)));
    let settled = false;
    let turnsWhilePending = 0;
    const pending = e.embedImages(images).finally(() => (settled = true));
    // Each turn of the event loop before the batch settles proves the main thread was free.
    await new Promise<void>((resolve) => {
      const turn = () => {
        if (settled) return resolve();
        turnsWhilePending++;
        setImmediate(turn);
      };
      setImmediate(turn);
    });
    const batch = await pending;
    expect(turnsWhilePending).toBeGreaterThan(0);
    // The outcome, not only the progress: one L2-normalised 512-d vector per image, equal to
    // embedding each image on its own.
    expect(batch).toHaveLength(8);
    for (const v of batch) {
      expect(v.length).toBe(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    const [third] = await e.embedImages([images[2] as Uint8Array]);
    for (let i = 0; i < 512; i++) expect(third?.[i]).toBeCloseTo(batch[2]?.[i] as number, 5);
    await e.close();
  });

  it('stores vectors in sqlite-vec and reports semantic scores when weights are installed', async () => {
    const { dir, manifest } = tinyModelsDir();
    const embedder = await OnnxEmbedder.fromModelsDir(dir, { manifest, threads: 1 });
    const engine = UniquenessEngine.open({ dbPath: ':memory:', embedder });
    const r = parseAssetCard({ asset_type: 'item', name: 'Moon blade', description: 'A sword forged from fallen moonlight.' });
    if (!r.ok) throw new Error(r.message);
    const img = await artwork(7);
    await engine.index({ id: 'blade', creatorId: 'alice', card: r.card, image: img });
    expect(engine.db.prepare('SELECT count(*) AS n FROM vec_clip_image').get()).toEqual({ n: 1 });
    expect(engine.db.prepare('SELECT count(*) AS n FROM vec_bge_text').get()).toEqual({ n: 1 });
    const res = await engine.check({ card: r.card, image: img, creatorId: 'bob' });
    expect(res.layers.semantic_image).toEqual({ state: 'ran' });
    expect(res.layers.semantic_text).toEqual({ state: 'ran' });
    expect(res.matches[0]?.layers.semantic_image).toBeCloseTo(1, 3);
    expect(res.matches[0]?.layers.semantic_text).toBeCloseTo(1, 3);
    engine.close();
    await embedder.close();
  });

  it('reports unavailable layers, with the reason, when weights are missing', async () => {
    const e = await OnnxEmbedder.fromModelsDir(join(tinyModelsDir().dir, 'empty'));
    expect(e.state('clip_image')).toEqual({
      available: false,
      reason: expect.stringMatching(/weights not installed.*originals models fetch/),
    });
    await expect(e.embedTexts(['x'])).rejects.toThrow(/not installed/);
    const engine = UniquenessEngine.open({ dbPath: ':memory:', embedder: e });
    const r = parseAssetCard({ asset_type: 'item', name: 'x' });
    if (!r.ok) throw new Error(r.message);
    const res = await engine.check({ card: r.card, creatorId: 'me' });
    expect(res.layers.semantic_text.state).toBe('unavailable');
    expect(res.layers.semantic_image).toEqual({ state: 'skipped', reason: 'no image' });
    engine.close();
  });
});
