/**
 * Dense ordered overlap: the content words two cards share in the same order, close together in
 * both texts. It survives what breaks verbatim passages — a kept passage with words inserted every
 * few words, words deleted, sentences moved — while unrelated texts rarely chain more than a few
 * content words with small gaps on both sides.
 *
 * Method: longest common subsequence of the content words (stop words out) of the two cards'
 * flattened fields, cut into dense segments where consecutive matches are at most `maxGap`
 * content words apart on both sides and in one field on each side; segments of at least
 * `minSegment` matches count. Matched words are then removed and the search repeated, so blocks
 * that were reordered are found too. Reported as passages (character offsets of each segment).
 * Two words match when they are the same or one slip apart (align.ts oneSlip: a letter dropped,
 * added, hit on another key, or two swapped, in words of four letters or more), as passages are
 * aligned: a kept passage misspelt every few words keeps its order too.
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { SharedPassage } from '../../shared/check.ts';
import { oneSlip } from './align.ts';
import { type TextField, cardTextFields } from './fields.ts';
import { STOP_WORDS, tokenizeWords } from './words.ts';

interface Seq {
  fields: TextField[];
  words: string[];
  field: number[];
  start: number[];
  end: number[];
}

/**
 * Cards are short; longer texts are cut here. The comparison is quadratic in words: two cards at
 * this cap took 18–24 ms (session 66), so the cap bounds the cost of one comparison.
 */
const MAX_WORDS = 600;

function contentWords(card: AssetCard): Seq {
  const fields = cardTextFields(card);
  const s: Seq = { fields, words: [], field: [], start: [], end: [] };
  fields.forEach((f, fi) => {
    const t = tokenizeWords(f.text);
    t.words.forEach((w, i) => {
      if (STOP_WORDS.has(w) || w.length < 2 || s.words.length >= MAX_WORDS) return;
      s.words.push(w);
      s.field.push(fi);
      s.start.push(t.start[i] as number);
      s.end.push(t.end[i] as number);
    });
  });
  return s;
}

/** Index pairs of one longest common subsequence of the still-unused words (the same or one slip apart). */
function lcsPairs(a: Seq, b: Seq, usedA: Uint8Array, usedB: Uint8Array): [number, number][] {
  const n = a.words.length;
  const m = b.words.length;
  // Which word pairs match, computed once (the backtrack below asks again).
  const match = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) {
    if (usedA[i]) continue;
    const w = a.words[i] as string;
    for (let j = 0; j < m; j++) if (!usedB[j] && oneSlip(w, b.words[j] as string)) match[i * m + j] = 1;
  }
  const dp = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const k = i * (m + 1) + j;
      dp[k] = match[i * m + j] ? (dp[k + m + 2] as number) + 1 : Math.max(dp[k + 1] as number, dp[k + m + 1] as number);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const k = i * (m + 1) + j;
    if (match[i * m + j] && dp[k] === (dp[k + m + 2] as number) + 1) {
      out.push([i, j]);
      i++;
      j++;
    } else if ((dp[k + 1] as number) >= (dp[k + m + 1] as number)) j++;
    else i++;
  }
  return out;
}

export interface OrderedOverlap {
  /** Content words in dense ordered segments. */
  words: number;
  /** Content words of the shorter of the two cards (what `words` is a share of). */
  smaller: number;
  segments: SharedPassage[];
}

export function orderedOverlap(
  query: AssetCard,
  match: AssetCard,
  opts: { maxGap: number; minSegment: number; rounds?: number },
): OrderedOverlap {
  const a = contentWords(query);
  const b = contentWords(match);
  const usedA = new Uint8Array(a.words.length);
  const usedB = new Uint8Array(b.words.length);
  const segments: SharedPassage[] = [];
  let words = 0;
  for (let round = 0; round < (opts.rounds ?? 3); round++) {
    const pairs = lcsPairs(a, b, usedA, usedB);
    if (pairs.length < opts.minSegment) break;
    let found = false;
    let s = 0;
    for (let e = 1; e <= pairs.length; e++) {
      const prev = pairs[e - 1] as [number, number];
      const cur = pairs[e];
      const joined =
        cur !== undefined &&
        cur[0] - prev[0] <= opts.maxGap + 1 &&
        cur[1] - prev[1] <= opts.maxGap + 1 &&
        a.field[cur[0]] === a.field[prev[0]] &&
        b.field[cur[1]] === b.field[prev[1]];
      if (joined) continue;
      const seg = pairs.slice(s, e);
      s = e;
      if (seg.length < opts.minSegment) continue;
      found = true;
      words += seg.length;
      for (const [i, j] of seg) {
        usedA[i] = 1;
        usedB[j] = 1;
      }
      const [qi, mj] = seg[0] as [number, number];
      const [qe, me] = seg[seg.length - 1] as [number, number];
      const qf = a.fields[a.field[qi] as number] as TextField;
      const mf = b.fields[b.field[mj] as number] as TextField;
      segments.push({
        queryField: qf.field,
        matchField: mf.field,
        query: [a.start[qi] as number, a.end[qe] as number],
        match: [b.start[mj] as number, b.end[me] as number],
        words: seg.length,
        text: qf.text.slice(a.start[qi] as number, a.end[qe] as number),
      });
    }
    if (!found) break;
  }
  return { words, smaller: Math.min(a.words.length, b.words.length), segments: segments.sort((x, y) => y.words - x.words) };
}
