/**
 * Child process of the engine benchmark: opens a library file, checks one image against it and
 * prints JSON with the time to open, the time of that first check and the process's peak memory
 * (maxRSS). Run in its own process so the figure is the memory of opening, not of the benchmark.
 * Usage: tsx bench/open-library.ts <library.sqlite> <query image> [--sync-check]
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { terminateLocalFeaturePool } from '../engine/image/local/pool.ts';
import { UniquenessEngine } from '../engine/library.ts';
import { BACKGROUND_CHECK_ABOVE_BYTES } from '../engine/store/db.ts';

const [dbPath, imagePath, mode] = z
  .tuple([z.string().min(1), z.string().min(1), z.enum(['--sync-check']).optional()])
  .parse(process.argv.slice(2));
const image = readFileSync(imagePath);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
// As the studio opens its library (electron/main/services/studio.ts): the feature workers start
// and a large file's whole-file check runs on a worker thread while the indexes load.
// With --sync-check the whole file is checked before open returns, as it was before (the baseline).
const engine = UniquenessEngine.open({
  dbPath,
  warmFeatures: true,
  ...(mode === '--sync-check' ? {} : { backgroundCheckAbove: BACKGROUND_CHECK_ABOVE_BYTES }),
});
const openMs = performance.now() - t0;
const res = await engine.check({ card: { asset_type: 'item', name: 'first check', description: '', tags: [] }, image, creatorId: 'bench' });
const totalMs = performance.now() - t0;
await engine.integrity;
const integrityMs = performance.now() - t0;
const size = engine.size;
engine.db.close(); // no flush: the parent measures the library as it left it
await terminateLocalFeaturePool();
console.log(
  JSON.stringify({
    size,
    openMs,
    firstCheckMs: totalMs - openMs,
    totalMs,
    /** From open to the end of the whole-file check (in the background when the file is large). */
    integrityMs,
    matches: res.matches.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    rssBeforeMiB: rssBefore / 2 ** 20,
  }),
);
