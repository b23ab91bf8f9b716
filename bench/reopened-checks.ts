/**
 * Child process of the engine benchmark: opens a library as the studio does and checks the
 * benchmark's query images against it in two passes — the first warms the process (JIT, the
 * feature workers, SQLite's pages), the second is reported. It gives the latency of a check with the
 * library open in a process that holds only that library; the benchmark's own process also holds
 * every real fingerprint and the synthetic library it grew (about twice the heap), and its
 * collector's pauses land in the checks it times. Prints JSON.
 * Usage: tsx bench/reopened-checks.ts <library.sqlite> <queries.json>
 * (queries.json: [{ file, sourceId, kind }], each file an image to check).
 */
import { UniquenessEngine } from '../engine/library.ts';
import { BACKGROUND_CHECK_ABOVE_BYTES } from '../engine/store/db.ts';
import { childArgs, report } from './child-library.ts';
import { pct, timed } from './measure.ts';

const { dbPath, queries } = childArgs(process.argv.slice(2));
const engine = UniquenessEngine.open({ dbPath, warmFeatures: true, backgroundCheckAbove: BACKGROUND_CHECK_ABOVE_BYTES });
await engine.integrity;

/** One pass over the queries, as measureChecks times each: fingerprinting alone, the check on those
 * fingerprints (retrieval + verification), then the whole check from the file's bytes. */
async function pass() {
  const run = { fingerprintMs: [] as number[], retrievalMs: [] as number[], fullMs: [] as number[], sourceFirst: 0, sourceFound: 0 };
  for (const [i, q] of queries.entries()) {
    const card = { asset_type: 'item' as const, name: `upload ${i}`, description: '', tags: [] };
    const [fp, tf] = await timed(() => engine.fingerprint(card, q.bytes));
    run.fingerprintMs.push(tf);
    run.retrievalMs.push((await timed(() => engine.checkFingerprints({ card, creatorId: 'bench', fp })))[1]);
    const [res, tc] = await timed(() => engine.check({ card, image: q.bytes, creatorId: 'bench' }));
    run.fullMs.push(tc);
    if (res.matches[0]?.assetId === q.sourceId) run.sourceFirst++;
    if (res.matches.some((m) => m.assetId === q.sourceId)) run.sourceFound++;
  }
  return run;
}
await pass(); // warms the process: JIT, the feature workers, SQLite's pages
const last = await pass();
await report(engine, {
  queries: queries.length,
  fingerprintP50: pct(last.fingerprintMs, 0.5),
  fingerprintP95: pct(last.fingerprintMs, 0.95),
  retrievalP50: pct(last.retrievalMs, 0.5),
  retrievalP95: pct(last.retrievalMs, 0.95),
  fullP50: pct(last.fullMs, 0.5),
  fullP95: pct(last.fullMs, 0.95),
  sourceFirst: last.sourceFirst,
  sourceFound: last.sourceFound,
});
