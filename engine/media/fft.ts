/**
 * Power spectrogram of mono PCM: Hann-windowed frames through an in-place iterative radix-2 FFT.
 * Peak picking only compares powers, so a volume change (a constant factor) changes nothing.
 */
export class Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;
  constructor(readonly size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two, got ${size}`);
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((-2 * Math.PI * i) / size);
      this.sin[i] = Math.sin((-2 * Math.PI * i) / size);
    }
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** In-place complex FFT of (re, im). */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.rev;
    const cos = this.cos;
    const sin = this.sin;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >>> 1;
      const step = n / len;
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sin[k * step]!;
        for (let a = k; a < n; a += len) {
          const b = a + half;
          const br = re[b]!;
          const bi = im[b]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a]!;
          const ai = im[a]!;
          re[b] = ar - xr;
          im[b] = ai - xi;
          re[a] = ar + xr;
          im[a] = ai + xi;
        }
      }
    }
  }
}

const ffts = new Map<number, Fft>();

/**
 * Power spectrogram: frames of `size` samples every `hop`, bins 0..bins-1 (bins ≤ size / 2).
 * Two real frames share one complex FFT (one in the real part, one in the imaginary part, split
 * afterwards by conjugate symmetry), halving the work. Returns row-major Float32Array (frame × bins).
 */
export function powerSpectrogram(
  pcm: Float32Array,
  size: number,
  hop: number,
  bins: number = size / 2,
): { data: Float32Array; frames: number; bins: number } {
  let fft = ffts.get(size);
  if (!fft) {
    fft = new Fft(size);
    ffts.set(size, fft);
  }
  const frames = pcm.length >= size ? Math.floor((pcm.length - size) / hop) + 1 : 0;
  const data = new Float32Array(frames * bins);
  const win = new Float64Array(size);
  for (let i = 0; i < size; i++) win[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let f = 0; f < frames; f += 2) {
    const a = f * hop;
    const b = (f + 1) * hop;
    const second = f + 1 < frames;
    for (let i = 0; i < size; i++) {
      re[i] = pcm[a + i]! * win[i]!;
      im[i] = second ? pcm[b + i]! * win[i]! : 0;
    }
    fft.transform(re, im);
    const ra = f * bins;
    const rb = ra + bins;
    for (let k = 0; k < bins; k++) {
      const j = k === 0 ? 0 : size - k;
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[j]!;
      const ci = -im[j]!;
      // X = (Z + conj Z[-k]) / 2, Y = (Z - conj Z[-k]) / 2i
      const xr = (zr + cr) / 2;
      const xi = (zi + ci) / 2;
      data[ra + k] = xr * xr + xi * xi;
      if (second) {
        const yr = (zi - ci) / 2;
        const yi = -(zr - cr) / 2;
        data[rb + k] = yr * yr + yi * yi;
      }
    }
  }
  return { data, frames, bins };
}
