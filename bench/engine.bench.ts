/**
 * Engine benchmarks (`npm run bench`; `npx tsx bench/engine.bench.ts` alone). Every figure comes with
 * a baseline measured in the same run and the ratio:
 *  - hashing throughput: fingerprintImage vs the `sharp-phash` package on the same images;
 *  - bulk indexing of the real clip-art library (openclipart PNGs of the allowed categories): the
 *    engine's bulk path as `originals index` runs it (bench/engine-bulk.ts), on the first files vs
 *    the previous engine's indexer (one file at a time: fingerprintImage then the insert) and vs the
 *    bulk path before decode-once, in images/s and CPU ms per image (every thread), each path's
 *    median of BENCH_BULK_ROUNDS (3) alternating rounds;
 *  - check latency on transformed copies of real library images, at the real library's size and
 *    grown with synthetic images built from real fingerprints (BENCH_SIZES, default 10000,100000):
 *    the full check (decode, every layer but inference, retrieval, verification) vs fingerprinting
 *    alone and vs the same check without the query's zoom windows, and retrieval + verification
 *    alone vs a brute-force scan of every stored pHash;
 *  - bytes per image on disk, peak memory;
 *  - opening the largest library (a fresh process, to the end of its first check) from the saved
 *    snapshots vs rebuilding from the rows (snapshots deleted), with each process's peak memory.
 *  - the studio's live check at the largest size: each query image checked once (baseline) and
 *    again with only its card's text edited, with the image memo the studio opens its library with.
 * Writes .data/bench-engine.json. Env: BENCH_SIZES, BENCH_QUERIES (60), BENCH_REAL (all files),
 * BENCH_BASELINE_IMAGES (120 files for the sequential baselines), BENCH_BULK_ROUNDS (3).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import sharpPhashModule from 'sharp-phash';
import { fingerprintImage } from '../engine/image/fingerprint.ts';
import { forLibrary } from '../engine/image/local/serialize.ts';
import { terminateLocalFeaturePool } from '../engine/image/local/pool.ts';
import { UniquenessEngine } from '../engine/library.ts';
import { openDatabase } from '../engine/store/db.ts';
import { UNIQUENESS_POLICY } from '../shared/policy/uniqueness.ts';
import { artwork } from '../tests/helpers/images.ts';
import { type BulkItem, type Rate, bulkIndex, frozenIndexer, previousIndexer, twoDecodeBatches } from './engine-bulk.ts';
import { modelFreeFingerprints } from '../engine/fingerprints.ts';
import { type CheckFigures, FlatHashes, type Query, measureChecks } from './engine-checks.ts';
import { type DiskFigures, type Real, diskSize, grow } from './engine-grow.ts';
import { PeakRss, fmt, mib, timed, verdict } from './measure.ts';
import { COPY_KINDS, cardOf, clipartFiles, readImage, transformed } from './real-library.ts';

const sharpPhash = sharpPhashModule as unknown as (b: Buffer) => Promise<string>;
const ROOT = new URL('..', import.meta.url).pathname;
const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').filter(Boolean).map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 60);
const REAL = Number(process.env.BENCH_REAL ?? Number.POSITIVE_INFINITY);
const BASE_N = Number(process.env.BENCH_BASELINE_IMAGES ?? 120);
/** Rounds of the bulk-indexing comparison (each path's median round is reported). */
const BULK_ROUNDS = Math.max(1, Number(process.env.BENCH_BULK_ROUNDS ?? 3));
/** fingerprintMany's lanes before they became engine-wide (cores + 1). */
const FINGERPRINT_LANES = Math.max(2, availableParallelism() + 1);
const WORK = join(ROOT, '.data', 'bench-engine');
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const rss = new PeakRss();
const summary: Record<string, unknown> = { date: new Date().toISOString(), cores: availableParallelism() };
const log = (s: string) => console.log(s);

// ---------------------------------------------------------------- real library
const files = clipartFiles().slice(0, REAL);
const bytes = files.map(readImage);
const cards = files.map(cardOf);
log(`real library: ${files.length} openclipart PNGs (${mib(bytes.reduce((a, b) => a + b.length, 0))} MiB)`);

// ---------------------------------------------------------------- hashing throughput
{
  const imgs = bytes.slice(0, 60);
  const run = async (fn: (b: Buffer) => Promise<unknown>) => {
    for (const b of imgs.slice(0, 5)) await fn(b);
    const [, ms] = await timed(async () => {
      for (const b of imgs) await fn(b);
    });
    return imgs.length / (ms / 1000);
  };
  const base = await run((b) => sharpPhash(b));
  const ours = await run((b) => fingerprintImage(b));
  log(
    `hashing: fingerprintImage ${fmt(ours)} images/s vs sharp-phash ${fmt(base)} images/s (one 64-bit pHash) = ${(ours / base).toFixed(2)}×`,
  );
  summary.hashing = { imagesPerS: ours, baselineSharpPhashPerS: base, ratio: ours / base };
}

// ---------------------------------------------------------------- bulk indexing
const creator = (i: number) => `c${i}`;
const bulkItems: BulkItem[] = files.map((_, i) => ({
  id: `real${i}`,
  creatorId: creator(i),
  card: cards[i] as (typeof cards)[number],
  image: bytes[i] as Buffer,
}));
const DB = join(WORK, 'library.sqlite');
const engine = UniquenessEngine.open({ dbPath: DB });
await engine.fingerprintMany(bulkItems.slice(0, 4)); // warm-up
const baseN = Math.min(BASE_N, files.length);
// The baselines run on the first files, interleaved with the same files through today's bulk path
// (in a scratch library), so every ratio compares paths under the same load.
const scratch = (name: string) => UniquenessEngine.open({ dbPath: join(WORK, `${name}.sqlite`) });
const withScratch = async <T>(name: string, f: (e: UniquenessEngine) => Promise<T>): Promise<T> => {
  const e = scratch(name);
  try {
    return await f(e);
  } finally {
    e.close();
  }
};
const first = bulkItems.slice(0, baseN);
// Each path runs BULK_ROUNDS times, the three alternating (a fresh scratch library each time); a
// path's rate is its median round, so one slow round (a JIT or GC pause, another job) moves no ratio.
const rounds: { v1: Rate; old: Rate; two: Rate; same: Rate }[] = [];
for (let r = 0; r < BULK_ROUNDS; r++) {
  rounds.push({
    v1: await withScratch(`v1-${r}`, (e) => frozenIndexer(e, first)),
    old: await withScratch(`old-${r}`, (e) => previousIndexer(e, first)),
    two: await withScratch(`two-decode-${r}`, (e) => twoDecodeBatches(e, first, FINGERPRINT_LANES)),
    same: await withScratch(`same-files-${r}`, (e) => bulkIndex(e, first)),
  });
}
const medianRate = (k: 'v1' | 'old' | 'two' | 'same'): Rate => {
  const sorted = rounds.map((r) => r[k]).sort((a, b) => a.imagesPerS - b.imagesPerS);
  return sorted[Math.floor((sorted.length - 1) / 2)] as Rate;
};
const v1Rate = medianRate('v1');
const oldRate = medianRate('old');
const twoRate = medianRate('two');
const sameRate = medianRate('same');
const roundRatios = rounds.map((r) => r.same.imagesPerS / r.v1.imagesPerS);
const oldRoundRatios = rounds.map((r) => r.same.imagesPerS / r.old.imagesPerS);
// The cards' text alone, as every indexer computes it: its share of the baselines' time.
const [, textMs] = await timed(async () => {
  for (const it of first) await modelFreeFingerprints(it.card, undefined);
});
const bulk = await bulkIndex(engine, bulkItems);
const failures = bulk.failures.map((f) => `${files[Number(f.item.id.slice(4))]}: ${f.error.message}`);
const reals: Real[] = bulk.stored.map(({ item, fp }) => ({
  file: Number(item.id.slice(4)),
  card: item.card,
  fp: { ...fp, local: fp.local && forLibrary(fp.local) },
}));
const flat = new FlatHashes();
for (const r of reals) flat.add(r.fp.image);
const rate = (r: Rate) => `${fmt(r.imagesPerS)} images/s (${fmt(r.cpuMsPerImage)} ms CPU per image)`;
log(
  `bulk indexing: ${rate(bulk)} on all ${files.length} files (batches of 16 fingerprinted ahead, one decode per image, one transaction per batch; ${failures.length} failed); ` +
    `on the first ${baseN} files ${rate(sameRate)} vs the indexer when the issue was filed ${rate(v1Rate)} (one file at a time, no local features, engine version 1's hashing code frozen in bench/baseline) = ${(sameRate.imagesPerS / v1Rate.imagesPerS).toFixed(2)}× ` +
    `(target ≥ 2×: ${verdict(sameRate.imagesPerS / v1Rate.imagesPerS >= 2)}; medians of ${BULK_ROUNDS} alternating rounds, each round's ratio ${roundRatios.map((x) => x.toFixed(2)).join(', ')}; the cards' text ${fmt((textMs / baseN) * (v1Rate.imagesPerS / 1000) * 100)} % of that baseline's time); ` +
    `vs the same loop on today's hashing code set to hash as version 1 did (the baseline until session 31) ${rate(oldRate)} = ${(sameRate.imagesPerS / oldRate.imagesPerS).toFixed(2)}× (rounds ${oldRoundRatios.map((x) => x.toFixed(2)).join(', ')}); ` +
    `and vs the bulk path before decode-once ${rate(twoRate)} = ${(sameRate.imagesPerS / twoRate.imagesPerS).toFixed(2)}× ` +
    `(CPU per image ${(sameRate.cpuMsPerImage / twoRate.cpuMsPerImage).toFixed(2)}×)`,
);
summary.bulkIndexing = {
  imagesPerS: bulk.imagesPerS,
  cpuMsPerImage: bulk.cpuMsPerImage,
  files: files.length,
  failed: failures.length,
  failures,
  baselineFiles: baseN,
  sameFiles: { imagesPerS: sameRate.imagesPerS, cpuMsPerImage: sameRate.cpuMsPerImage },
  baselineFrozenV1Indexer: v1Rate,
  baselinePreviousIndexer: oldRate,
  ratioVsPreviousIndexer: sameRate.imagesPerS / oldRate.imagesPerS,
  roundRatiosVsPreviousIndexer: oldRoundRatios,
  textMsPerCard: textMs / baseN,
  baselineTwoDecodeBatches: twoRate,
  ratio: sameRate.imagesPerS / v1Rate.imagesPerS,
  rounds: BULK_ROUNDS,
  roundRatios,
  ratioVsTwoDecode: sameRate.imagesPerS / twoRate.imagesPerS,
  targetMet: sameRate.imagesPerS / v1Rate.imagesPerS >= 2,
  peakRssMiB: (rss.sample(), mib(rss.peak)),
};

// ---------------------------------------------------------------- queries: transformed real copies
const queries: Query[] = [];
for (let i = 0; i < QUERIES; i++) {
  const src = reals[(i * 7919) % reals.length] as Real;
  const kind = COPY_KINDS[i % COPY_KINDS.length] as (typeof COPY_KINDS)[number];
  queries.push({
    card: { asset_type: 'item', name: `upload ${i}`, description: '', tags: [] },
    bytes: await transformed(bytes[src.file] as Buffer, kind, await artwork(i, 512)),
    sourceId: `real${src.file}`,
    kind,
  });
}

const radius = UNIQUENESS_POLICY.visual.candidateRadius;
const levels: (CheckFigures & { disk: DiskFigures; peakRssMiB: number; grow?: unknown })[] = [];
const report = (c: CheckFigures, disk: DiskFigures) => {
  rss.sample();
  const first = levels[0];
  log(
    `check @ ${String(c.size).padStart(6)} images: full p50 ${fmt(c.fullP50)} ms p95 ${fmt(c.fullP95)} ms (target p95 ≤ 150 ms at 100k: ${verdict(c.fullP95 <= 150)}) ` +
      `vs fingerprinting alone p95 ${fmt(c.fingerprintP95)} ms = ${(c.fullP95 / c.fingerprintP95).toFixed(2)}×` +
      (first ? `, vs the full check @ ${first.size} p95 ${fmt(first.fullP95)} ms = ${(c.fullP95 / first.fullP95).toFixed(2)}×` : ''),
  );
  log(
    `   zoom windows: the full check without them p50 ${fmt(c.noZoomP50)} ms p95 ${fmt(c.noZoomP95)} ms; with them ` +
      `${(c.fullP50 / c.noZoomP50).toFixed(2)}× (p50), ${(c.fullP95 / c.noZoomP95).toFixed(2)}× (p95)`,
  );
  log(
    `   retrieval + verification p50 ${fmt(c.retrievalP50)} ms p95 ${fmt(c.retrievalP95)} ms (target p95 ≤ 40 ms at 100k: ${verdict(c.retrievalP95 <= 40)}) ` +
      `vs brute-force scan of all stored pHashes p95 ${fmt(c.bruteForceP95)} ms = ${(c.retrievalP95 / c.bruteForceP95).toFixed(2)}×` +
      (first ? `, vs @ ${first.size} p95 ${fmt(first.retrievalP95)} ms = ${(c.retrievalP95 / first.retrievalP95).toFixed(2)}×` : '') +
      `; source image ranked first in ${c.sourceFirst}/${c.queries}, among the matches in ${c.sourceFound}/${c.queries}` +
      (c.missedKinds.length ? ` (not found: ${c.missedKinds.join(', ')})` : ''),
  );
  log(
    `   re-ranked shortlist tail (local.rerank): retrieval + verification without it p50 ${fmt(c.noRerankP50)} ms p95 ${fmt(c.noRerankP95)} ms; ` +
      `with it ${(c.retrievalP50 / c.noRerankP50).toFixed(2)}× (p50), ${(c.retrievalP95 / c.noRerankP95).toFixed(2)}× (p95)`,
  );
  log(
    `   aligning weak models by their pixels (local.appearance.refine), retrieval + verification repeated with pages cached, in alternating order: with it p50 ${fmt(c.refineP50)} ms p95 ${fmt(c.refineP95)} ms ` +
      `vs without p50 ${fmt(c.noRefineP50)} ms p95 ${fmt(c.noRefineP95)} ms = ${(c.refineP50 / c.noRefineP50).toFixed(2)}× (p50), ${(c.refineP95 / c.noRefineP95).toFixed(2)}× (p95)`,
  );
  log(
    `   putative matching's distances (nearest2.ts), retrieval + verification repeated with pages cached, in alternating order: WebAssembly kernel p50 ${fmt(c.wasmP50)} ms p95 ${fmt(c.wasmP95)} ms ` +
      `vs the JavaScript loop p50 ${fmt(c.noWasmP50)} ms p95 ${fmt(c.noWasmP95)} ms = ${(c.wasmP50 / c.noWasmP50).toFixed(2)}× (p50), ${(c.wasmP95 / c.noWasmP95).toFixed(2)}× (p95)`,
  );
  log(
    `   symmetric drawings' hashes probed on their reliable bits (visual.reliable), retrieval + verification repeated with pages cached, in alternating order: with it p50 ${fmt(c.reliableP50)} ms p95 ${fmt(c.reliableP95)} ms ` +
      `vs without p50 ${fmt(c.noReliableP50)} ms p95 ${fmt(c.noReliableP95)} ms = ${(c.reliableP50 / c.noReliableP50).toFixed(2)}× (p50), ${(c.reliableP95 / c.noReliableP95).toFixed(2)}× (p95)`,
  );
  log(
    `   the whole frame's turned alignments probed too (visual.turnWhole), retrieval + verification repeated with pages cached, in alternating order: with them p50 ${fmt(c.turnWholeP50)} ms p95 ${fmt(c.turnWholeP95)} ms ` +
      `vs without p50 ${fmt(c.noTurnWholeP50)} ms p95 ${fmt(c.noTurnWholeP95)} ms = ${(c.turnWholeP50 / c.noTurnWholeP50).toFixed(2)}× (p50), ${(c.turnWholeP95 / c.noTurnWholeP95).toFixed(2)}× (p95)`,
  );
  log(
    `   what the global hashes found verified too (local.rerank.hashes), retrieval + verification repeated with pages cached, in alternating order: with it p50 ${fmt(c.hashesP50)} ms p95 ${fmt(c.hashesP95)} ms ` +
      `vs without p50 ${fmt(c.noHashesP50)} ms p95 ${fmt(c.noHashesP95)} ms = ${(c.hashesP50 / c.noHashesP50).toFixed(2)}× (p50), ${(c.hashesP95 / c.noHashesP95).toFixed(2)}× (p95)`,
  );
  log(
    `   every query also described inverted (local.invert.always) vs only one on a dark backdrop, in alternating order: fingerprinting p50 ${fmt(c.fpInvertP50)} ms p95 ${fmt(c.fpInvertP95)} ms ` +
      `vs p50 ${fmt(c.fpDarkOnlyP50)} ms p95 ${fmt(c.fpDarkOnlyP95)} ms = ${(c.fpInvertP50 / c.fpDarkOnlyP50).toFixed(2)}× (p50), ${(c.fpInvertP95 / c.fpDarkOnlyP95).toFixed(2)}× (p95); ` +
      `retrieval + verification repeated with pages cached p50 ${fmt(c.invertP50)} ms p95 ${fmt(c.invertP95)} ms ` +
      `vs p50 ${fmt(c.noInvertP50)} ms p95 ${fmt(c.noInvertP95)} ms = ${(c.invertP50 / c.noInvertP50).toFixed(2)}× (p50), ${(c.invertP95 / c.noInvertP95).toFixed(2)}× (p95)`,
  );
  log(
    `   disk ${mib(disk.fileBytes)} MiB = ${fmt(disk.perImageBytes / 1024)} KiB per image (local features ${fmt(disk.parts.localFeatures / c.size / 1024)} KiB, ` +
      `image hashes ${fmt(disk.parts.imageJson / c.size / 1024)} KiB, passages ${fmt(disk.parts.passages / c.size / 1024)} KiB, snapshots ${fmt(disk.parts.snapshots / c.size / 1024)} KiB); ` +
      `peak RSS ${mib(rss.peak)} MiB vs ${mib(rss.base)} MiB before loading = ${(rss.peak / rss.base).toFixed(1)}×`,
  );
};
{
  const c = await measureChecks(engine, queries, flat, radius);
  const disk = diskSize(engine, DB);
  report(c, disk);
  levels.push({ ...c, disk, peakRssMiB: mib(rss.peak) });
}
for (const target of sizes.filter((s) => s > engine.size)) {
  const g = await grow(engine, reals, target, flat, () => rss.sample());
  log(
    `grown to ${engine.size}: ${g.added} synthetic images from real fingerprints, inserted at ${fmt(g.insertPerS)}/s (${fmt(g.insertS)} s; generating ${fmt(g.generateS)} s)`,
  );
  const c = await measureChecks(engine, queries, flat, radius);
  const disk = diskSize(engine, DB);
  report(c, disk);
  levels.push({ ...c, disk, peakRssMiB: mib(rss.peak), grow: g });
}
summary.checks = levels;
summary.peakRssMiB = mib(rss.peak);
summary.baseRssMiB = mib(rss.base);
engine.close();
await terminateLocalFeaturePool();

// ---------------------------------------------------------------- opening the library
/** Runs a bench script in a process of its own and returns the JSON its last line prints. */
function child(script: string, ...args: string[]): Record<string, number> {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, script), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, number>;
}
const openChild = (...args: string[]) => child('bench/open-library.ts', DB, join(WORK, 'query.png'), ...args);
writeFileSync(join(WORK, 'query.png'), (queries[0] as Query).bytes);
const persisted = openChild();
// Baseline: the same open with the whole file checked before it returns (as before the background check).
const syncCheck = openChild('--sync-check');
// The same queries checked with the library opened in a process of its own, as the studio holds it
// (bench/reopened-checks.ts): what a creator waits for, without this process's heap.
const queryDir = join(WORK, 'queries');
mkdirSync(queryDir, { recursive: true });
const manifest = queries.map((q, i) => {
  const file = `q${i}.img`;
  writeFileSync(join(queryDir, file), q.bytes);
  return { file, sourceId: q.sourceId, kind: q.kind };
});
writeFileSync(join(queryDir, 'queries.json'), JSON.stringify(manifest));
const reopened = child('bench/reopened-checks.ts', DB, join(queryDir, 'queries.json'));
// The studio's live check: the same images checked again while only their cards change (image memo).
const live = child('bench/live-recheck.ts', DB, join(queryDir, 'queries.json'));
const db = openDatabase(DB);
db.exec('DELETE FROM index_snapshots');
db.close();
const rebuilt = openChild();
const p = (o: Record<string, number>) =>
  `open ${fmt((o.openMs as number) / 1000)} s + first check ${fmt(o.firstCheckMs as number)} ms = ${fmt((o.totalMs as number) / 1000)} s, peak ${fmt(o.maxRssMiB as number)} MiB`;
log(
  `open @ ${persisted.size} images, persisted snapshots: ${p(persisted)} (targets ≤ 5 s: ${verdict((persisted.totalMs as number) <= 5000)}, ≤ 1 GiB: ${verdict((persisted.maxRssMiB as number) <= 1024)})`,
);
log(
  `   whole-file check in the background: done ${fmt((persisted.integrityMs as number) / 1000)} s after opening began; ` +
    `vs checked before open returns: ${p(syncCheck)} → ${((syncCheck.totalMs as number) / (persisted.totalMs as number)).toFixed(2)}× the time to the first answer`,
);
log(
  `   vs rebuilding from the rows (snapshots deleted): ${p(rebuilt)} → ${((rebuilt.totalMs as number) / (persisted.totalMs as number)).toFixed(1)}× faster, ` +
    `${((rebuilt.maxRssMiB as number) / (persisted.maxRssMiB as number)).toFixed(2)}× the memory`,
);
const here = levels[levels.length - 1] as CheckFigures;
const n = (k: string) => reopened[k] as number;
log(
  `checks with the library opened in a fresh process @ ${n('size')} images (bench/reopened-checks.ts, the second of two passes over the ${n('queries')} queries): ` +
    `full p50 ${fmt(n('fullP50'))} ms p95 ${fmt(n('fullP95'))} ms (target p95 ≤ 150 ms: ${verdict(n('fullP95') <= 150)}), ` +
    `retrieval + verification p50 ${fmt(n('retrievalP50'))} ms p95 ${fmt(n('retrievalP95'))} ms (target p95 ≤ 40 ms: ${verdict(n('retrievalP95') <= 40)}), ` +
    `fingerprinting alone p50 ${fmt(n('fingerprintP50'))} ms p95 ${fmt(n('fingerprintP95'))} ms; source among the matches ${n('sourceFound')}/${n('queries')} (first ${n('sourceFirst')}); ` +
    `peak ${fmt(n('maxRssMiB'))} MiB; vs this process at ${here.size} images: full p95 ${fmt(here.fullP95)} ms = ${(n('fullP95') / here.fullP95).toFixed(2)}×, ` +
    `retrieval + verification p95 ${fmt(here.retrievalP95)} ms = ${(n('retrievalP95') / here.retrievalP95).toFixed(2)}×`,
);
const lv = (k: string) => live[k] as number;
log(
  `live check @ ${lv('size')} images (bench/live-recheck.ts, the library opened as the studio opens it): ${lv('images')} images checked once ` +
    `(baseline: decoded, hashed, described) p50 ${fmt(lv('firstP50'))} ms p95 ${fmt(lv('firstP95'))} ms; checked again with only the card's text edited ` +
    `(${lv('rechecks')} re-checks, the image's fingerprints kept) p50 ${fmt(lv('recheckP50'))} ms p95 ${fmt(lv('recheckP95'))} ms → ` +
    `${(lv('recheckP50') / lv('firstP50')).toFixed(2)}× p50, ${(lv('recheckP95') / lv('firstP95')).toFixed(2)}× p95; ` +
    `${lv('sameOutcome')}/${lv('rechecks')} re-checks found the first check's matches`,
);
summary.reopened = reopened;
summary.live = live;
summary.open = {
  persisted,
  syncCheck,
  rebuilt,
  targetTimeMet: (persisted.totalMs as number) <= 5000,
  targetMemoryMet: (persisted.maxRssMiB as number) <= 1024,
};
rss.stop();
writeFileSync(join(ROOT, '.data', 'bench-engine.json'), `${JSON.stringify(summary, null, 2)}\n`);
// The 100k library is ~3 GB: deleted unless BENCH_KEEP=1 (to open it again with other code, as
// `tsx bench/open-library.ts .data/bench-engine/library.sqlite .data/bench-engine/query.png`).
if (process.env.BENCH_KEEP !== '1') rmSync(WORK, { recursive: true, force: true });
log(`summary written to .data/bench-engine.json`);
