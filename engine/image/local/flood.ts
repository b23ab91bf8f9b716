/**
 * Flood fills over a frame's 4-neighbours, shared by the backdrop whitening (background.ts), the
 * dark-backdrop test of negatives (invert.ts), the clearing of shapes across a box's edge
 * (../boxed.ts) and the turned picture's fill (../turned.ts): a frame's border pixels, and a
 * breadth-first fill over pixel labels.
 */

/** Indices of a w × h frame's border pixels, each once. */
export function borderPixels(w: number, h: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < w; x++) out.push(x, (h - 1) * w + x);
  for (let y = 1; y < h - 1; y++) out.push(y * w, y * w + w - 1);
  return out;
}

/**
 * Breadth-first fill over 4-neighbours: from the `tail` pixels already in `queue` (already marked),
 * every pixel whose label lies in lo..hi is marked `mark` and queued. Returns how many were queued
 * in all (the filled region is queue[0..that)).
 */
export function grow(bg: Uint8Array, queue: Int32Array, tail: number, w: number, lo: number, hi: number, mark: number): number {
  const n = bg.length;
  let head = 0;
  const take = (j: number): void => {
    const v = bg[j] as number;
    if (v >= lo && v <= hi) {
      bg[j] = mark;
      queue[tail++] = j;
    }
  };
  while (head < tail) {
    const i = queue[head++] as number;
    const x = i % w;
    if (x > 0) take(i - 1);
    if (x < w - 1) take(i + 1);
    if (i >= w) take(i - w);
    if (i < n - w) take(i + w);
  }
  return tail;
}
