// The text probe's transforms (scripts/eval/probe-text-transforms.ts): deterministic by seed, each
// changes the text the way its name says, with parameters inside their ranges. Texts written here,
// so the test needs no fortunes package.
import { describe, expect, it } from 'vitest';
import { TEXT_PROBE_NAMES, TEXT_PROBE_TRANSFORMS } from '../../scripts/eval/probe-text-transforms.ts';
import { Rng } from '../../scripts/eval/rng.ts';
import { words } from '../../scripts/eval/text-sources.ts';

const SOURCE =
  'The lighthouse keeper trades old stories for lamp oil. He never sleeps when the fog rolls in from the grey sea. ' +
  'Sailors say his lantern once guided a lost whaler home through a winter storm, and the whaler paid him in amber.';
const ctx = {
  filler: [
    'A cheerful baker in the capital bakes bread for the whole guard and sings every morning before dawn.',
    'Mountain goats climb the quarry walls while miners count copper coins beside the furnace.',
    'The orchard thief hides pears under a velvet cloak and blames the crows for every missing fruit.',
  ].map((text, i) => ({ id: `filler#${i}`, text })),
};
const run = (name: string, seed: number, text = SOURCE) =>
  (TEXT_PROBE_TRANSFORMS[name] as NonNullable<(typeof TEXT_PROBE_TRANSFORMS)[string]>)(text, new Rng(seed, name), ctx);
const bare = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

describe('text probe transforms', () => {
  it.each(TEXT_PROBE_NAMES)('%s: same seed, same text; it differs from the source', (name) => {
    const a = run(name, 5);
    expect(run(name, 5)).toEqual(a);
    expect(a.text).not.toBe(SOURCE);
    expect(a.text.trim().length).toBeGreaterThan(0);
  });

  it('spin replaces its share of the words and keeps the others in place', () => {
    const out = run('spin', 11);
    const share = Number(out.params.share);
    expect(share).toBeGreaterThanOrEqual(0.15);
    expect(share).toBeLessThanOrEqual(0.35);
    const a = words(SOURCE);
    const b = words(out.text);
    expect(b).toHaveLength(a.length);
    const changed = a.filter((w, i) => w !== b[i]).length;
    expect(changed).toBeLessThanOrEqual(Math.round(share * a.length));
    expect(changed).toBeGreaterThan(0);
  });

  it('interleave slips one word in after every n, and keeps the source words in order', () => {
    const out = run('interleave', 3);
    const every = Number(out.params.every);
    expect([2, 3, 4]).toContain(every);
    const b = words(out.text);
    const kept = b.filter((_, i) => (i + 1) % (every + 1) !== 0);
    expect(kept).toEqual(words(SOURCE));
  });

  it('split cuts words inside but keeps every letter in order; swap keeps every word', () => {
    const split = run('split', 8);
    expect(split.text.replace(/[^\p{L}\p{N}]/gu, '')).toBe(SOURCE.replace(/[^\p{L}\p{N}]/gu, ''));
    expect(words(split.text).length).toBeGreaterThanOrEqual(words(SOURCE).length);
    const swap = run('swap', 8);
    expect([...words(swap.text)].sort()).toEqual([...words(SOURCE)].sort());
  });

  it('bury keeps the whole text verbatim inside new text of about its ratio', () => {
    const out = run('bury', 4);
    const ratio = Number(out.params.ratio);
    expect(ratio).toBeGreaterThanOrEqual(3);
    expect(ratio).toBeLessThanOrEqual(8);
    expect(out.text).toContain(words(SOURCE).join(' '));
    expect(words(out.text).length).toBeGreaterThanOrEqual(Math.round(ratio * words(SOURCE).length) - 1);
    // It names the filler texts it used, so the label audit can explain what they bring.
    const used = String(out.params.fillers).split('|');
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(ctx.filler.map((f) => f.id)).toContain(id);
    for (const f of ctx.filler.filter((x) => used.includes(x.id))) expect(out.text).toContain(f.text.slice(0, 30));
  });

  it('shorten keeps each sentence’s opening words; strip leaves no punctuation', () => {
    const out = run('shorten', 6);
    expect(words(out.text).length).toBeLessThan(words(SOURCE).length);
    expect(out.text.startsWith('The lighthouse keeper')).toBe(true);
    const stripped = run('strip', 6);
    expect(stripped.text).not.toMatch(/[.,;:!?]/);
    expect(words(stripped.text).map(bare)).toEqual(words(SOURCE).map(bare));
  });

  it('quote sets 12–20 consecutive source words among new words', () => {
    const out = run('quote', 9);
    const n = Number(out.params.words);
    expect(n).toBeGreaterThanOrEqual(12);
    expect(n).toBeLessThanOrEqual(20);
    const src = words(SOURCE);
    const found = src.some((_, from) => from + n <= src.length && out.text.includes(src.slice(from, from + n).join(' ')));
    expect(found).toBe(true);
    expect(words(out.text).length).toBe(n + Number(out.params.around));
    // A dash standing alone is not a word: the quote takes one more token around it.
    const dashed =
      'one two three four five six - seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';
    for (let seed = 0; seed < 20; seed++) {
      const q = run('quote', seed, dashed);
      const kept = words(q.text).filter((w) => dashed.split(' ').includes(w));
      expect(kept.filter((w) => w !== '-').length).toBeGreaterThanOrEqual(Number(q.params.words));
    }
  });
});
