/**
 * Hue histograms of an image's colours and the rotation between two of them: how a copy whose
 * every hue was turned (a hue-rotate filter, sharp's modulate hue) is named in the explanation even
 * when the mean colour cancels out (many coloured shapes on white). Explanation only, never a score.
 */

/** The darks and lights of an image's tones: this quantile of its pixels' lightness and 1 − it. */
export const TONE_QUANTILE = 0.03;
/** Bins of the hue circle (15° each). */
export const HUE_BINS = 24;
/** CIELAB chroma (C*) below which a pixel counts as grey and adds no hue. */
export const HUE_MIN_CHROMA = 6;
/** A rotation is named only when it explains the query's hues this well (cosine of the histograms)… */
const MIN_FIT = 0.75;
/** …this much better than no rotation does… */
const MIN_GAIN = 0.2;
/** …and turns the hues by at least this many degrees. */
const MIN_DEGREES = 20;

const LINEAR = Float64Array.from({ length: 256 }, (_, i) => {
  const v = i / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});
const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);

/** CIELAB L*, a* and b* (D65) of an sRGB pixel. */
export function lab(r: number, g: number, b: number): [number, number, number] {
  const R = LINEAR[r] as number;
  const G = LINEAR[g] as number;
  const B = LINEAR[b] as number;
  const fx = f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047);
  const fy = f(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const fz = f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

function smooth(h: readonly number[]): Float64Array {
  const n = h.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = 0.25 * (h[(i + n - 1) % n] as number) + 0.5 * (h[i] as number) + 0.25 * (h[(i + 1) % n] as number);
  }
  return out;
}

/** Cosine between q and t turned by `shift` bins (q[i] against t[i − shift]). */
function fit(q: Float64Array, t: Float64Array, shift: number): number {
  const n = q.length;
  let dot = 0;
  let qq = 0;
  let tt = 0;
  for (let i = 0; i < n; i++) {
    const a = q[i] as number;
    const b = t[(i - shift + n) % n] as number;
    dot += a * b;
    qq += a * a;
    tt += b * b;
  }
  return qq > 0 && tt > 0 ? dot / Math.sqrt(qq * tt) : 0;
}

/**
 * The rotation in degrees (−180..180) that turns the library image's hues into the query's, or null
 * when none stands out (equal hues, different content, too little colour on either side).
 */
export function hueRotation(query: readonly number[] | undefined, library: readonly number[] | undefined): number | null {
  if (!query || !library || query.length !== HUE_BINS || library.length !== HUE_BINS) return null;
  const q = smooth(query);
  const t = smooth(library);
  const fits = Array.from({ length: HUE_BINS }, (_, s) => fit(q, t, s));
  let best = 0;
  for (let s = 1; s < HUE_BINS; s++) if ((fits[s] as number) > (fits[best] as number)) best = s;
  const top = fits[best] as number;
  if (best === 0 || top < MIN_FIT || top - (fits[0] as number) < MIN_GAIN) return null;
  // Parabolic refinement between the neighbouring shifts.
  const l = fits[(best + HUE_BINS - 1) % HUE_BINS] as number;
  const r = fits[(best + 1) % HUE_BINS] as number;
  const den = l - 2 * top + r;
  const frac = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / den)) : 0;
  let deg = ((best + frac) * 360) / HUE_BINS;
  if (deg > 180) deg -= 360;
  return Math.abs(deg) >= MIN_DEGREES ? deg : null;
}
