/**
 * Smoothing of a grey field over a mask of valid pixels (normalised convolution, Knutsson &
 * Westin 1993): a separable kernel is run over the masked values and over the mask itself, and
 * each valid pixel takes their ratio — pixels without data neither contribute nor dilute. Used by
 * align.ts (a 5-tap binomial before ECC gradients) and appearance.ts (a Gaussian before
 * orientation fields of a blurred query and its library sketch); sharpen.ts takes its Gaussian
 * kernel from here too. Also a plain box average of interleaved 8-bit channels (boxMean, used by
 * background.ts to bin the colours of a grainy border).
 */

/** The 5-tap binomial kernel (≈ a Gaussian of σ = 1). */
export const BINOMIAL5: readonly number[] = [1, 4, 6, 4, 1];

/** A Gaussian kernel of `sigma` pixels, 3σ each side (unnormalised: the convolution normalises). */
export function gaussianKernel(sigma: number): number[] {
  const r = Math.max(1, Math.ceil(3 * sigma));
  return Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
}

/**
 * `img` smoothed by `kernel` (odd length, centred) along x then y over the pixels where `valid` is
 * set; a valid pixel gets the kernel-weighted mean of the valid pixels around it, an invalid one 0.
 */
export function smoothMasked(img: Float64Array, valid: Uint8Array, w: number, h: number, kernel: readonly number[]): Float64Array {
  const r = (kernel.length - 1) / 2;
  const pass = (src: Float64Array, wt: Float64Array, dx: number, dy: number): [Float64Array, Float64Array] => {
    const out = new Float64Array(w * h);
    const ow = new Float64Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        let n = 0;
        for (let t = -r; t <= r; t++) {
          const xx = x + t * dx;
          const yy = y + t * dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          const c = kernel[t + r] as number;
          s += c * (src[j] as number);
          n += c * (wt[j] as number);
        }
        out[y * w + x] = s;
        ow[y * w + x] = n;
      }
    return [out, ow];
  };
  const masked = new Float64Array(w * h);
  const wt = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++)
    if (valid[i]) {
      masked[i] = img[i] as number;
      wt[i] = 1;
    }
  const [a, aw] = pass(masked, wt, 1, 0);
  const [b, bw] = pass(a, aw, 0, 1);
  const out = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) if (valid[i] && (bw[i] as number) > 0) out[i] = (b[i] as number) / (bw[i] as number);
  return out;
}

/**
 * Each channel of interleaved 8-bit pixels (`channels` per pixel, w × h) averaged over the
 * (2r + 1)² window around each pixel, the window cut by the frame's edges; rounded to the nearest
 * level. Integer running sums: along each row, then down the columns a whole row at a time, so that
 * memory is walked in order.
 */
export function boxMean(px: Uint8Array, channels: number, w: number, h: number, r: number): Uint8Array {
  const rowLen = w * channels;
  const rows = new Int32Array(px.length); // each pixel's sum over its row window
  const across = new Int32Array(w); // how many pixels each column's row window holds
  for (let x = 0; x < w; x++) across[x] = Math.min(w, x + r + 1) - Math.max(0, x - r);
  for (let y = 0; y < h; y++) {
    const o = y * rowLen;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let x = 0; x < Math.min(w, r + 1); x++) sum += px[o + x * channels + c] as number;
      for (let x = 0; x < w; x++) {
        rows[o + x * channels + c] = sum;
        if (x + r + 1 < w) sum += px[o + (x + r + 1) * channels + c] as number;
        if (x - r >= 0) sum -= px[o + (x - r) * channels + c] as number;
      }
    }
  }
  const out = new Uint8Array(px.length);
  const sums = new Int32Array(rowLen); // the row sums over the current column window
  const addRow = (y: number, sign: number): void => {
    for (let i = 0, o = y * rowLen; i < rowLen; i++) sums[i] = (sums[i] as number) + sign * (rows[o + i] as number);
  };
  for (let y = 0; y < Math.min(h, r + 1); y++) addRow(y, 1);
  for (let y = 0; y < h; y++) {
    const down = Math.min(h, y + r + 1) - Math.max(0, y - r);
    for (let x = 0, i = 0, o = y * rowLen; x < w; x++) {
      const n = down * (across[x] as number);
      for (let c = 0; c < channels; c++, i++) out[o + i] = Math.round((sums[i] as number) / n);
    }
    if (y + r + 1 < h) addRow(y + r + 1, 1);
    if (y - r >= 0) addRow(y - r, -1);
  }
  return out;
}
