/**
 * Child process of the engine benchmark: the studio's live check. A creator edits a card whose
 * image stays the same, and the check runs again after each pause in typing. The library is opened as
 * the studio opens it, with its image memo (EngineOptions.memoImages, engine/image-memo.ts); each
 * query image is checked once with a first card (the baseline: decoded, hashed and described),
 * then twice more with its text edited (the re-checks). Reports both, their ratio, and how many
 * re-checks gave the first check's matches. Prints JSON.
 * Usage: tsx bench/live-recheck.ts <library.sqlite> <queries.json> (as bench/reopened-checks.ts).
 */
import { UniquenessEngine } from '../engine/library.ts';
import { BACKGROUND_CHECK_ABOVE_BYTES } from '../engine/store/db.ts';
import type { CheckResult } from '../shared/check.ts';
import { childArgs, report } from './child-library.ts';
import { pct, timed } from './measure.ts';

const { dbPath, queries } = childArgs(process.argv.slice(2));
// As electron/main/services/studio.ts opens it (LIVE_CHECK_IMAGES).
const engine = UniquenessEngine.open({ dbPath, warmFeatures: true, backgroundCheckAbove: BACKGROUND_CHECK_ABOVE_BYTES, memoImages: 4 });
await engine.integrity;

const card = (i: number, description: string) => ({ asset_type: 'item' as const, name: `upload ${i}`, description, tags: [] });
const edits = [
  'A first draft of the description.',
  'A first draft of the description, longer now.',
  'Rewritten: what this drawing is for.',
];
const outcome = (r: CheckResult) =>
  JSON.stringify(r.matches.filter((m) => m.copySignals.length).map((m) => [m.assetId, m.copySignals, m.region]));
// Warm-up (JIT, the feature workers, SQLite's pages) on an image the timed loop does not check first.
const warm = queries[queries.length - 1];
if (warm) await engine.check({ card: card(-1, ''), image: warm.bytes, creatorId: 'bench' });
const firstMs: number[] = [];
const againMs: number[] = [];
let same = 0;
for (const [i, q] of queries.entries()) {
  if (q === warm && queries.length > 1) continue;
  const [first, t0] = await timed(() => engine.check({ card: card(i, edits[0] as string), image: q.bytes, creatorId: 'bench' }));
  firstMs.push(t0);
  for (const text of edits.slice(1)) {
    const [again, t] = await timed(() => engine.check({ card: card(i, text), image: q.bytes, creatorId: 'bench' }));
    againMs.push(t);
    if (outcome(again) === outcome(first)) same++;
  }
}
await report(engine, {
  images: firstMs.length,
  firstP50: pct(firstMs, 0.5),
  firstP95: pct(firstMs, 0.95),
  recheckP50: pct(againMs, 0.5),
  recheckP95: pct(againMs, 0.95),
  rechecks: againMs.length,
  sameOutcome: same,
});
