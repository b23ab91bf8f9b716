/**
 * What ORB sees of a working frame: its grey levels stretched to the full range, and — when the
 * frame was trimmed from a uniform background — a margin of that background around it.
 *
 * ORB keeps FAST's fixed threshold (20 grey levels; OpenCV.js binds no setter for it), so a blurred,
 * faded or low-contrast copy loses nearly every keypoint: a thin line blurred at σ = 4 keeps a tenth
 * of its contrast. A linear stretch of the grey levels between two percentiles gives FAST the
 * threshold that fits the image while leaving the descriptors as they were (BRIEF compares smoothed
 * intensities, and the Harris ranking is unchanged by a gain); a frame that already spans the range
 * is left as it is.
 * ORB also drops keypoints within its 31-px patch border at every pyramid level, and a trimmed frame
 * ends where the drawing does: its outline — most of a clip-art drawing's corners — was never
 * described. The margin (the trimmed-away background, so nothing new is drawn) brings it in.
 * A drawing that touches its canvas's edges is not trimmed at all, and its corners there fall in
 * that border too; such a frame can get a margin of its edge's dominant grey level (dominantEdge),
 * which extract.ts asks for when the frame carries too little information without it. A trimmed
 * frame that carries too little can likewise get its background's margin back (policy
 * local.prepare.trimPadPx, passed here as padPx), which extract.ts keeps only when the keypoints
 * inside the frame then carry enough on their own.
 */

export interface PrepareParams {
  /** Margin in pixels added on every side of a trimmed frame (0: none). */
  padPx: number;
  /**
   * Margin in pixels added around a frame that was not trimmed but whose edge is mostly one grey
   * level (a drawing that touches its canvas's edges): the margin has that level (0: none).
   */
  edgePadPx?: number;
  /** Share of the edge pixels within `edgeTolerance` of one grey level for edgePadPx to apply. */
  edgeShare?: number;
  /** Grey-level difference from that level still counted as it (the trim tolerance). */
  edgeTolerance?: number;
  /** Share of the pixels allowed below the stretch's black point and above its white point. */
  tailShare: number;
  /** Largest gain of the stretch (a nearly blank frame is not blown up into noise). */
  maxGain: number;
}

export interface PreparedFrame {
  gray: Uint8Array;
  width: number;
  height: number;
  /** Offset of the original frame inside `gray` (keypoints are moved back by it). */
  offset: number;
}

/** Pixels between two histogram samples: percentiles from a third of the pixels are as good, at a third of the cost. */
const SAMPLE_STRIDE = 3;

/** The grey levels of `gray` mapped linearly so that its [tail, 1 − tail] percentiles span 0..255, gain capped. */
export function stretchGray(gray: Uint8Array, tailShare: number, maxGain: number): { gray: Uint8Array; map: (v: number) => number } {
  const hist = new Uint32Array(256);
  let sampled = 0;
  for (let i = 0; i < gray.length; i += SAMPLE_STRIDE, sampled++) {
    const v = gray[i] as number;
    hist[v] = (hist[v] as number) + 1;
  }
  const tail = Math.floor(sampled * tailShare);
  let lo = 0;
  for (let seen = 0; lo < 255 && seen + (hist[lo] as number) <= tail; lo++) seen += hist[lo] as number;
  let hi = 255;
  for (let seen = 0; hi > 0 && seen + (hist[hi] as number) <= tail; hi--) seen += hist[hi] as number;
  const range = hi - lo;
  if (range <= 0 || range >= 255) return { gray, map: (v) => v };
  const gain = Math.min(maxGain, 255 / range);
  if (gain <= 1.02) return { gray, map: (v) => v };
  // Centre the stretched range where the percentiles' midpoint lands, clamped to 0..255.
  const mid = (lo + hi) / 2;
  const centre = Math.min(255 - (range * gain) / 2, Math.max((range * gain) / 2, 127.5));
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(centre + (v - mid) * gain)));
  const out = new Uint8Array(gray.length);
  for (let i = 0; i < gray.length; i++) out[i] = lut[gray[i] as number] as number;
  return { gray: out, map: (v) => lut[Math.max(0, Math.min(255, Math.round(v)))] as number };
}

/**
 * The frame ORB describes: stretched, and with `padPx` of `background` around it when the frame was
 * trimmed from a uniform border of that grey level; a frame that was not trimmed (`background`
 * undefined) gets `edgePadPx` of its edge's dominant grey level when it has one (dominantEdge).
 */
export function prepareFrame(
  gray: Uint8Array,
  width: number,
  height: number,
  background: number | undefined,
  p: PrepareParams,
): PreparedFrame {
  const { gray: g, map } = stretchGray(gray, p.tailShare, p.maxGain);
  let pad = background === undefined ? 0 : p.padPx;
  let level = background;
  if (background === undefined && (p.edgePadPx ?? 0) > 0) {
    level = dominantEdge(gray, width, height, p.edgeTolerance ?? 24, p.edgeShare ?? 1);
    if (level !== undefined) pad = p.edgePadPx as number;
  }
  if (pad <= 0) return { gray: g, width, height, offset: 0 };
  const w = width + 2 * pad;
  const h = height + 2 * pad;
  const out = new Uint8Array(w * h).fill(map(level as number));
  for (let y = 0; y < height; y++) out.set(g.subarray(y * width, (y + 1) * width), (y + pad) * w + pad);
  return { gray: out, width: w, height: h, offset: pad };
}

/** The grey level shared (within `tol`) by at least `share` of the frame's edge pixels, or undefined. */
export function dominantEdge(gray: Uint8Array, width: number, height: number, tol: number, share: number): number | undefined {
  const hist = new Uint32Array(256);
  let n = 0;
  const add = (i: number) => {
    const v = gray[i] as number;
    hist[v] = (hist[v] as number) + 1;
    n++;
  };
  for (let x = 0; x < width; x++) {
    add(x);
    if (height > 1) add((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    add(y * width);
    if (width > 1) add(y * width + width - 1);
  }
  let best = 0;
  let at = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    sum += hist[v] as number;
    if (v - 2 * tol - 1 >= 0) sum -= hist[v - 2 * tol - 1] as number;
    if (sum > best) {
      best = sum;
      at = v - tol;
    }
  }
  if (best < share * n) return undefined;
  let mass = 0;
  let acc = 0;
  for (let v = Math.max(0, at - tol); v <= Math.min(255, at + tol); v++) {
    mass += hist[v] as number;
    acc += v * (hist[v] as number);
  }
  return mass > 0 ? Math.round(acc / mass) : undefined;
}
