/**
 * Photometric confirmation of a weak geometric consensus (Philbin et al.'s spatial re-ranking,
 * followed by a check of the aligned pixels themselves): the library image's small grey sketch is
 * compared with the query warped back onto it through the model. Each sketch pixel takes the
 * query's mean over its footprint (an integral image, so the query is sampled at the copy's own
 * scale); both images become fields of gradient orientation (doubled angles, so a darker or lighter
 * recolouring does not flip them) and are correlated over the library drawing's content (its pixels
 * that differ from its border colour, widened by `grow`), where a copy pasted onto another picture
 * still agrees and the picture around it is not compared. Unrelated drawings aligned by a chance
 * consensus correlate near zero; a copy, even blurred, recoloured or re-encoded, correlates high.
 * `support` is the share of the drawing's gradient energy that lies inside the query: a model that
 * maps most of the drawing outside the query cannot be confirmed. A query found blurred (a
 * thumbnail blown up again) is compared with both images smoothed alike (AppearancePolicy.blurred),
 * a mosaic (a pixelated copy, mosaic.ts) smoothed at its block size (AppearancePolicy.mosaic). A copy
 * bent by a non-rigid warp is seen through its parts' models blended into one field (bend.ts).
 */
import { alignEcc, type EccOptions } from './align.ts';
import type { BendField } from './bend.ts';
import type { Homography } from './homography.ts';
import { gaussianKernel, smoothMasked } from './smooth.ts';
import { type MosaicSettings, mosaicBlock } from './mosaic.ts';
import { localAffine, multiply, project, scaleOf } from './homography.ts';
import type { LocalFeatureSet, Sketch } from './types.ts';

/** A bent model's field (bend.ts) and the smoothing its comparison takes (sketch pixels). */
export interface Bent {
  field: BendField;
  sigma: number;
}

export interface AppearancePolicy {
  /** Longest side of the stored sketch (pixels). */
  sketchSize: number;
  /** Grey-level difference from the sketch's border level that counts as content. */
  contentTolerance: number;
  /** Content mask widened by this many sketch pixels. */
  grow: number;
  /** Agreement is also measured per cell of a grid × grid split, over cells holding cellShare of the content, against cellScore. */
  grid: number;
  cellShare: number;
  cellScore: number;
  /** Share of the frame's width and height, at each edge, outside the interior. */
  band: number;
  /**
   * A query found blurred (described unsharp-masked too: local.sharpen's measure, taken on its whole
   * frame) is compared with both images Gaussian-smoothed by `sigma` sketch pixels first; 0 turns
   * it off. Zoom windows and tilted views are resampled, so they always measure blurred: they are
   * compared as they are.
   */
  blurred: { sigma: number };
  /**
   * A query whose frame is a mosaic (mosaic.ts: constant blocks on a regular grid, a picture
   * pixelated) is compared with both images Gaussian-smoothed by `sigmaPerBlock` × its block size
   * in sketch pixels (never less than a blurred query's sigma): the mosaic's own edges are the
   * grid's. A mosaic needing more than `maxSigma` is too coarse to compare (a blob in the sketch)
   * and is compared as it is. sigmaPerBlock 0 turns it off.
   */
  mosaic: MosaicSettings & { sigmaPerBlock: number; maxSigma: number };
}

/** Each query frame's mosaic block (working-frame pixels; 0: not a mosaic), measured once. */
const blocks = new WeakMap<Uint8Array, number>();

/**
 * How much to smooth both fields before comparing them (sketch pixels): a blurred query's sigma,
 * raised for a mosaic to its block size seen in the sketch (the map's scale at the sketch's centre).
 */
function smoothing(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  gray: Uint8Array,
  pol: AppearancePolicy,
): number {
  const blurred = query.primary.sharp !== undefined ? pol.blurred.sigma : 0;
  const m = pol.mosaic;
  const s = candidate.sketch;
  if (m.sigmaPerBlock <= 0 || !s) return blurred;
  let block = blocks.get(gray);
  if (block === undefined) {
    block = mosaicBlock(gray, query.width, query.height, m);
    blocks.set(gray, block);
  }
  if (block === 0) return blurred;
  // Query pixels per sketch pixel at the sketch's centre: the map's linear scale there (query pixels
  // per library-frame pixel) times the library-frame pixels a sketch pixel spans.
  const a = localAffine(toQuery, candidate.width / 2, candidate.height / 2);
  const perSketchPx = a ? scaleOf(a) * Math.sqrt((candidate.width / s.width) * (candidate.height / s.height)) : 0;
  if (!(perSketchPx > 0)) return blurred;
  // Coarser than maxSigma can smooth away, the mosaic is a blob in the sketch: compared as it is.
  const sigma = (m.sigmaPerBlock * block) / perSketchPx;
  return sigma > m.maxSigma ? blurred : Math.max(blurred, sigma);
}

/** A grey field Gaussian-smoothed by `sigma` over its valid pixels (smooth.ts); sigma ≤ 0 returns it as it is. */
function smoothed(g: Float64Array, w: number, h: number, valid: Uint8Array, sigma: number): Float64Array {
  return sigma > 0 ? smoothMasked(g, valid, w, h, gaussianKernel(sigma)) : g;
}

/** Area-averaged grey sketch of a working frame, longest side `size`. */
export function makeSketch(gray: Uint8Array, width: number, height: number, size: number): Sketch {
  const k = Math.max(width, height) / size;
  const sw = Math.max(1, Math.round(width / k));
  const sh = Math.max(1, Math.round(height / k));
  const out = new Uint8Array(sw * sh);
  for (let j = 0; j < sh; j++) {
    const y0 = Math.floor((j * height) / sh);
    const y1 = Math.max(y0 + 1, Math.floor(((j + 1) * height) / sh));
    for (let i = 0; i < sw; i++) {
      const x0 = Math.floor((i * width) / sw);
      const x1 = Math.max(x0 + 1, Math.floor(((i + 1) * width) / sw));
      let s = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += gray[y * width + x] as number;
      out[j * sw + i] = Math.round(s / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width: sw, height: sh, gray: out };
}

/** Summed-area tables already built, per query frame (a query meets up to local.candidates library images). */
const tables = new WeakMap<Uint8Array, Float64Array>();

/** Summed-area table of a grey frame, (w+1) × (h+1). */
function integral(gray: Uint8Array, w: number, h: number): Float64Array {
  const known = tables.get(gray);
  if (known) return known;
  const t = new Float64Array((w + 1) * (h + 1));
  tables.set(gray, t);
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += gray[y * w + x] as number;
      t[(y + 1) * (w + 1) + x + 1] = (t[y * (w + 1) + x + 1] as number) + row;
    }
  }
  return t;
}

/** Central-difference gradients as doubled-angle vectors (gx² − gy², 2 gx gy) / |g|, magnitude |g|. */
function orientationField(g: Float64Array, w: number, h: number, valid: Uint8Array): { u: Float64Array; v: Float64Array; ok: Uint8Array } {
  const u = new Float64Array(w * h);
  const v = new Float64Array(w * h);
  const ok = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!valid[i - 1] || !valid[i + 1] || !valid[i - w] || !valid[i + w]) continue;
      const gx = ((g[i + 1] as number) - (g[i - 1] as number)) / 2;
      const gy = ((g[i + w] as number) - (g[i - w] as number)) / 2;
      const m = Math.hypot(gx, gy);
      ok[i] = 1;
      if (m === 0) continue;
      u[i] = (gx * gx - gy * gy) / m;
      v[i] = (2 * gx * gy) / m;
    }
  return { u, v, ok };
}

/** The library drawing's content: sketch pixels away from its border level, widened by `grow`. */
function contentMask(s: Sketch, tol: number, grow: number): Uint8Array {
  const { width: w, height: h, gray } = s;
  const corners = [gray[0], gray[w - 1], gray[(h - 1) * w], gray[h * w - 1]] as number[];
  const sorted = [...corners].sort((a, b) => a - b);
  const bg = ((sorted[1] as number) + (sorted[2] as number)) / 2;
  const core = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) core[i] = Math.abs((gray[i] as number) - bg) > tol ? 1 : 0;
  if (grow <= 0) return core;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!core[y * w + x]) continue;
      for (let dy = -grow; dy <= grow; dy++)
        for (let dx = -grow; dx <= grow; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) out[yy * w + xx] = 1;
        }
    }
  return out;
}

/**
 * A library sketch's content mask (per tolerance and widening) and orientation field (per
 * smoothing), built once per sketch: a candidate meets many queries.
 */
const fields = new WeakMap<Uint8Array, { masks: Map<string, Uint8Array>; bySigma: Map<number, ReturnType<typeof orientationField>> }>();
function libraryFields(s: Sketch, pol: AppearancePolicy, sigma = 0): { lib: ReturnType<typeof orientationField>; mask: Uint8Array } {
  let known = fields.get(s.gray);
  if (!known) fields.set(s.gray, (known = { masks: new Map(), bySigma: new Map() }));
  const maskKey = `${pol.contentTolerance}:${pol.grow}`;
  let mask = known.masks.get(maskKey);
  if (!mask) known.masks.set(maskKey, (mask = contentMask(s, pol.contentTolerance, pol.grow)));
  let lib = known.bySigma.get(sigma);
  if (!lib) {
    const all = new Uint8Array(s.width * s.height).fill(1);
    lib = orientationField(smoothed(Float64Array.from(s.gray), s.width, s.height, all, sigma), s.width, s.height, all);
    known.bySigma.set(sigma, lib);
  }
  return { lib, mask };
}

export interface Appearance {
  /** Correlation of the two orientation fields over the compared content (−1..1). */
  score: number;
  /** Share of the drawing's gradient energy inside the query (0..1). */
  support: number;
  /** Sketch pixels compared. */
  pixels: number;
  /** Grid cells holding a share of the compared content, and the share of them whose own correlation reaches cellScore. */
  cells: number;
  agree: number;
  /**
   * The correlation over the content more than `band` inside the library frame's edges, and its
   * pixels: two pictograms that share only a frame or border agree everywhere but there.
   */
  interior: number;
  interiorPixels: number;
  /**
   * The correlation over the compared content with each field's mean (doubled-angle) orientation
   * taken out: what agrees beyond one dominant direction. A drawing whose strokes mostly run one way
   * (a pencil) correlates with any edge running that way; only its other strokes tell it apart.
   */
  centred: number;
}

/**
 * The query's pixels seen through `toQuery`, one per library sketch pixel (its footprint's mean);
 * null without a sketch or a query frame. `bend`: a displacement added to every point the model
 * maps (bend.ts: a copy bent by a non-rigid warp, seen through several local models).
 */
export function warpOntoSketch(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  qg: Uint8Array | undefined = query.frameGray,
  bend?: BendField,
): { sketch: Sketch; warped: Float64Array; valid: Uint8Array } | null {
  const s = candidate.sketch;
  if (!s || !qg || qg.length !== query.width * query.height) return null;
  const { width: sw, height: sh } = s;
  const kx = candidate.width / sw;
  const ky = candidate.height / sh;
  const qw = query.width;
  const qh = query.height;
  const table = integral(qg, qw, qh);
  const box = (x0: number, y0: number, x1: number, y1: number): number =>
    (table[y1 * (qw + 1) + x1] as number) -
    (table[y0 * (qw + 1) + x1] as number) -
    (table[y1 * (qw + 1) + x0] as number) +
    (table[y0 * (qw + 1) + x0] as number);
  const warped = new Float64Array(sw * sh);
  const valid = new Uint8Array(sw * sh);
  // Each sketch pixel centre projected once, on a grid one wider and taller: a pixel's right and
  // lower neighbours' centres are the next grid points (the same coordinates, so the same values,
  // as projecting them for every pixel; NaN where the homography sends a point behind the camera).
  const gw = sw + 1;
  const px = new Float64Array(gw * (sh + 1));
  const py = new Float64Array(gw * (sh + 1));
  for (let j = 0; j <= sh; j++)
    for (let i = 0; i <= sw; i++) {
      const p = project(toQuery, (i + 0.5) * kx, (j + 0.5) * ky);
      const d = p && bend ? bend((i + 0.5) * kx, (j + 0.5) * ky) : null;
      px[j * gw + i] = p ? p[0] + (d ? d[0] : 0) : NaN;
      py[j * gw + i] = p ? p[1] + (d ? d[1] : 0) : NaN;
    }
  for (let j = 0; j < sh; j++)
    for (let i = 0; i < sw; i++) {
      const at = j * gw + i;
      const cx = px[at] as number;
      const cy = py[at] as number;
      const rx = px[at + 1] as number;
      const ry = py[at + 1] as number;
      const dx = px[at + gw] as number;
      const dy = py[at + gw] as number;
      if (Number.isNaN(cx) || Number.isNaN(rx) || Number.isNaN(dx)) continue;
      // The footprint of one sketch pixel in the query: half its mapped width and height, at least half a pixel.
      const hx = Math.max(0.5, (Math.abs(rx - cx) + Math.abs(dx - cx)) / 2);
      const hy = Math.max(0.5, (Math.abs(ry - cy) + Math.abs(dy - cy)) / 2);
      const x0 = Math.round(cx - hx);
      const x1 = Math.round(cx + hx);
      const y0 = Math.round(cy - hy);
      const y1 = Math.round(cy + hy);
      if (x0 < 0 || y0 < 0 || x1 > qw || y1 > qh || x1 <= x0 || y1 <= y0) continue;
      warped[j * sw + i] = box(x0, y0, x1, y1) / ((x1 - x0) * (y1 - y0));
      valid[j * sw + i] = 1;
    }
  return { sketch: s, warped, valid };
}

/**
 * Correlation of the grey levels themselves (not their gradients) between the library sketch and
 * the query seen through `toQuery`, over the drawing's content: near −1 when the copy is a negative
 * (light strokes where the drawing has dark ones), positive for a copy of the same polarity; null
 * without the pixels or with too few compared.
 */
export function greyCorrelation(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  pol: AppearancePolicy,
  minPixels: number,
): number | null {
  const seen = warpOntoSketch(query, candidate, toQuery);
  if (!seen) return null;
  const { sketch: s, warped, valid } = seen;
  const { mask } = libraryFields(s, pol);
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < s.width * s.height; i++) {
    if (!mask[i] || !valid[i]) continue;
    const a = s.gray[i] as number;
    const b = warped[i] as number;
    n++;
    sa += a;
    sb += b;
    saa += a * a;
    sbb += b * b;
    sab += a * b;
  }
  if (n < minPixels) return null;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? (sab - (sa * sb) / n) / Math.sqrt(va * vb) : null;
}

/**
 * How well the query, seen through `toQuery` (library working frame → query working frame), looks
 * like the library image; null when either side lacks the pixels (a library entry stored without a
 * sketch, a query without its frame). `bend`: seen through the model bent by that field (bend.ts),
 * both images smoothed by at least its sigma (sketch pixels): the parts' models leave the strokes of
 * a bent copy a pixel or two off the drawing's.
 */
export function appearance(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  pol: AppearancePolicy,
  bend?: Bent,
): Appearance | null {
  const plain = appearanceOf(query, candidate, toQuery, pol, query.frameGray, bend);
  if (!query.flatGray) return plain;
  // A query on a coloured or textured backdrop is also seen with it whitened (background.ts), as
  // the library sketch shows the drawing on white: the better-scoring of the two.
  const flat = appearanceOf(query, candidate, toQuery, pol, query.flatGray, bend);
  return !plain || (flat && flat.score > plain.score) ? flat : plain;
}

function appearanceOf(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  pol: AppearancePolicy,
  gray: Uint8Array | undefined,
  bend: Bent | undefined,
): Appearance | null {
  const seen = warpOntoSketch(query, candidate, toQuery, gray, bend?.field);
  if (!seen) return null;
  const { sketch: s, warped, valid } = seen;
  const { width: sw, height: sh } = s;
  const sigma = Math.max(bend?.sigma ?? 0, smoothing(query, candidate, toQuery, gray ?? (query.frameGray as Uint8Array), pol));
  const { lib, mask } = libraryFields(s, pol, sigma);
  const got = orientationField(smoothed(warped, sw, sh, valid, sigma), sw, sh, valid);
  // Sums over the whole content and over each cell of a grid × grid split of the sketch.
  const G = pol.grid;
  const band = pol.band;
  // Slot 0: all compared content; 1..G²: the cells; G²+1: the interior (more than `band` inside the frame's edges).
  const sums = new Float64Array((G * G + 2) * 3);
  const add = (c: number, lu: number, lv: number, gu: number, gv: number): void => {
    sums[3 * c] = (sums[3 * c] as number) + lu * gu + lv * gv;
    sums[3 * c + 1] = (sums[3 * c + 1] as number) + lu * lu + lv * lv;
    sums[3 * c + 2] = (sums[3 * c + 2] as number) + gu * gu + gv * gv;
  };
  let inner = 0;
  let energy = 0;
  let inside = 0;
  let pixels = 0;
  // The two fields' sums over the compared content, for their means (centred).
  let slu = 0;
  let slv = 0;
  let sgu = 0;
  let sgv = 0;
  for (let i = 0; i < sw * sh; i++) {
    if (!mask[i] || !lib.ok[i]) continue;
    const lu = lib.u[i] as number;
    const lv = lib.v[i] as number;
    const e = Math.hypot(lu, lv);
    energy += e;
    if (!got.ok[i]) continue;
    inside += e;
    pixels++;
    const gu = got.u[i] as number;
    const gv = got.v[i] as number;
    const x = i % sw;
    const y = Math.floor(i / sw);
    const cell = 1 + Math.min(G - 1, Math.floor((x * G) / sw)) + G * Math.min(G - 1, Math.floor((y * G) / sh));
    const interior = x > band * sw && x < (1 - band) * sw && y > band * sh && y < (1 - band) * sh;
    if (interior) inner++;
    slu += lu;
    slv += lv;
    sgu += gu;
    sgv += gv;
    add(0, lu, lv, gu, gv);
    add(cell, lu, lv, gu, gv);
    if (interior) add(G * G + 1, lu, lv, gu, gv);
  }
  const corr = (c: number): number => {
    const ll = sums[3 * c + 1] as number;
    const qq = sums[3 * c + 2] as number;
    return ll > 0 && qq > 0 ? (sums[3 * c] as number) / Math.sqrt(ll * qq) : 0;
  };
  // Cells holding at least cellShare of the compared energy, and the share of them that agree.
  let cells = 0;
  let agree = 0;
  const total = sums[1] as number;
  for (let c = 1; c <= G * G; c++) {
    if ((sums[3 * c + 1] as number) < pol.cellShare * total) continue;
    cells++;
    if (corr(c) >= pol.cellScore) agree++;
  }
  return {
    score: corr(0),
    support: energy > 0 ? inside / energy : 0,
    pixels,
    cells,
    agree: cells ? agree / cells : 0,
    interior: corr(G * G + 1),
    interiorPixels: inner,
    centred: centredCorr(sums, pixels, slu, slv, sgu, sgv),
  };
}

/** Slot 0's correlation (sums: Σ l·g, Σ |l|², Σ |g|² first) with each field's mean over `n` pixels taken out. */
function centredCorr(sums: Float64Array, n: number, slu: number, slv: number, sgu: number, sgv: number): number {
  if (n === 0) return 0;
  const lg = (sums[0] as number) - (slu * sgu + slv * sgv) / n;
  const ll = (sums[1] as number) - (slu * slu + slv * slv) / n;
  const gg = (sums[2] as number) - (sgu * sgu + sgv * sgv) / n;
  return ll > 0 && gg > 0 ? lg / Math.sqrt(ll * gg) : 0;
}

/**
 * `toQuery` refined by aligning the query, seen through it, to the library sketch over the
 * drawing's content (align.ts, ECC on grey levels): the query is warped onto the sketch once, and
 * each call aligns that warp with its own options (a homography, then an affine map; alignEcc reads
 * its inputs and never writes them), null when that alignment fails. The refined map is
 * toQuery ∘ K ∘ W ∘ K⁻¹, K taking sketch pixel indices to the library frame's pixel centres. Null
 * without the query's pixels or the library's sketch.
 */
export function modelRefiner(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  pol: AppearancePolicy,
): ((ecc: EccOptions) => Homography | null) | null {
  const seen = warpOntoSketch(query, candidate, toQuery);
  if (!seen) return null;
  const { sketch: s, warped, valid } = seen;
  const { mask } = libraryFields(s, pol);
  const kx = candidate.width / s.width;
  const ky = candidate.height / s.height;
  const K: Homography = [kx, 0, 0.5 * kx, 0, ky, 0.5 * ky, 0, 0, 1];
  const Kinv: Homography = [1 / kx, 0, -0.5, 0, 1 / ky, -0.5, 0, 0, 1];
  return (ecc) => {
    const r = alignEcc(s.gray, warped, valid, mask, s.width, s.height, ecc);
    return r ? multiply(toQuery, multiply(K, multiply(r.warp, Kinv))) : null;
  };
}
