/**
 * Alignment of two cards' texts: the maximal runs of normalised words they share, across all text
 * fields (a passage may have moved from one field to another), with small gaps bridged (a changed
 * word, one inserted or deleted word), reported as [start, end) character offsets in each card's raw
 * field text. Runs are seeded by word trigrams shared with at most one word one slip apart (a typo),
 * extended both ways to maximal diagonals over words that are the same or one slip apart, tiled
 * longest first so each query word belongs to one passage, then merged across gaps.
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { SharedPassage } from '../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { pushAt } from '../multimap.ts';
import { cardTextFields, type TextField } from './fields.ts';
import { tokenizeWords } from './words.ts';

const SEED = 3;
/**
 * A trigram (or, for seeds with a typo, a word) occurring more often than this in the library card
 * is not used as a seed: it bounds the work on repetitive text ("la la la …" × 3000) to linear; runs
 * through it are still found from the seeds around it.
 */
const MAX_SEED_OCCURRENCES = 32;

interface Flat {
  fields: TextField[];
  words: string[];
  field: number[];
  start: number[];
  end: number[];
}

function flatten(fields: TextField[]): Flat {
  const f: Flat = { fields, words: [], field: [], start: [], end: [] };
  fields.forEach((fd, fi) => {
    const s = tokenizeWords(fd.text);
    for (let i = 0; i < s.words.length; i++) {
      f.words.push(s.words[i] as string);
      f.field.push(fi);
      f.start.push(s.start[i] as number);
      f.end.push(s.end[i] as number);
    }
  });
  return f;
}

/** A run of aligned words: query [qs, qe), match [ms, ms + (qe - qs)), `words` actually matched. */
interface Run {
  qs: number;
  qe: number;
  ms: number;
  me: number;
  words: number;
}

/** A word this short is never taken for another one slip away ("cat" / "cut"). */
const SLIP_MIN_LETTERS = 4;

/**
 * Whether two normalised words are one slip apart: equal, or the longer of at least
 * SLIP_MIN_LETTERS letters and the two differing by one letter dropped, added or hit on another key,
 * or two neighbouring letters swapped ("keeper" / "keper", "kepeer", "keeepr", "keeoer").
 */
export function oneSlip(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.max(la, lb) < SLIP_MIN_LETTERS || Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  let ea = la;
  let eb = lb;
  while (ea > i && eb > i && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  const da = ea - i;
  const db = eb - i;
  if (da + db === 1) return true;
  if (da === 1 && db === 1) return true;
  return da === 2 && db === 2 && a[i] === b[i + 1] && a[i + 1] === b[i];
}

/** Word i of a and word j of b, in the fields of the seed (ai, bj), are the same word, or one slip apart. */
const same = (a: Flat, i: number, b: Flat, j: number, ai: number, bj: number) =>
  a.field[i] === a.field[ai] && b.field[j] === b.field[bj] && oneSlip(a.words[i] as string, b.words[j] as string);

/**
 * Maximal diagonal runs through a seed of SEED words in a row, at least SEED − 1 of them the same
 * and the other one slip apart (a copy misspelt every few words keeps few exact trigrams between
 * its typos): each seed is extended both ways over words that are the same or one slip apart. A
 * seed inside a run already found on its diagonal is not extended again.
 */
function diagonals(q: Flat, m: Flat): Run[] {
  const runs: Run[] = [];
  // Per diagonal (i − j), the query words [start, end) of the runs found on it.
  const found = new Map<number, number[]>();
  // The first run on a diagonal starting after query word s (runs on one diagonal are disjoint, kept by start).
  const after = (f: number[], s: number) => {
    let lo = 0;
    let hi = f.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((f[2 * mid] as number) <= s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const inRun = (s: number, t: number) => {
    const f = found.get(s - t);
    if (!f) return false;
    const k = after(f, s) - 1;
    return k >= 0 && s < (f[2 * k + 1] as number);
  };
  const grow = (s: number, t: number) => {
    let back = 0;
    while (s - back > 0 && t - back > 0 && same(q, s - back - 1, m, t - back - 1, s, t)) back++;
    let len = SEED;
    while (s + len < q.words.length && t + len < m.words.length && same(q, s + len, m, t + len, s, t)) len++;
    runs.push({ qs: s - back, qe: s + len, ms: t - back, me: t + len, words: back + len });
    const f = found.get(s - t);
    if (f) f.splice(2 * after(f, s - back), 0, s - back, s + len);
    else found.set(s - t, [s - back, s + len]);
  };
  const seeds = new Map<string, number[]>();
  for (let j = 0; j + SEED <= m.words.length; j++) {
    if (m.field[j] === m.field[j + SEED - 1]) pushAt(seeds, m.words.slice(j, j + SEED).join(' '), j);
  }
  for (let i = 0; i + SEED <= q.words.length; i++) {
    if (q.field[i] !== q.field[i + SEED - 1]) continue;
    const js = seeds.get(q.words.slice(i, i + SEED).join(' '));
    if (!js || js.length > MAX_SEED_OCCURRENCES) continue;
    for (const j of js) if (!inRun(i, j)) grow(i, j);
  }
  // Seeds with one word one slip apart, found from each word pair that is the same: the windows
  // [i − 2, i], [i − 1, i + 1] and [i, i + 2] around it.
  const at = new Map<string, number[]>();
  m.words.forEach((w, j) => pushAt(at, w, j));
  for (let i = 0; i < q.words.length; i++) {
    const js = at.get(q.words[i] as string);
    if (!js || js.length > MAX_SEED_OCCURRENCES) continue;
    for (const j of js) {
      for (let s = i - SEED + 1; s <= i; s++) {
        const t = s - i + j;
        if (s < 0 || t < 0 || s + SEED > q.words.length || t + SEED > m.words.length) continue;
        if (inRun(s, t) || !slipSeed(q, s, m, t)) continue;
        grow(s, t);
      }
    }
  }
  return runs;
}

/** SEED words from query word s and match word t, in one field each, all equal but one, which is one slip apart. */
function slipSeed(q: Flat, s: number, m: Flat, t: number): boolean {
  if (q.field[s] !== q.field[s + SEED - 1] || m.field[t] !== m.field[t + SEED - 1]) return false;
  let slips = 0;
  for (let k = 0; k < SEED; k++) {
    const a = q.words[s + k] as string;
    const b = m.words[t + k] as string;
    if (a === b) continue;
    if (++slips > 1 || !oneSlip(a, b)) return false;
  }
  return slips === 1;
}

/** Longest runs first; each query word in at most one run (overlapping runs are trimmed). */
function tile(runs: Run[], qLen: number): Run[] {
  const covered = new Uint8Array(qLen);
  const out: Run[] = [];
  runs.sort((a, b) => b.words - a.words || a.qs - b.qs || a.ms - b.ms);
  for (const r of runs) {
    let best: [number, number] | null = null;
    let s = -1;
    for (let i = r.qs; i <= r.qe; i++) {
      const free = i < r.qe && !covered[i];
      if (free && s < 0) s = i;
      if (!free && s >= 0) {
        if (!best || i - s > best[1] - best[0]) best = [s, i];
        s = -1;
      }
    }
    if (!best || best[1] - best[0] < SEED) continue;
    const d = best[0] - r.qs;
    const len = best[1] - best[0];
    covered.fill(1, best[0], best[1]);
    out.push({ qs: best[0], qe: best[1], ms: r.ms + d, me: r.ms + d + len, words: len });
  }
  return out.sort((a, b) => a.qs - b.qs);
}

/** Joins runs that follow each other in both texts with at most `gap` unmatched words between. */
function bridge(runs: Run[], q: Flat, m: Flat, gap: number): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const p = out[out.length - 1];
    if (p) {
      const gq = r.qs - p.qe;
      const gm = r.ms - p.me;
      if (gq >= 0 && gm >= 0 && gq <= gap && gm <= gap && q.field[r.qs] === q.field[p.qs] && m.field[r.ms] === m.field[p.ms]) {
        p.qe = r.qe;
        p.me = r.me;
        p.words += r.words;
        continue;
      }
    }
    out.push({ ...r });
  }
  return out;
}

export interface AlignOptions {
  /** Shortest passage reported, in matched words. */
  minWords?: number;
  /** Unmatched words a passage may skip on either side. */
  gapWords?: number;
}

/** Shared passages between two lists of text fields, longest first. */
export function sharedPassagesOfFields(query: TextField[], match: TextField[], opts: AlignOptions = {}): SharedPassage[] {
  const pol = UNIQUENESS_POLICY.passage;
  const q = flatten(query);
  const m = flatten(match);
  const runs = bridge(tile(diagonals(q, m), q.words.length), q, m, opts.gapWords ?? pol.gapWords);
  const out: SharedPassage[] = [];
  for (const r of runs) {
    if (r.words < (opts.minWords ?? pol.minReportWords)) continue;
    const qf = q.fields[q.field[r.qs] as number] as TextField;
    const mf = m.fields[m.field[r.ms] as number] as TextField;
    const qs = q.start[r.qs] as number;
    const qe = q.end[r.qe - 1] as number;
    out.push({
      queryField: qf.field,
      matchField: mf.field,
      query: [qs, qe],
      match: [m.start[r.ms] as number, m.end[r.me - 1] as number],
      words: r.words,
      text: qf.text.slice(qs, qe),
    });
  }
  return out.sort((a, b) => b.words - a.words || a.query[0] - b.query[0]);
}

/** Shared passages between a query card and a library card (see sharedPassagesOfFields). */
export function sharedPassages(queryCard: AssetCard, libraryCard: AssetCard, opts: AlignOptions = {}): SharedPassage[] {
  return sharedPassagesOfFields(cardTextFields(queryCard), cardTextFields(libraryCard), opts);
}
