/**
 * Regression guard on the labelled copy-dev set (../shared/datasets): a stratified sample must keep
 * the recall the shipped thresholds reach, and every unrelated query flagged must be one of the
 * audited same-artwork pairs. `npm run eval` reports the full figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';

const DIR = new URL('../../../shared/datasets/copy-dev', import.meta.url).pathname;
const have = existsSync(join(DIR, 'labels.json'));
if (!have) console.log(`dataset regression skipped: ${DIR} not found`);

describe.skipIf(!have)('copy-dev regression (copy layers only)', () => {
  it('flags sampled copies of every transform and passes unrelated images', async () => {
    const labels = JSON.parse(readFileSync(join(DIR, 'labels.json'), 'utf8')) as {
      library: { id: string; file: string }[];
      queries: { id: string; file: string; expect: string | null; transform: string }[];
    };
    const audit = new Set(
      (JSON.parse(readFileSync(new URL('../fixtures/label-audit.json', import.meta.url), 'utf8'))['copy-dev'] as { query: string }[]).map(
        (a) => a.query,
      ),
    );
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    for (const l of labels.library) {
      await engine.index({
        id: l.id,
        creatorId: 'A',
        card: { asset_type: 'item', name: `library ${l.id}`, description: '', tags: [] },
        image: readFileSync(join(DIR, l.file)),
      });
    }
    const perTransform = new Map<string, typeof labels.queries>();
    for (const q of labels.queries) perTransform.set(q.transform, [...(perTransform.get(q.transform) ?? []), q]);
    const hits = new Map<string, number>();
    const sample = [...perTransform].flatMap(([t, qs]) => qs.filter((_, i) => i % (t === 'unrelated' ? 2 : 8) === 0));
    const unexplained: string[] = [];
    for (const q of sample) {
      const r = await engine.check({
        card: { asset_type: 'item', name: `query ${q.id}`, description: '', tags: [] },
        image: readFileSync(join(DIR, q.file)),
        creatorId: 'B',
      });
      if (q.expect && r.status !== 'approved' && r.matches[0]?.assetId === q.expect)
        hits.set(q.transform, (hits.get(q.transform) ?? 0) + 1);
      if (!q.expect && r.status !== 'approved' && !audit.has(q.id)) unexplained.push(q.id);
    }
    for (const [t, qs] of perTransform) {
      if (t === 'unrelated') continue;
      const n = qs.filter((_, i) => i % 8 === 0).length;
      expect((hits.get(t) ?? 0) / n, t).toBeGreaterThanOrEqual(0.9);
    }
    expect(unexplained).toEqual([]);
    engine.close();
  }, 300_000); // ~80 s alone; every query also gets its fine octave
});
