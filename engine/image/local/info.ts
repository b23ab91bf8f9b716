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

/**
 * The information of the keypoints more than `band` (a share of the frame's width and height) inside
 * the frame's edges, measured over that inner box: what a description carries away from an
 * outline that ends at the frame (a trimmed frame ends where its drawing does).
 */
export function interiorInfo(view: LocalView, width: number, height: number, band: number, full: InfoScale): LocalInfo {
  const x0 = band * width;
  const y0 = band * height;
  const keep: number[] = [];
  for (let i = 0; i < view.words.length; i++) {
    const x = view.keypoints[i * 4] as number;
    const y = view.keypoints[i * 4 + 1] as number;
    if (x > x0 && x < width - x0 && y > y0 && y < height - y0) keep.push(i);
  }
  const keypoints = new Float32Array(keep.length * 4);
  const descriptors = new Uint8Array(keep.length * 32);
  const words = new Uint32Array(keep.length);
  keep.forEach((i, j) => {
    keypoints[j * 4] = (view.keypoints[i * 4] as number) - x0;
    keypoints[j * 4 + 1] = (view.keypoints[i * 4 + 1] as number) - y0;
    keypoints[j * 4 + 2] = view.keypoints[i * 4 + 2] as number;
    keypoints[j * 4 + 3] = view.keypoints[i * 4 + 3] as number;
    descriptors.set(view.descriptors.subarray(i * 32, i * 32 + 32), j * 32);
    words[j] = view.words[i] as number;
  });
  return measureInfo({ keypoints, descriptors, words }, width - 2 * x0, height - 2 * y0, full);
}
