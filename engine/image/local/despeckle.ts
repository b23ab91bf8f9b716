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
}

/** Offsets of a pixel's 8 neighbours in a row-major image `w` pixels wide. */
const ring8 = (w: number): number[] => [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];

function isImpulse(g: Uint8Array, ring: readonly number[], i: number, pol: DespecklePolicy): boolean {
  const v = g[i] as number;
  if (v > pol.dark && v < 255 - pol.dark) return false;
  // Two like neighbours already make it part of something (most pixels stop there).
  let like = 0;
  for (let k = 0; k < 8; k++) if (Math.abs((g[i + (ring[k] as number)] as number) - v) <= pol.step && ++like > 1) return false;
  return true;
}

/** Share of impulses among the interior pixels of every third row. */
export function impulseShare(g: Uint8Array, w: number, h: number, pol: DespecklePolicy): number {
  const ring = ring8(w);
  let n = 0;
  let hits = 0;
  for (let y = 1; y < h - 1; y += 3)
    for (let x = 1; x < w - 1; x++) {
      n++;
      if (isImpulse(g, ring, y * w + x, pol)) hits++;
    }
  return n ? hits / n : 0;
}

/** The image with its impulses replaced by their neighbours' median, or null when it has too few to touch. */
export function despeckle(g: Uint8Array, w: number, h: number, pol: DespecklePolicy): Uint8Array | null {
  if (w < 3 || h < 3 || impulseShare(g, w, h, pol) < pol.minShare) return null;
  const out = Uint8Array.from(g);
  const ring = ring8(w);
  const around = new Uint8Array(8);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!isImpulse(g, ring, i, pol)) continue;
      ring.forEach((d, k) => (around[k] = g[i + d] as number));
      around.sort();
      out[i] = Math.round(((around[3] as number) + (around[4] as number)) / 2);
    }
  return out;
}
