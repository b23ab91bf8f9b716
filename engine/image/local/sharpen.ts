/**
 * Blurred queries: how blurred a grey frame is, and an unsharp-masked copy of it for ORB.
 *
 * A copy blurred (or upscaled from a thumbnail) keeps its drawing but loses the sharp corners FAST
 * needs and the fine intensity differences BRIEF compares, so its keypoints rarely match the
 * library's. How blurred a frame is comes from the no-reference "blur effect" measure of
 * Crété-Roffet, Dolmiere, Ladret and Nicolas (2007): blur the frame again with a strong low-pass
 * filter and see how much of its neighbour-to-neighbour variation that removes — most of a sharp
 * frame's, little of a frame that was blurred already. 0 is sharp, 1 is flat. A frame found
 * blurred is also described unsharp-masked (extract.ts), which restores enough edge contrast for
 * FAST and BRIEF to see the drawing's corners again.
 */

/** When a query frame is blurred enough to be described unsharp-masked too (policy local.sharpen). */
export interface SharpenSettings {
  /** Blur effect (blurOf) from which a frame counts as blurred; above 1, never. */
  minBlur: number;
  /** Gaussian of the unsharp mask, in pixels of the working frame. */
  sigma: number;
  /** Gain on the detail the mask adds back. */
  amount: number;
}

/** Blur effect of a grey frame in [0, 1] (0 sharp): the larger of its horizontal and vertical measures. */
export function blurOf(gray: Uint8Array, width: number, height: number, taps = 9): number {
  const half = taps >> 1;
  let best = 0;
  for (const horizontal of [true, false]) {
    // Along rows (horizontal) or columns: the frame averaged over `taps` neighbours in that direction.
    const [n, len] = horizontal ? [height, width] : [width, height];
    const at = (line: number, k: number): number => (horizontal ? line * width + k : k * width + line);
    const row = new Float32Array(len);
    let sumF = 0;
    let sumV = 0;
    for (let line = 0; line < n; line++) {
      // Running mean over the clamped window.
      let acc = 0;
      for (let k = -half; k <= half; k++) acc += gray[at(line, Math.min(len - 1, Math.max(0, k)))] as number;
      for (let k = 0; k < len; k++) {
        row[k] = acc / taps;
        const out = Math.max(0, k - half);
        const inn = Math.min(len - 1, k + half + 1);
        acc += (gray[at(line, inn)] as number) - (gray[at(line, out)] as number);
      }
      for (let k = 1; k < len; k++) {
        const dF = Math.abs((gray[at(line, k)] as number) - (gray[at(line, k - 1)] as number));
        const dB = Math.abs((row[k] as number) - (row[k - 1] as number));
        sumF += dF;
        sumV += Math.max(0, dF - dB);
      }
    }
    if (sumF > 0) best = Math.max(best, (sumF - sumV) / sumF);
  }
  return best;
}

/** A separable Gaussian blur of a grey frame at `sigma` pixels (edges clamped). */
function gaussian(gray: Uint8Array, width: number, height: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * r + 1);
  let total = 0;
  for (let k = -r; k <= r; k++) total += kernel[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] as number) / total;
  const tmp = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += (kernel[k + r] as number) * (gray[y * width + Math.min(width - 1, Math.max(0, x + k))] as number);
      tmp[y * width + x] = s;
    }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += (kernel[k + r] as number) * (tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x] as number);
      out[y * width + x] = s;
    }
  return out;
}

/** The frame unsharp-masked: itself plus `amount` × its difference from a Gaussian blur at `sigma`, clamped to 0..255. */
export function unsharp(gray: Uint8Array, width: number, height: number, sigma: number, amount: number): Uint8Array {
  const low = gaussian(gray, width, height, sigma);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const v = gray[i] as number;
    out[i] = Math.max(0, Math.min(255, Math.round(v + amount * (v - (low[i] as number)))));
  }
  return out;
}
