/**
 * A vitest helper (kept out of server.ts, which the server benchmark imports outside vitest): makes
 * the servers' real submission analyses finish together, to test submissions sent at one moment.
 */
import { onTestFinished, vi } from 'vitest';
import { Analyser } from '../../server/services/submissions/analysis.ts';

/**
 * For the rest of the test, every server's real analysis of a submission holds its answer back
 * until `count` analyses have finished (or `maxMs` passed): submissions sent together are then all
 * compared before any of them could be stored, unless the server compares and stores one at a time.
 */
export function holdAnalysesUntil(count: number, maxMs = 1500): void {
  const analyse = Analyser.prototype.analyse;
  let analysed = 0;
  const spy = vi.spyOn(Analyser.prototype, 'analyse').mockImplementation(async function (this: Analyser, ...args) {
    const result = await analyse.apply(this, args);
    analysed++;
    for (const t0 = Date.now(); analysed < count && Date.now() - t0 < maxMs;) await new Promise((r) => setTimeout(r, 10));
    return result;
  });
  onTestFinished(() => spy.mockRestore());
}
