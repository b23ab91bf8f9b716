/**
 * Word tokenisation for passage matching that survives reformatting: case, accents, punctuation,
 * markdown emphasis/list markers/headings, whitespace and line breaks all vanish, while every word
 * keeps its [start, end) character offsets in the raw text so matches map back to what was typed.
 * Apostrophes inside a word are dropped ("don't" → "dont"), numbered-list markers ("1.", "2)") at
 * the start of a line are skipped. Invisible characters inside a word and letters of other scripts
 * that look like Latin ones do not change it (unicode.ts), nor do digits, "@" or "$" written for
 * letters (leet.ts).
 */
import { fnv1a } from './shingles.ts';
import { unleet, unsymbol } from './leet.ts';
import { foldLetters } from './unicode.ts';

export interface WordSeq {
  /** Normalised words. */
  words: string[];
  /** Raw character offset where each word starts. */
  start: number[];
  /** Raw character offset just after each word. */
  end: number[];
}

// A word may hold combining marks (decomposed accents, scripts whose vowels are marks) and invisible
// characters (unicode.ts) after its first letter: a zero-width space or soft hyphen typed between
// two letters must not split the word.
const WORD =
  /[\p{L}\p{N}][\p{L}\p{N}\p{M}\p{Default_Ignorable_Code_Point}]*(?:['’][\p{L}\p{N}][\p{L}\p{N}\p{M}\p{Default_Ignorable_Code_Point}]*)*/gu;
const LIST_MARKER = /^[ \t>]*\d{1,3}[.)](?=[ \t])/gm;

export function normalizeWord(w: string): string {
  return unleet(foldLetters(w).replace(/['’]/g, ''));
}

export function tokenizeWords(raw: string): WordSeq {
  const skip: [number, number][] = [];
  for (const m of raw.matchAll(LIST_MARKER)) skip.push([m.index, m.index + m[0].length]);
  const out: WordSeq = { words: [], start: [], end: [] };
  let si = 0;
  // "@" and "$" written for letters become them (leet.ts): the same length, so offsets stay raw.
  for (const m of unsymbol(raw).matchAll(WORD)) {
    const s = m.index;
    while (si < skip.length && (skip[si] as [number, number])[1] <= s) si++;
    const sk = skip[si];
    if (sk && s >= sk[0] && s < sk[1]) continue;
    const w = normalizeWord(m[0]);
    if (!w) continue;
    out.words.push(w);
    out.start.push(s);
    out.end.push(s + m[0].length);
  }
  return out;
}

/** 32-bit hash of a normalised word (the term id of the word-cosine layer). */
export const wordHash = (w: string): number => fnv1a(w);

/**
 * English function words: they carry no evidence of copying on their own, so the word-cosine layer
 * leaves them out (IDF would down-weight them too, but not in a library of a few cards).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but nor so yet for of in on at to from by with without into onto upon over under about above below ' +
    'between through during before after since until while as than then there here this that these those it its itself ' +
    'i me my mine we us our ours you your yours he him his she her hers they them their theirs who whom whose which what ' +
    'when where why how all any both each few more most other some such no not only own same too very can cannot could ' +
    'will would shall should may might must do does did done doing be is am are was were been being have has had having ' +
    'if just also again once out up down off s t dont doesnt didnt isnt arent wasnt werent wont cant im ive youre its'
  )
    .split(' ')
    // Read as the text's own words are (leet.ts folds l into i: "all" is stored as "aii").
    .map(normalizeWord),
);
