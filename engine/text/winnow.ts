/**
 * Passage fingerprints of a card (Schleimer, Wilkerson & Aiken, "Winnowing: local algorithms for
 * document fingerprinting", SIGMOD 2003 — the MOSS scheme), taken over normalised words rather than
 * characters: every run of k words is hashed, and in each window of w consecutive k-gram hashes the
 * minimum is kept (the rightmost on ties). Two texts sharing a run of at least w + k − 1 words then
 * share at least one kept hash; runs shorter than k words never match. k-grams do not cross field
 * boundaries, so a passage moved to another field keeps its hashes.
 *
 * The same fingerprint carries the card's word counts (term hash → count, stop words left out) for
 * the word-cosine layer, so one blob per card serves both indexes.
 */
import type { AssetCard } from '../../shared/asset.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { cardTextFields, type TextField } from './fields.ts';
import { STOP_WORDS, tokenizeWords, wordHash } from './words.ts';

export interface PassageParams {
  /** Words per hashed k-gram. */
  k: number;
  /** Winnowing window, in k-grams. */
  window: number;
}

export interface PassageFingerprint {
  /** Words in the card's text fields. */
  words: number;
  /** Kept k-gram hashes, each once, in order of first position. */
  hashes: Uint32Array;
  /** Global word index (over the fields in order) where each kept k-gram starts. */
  positions: Uint32Array;
  /** Term hashes (stop words excluded), ascending. */
  terms: Uint32Array;
  /** How often each term occurs. */
  counts: Uint16Array;
}

export const DEFAULT_PASSAGE_PARAMS: PassageParams = { k: UNIQUENESS_POLICY.passage.k, window: UNIQUENESS_POLICY.passage.window };

/** Murmur3's finaliser: spreads the bits of a combined hash. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes of every k-gram of a word-hash sequence. */
export function kgramHashes(wh: ArrayLike<number>, k: number): Uint32Array {
  const n = wh.length - k + 1;
  if (n <= 0) return new Uint32Array(0);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x9747b28c ^ k;
    for (let j = 0; j < k; j++) h = Math.imul(h ^ (wh[i + j] as number), 0x01000193) + j;
    out[i] = fmix32(h);
  }
  return out;
}

/**
 * Robust winnowing: indexes of the kept hashes (the rightmost minimum of each window, each index
 * once). Fewer hashes than one window → the minimum of all of them.
 */
export function winnow(hashes: Uint32Array, window: number): number[] {
  const n = hashes.length;
  const kept: number[] = [];
  if (n === 0) return kept;
  const w = Math.min(window, n);
  let last = -1;
  for (let s = 0; s + w <= n; s++) {
    let best = s;
    if (last >= s) {
      // The previous minimum is still inside the window: only the new hash can replace it.
      best = (hashes[s + w - 1] as number) <= (hashes[last] as number) ? s + w - 1 : last;
    } else {
      for (let i = s + 1; i < s + w; i++) if ((hashes[i] as number) <= (hashes[best] as number)) best = i;
    }
    if (best !== last) kept.push(best);
    last = best;
  }
  return kept;
}

/** Fingerprint of a list of text fields (see cardTextFields). */
export function fieldsFingerprint(fields: TextField[], params: PassageParams = DEFAULT_PASSAGE_PARAMS): PassageFingerprint {
  const hashes: number[] = [];
  const positions: number[] = [];
  const seen = new Set<number>();
  const tf = new Map<number, number>();
  let base = 0;
  for (const f of fields) {
    const seq = tokenizeWords(f.text);
    const wh = seq.words.map(wordHash);
    for (let i = 0; i < seq.words.length; i++) {
      if (STOP_WORDS.has(seq.words[i] as string)) continue;
      const t = wh[i] as number;
      tf.set(t, (tf.get(t) ?? 0) + 1);
    }
    const kh = kgramHashes(wh, params.k);
    for (const i of winnow(kh, params.window)) {
      const h = kh[i] as number;
      if (seen.has(h)) continue;
      seen.add(h);
      hashes.push(h);
      positions.push(base + i);
    }
    base += seq.words.length;
  }
  const terms = new Uint32Array([...tf.keys()]).sort();
  const counts = new Uint16Array(terms.length);
  terms.forEach((t, i) => (counts[i] = Math.min(0xffff, tf.get(t) as number)));
  return { words: base, hashes: new Uint32Array(hashes), positions: new Uint32Array(positions), terms, counts };
}

export function passageFingerprint(card: AssetCard, params: PassageParams = DEFAULT_PASSAGE_PARAMS): PassageFingerprint {
  return fieldsFingerprint(cardTextFields(card), params);
}
