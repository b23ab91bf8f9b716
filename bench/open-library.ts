/**
 * Child process of the engine benchmark: opens a library file, checks one image against it and
 * prints JSON with the time to open, the time of that first check and the process's peak memory
 * (maxRSS). Run in its own process so the figure is the memory of opening, not of the benchmark.
 * Usage: tsx bench/open-library.ts <library.sqlite> <query image>
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { terminateLocalFeaturePool } from '../engine/image/local/pool.ts';
import { UniquenessEngine } from '../engine/library.ts';

const [dbPath, imagePath] = z.tuple([z.string().min(1), z.string().min(1)]).parse(process.argv.slice(2));
const image = readFileSync(imagePath);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
// As the studio opens its library (electron/main/services/studio.ts): the feature workers start
// while the indexes load.
const engine = UniquenessEngine.open({ dbPath, warmFeatures: true });
const openMs = performance.now() - t0;
const res = await engine.check({ card: { asset_type: 'item', name: 'first check', description: '', tags: [] }, image, creatorId: 'bench' });
const totalMs = performance.now() - t0;
const size = engine.size;
engine.db.close(); // no flush: the parent measures the library as it left it
await terminateLocalFeaturePool();
console.log(
  JSON.stringify({
    size,
    openMs,
    firstCheckMs: totalMs - openMs,
    totalMs,
    matches: res.matches.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    rssBeforeMiB: rssBefore / 2 ** 20,
  }),
);
