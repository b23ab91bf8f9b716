/**
 * Masked smoothing (engine/image/local/smooth.ts), shared by ECC alignment and the appearance
 * check: it must equal a direct two-dimensional normalised convolution, ignore what lies outside
 * the mask, and keep a constant field constant up to every edge. The box average (boxMean), which
 * bins a grainy border's colours, must equal a direct window mean per channel.
 */
import { describe, expect, it } from 'vitest';
import { BINOMIAL5, boxMean, gaussianKernel, smoothMasked } from '../../engine/image/local/smooth.ts';
import { rng } from '../../engine/rng.ts';

/** The same smoothing written out as one 2-D sum per pixel. */
function direct(img: Float64Array, valid: Uint8Array, w: number, h: number, k: readonly number[]): Float64Array {
  const r = (k.length - 1) / 2;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!valid[y * w + x]) continue;
      let s = 0;
      let n = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h || !valid[yy * w + xx]) continue;
          const c = (k[dx + r] as number) * (k[dy + r] as number);
          s += c * (img[yy * w + xx] as number);
          n += c;
        }
      out[y * w + x] = n > 0 ? s / n : 0;
    }
  return out;
}

describe('smoothMasked', () => {
  const w = 23;
  const h = 17;
  const rand = rng(61);
  const img = Float64Array.from({ length: w * h }, () => rand() * 255);
  const valid = Uint8Array.from({ length: w * h }, () => (rand() < 0.7 ? 1 : 0));

  it('equals the direct 2-D normalised convolution over an irregular mask', () => {
    for (const k of [BINOMIAL5, gaussianKernel(1.5)]) {
      const got = smoothMasked(img, valid, w, h, k);
      const want = direct(img, valid, w, h, k);
      for (let i = 0; i < w * h; i++) expect(got[i]).toBeCloseTo(want[i] as number, 9);
    }
  });

  it('takes nothing from pixels outside the mask, and gives them 0', () => {
    const field = new Float64Array(w * h).fill(100);
    const half = Uint8Array.from({ length: w * h }, (_, i) => (i % w < 11 ? 1 : 0));
    for (let i = 0; i < w * h; i++) if (!half[i]) field[i] = 1e6;
    const got = smoothMasked(field, half, w, h, gaussianKernel(2));
    for (let i = 0; i < w * h; i++) expect(got[i]).toBeCloseTo(half[i] ? 100 : 0, 9);
  });

  it('keeps a constant field constant at the image edges (renormalised, not zero-padded)', () => {
    const all = new Uint8Array(w * h).fill(1);
    const got = smoothMasked(new Float64Array(w * h).fill(42), all, w, h, BINOMIAL5);
    expect(Math.min(...got)).toBeCloseTo(42, 9);
    expect(Math.max(...got)).toBeCloseTo(42, 9);
  });
});

describe('boxMean', () => {
  it('equals the rounded mean of each channel over the window, cut by the frame, on odd sizes', () => {
    const rand = rng(62);
    for (const [w, h, channels, r] of [
      [23, 17, 3, 2],
      [9, 14, 1, 3],
      [5, 4, 4, 2],
      [3, 3, 3, 4],
    ] as const) {
      const px = Uint8Array.from({ length: w * h * channels }, () => Math.floor(rand() * 256));
      const got = boxMean(px, channels, w, h, r);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let c = 0; c < channels; c++) {
            let s = 0;
            let n = 0;
            for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
              for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                s += px[(yy * w + xx) * channels + c] as number;
                n++;
              }
            expect(got[(y * w + x) * channels + c]).toBe(Math.round(s / n));
          }
    }
  });
});
