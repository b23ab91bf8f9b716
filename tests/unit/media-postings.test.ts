/**
 * The audio index's posting table (engine/media/postings.ts): bulk-built and later postings are
 * found alike, removals hide a track, and `count` — what the stop-hash cap reads — is never below
 * the number of live postings of a key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Postings } from '../../engine/media/postings.ts';

type Track = { id: number; keys: number[] };

const live = (p: Postings, key: number) => {
  const out: [number, number][] = [];
  p.forEach(key, (t, pos) => out.push([t, pos]));
  return out;
};

describe('media postings', () => {
  it('finds bulk and added postings, hides removed tracks, and counts at least what it lists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 20 }), { maxLength: 6 }),
        fc.boolean(),
        fc.nat(),
        (bulkKeys, laterKeys, wide, removePick) => {
          const p = new Postings(wide ? 4 : 6, wide);
          const bulk: Track[] = bulkKeys.map((keys, i) => ({ id: i + 1, keys }));
          p.bulk((emit) => {
            for (const t of bulk)
              emit(
                t.id,
                t.keys,
                t.keys.map((_, j) => j),
              );
          });
          const later: Track[] = laterKeys.map((keys, i) => ({ id: 100 + i, keys }));
          for (const t of later)
            p.add(
              t.id,
              t.keys,
              t.keys.map((_, j) => j),
            );
          const all = [...bulk, ...later];
          const removed = all[removePick % all.length] as Track;
          p.remove(removed.id);
          for (let key = 0; key < 64; key++) {
            const expected = all
              .filter((t) => t.id !== removed.id)
              .flatMap((t) => t.keys.flatMap((k, j) => (k === key ? [[t.id, j] as [number, number]] : [])));
            const got = live(p, key);
            expect([...got].sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual(expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]));
            expect(p.count(key)).toBeGreaterThanOrEqual(got.length);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
