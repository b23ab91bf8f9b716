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
import { gaussianKernel } from './smooth.ts';

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
  // One line at a time, copied into a buffer padded with its end values (the clamped window), so
  // the inner loop reads without bounds checks.
  const pad = half + 1;
  const line = new Uint8Array(Math.max(width, height) + 2 * pad);
  const along = (n: number, len: number, step: number, stride: number): number => {
    // Each line (n of them, `len` pixels `step` apart, lines `stride` apart) against its running
    // mean over `taps` neighbours (window clamped at the ends).
    let sumF = 0;
    let sumV = 0;
    for (let l = 0; l < n; l++) {
      const o = l * stride;
      for (let k = 0; k < len; k++) line[pad + k] = gray[o + k * step] as number;
      line.fill(line[pad] as number, 0, pad);
      line.fill(line[pad + len - 1] as number, pad + len, pad + len + pad);
      let acc = 0;
      for (let k = -half; k <= half; k++) acc += line[pad + k] as number;
      let prevB = acc / taps;
      let prevF = line[pad] as number;
      acc += (line[pad + half + 1] as number) - (line[pad - half] as number);
      for (let k = 1; k < len; k++) {
        const b = acc / taps;
        const f = line[pad + k] as number;
        const dF = Math.abs(f - prevF);
        sumF += dF;
        sumV += Math.max(0, dF - Math.abs(b - prevB));
        prevB = b;
        prevF = f;
        acc += (line[pad + k + half + 1] as number) - (line[pad + k - half] as number);
      }
    }
    return sumF > 0 ? (sumF - sumV) / sumF : 0;
  };
  return Math.max(along(height, width, 1, width), along(width, height, width, 1));
}

/** A separable Gaussian blur of a grey frame at `sigma` pixels (edges clamped). */
function gaussian(gray: Uint8Array, width: number, height: number, sigma: number): Float32Array {
  const weights = gaussianKernel(sigma);
  const taps = weights.length;
  const r = (taps - 1) / 2;
  const total = weights.reduce((a, b) => a + b, 0);
  const kernel = Float32Array.from(weights);
  for (let k = 0; k < taps; k++) kernel[k] = (kernel[k] as number) / total;
  // One line at a time, copied into a buffer padded with its end values (the clamped edge), so the
  // inner loop needs no bounds checks.
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const line = new Float32Array(Math.max(width, height) + 2 * r);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let k = 0; k < width + 2 * r; k++) line[k] = gray[row + Math.min(width - 1, Math.max(0, k - r))] as number;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = 0; t < taps; t++) acc += (kernel[t] as number) * (line[x + t] as number);
      tmp[row + x] = acc;
    }
  }
  for (let x = 0; x < width; x++) {
    for (let k = 0; k < height + 2 * r; k++) line[k] = tmp[Math.min(height - 1, Math.max(0, k - r)) * width + x] as number;
    for (let y = 0; y < height; y++) {
      let acc = 0;
      for (let t = 0; t < taps; t++) acc += (kernel[t] as number) * (line[y + t] as number);
      out[y * width + x] = acc;
    }
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
