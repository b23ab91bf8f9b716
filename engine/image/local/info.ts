/**
 * The information measure of a described image: how much evidence its keypoints can carry. Blank
 * images have no keypoints, thin lines give few keypoints with near-identical patches (few distinct
 * visual words, low descriptor diversity), a speck of detail gives keypoints crowded into one cell.
 */
import { asWords, hamming } from './hamming.ts';
import type { LocalInfo, LocalView } from './types.ts';

const GRID = 6;
/** Descriptor pairs sampled for the diversity estimate (a fixed stride, so the result is deterministic). */
const PAIRS = 400;

export interface InfoScale {
  /** Keypoints, effective words and diversity at which each measure counts as full evidence. */
  keypoints: number;
  effectiveWords: number;
  diversity: number;
  spread: number;
}

export function measureInfo(view: LocalView, width: number, height: number, full: InfoScale): LocalInfo {
  const n = view.words.length;
  const cells = new Uint8Array(GRID * GRID);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(GRID - 1, Math.floor(((view.keypoints[i * 4] as number) / width) * GRID));
    const cy = Math.min(GRID - 1, Math.floor(((view.keypoints[i * 4 + 1] as number) / height) * GRID));
    cells[cy * GRID + cx] = 1;
  }
  const spread = cells.reduce((a, b) => a + b, 0) / (GRID * GRID);
  const hist = new Map<number, number>();
  for (const w of view.words) hist.set(w, (hist.get(w) ?? 0) + 1);
  let entropy = 0;
  for (const c of hist.values()) entropy -= (c / n) * Math.log(c / n);
  const effectiveWords = n ? Math.exp(entropy) : 0;
  let diversity = 0;
  if (n >= 2) {
    const d = asWords(view.descriptors);
    const pairs = Math.min(PAIRS, (n * (n - 1)) / 2);
    let sum = 0;
    for (let p = 0; p < pairs; p++) {
      const i = (p * 7919) % n;
      let j = (p * 104729 + 1 + Math.floor(p / n)) % n;
      if (j === i) j = (j + 1) % n;
      sum += hamming(d, i, d, j);
    }
    diversity = sum / pairs;
  }
  const part = (v: number, f: number): number => Math.min(1, v / f);
  const score = Math.min(
    part(n, full.keypoints),
    part(effectiveWords, full.effectiveWords),
    part(diversity, full.diversity),
    part(spread, full.spread),
  );
  return { keypoints: n, spread, effectiveWords, diversity, score };
}
