/**
 * Bulk-indexing paths of the engine benchmark, each timed on the same real clip-art files:
 *  - `frozenIndexer`: the indexer the issue's "≥ 2× images per second" target is set against — one
 *    file at a time, the image hashed by a frozen copy of the engine's hashing as it was when the
 *    issue was filed (bench/baseline/v1-fingerprint.ts), and the insert;
 *  - `previousIndexer`: the same loop hashing with today's fingerprintImage set to hash as engine
 *    version 1 did (ENGINE_V1_HASHING) — the baseline used until session 31, which got faster each
 *    time the engine's shared hashing code did (decode-once, flatten-once, hoisted resampling);
 *  - `twoDecodeBatches`: the bulk path before decode-once — batches of 8, each image decoded for the
 *    global hashes here and decoded again in the feature worker, a batch drained before the next,
 *    one transaction per image;
 *  - `bulkIndex`: today's bulk path, as `originals index` runs it — batches read and fingerprinted
 *    ahead (engine lanes, one decode per image, the worker gets the working frame), stored one
 *    transaction per batch.
 * The last two baselines hash as engine version 1 did as far as options reach (every trimmed box
 * found at full resolution, by sharp's trim: ENGINE_V1_HASHING); only the frozen copy hashes with
 * engine version 1's code. Every baseline computes today's text fingerprints and inserts with
 * today's engine (a card's text costs little beside its image; the bench reports the text's share).
 */
import { ahead } from '../engine/concurrency.ts';
import { type AssetFingerprints, modelFreeFingerprints } from '../engine/fingerprints.ts';
import { DEFAULT_IMAGE_LIMITS } from '../engine/image/decode.ts';
import { type HashOptions, fingerprintImage } from '../engine/image/fingerprint.ts';
import { extractLocalFeatures } from '../engine/image/local/pool.ts';
import { fingerprintImage as fingerprintImageV1 } from './baseline/v1-fingerprint.ts';
import type { UniquenessEngine } from '../engine/library.ts';
import type { AssetCard } from '../shared/asset.ts';
import { timed } from './measure.ts';

/** The global hashing of engine version 1 (see HashOptions.trimProbe and libvipsTrim): the baselines' cost as it was. */
const ENGINE_V1_HASHING: HashOptions = { trimProbe: Number.POSITIVE_INFINITY, libvipsTrim: true };

/** A bulk run's speed: wall-clock images per second, and CPU milliseconds per image (every thread). */
export interface Rate {
  imagesPerS: number;
  cpuMsPerImage: number;
}

async function rated(n: number, f: () => Promise<unknown>): Promise<Rate> {
  const cpu = process.cpuUsage();
  const [, ms] = await timed(f);
  const used = process.cpuUsage(cpu);
  return { imagesPerS: n / (ms / 1000), cpuMsPerImage: (used.user + used.system) / 1000 / n };
}

export interface BulkItem {
  id: string;
  creatorId: string;
  card: AssetCard;
  image: Buffer;
}

/** Images per second of the indexer as it was when the issue was filed (see the file comment). */
export async function frozenIndexer(engine: UniquenessEngine, items: BulkItem[]): Promise<Rate> {
  return rated(items.length, async () => {
    for (const it of items) {
      const fp = await modelFreeFingerprints(it.card, undefined);
      const image = await fingerprintImageV1(it.image, DEFAULT_IMAGE_LIMITS).catch(() => null);
      if (image) engine.indexFingerprints(it, { ...fp, image });
    }
  });
}

/** Images per second of the same loop hashing with today's code told to hash as version 1 did (see the file comment). */
export async function previousIndexer(engine: UniquenessEngine, items: BulkItem[]): Promise<Rate> {
  return rated(items.length, async () => {
    for (const it of items) {
      const fp = await modelFreeFingerprints(it.card, undefined);
      const image = await fingerprintImage(it.image, DEFAULT_IMAGE_LIMITS, ENGINE_V1_HASHING).catch(() => null);
      if (image) engine.indexFingerprints(it, { ...fp, image });
    }
  });
}

/** Images per second of the bulk path before decode-once (see the file comment). */
export async function twoDecodeBatches(engine: UniquenessEngine, items: BulkItem[], lanes: number): Promise<Rate> {
  const one = async (it: BulkItem): Promise<AssetFingerprints> => {
    const fp = await modelFreeFingerprints(it.card, undefined);
    const [image, local] = await Promise.all([
      fingerprintImage(it.image, DEFAULT_IMAGE_LIMITS, ENGINE_V1_HASHING),
      extractLocalFeatures(it.image, { mirror: false }).catch(() => null),
    ]);
    return { ...fp, image, local };
  };
  return rated(items.length, async () => {
    for (let i = 0; i < items.length; i += 8) {
      const batch = items.slice(i, i + 8);
      const out: (AssetFingerprints | Error)[] = new Array(batch.length);
      let next = 0;
      const lane = async () => {
        for (let k = next++; k < batch.length; k = next++) out[k] = await one(batch[k] as BulkItem).catch((e: unknown) => e as Error);
      };
      await Promise.all(Array.from({ length: Math.min(batch.length, lanes) }, lane));
      out.forEach((fp, k) => {
        if (!(fp instanceof Error)) engine.indexFingerprints(batch[k] as BulkItem, fp);
      });
    }
  });
}

export interface BulkRun extends Rate {
  failures: { item: BulkItem; error: Error }[];
  stored: { item: BulkItem; fp: AssetFingerprints }[];
}

/** Today's bulk path (see the file comment); `batch` files per batch, two batches ahead. */
export async function bulkIndex(engine: UniquenessEngine, items: BulkItem[], batch = 16): Promise<BulkRun> {
  const failures: BulkRun['failures'] = [];
  const stored: BulkRun['stored'] = [];
  const rate = await rated(items.length, async () => {
    for await (const { items: its, result } of ahead(items, batch, 2, (b) => engine.fingerprintMany(b, { forIndexOnly: true }))) {
      const ok = its.flatMap((item, k) => {
        const fp = result[k] as AssetFingerprints | Error;
        if (fp instanceof Error) return (failures.push({ item, error: fp }), []);
        return [{ input: item, fp }];
      });
      engine.indexFingerprintsMany(ok).forEach((error, k) => {
        const e = ok[k] as (typeof ok)[number];
        if (error) failures.push({ item: e.input, error });
        else stored.push({ item: e.input, fp: e.fp });
      });
    }
  });
  return { ...rate, failures, stored };
}
