/**
 * Lexical near-copy detection with no model: text is normalised (lower case, accents folded,
 * invisible characters dropped and lookalike letters folded — unicode.ts —, digits, "@" and "$"
 * written for letters read as those letters — leet.ts —, punctuation dropped,
 * whitespace collapsed), cut into character 5-gram shingles, and summarised by
 * a 128-value MinHash signature. Similarity is the MinHash estimate of the Jaccard index, plus the
 * containment of the smaller set (so a copy with a sentence prepended still scores high).
 */
import { unleet, unsymbol } from './leet.ts';
import { foldLetters } from './unicode.ts';

export const MINHASH_SIZE = 128;
const SHINGLE = 5;

export function normalizeText(s: string): string {
  return unleet(
    unsymbol(foldLetters(s))
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  );
}

/** FNV-1a 32-bit. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hashed character shingles of already-normalised text. */
export function charShingles(norm: string, size = SHINGLE): Set<number> {
  const out = new Set<number>();
  const t = ` ${norm} `;
  if (t.length <= size) {
    if (norm) out.add(fnv1a(t));
    return out;
  }
  for (let i = 0; i + size <= t.length; i++) out.add(fnv1a(t.slice(i, i + size)));
  return out;
}

// Fixed seeds: signatures must be comparable across machines and versions.
const A: Uint32Array = new Uint32Array(MINHASH_SIZE);
const B: Uint32Array = new Uint32Array(MINHASH_SIZE);
{
  let x = 0x9e3779b9;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < MINHASH_SIZE; i++) {
    A[i] = next() | 1;
    B[i] = next();
  }
}

/** MinHash signature of a set of 32-bit shingle hashes (empty set → all 0xffffffff). */
export function minhash(shingles: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const s of shingles) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const v = (Math.imul(A[i] as number, s) + (B[i] as number)) >>> 0;
      if (v < (sig[i] as number)) sig[i] = v;
    }
  }
  return sig;
}

export function isEmptySignature(sig: Uint32Array): boolean {
  return sig.every((v) => v === 0xffffffff);
}

/** Estimated Jaccard index of the two sets behind two signatures. */
export function minhashJaccard(a: Uint32Array, b: Uint32Array): number {
  if (isEmptySignature(a) || isEmptySignature(b)) return 0;
  let eq = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) eq++;
  return eq / MINHASH_SIZE;
}

/**
 * Estimated containment of the smaller set in the larger, from the Jaccard estimate and the set
 * sizes: |A∩B| = J(|A|+|B|)/(1+J), divided by min(|A|,|B|).
 */
export function containment(j: number, sizeA: number, sizeB: number): number {
  const m = Math.min(sizeA, sizeB);
  if (m === 0) return 0;
  return Math.min(1, (j * (sizeA + sizeB)) / (1 + j) / m);
}
