/**
 * Impulse ("salt and pepper") noise removed from a decoded grey image before the local-feature
 * layer cuts its working frame. FAST finds a corner at every isolated black or white dot, so a
 * noisy copy spent ORB's keypoint budget on the noise, and the dots also stopped the uniform border
 * from being trimmed. An impulse is a near-black or near-white pixel that differs from at least 7 of
 * its 8 neighbours by more than `step` (a pixel of a thin line has two like neighbours along the
 * line and is kept); each is replaced by the median of its neighbours. Only an image where rows
 * sampled every third line hold at least `minShare` impulses is changed, so a clean image is
 * described exactly as before.
 */

export interface DespecklePolicy {
  /** Grey levels at or below `dark`, or at or above 255 − dark, can be impulses. */
  dark: number;
  /** Difference from a neighbour that makes it unlike. */
  step: number;
  /** Share of sampled pixels that must be impulses for the image to be cleaned. */
  minShare: number;
  /**
   * Passes over the image at most: dots that touch two others are not impulses until those are
   * replaced, so a dense spray needs a second look (absent: one pass).
   */
  passes?: number;
}

/** Offsets of a pixel's 8 neighbours in a row-major image `w` pixels wide. */
const ring8 = (w: number): number[] => [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];

/**
 * The indices of pixel (x, y)'s 8 neighbours, reflected at the image's edge (a neighbour beyond
 * the edge is the one on the other side): the outer ring is despeckled too, and the backdrop
 * whitening (background.ts) reads its palette from exactly that ring.
 */
function around8(x: number, y: number, w: number, h: number, out: Int32Array): Int32Array {
  let k = 0;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      if (dx === 0 && dy === 0) continue;
      const nx = x + dx < 0 || x + dx >= w ? x - dx : x + dx;
      const ny = y + dy < 0 || y + dy >= h ? y - dy : y + dy;
      out[k++] = ny * w + nx;
    }
  return out;
}

/** Fills `nb` with the indices of interior pixel i's 8 neighbours (`ring`: ring8 of the image's width). */
function interiorNeighbours(i: number, ring: readonly number[], nb: Int32Array): Int32Array {
  for (let k = 0; k < 8; k++) nb[k] = i + (ring[k] as number);
  return nb;
}

/** The median of the first n (1–8) of `values` (the two middle ones averaged and rounded when n is even); sorts them in place. */
function median8(values: Uint8Array, n: number): number {
  const sorted = values.subarray(0, n).sort();
  return Math.round(((sorted[(n - 1) >> 1] as number) + (sorted[n >> 1] as number)) / 2);
}

/**
 * Whether pixel i is near-black or near-white and unlike at least 7 of its neighbours, which lie at
 * `base` + nb[k] (base 0 with nb their indices; base i with nb the fixed offsets of an interior pixel).
 */
function isImpulse(g: Uint8Array, nb: Int32Array, i: number, pol: DespecklePolicy, base = 0): boolean {
  const v = g[i] as number;
  if (v > pol.dark && v < 255 - pol.dark) return false;
  // Two like neighbours already make it part of something (most pixels stop there).
  let like = 0;
  for (let k = 0; k < 8; k++) if (Math.abs((g[base + (nb[k] as number)] as number) - v) <= pol.step && ++like > 1) return false;
  return true;
}

/** Calls `visit(i, neighbours)` for every pixel of a w × h image (w, h ≥ 3): interior ones by fixed offsets, the outer ring reflected. */
function eachPixel(w: number, h: number, visit: (i: number, nb: Int32Array) => void): void {
  const ring = ring8(w);
  const nb = new Int32Array(8);
  for (let y = 0; y < h; y++) {
    const edgeRow = y === 0 || y === h - 1;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      visit(i, edgeRow || x === 0 || x === w - 1 ? around8(x, y, w, h, nb) : interiorNeighbours(i, ring, nb));
    }
  }
}

/** Share of impulses among the interior pixels of every third row. */
export function impulseShare(g: Uint8Array, w: number, h: number, pol: DespecklePolicy): number {
  const ring = Int32Array.from(ring8(w));
  let n = 0;
  let hits = 0;
  // Interior pixels' neighbours read at fixed offsets from them (none copied: a pixel of a clean
  // image is settled by its range or its first two neighbours, and this runs on every image).
  for (let y = 1; y < h - 1; y += 3)
    for (let x = 1, i = y * w + 1; x < w - 1; x++, i++) {
      n++;
      if (isImpulse(g, ring, i, pol, i)) hits++;
    }
  return n ? hits / n : 0;
}

/** The image with its impulses (its outer ring's too) replaced by their neighbours' median, or null when it has too few to touch. */
export function despeckle(g: Uint8Array, w: number, h: number, pol: DespecklePolicy): Uint8Array | null {
  if (w < 3 || h < 3 || impulseShare(g, w, h, pol) < pol.minShare) return null;
  let src = g;
  for (let pass = 0; pass < Math.max(1, pol.passes ?? 1); pass++) {
    const out = Uint8Array.from(src);
    const around = new Uint8Array(8);
    let changed = 0;
    eachPixel(w, h, (i, nb) => {
      if (!isImpulse(src, nb, i, pol)) return;
      for (let k = 0; k < 8; k++) around[k] = src[nb[k] as number] as number;
      out[i] = median8(around, 8);
      if (out[i] !== src[i]) changed++;
    });
    src = out;
    if (changed === 0) break;
  }
  return src;
}

/**
 * The colour pixels of the same image with the impulses `despeckle` replaced (the pixels where
 * `cleaned` differs from `grey`) set, channel by channel, to the median of their neighbours that
 * were not replaced (all of them when every one was): the backdrop whitening (background.ts) bins
 * the colours, and a border strewn with black and white dots needs those two colours in its
 * palette, which then floods the art's own black and white. `rgb` holds `channels` interleaved
 * channels of the same w × h pixels.
 */
export function despeckleColour(
  rgb: Uint8Array,
  channels: number,
  grey: Uint8Array,
  cleaned: Uint8Array,
  w: number,
  h: number,
): Uint8Array {
  const out = Uint8Array.from(rgb);
  const around = new Uint8Array(8);
  eachPixel(w, h, (i, nb) => {
    if (grey[i] === cleaned[i]) return;
    for (let c = 0; c < channels; c++) {
      let n = 0;
      for (let k = 0; k < 8; k++) {
        const j = nb[k] as number;
        if (grey[j] === cleaned[j]) around[n++] = rgb[j * channels + c] as number;
      }
      if (n === 0) for (; n < 8; n++) around[n] = rgb[(nb[n] as number) * channels + c] as number;
      out[i * channels + c] = median8(around, n);
    }
  });
  return out;
}
