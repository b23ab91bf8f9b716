/**
 * The text probe's transforms (`npm run eval:probe-texts`): edits of a card's description written
 * apart from the generated eval's text families (text-gen.ts) and never used to tune the engine —
 * words swapped for unrelated words ("spinning"), a word slipped in after every few, words split
 * inside, neighbouring words swapped, the text buried in much longer text, every sentence cut short,
 * case and punctuation stripped, and a short quote of 12–20 words set in new text. Each draws its
 * parameters from a range with the given Rng; filler texts come from fortunes outside the library.
 */
import { type Rng, round } from './rng.ts';
import { isWord } from './text-gen.ts';
import { sentences, words } from './text-sources.ts';

export type TextProbeParams = Record<string, number | string>;

export interface TextProbeContext {
  /** Texts neither in the library nor among the unrelated ones (fortunes), for new words and new text. */
  filler: readonly { id: string; text: string }[];
}

export type TextProbeTransform = (text: string, rng: Rng, ctx: TextProbeContext) => { text: string; params: TextProbeParams };

/** A word's letters and digits alone, lower-cased ("Don't," → "dont"). */
const bare = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Words of the filler texts with at least three letters, punctuation removed. */
function vocabulary(ctx: TextProbeContext): string[] {
  const out = ctx.filler.flatMap((t) => words(t.text).map(bare)).filter((w) => w.length >= 3);
  if (out.length === 0) throw new Error('the text probe needs filler texts');
  return out;
}

/** The punctuation a token ends with ("end." → "."), kept when its word is replaced. */
const trailing = (w: string) => /[^\p{L}\p{N}]*$/u.exec(w)?.[0] ?? '';

/** Filler texts, whole, in random order, until they hold at least `n` words; `ids` names them ("a|b"), for the label audit. */
function fillerWords(rng: Rng, ctx: TextProbeContext, n: number): { words: string[]; ids: string } {
  const out: string[] = [];
  const ids: string[] = [];
  while (out.length < n) {
    const f = rng.pick(ctx.filler);
    out.push(...words(f.text));
    ids.push(f.id);
  }
  return { words: out, ids: ids.join('|') };
}

export const TEXT_PROBE_TRANSFORMS: Record<string, TextProbeTransform> = {
  /** 15–35 % of the words, at random, replaced by unrelated words (each keeps its trailing punctuation). */
  spin: (text, rng, ctx) => {
    const vocab = vocabulary(ctx);
    const ws = words(text);
    const share = rng.uniform(0.15, 0.35);
    const swap = new Set(rng.sample([...ws.keys()], Math.round(share * ws.length)));
    return { text: ws.map((w, i) => (swap.has(i) ? rng.pick(vocab) + trailing(w) : w)).join(' '), params: { share: round(share) } };
  },
  /** An unrelated word slipped in after every 2–4 words. */
  interleave: (text, rng, ctx) => {
    const vocab = vocabulary(ctx);
    const every = rng.int(2, 4);
    const out: string[] = [];
    for (const [i, w] of words(text).entries()) {
      out.push(w);
      if ((i + 1) % every === 0) out.push(rng.pick(vocab));
    }
    return { text: out.join(' '), params: { every } };
  },
  /** 15–40 % of the words of four or more letters split at an inner letter by a space, a hyphen or a dot. */
  split: (text, rng) => {
    const share = rng.uniform(0.15, 0.4);
    const out = words(text).map((w) => {
      if (bare(w).length < 4 || !rng.bool(share)) return w;
      const letters = [...w.matchAll(/[\p{L}\p{N}]/gu)].map((m) => m.index);
      const at = letters[rng.int(1, letters.length - 2)] as number;
      return w.slice(0, at) + rng.pick([' ', '-', '.']) + w.slice(at);
    });
    return { text: out.join(' '), params: { share: round(share) } };
  },
  /** 15–35 % of the words moved by one place: neighbouring pairs swapped, none twice. */
  swap: (text, rng) => {
    const ws = words(text);
    const share = rng.uniform(0.15, 0.35);
    for (const i of rng.sample([...Array(Math.max(0, ws.length - 1)).keys()], Math.round((share * ws.length) / 2)).sort((a, b) => a - b)) {
      const a = ws[i] as string;
      const b = ws[i + 1] as string;
      if (a === undefined || b === undefined) continue;
      ws[i] = b;
      ws[i + 1] = a;
    }
    return { text: ws.join(' '), params: { share: round(share) } };
  },
  /** The whole text buried in unrelated text 3–8 times its length, at a random place. */
  bury: (text, rng, ctx) => {
    const ratio = rng.uniform(3, 8);
    const n = words(text).length;
    const { words: around, ids } = fillerWords(rng, ctx, Math.round((ratio - 1) * n));
    const at = rng.int(0, around.length);
    return { text: [...around.slice(0, at), ...words(text), ...around.slice(at)].join(' '), params: { ratio: round(ratio), fillers: ids } };
  },
  /** Every sentence cut to its first 50–80 % of words (at least three), its ending dropped. */
  shorten: (text, rng) => {
    const keep = rng.uniform(0.5, 0.8);
    const out = sentences(text).map((s) => {
      const ws = words(s);
      const k = Math.max(3, Math.round(keep * ws.length));
      return k >= ws.length
        ? s
        : `${ws
            .slice(0, k)
            .join(' ')
            .replace(/[^\p{L}\p{N}]+$/u, '')}.`;
    });
    return { text: out.join(' '), params: { keep: round(keep) } };
  },
  /** Punctuation removed and the case changed (all lower, all upper, or every word capitalised). */
  strip: (text, rng) => {
    const caseOf = rng.pick(['lower', 'upper', 'title'] as const);
    const ws = words(text)
      .map((w) => w.replace(/[^\p{L}\p{N}'’]/gu, ''))
      .filter(Boolean)
      .map((w) =>
        caseOf === 'lower' ? w.toLowerCase() : caseOf === 'upper' ? w.toUpperCase() : w[0]?.toUpperCase() + w.slice(1).toLowerCase(),
      );
    return { text: ws.join(' '), params: { case: caseOf } };
  },
  /**
   * A quote of 12–20 consecutive words (all of a shorter text; a dash or a quotation mark standing
   * alone is not a word) set among 40–120 words of new text.
   */
  quote: (text, rng, ctx) => {
    const ws = words(text);
    const at0 = [...ws.keys()].filter((i) => isWord(ws[i] as string));
    const len = Math.min(at0.length, rng.int(12, 20));
    const first = rng.int(0, at0.length - len);
    const quoted = ws.slice(at0[first], (at0[first + len - 1] as number) + 1);
    const { words: around, ids } = fillerWords(rng, ctx, rng.int(40, 120));
    const at = rng.int(0, around.length);
    return {
      text: [...around.slice(0, at), ...quoted, ...around.slice(at)].join(' '),
      params: { words: len, around: around.length, fillers: ids },
    };
  },
};

export const TEXT_PROBE_NAMES = Object.keys(TEXT_PROBE_TRANSFORMS);
