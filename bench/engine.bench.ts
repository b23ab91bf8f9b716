/**
 * Engine benchmarks (`npm run bench`). Every figure is reported with a baseline measured in the
 * same process, as a ratio:
 *  - hashing throughput vs the `sharp-phash` package on the same images;
 *  - check latency (p50/p95) at 1k, 10k and 100k indexed assets with synthetic fingerprints and
 *    vectors, vs a linear scan over the same fingerprints;
 *  - peak memory (RSS) vs the process's RSS before the library was loaded.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharpPhashModule from 'sharp-phash';
import { fingerprintImage, type ImageFingerprint } from '../engine/image/fingerprint.ts';
import { type AssetFingerprints, UniquenessEngine } from '../engine/library.ts';
import { MINHASH_SIZE } from '../engine/text/shingles.ts';
import { passageFingerprint } from '../engine/text/winnow.ts';
import { artwork } from '../tests/helpers/images.ts';
import { randomHash, randomImageFingerprint, rnd32 } from './synthetic.ts';

// sharp-phash is CommonJS (module.exports = phash) with an ESM-style declaration file.
const sharpPhash = sharpPhashModule as unknown as (b: Buffer) => Promise<string>;
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
let peakRss = process.memoryUsage().rss;
const baseRss = peakRss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 20);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
}
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

// ---------------------------------------------------------------- hashing throughput
async function images(): Promise<Buffer[]> {
  const dir = new URL('../../shared/datasets/copy-dev/library', import.meta.url).pathname;
  if (existsSync(dir))
    return readdirSync(dir)
      .slice(0, 60)
      .map((f) => readFileSync(join(dir, f)));
  return Promise.all(Array.from({ length: 60 }, (_, i) => artwork(i, 384)));
}

async function throughput(imgs: Buffer[]): Promise<void> {
  const run = async (fn: (b: Buffer) => Promise<unknown>) => {
    for (const b of imgs.slice(0, 5)) await fn(b); // warm-up
    const t0 = performance.now();
    for (const b of imgs) await fn(b);
    return imgs.length / ((performance.now() - t0) / 1000);
  };
  const base = await run((b) => sharpPhash(b));
  const ours = await run((b) => fingerprintImage(b));
  console.log(`hashing: sharp-phash ${fmt(base)} images/s (baseline: one 64-bit pHash)`);
  console.log(
    `hashing: originals  ${fmt(ours)} images/s = ${(ours / base).toFixed(2)}× baseline (exact digests + 2 views × 3 scales × 8 dihedral pHashes + dHash + edge hash + shape signatures + colour)`,
  );
}

// ---------------------------------------------------------------- synthetic library
const hex = randomHash;
function unitVec(n: number): Float32Array {
  const v = Float32Array.from({ length: n }, () => rnd32() / 0xffffffff - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function syntheticFp(withVectors: boolean): AssetFingerprints {
  return {
    metadataHash: hex() + hex() + hex() + hex(),
    text: { sig: Uint32Array.from({ length: MINHASH_SIZE }, rnd32), size: 200 },
    code: null,
    passages: passageFingerprint({ asset_type: 'item', name: `asset ${hex()}`, description: '', tags: [] }),
    image: randomImageFingerprint(),
    local: null,
    vectors: withVectors ? { clip_image: unitVec(512), bge_text: unitVec(384) } : {},
    semantic: {},
  };
}

function linearScan(all: AssetFingerprints[], q: AssetFingerprints): number {
  // Baseline: what a naive implementation does — compare every stored pHash with every query variant.
  let best = 64;
  const qh = (q.image as ImageFingerprint).views.flatMap((v) => v.phash[0] as string[]).map((h) => BigInt(`0x${h}`));
  for (const f of all) {
    for (const v of (f.image as ImageFingerprint).views) {
      const t = BigInt(`0x${v.phash[0]?.[0]}`);
      for (const h of qh) {
        let x = h ^ t;
        let c = 0;
        while (x) {
          x &= x - 1n;
          c++;
        }
        if (c < best) best = c;
      }
    }
  }
  return best;
}

async function latency(): Promise<void> {
  const engine = UniquenessEngine.open({ dbPath: ':memory:' });
  const stored: AssetFingerprints[] = [];
  const card = { asset_type: 'item' as const, name: 'x', description: '', tags: [] };
  let n = 0;
  for (const target of sizes) {
    const t0 = performance.now();
    engine.db.exec('BEGIN');
    for (; n < target; n++) {
      const fp = syntheticFp(true);
      stored.push(fp);
      engine.indexFingerprints({ id: `a${n}`, creatorId: `c${n % 500}`, card: { ...card, name: `asset ${n}` } }, fp);
      if (n % 5000 === 4999) {
        engine.db.exec('COMMIT');
        sample();
        engine.db.exec('BEGIN');
      }
    }
    engine.db.exec('COMMIT');
    const loadS = (performance.now() - t0) / 1000;
    const copy: number[] = [];
    const full: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const q = syntheticFp(true);
      // Half the queries are near-copies of stored assets, so candidate verification is exercised.
      if (i % 2 === 0) (q.image as ImageFingerprint).views = (stored[(i * 7919) % stored.length]?.image as ImageFingerprint).views;
      let t = performance.now();
      engine.checkFingerprints({ card, creatorId: 'bench', fp: { ...q, vectors: {} } });
      copy.push(performance.now() - t);
      t = performance.now();
      engine.checkFingerprints({ card, creatorId: 'bench', fp: q });
      full.push(performance.now() - t);
      if (i < 20) {
        t = performance.now();
        linearScan(stored, q);
        base.push(performance.now() - t);
      }
      sample();
    }
    const b50 = pct(base, 0.5);
    console.log(
      `check @ ${String(target).padStart(6)} assets (loaded in ${loadS.toFixed(1)} s): copy layers p50 ${fmt(pct(copy, 0.5))} ms p95 ${fmt(pct(copy, 0.95))} ms · ` +
        `full without inference p50 ${fmt(pct(full, 0.5))} ms p95 ${fmt(pct(full, 0.95))} ms · linear-scan baseline p50 ${fmt(b50)} ms → copy layers ${(b50 / pct(copy, 0.5)).toFixed(0)}× faster`,
    );
  }
  engine.close();
}

const imgs = await images();
await throughput(imgs);
await latency();
sample();
clearInterval(timer);
console.log(
  `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB = ${(peakRss / baseRss).toFixed(1)}× the ${(baseRss / 2 ** 20).toFixed(0)} MiB baseline before loading`,
);
