/**
 * The engine's bulk path: fingerprints from one decode per image (the feature worker describes the
 * frame cut here, exactly as it would have decoded it itself), fingerprinting batches ahead, and
 * indexFingerprintsMany storing a batch in one transaction where each asset stays atomic.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ahead } from '../../engine/concurrency.ts';
import { decodeImage, fromDecoded } from '../../engine/image/fingerprint.ts';
import { grayFrameOf } from '../../engine/image/local/frame.ts';
import { extractFrameFeatures, extractLocalFeatures, terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { serialize } from '../../engine/image/local/serialize.ts';
import { type AssetFingerprints, UniquenessEngine } from '../../engine/library.ts';
import type { AssetCard } from '../../shared/asset.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const ROOT = '/usr/share/openclipart/png/';
const FILES = ['animals/bugs/spider.png', 'food/fruit/apple_wedge.png', 'transportation/autos_01.png', 'tools/axe_peterm_.png'];
const images: Buffer[] = FILES.map((f) => readFileSync(ROOT + f));
const card = (name: string): AssetCard => ({ asset_type: 'item', name, description: `${name}, drawn for the bulk test`, tags: ['test'] });

afterAll(() => terminateLocalFeaturePool());

describe('bulk indexing', () => {
  it('describes the frames cut from the one decode (working frame and fine octave) exactly as the worker describes the file', async () => {
    const P = UNIQUENESS_POLICY.local;
    for (const img of images) {
      const d = await decodeImage(img);
      const f = await grayFrameOf(() => fromDecoded(d), P.workSize, P.trimTolerance);
      // A query also carries the fine octave, cut from the same decode.
      const fine = await grayFrameOf(() => fromDecoded(d), P.workSize * P.fine.upsample, P.trimTolerance);
      const [fromFrame, fromFile] = await Promise.all([
        extractFrameFeatures(f, { mirror: true, fine, sharpen: P.sharpen, invert: P.invert }),
        extractLocalFeatures(img, { mirror: true }),
      ]);
      expect(fromFrame.primary.words.length).toBeGreaterThan(50);
      expect(serialize(fromFrame).equals(serialize(fromFile))).toBe(true);
    }
  });

  it('stores a batch in one call: a failing asset is reported in its slot and the others are stored and found', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      const items = images.map((image, i) => ({ card: card(`bulk item ${i}`), image }));
      const stored: string[] = [];
      const errors: (Error | null)[] = [];
      for await (const { items: batch, start, result } of ahead(items, 2, 2, (b) => engine.fingerprintMany(b, { forIndexOnly: true }))) {
        const entries = batch.map((it, k) => ({
          input: { id: `a${start + k}`, creatorId: 'creator', card: it.card },
          fp: result[k] as AssetFingerprints,
        }));
        // The same card again under another id: UNIQUE(creator, metadata_hash) refuses it alone.
        entries.push({
          input: { id: `dup${start}`, creatorId: 'creator', card: (batch[0] as (typeof batch)[number]).card },
          fp: result[0] as AssetFingerprints,
        });
        const errs = engine.indexFingerprintsMany(entries);
        errors.push(...errs);
        entries.forEach((e, k) => {
          if (!errs[k]) stored.push(e.input.id);
        });
      }
      expect(stored).toEqual(items.map((_, i) => `a${i}`));
      expect(errors.filter((e) => e).map((e) => e?.message)).toEqual(
        Array.from({ length: Math.ceil(items.length / 2) }, () => expect.stringContaining('UNIQUE constraint failed')),
      );
      expect(engine.size).toBe(items.length);
      for (const [i, it] of items.entries()) {
        expect(engine.has(`a${i}`)).toBe(true);
        const r = await engine.check({ card: card(`another name ${i}`), image: it.image, creatorId: 'someone else' });
        expect(r.matches[0]?.assetId).toBe(`a${i}`);
      }
    } finally {
      engine.close();
    }
  });
});
