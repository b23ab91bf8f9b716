/**
 * Growing the benchmark library to 10k / 100k images from real fingerprints (see synthetic-real.ts),
 * through the engine's own bulk path (indexFingerprints in transactions of 2,000), and measuring
 * what the library costs on disk per image.
 */
import { statSync } from 'node:fs';
import type { AssetFingerprints, UniquenessEngine } from '../engine/library.ts';
import { modelFreeFingerprints } from '../engine/fingerprints.ts';
import type { AssetCard } from '../shared/asset.ts';
import type { FlatHashes } from './engine-checks.ts';
import { rnd32 } from './synthetic.ts';
import { syntheticImage, syntheticLocal } from './synthetic-real.ts';

export interface Real {
  /** Index of the real file it was fingerprinted from. */
  file: number;
  card: AssetCard;
  fp: AssetFingerprints;
}

export interface GrowFigures {
  added: number;
  generateS: number;
  insertS: number;
  insertPerS: number;
}

/** Adds synthetic images until the library holds `target`; returns the time spent inserting. */
export async function grow(
  engine: UniquenessEngine,
  reals: Real[],
  target: number,
  flat: FlatHashes,
  onBatch: () => void,
): Promise<GrowFigures> {
  const withImage = reals.filter((r) => r.fp.image);
  let genMs = 0;
  let insMs = 0;
  let added = 0;
  let n = engine.size;
  while (n < target) {
    const batch = Math.min(2000, target - n);
    let t = performance.now();
    const items: { id: string; card: AssetCard; fp: AssetFingerprints }[] = [];
    for (let i = 0; i < batch; i++) {
      const a = withImage[rnd32() % withImage.length] as Real;
      const b = withImage[rnd32() % withImage.length] as Real;
      const card: AssetCard = {
        asset_type: 'item',
        name: `${a.card.name} ${b.card.name.split(' ')[0] ?? ''} ${n + i}`,
        description: `${b.card.description} variant ${n + i}`,
        tags: [...a.card.tags],
      };
      const fp = await modelFreeFingerprints(card, undefined);
      fp.image = syntheticImage(
        a.fp.image as NonNullable<AssetFingerprints['image']>,
        b.fp.image as NonNullable<AssetFingerprints['image']>,
      );
      fp.local = a.fp.local && b.fp.local ? syntheticLocal(a.fp.local, b.fp.local) : null;
      items.push({ id: `syn${n + i}`, card, fp });
    }
    genMs += performance.now() - t;
    t = performance.now();
    engine.db.exec('BEGIN');
    for (const it of items) engine.indexFingerprints({ id: it.id, creatorId: `s${n % 997}`, card: it.card }, it.fp);
    engine.db.exec('COMMIT');
    insMs += performance.now() - t;
    for (const it of items) flat.add(it.fp.image);
    n += batch;
    added += batch;
    onBatch();
  }
  return { added, generateS: genMs / 1000, insertS: insMs / 1000, insertPerS: added / Math.max(1e-9, insMs / 1000) };
}

export interface DiskFigures {
  fileBytes: number;
  perImageBytes: number;
  parts: { imageJson: number; localFeatures: number; passages: number; snapshots: number };
}

/** Saves the snapshots, checkpoints the WAL and measures the file and its main parts. */
export function diskSize(engine: UniquenessEngine, dbPath: string): DiskFigures {
  engine.flush();
  engine.db.pragma('wal_checkpoint(TRUNCATE)');
  const q = (sql: string) => ((engine.db.prepare(sql).get() as { n: number | null }).n ?? 0) as number;
  const fileBytes = statSync(dbPath).size;
  return {
    fileBytes,
    perImageBytes: fileBytes / Math.max(1, engine.size),
    parts: {
      imageJson: q('SELECT sum(length(image_json)) AS n FROM fingerprints'),
      localFeatures: q('SELECT sum(length(data)) AS n FROM local_features'),
      passages: q('SELECT sum(length(data)) AS n FROM passage_fingerprints'),
      snapshots: q('SELECT sum(length(data)) AS n FROM index_snapshots'),
    },
  };
}
