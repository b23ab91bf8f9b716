/**
 * Image fingerprints for the exact and visual-copy layers.
 *
 * Normalisation (one sharp pipeline): EXIF orientation applied, transparency flattened on white,
 * uniform borders trimmed (padding and letterboxing vanish), resized to a 128×128 grayscale
 * working matrix. From that matrix:
 *  - pHash at three centred scales (100 %, 85 %, 70 %), each with its 8 dihedral variants;
 *  - dHash of the whole matrix, with its 8 dihedral variants;
 *  - a 16×16 gradient-orientation-free "edge" pHash (pHash of the gradient magnitude), robust to
 *    recolouring and brightness changes because it ignores absolute intensities;
 *  - the folded view (foldView): the same hashes of the image with every channel value v read as
 *    min(v, 255 − v), which a solarized or inverted copy shares exactly with its original.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { type PixelBox, clearIntrusions, crop } from './boxed.ts';
import { type Hash64, toHex } from '../hash/bits.ts';
import { DEFAULT_IMAGE_LIMITS, type ImageInfo, type ImageLimits, decodeOrThrow, openImage, probeImage } from './decode.ts';
import { areaResample, dhashVariants, phashVariants, shapeSignature } from './perceptual.ts';
import { findTrim, findTrimRgba } from './trim.ts';
import { HUE_BINS, HUE_MIN_CHROMA, TONE_QUANTILE, lab } from './hue.ts';

export const WORK = 128;
/** Centre-crop scales hashed for every image; index 0 is the whole (trimmed) image. */
export const SCALES = [1, 0.85, 0.7] as const;
/** Where a query's backdrop view (ImageFingerprint.backdrop) sits among the views it probes with: after the trimmed and whole views. */
export const BACKDROP_VIEW = 2;
/** A picture found inside a query, hashed (boxViews), and where it lies in the query (fractions of the image). */
export interface BoxViewHashes extends ViewHashes {
  at: { x: number; y: number; w: number; h: number };
  /**
   * A picture turned, sheared or warped on a fill (turned.ts), rectified before it was hashed: its
   * corners in the query (fractions of the image, clockwise from the top-left one), its turn
   * (degrees counter-clockwise) and stretch (TurnedPicture); `shown`, when the frame cut it (turned
   * within its canvas), the share of it inside the frame. Absent for an upright box.
   */
  turned?: { outline: [number, number][]; turnDeg: number; stretch: number; shown?: number };
}

/** Where a query's first box view (ImageFingerprint.boxes) sits among the views it probes with: after the backdrop view. */
export const BOX_VIEW = 3;

export interface ImageFingerprint {
  format: string;
  width: number;
  height: number;
  /** SHA-256 of the file's bytes. */
  bytesSha256: string;
  /** SHA-256 of the decoded RGBA pixels and the dimensions: equal for a lossless re-save. */
  pixelsSha256: string;
  /**
   * Perceptual hashes of two views: [0] with uniform borders trimmed (padding and letterboxing
   * vanish), [1] the whole frame (robust where trimming is unstable: faint backgrounds washed out by
   * brightening, JPEG noise in the margins).
   */
  views: ViewHashes[];
  /**
   * Queries only, never stored: the trimmed view's hashes of the frame with its backdrop whitened
   * (backdropView), when the query had a backdrop to remove (art flattened on a colour or texture).
   */
  backdrop?: ViewHashes;
  /**
   * Queries only, never stored: the trimmed view's hashes of each picture found inside the frame
   * (boxed.ts: clip art pasted on its own background into a larger picture; policy
   * visual.boxes.maxBoxes pictures, each hashed once or twice: see boxViews), probed as views
   * BOX_VIEW, BOX_VIEW + 1, …
   */
  boxes?: BoxViewHashes[];
  /**
   * Mean colour of the flattened image: 0..255 channels, saturation 0..1, luminance 0..255.
   * `tones`: the TONE_QUANTILE and 1 − TONE_QUANTILE quantiles of the pixels' CIELAB lightness L*
   * 0..100 (the darks and the lights, which a crop or a paste leaves where they were while the mean
   * moves with the share of each). `hues`: the chroma-weighted hue histogram (HUE_BINS bins, sum 1;
   * absent for a grey image), which names a hue rotation where the mean hue cancels out. Both are
   * absent from fingerprints stored before they existed (explanations then use the mean).
   */
  color: { r: number; g: number; b: number; saturation: number; luminance: number; tones?: [number, number]; hues?: number[] };
  /**
   * The folded view's hashes (foldView), or null when nothing is left of it (a plain grey page).
   * Absent from fingerprints stored before it existed: such an image is not found by its fold.
   */
  fold?: FoldHashes | null;
}

/** The folded view: its full-scale pHash (a query's 8 dihedral variants, index 0 as it is; a stored image keeps index 0 only), shape signature and quality. */
export interface FoldHashes {
  phash: string[];
  /** Base64 of int8, as ViewHashes.sig. */
  sig: string;
  quality: number;
}

export interface ViewHashes {
  /** pHash per scale (SCALES order), each with 8 dihedral variants (index 0 = as stored). Hex. */
  phash: string[][];
  /** dHash with 8 dihedral variants. Hex. */
  dhash: string[];
  /** pHash of the gradient magnitude with 8 dihedral variants. Hex. */
  ehash: string[];
  /** Shape signature per scale (SCALES order), as stored (identity orientation). Base64 of int8. */
  sig: string[];
  /**
   * How much information the view carries, 0..100, as PDQ's quality score does: the sum of
   * absolute luminance gradients of a 64×64 reduction, divided by 90 and capped. Nearly blank or
   * thin-line images score low, and their hashes are not evidence of anything. Absent in
   * fingerprints stored before it existed.
   */
  quality?: number;
  /** The quality of each centre crop (SCALES order), as `quality` measures the view. */
  scaleQuality?: number[];
}

/** An image decoded once (EXIF orientation applied) to RGBA, from which every layer works. */
export interface DecodedImage {
  info: ImageInfo;
  bytesSha256: string;
  width: number;
  height: number;
  rgba: Buffer;
}

/** PDQ-style quality of a WORK×WORK grayscale matrix (0..255 values). */
export function viewQuality(m: Float32Array): number {
  const n = WORK / 2;
  const r = new Float32Array(n * n);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const i = 2 * y * WORK + 2 * x;
      r[y * n + x] = ((m[i] as number) + (m[i + 1] as number) + (m[i + WORK] as number) + (m[i + WORK + 1] as number)) / (4 * 255);
    }
  let sum = 0;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const v = r[y * n + x] as number;
      if (x + 1 < n) sum += Math.abs(v - (r[y * n + x + 1] as number));
      if (y + 1 < n) sum += Math.abs(v - (r[(y + 1) * n + x] as number));
    }
  return Math.round(sum / 0.9);
}

/**
 * Longest side at which a large image's trimmed box is found. libvips' find_trim filters every pixel
 * (a median over the full-resolution image), which made it most of the cost of hashing a large
 * image; the box found on a copy this size, scaled back, differs from the full-resolution one by a
 * few pixels of the original — far below what the 32 × 32 hashes resolve. Smaller images are
 * trimmed at their own size, as before.
 */
export const TRIM_PROBE = 512;

/** Trimming's threshold: a band differing from the border colour by more than this is content. */
const TRIM_THRESHOLD = 28;

/**
 * The trimmed box of RGB or RGBA pixels (findTrim / findTrimRgba: the boxes sharp's trim finds);
 * null when nothing is content, or for images under 3 × 3 pixels (which sharp refuses to trim).
 */
function contentBox(px: Uint8Array, w: number, h: number, channels: 3 | 4): sharp.Region | null {
  if (w < 3 && h < 3) return null;
  return channels === 4 ? findTrimRgba(px, w, h, TRIM_THRESHOLD) : findTrim(px, w, h, 3, TRIM_THRESHOLD);
}

/** The box the trimmed view keeps (see TRIM_PROBE), or null for a uniform image (nothing to keep). */
async function trimBox(img: () => sharp.Sharp, w: number, h: number, probe: number, libvipsTrim: boolean): Promise<sharp.Region | null> {
  const scale = probe / Math.max(w, h);
  const pw = Math.max(1, Math.round(w * scale));
  const ph = Math.max(1, Math.round(h * scale));
  const small = await img().flatten({ background: '#ffffff' }).resize(pw, ph, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: small.info.width, height: small.info.height, channels: small.info.channels };
  let found: sharp.Region | null;
  if (!libvipsTrim && raw.channels === 3) found = contentBox(small.data, raw.width, raw.height, 3);
  else {
    const t = await sharp(small.data, { raw })
      .trim({ threshold: TRIM_THRESHOLD })
      .raw()
      .toBuffer({ resolveWithObject: true })
      .catch(() => null);
    found = t && { left: -(t.info.trimOffsetLeft ?? 0), top: -(t.info.trimOffsetTop ?? 0), width: t.info.width, height: t.info.height };
  }
  if (!found) return null;
  const x0 = found.left;
  const y0 = found.top;
  const left = Math.max(0, Math.floor((x0 * w) / pw));
  const top = Math.max(0, Math.floor((y0 * h) / ph));
  const right = Math.min(w, Math.ceil(((x0 + found.width) * w) / pw));
  const bottom = Math.min(h, Math.ceil(((y0 + found.height) * h) / ph));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/** A view's WORK × WORK grayscale matrix (fit: fill, cubic) of the pixels `p` opens. */
async function workMatrix(p: sharp.Sharp): Promise<Float32Array> {
  const buf = await p.resize(WORK, WORK, { fit: 'fill', kernel: 'cubic' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (buf.info.channels !== 1) throw new Error(`expected 1 channel, got ${buf.info.channels}`);
  return Float32Array.from(buf.data);
}

/**
 * The two views' matrices. `img` opens the pixels (flattened already or not); `rgba` the decoded
 * RGBA pixels, which a small image is trimmed from (sharp's trim sees transparency, not the white a
 * transparent margin is flattened to); `grey`, when given, the flattened grey pixels (greyOpener);
 * `rgbaPx`, when given, those RGBA pixels themselves, which a small image's box is found in here
 * (findTrimRgba) instead of by sharp.
 */
async function workMatrices(
  img: () => sharp.Sharp,
  w: number,
  h: number,
  trimProbe: number,
  rgba: () => sharp.Sharp = img,
  grey: (() => sharp.Sharp) | null = null,
  rgbaPx: Uint8Array | null = null,
  libvipsTrim = false,
): Promise<Float32Array[]> {
  const flat = grey ?? (() => img().flatten({ background: '#ffffff' }));
  const trimmed = async (): Promise<Float32Array | null> => {
    if (Math.max(w, h) <= trimProbe) {
      if (rgbaPx && !libvipsTrim) {
        const box = contentBox(rgbaPx, w, h, 4);
        return box ? workMatrix(flat().extract(box)) : null;
      }
      return workMatrix(rgba().flatten({ background: '#ffffff' }).trim({ threshold: TRIM_THRESHOLD })).catch(() => null);
    }
    const box = await trimBox(img, w, h, trimProbe, libvipsTrim);
    return box ? workMatrix(flat().extract(box)) : null;
  };
  // Both views at once (libvips runs them on its own threads).
  const [full, cut] = await Promise.all([workMatrix(flat()), trimmed()]);
  // A uniform image has nothing to trim; sharp refuses to trim it away entirely.
  return [cut ?? full, full];
}

function gradientMagnitude(m: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const l = m[y * n + Math.max(0, x - 1)] as number;
      const r = m[y * n + Math.min(n - 1, x + 1)] as number;
      const u = m[Math.max(0, y - 1) * n + x] as number;
      const d = m[Math.min(n - 1, y + 1) * n + x] as number;
      // Not Math.hypot (4× slower): on the engine's whole-number grey levels both round to the same float32.
      out[y * n + x] = Math.sqrt((r - l) * (r - l) + (d - u) * (d - u));
    }
  }
  return out;
}

async function meanColor(img: sharp.Sharp): Promise<ImageFingerprint['color']> {
  const { data } = await img
    .flatten({ background: '#ffffff' })
    .resize(16, 16, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  let r = 0;
  let g = 0;
  let b = 0;
  let sat = 0;
  const hist = new Float64Array(HUE_BINS);
  let chroma = 0;
  const n = data.length / 3;
  const lum = new Float64Array(n);
  for (let i = 0; i < data.length; i += 3) {
    const R = data[i] as number;
    const G = data[i + 1] as number;
    const B = data[i + 2] as number;
    r += R;
    g += G;
    b += B;
    const mx = Math.max(R, G, B);
    const mn = Math.min(R, G, B);
    sat += mx === 0 ? 0 : (mx - mn) / mx;
    // CIELAB's a*b* plane (the one sharp's and most editors' hue rotation turns): its angle is the
    // hue, its length the chroma (0 on greys).
    const [l, x, y] = lab(R, G, B);
    lum[i / 3] = l;
    const c = Math.sqrt(x * x + y * y);
    if (c < HUE_MIN_CHROMA) continue;
    const bin = Math.floor(((Math.atan2(y, x) / (2 * Math.PI) + 1) % 1) * HUE_BINS) % HUE_BINS;
    hist[bin] = (hist[bin] as number) + c;
    chroma += c;
  }
  r /= n;
  g /= n;
  b /= n;
  const color: ImageFingerprint['color'] = { r, g, b, saturation: sat / n, luminance: 0.299 * r + 0.587 * g + 0.114 * b };
  lum.sort();
  color.tones = [
    Math.round(lum[Math.floor(n * TONE_QUANTILE)] as number),
    Math.round(lum[Math.ceil(n * (1 - TONE_QUANTILE)) - 1] as number),
  ];
  // Too little colour for a histogram to mean anything (a grey image with a few tinted pixels): the
  // chroma of the whole must reach that of 2 % of the pixels at the least chroma counted.
  if (chroma >= HUE_MIN_CHROMA * n * 0.02) color.hues = Array.from(hist, (v) => Math.round((v / chroma) * 1000) / 1000);
  return color;
}

/** The shape signature of a 32×32 grid as stored (base64 of its int8 values). */
const signatureOf = (g: Float32Array): string => Buffer.from(shapeSignature(g).buffer).toString('base64');

/** Perceptual hashes of a WORK×WORK grayscale matrix (exposed for tests and benchmarks). */
export function hashesOfMatrix(m: Float32Array): ViewHashes {
  // Each centre crop (SCALES order): where it starts and how wide it is, in the WORK×WORK matrix.
  const crops = SCALES.map((s) => ({ off: (WORK - WORK * s) / 2, side: WORK * s }));
  const grids = crops.map(({ off, side }) => areaResample(m, WORK, off, off, side, side, 32, 32));
  const phash = grids.map((g) => phashVariants(g).map(toHex));
  const sig = grids.map(signatureOf);
  const dhash = dhashVariants(m, WORK).map(toHex);
  const g = gradientMagnitude(m, WORK);
  const ehash = phashVariants(areaResample(g, WORK, 0, 0, WORK, WORK, 32, 32)).map(toHex);
  const quality = viewQuality(m);
  // Each centre crop's own information: a crop inside a drawing's outline can be blank though the view is not.
  const scaleQuality = crops.map(({ off, side }, i) =>
    i === 0 ? quality : viewQuality(areaResample(m, WORK, off, off, side, side, WORK, WORK)),
  );
  return { phash, dhash, ehash, sig, quality, scaleQuality };
}

/**
 * A query's trimmed view seen without its backdrop: `grey` is its working frame with the backdrop
 * painted white (local/background.ts: the region joined to the border in the border's own colours),
 * which is how the library stores transparent clip art. It is trimmed to what is left and hashed as
 * the trimmed view is (workMatrix, then hashesOfMatrix), so that art flattened on another
 * colour or texture meets its library hashes; null when nothing is left.
 */
export async function backdropView(grey: Uint8Array, width: number, height: number): Promise<ViewHashes | null> {
  const box = findTrim(grey, width, height, 1, TRIM_THRESHOLD);
  if (!box) return null;
  return hashesOfMatrix(await workMatrix(sharp(grey, { raw: { width, height, channels: 1 } }).extract(box)));
}

/**
 * A picture inside the query (boxed.ts): the box of the grey frame `grey` (width × height), trimmed of
 * its own flat colour and hashed as the trimmed view is; and, when a shape lies across the box's
 * edge (clearIntrusions), the box with that shape painted over, hashed the same way. None when
 * nothing is left, nor when nothing but such shapes was in it.
 */
export async function boxViews(grey: Uint8Array, width: number, height: number, box: PixelBox, tolerance: number): Promise<ViewHashes[]> {
  const px = crop(grey, width, box);
  const hashed = (p: Uint8Array): Promise<ViewHashes | null> => pictureView(p, box.w, box.h);
  const cleared = Uint8Array.from(px);
  // Beyond the box's edge: past its inset and a blurred rim.
  const reach = 2 * box.inset + 3;
  const shapes = clearIntrusions(cleared, box, grey, width, height, tolerance, reach);
  const [plain, clear] = await Promise.all([hashed(px), shapes ? hashed(cleared) : null]);
  // Nothing left once what reaches in from outside is painted over: the box holds no picture of its
  // own (seed 660072: the white gap between a taxi pictogram's wheels, hashed as two wheel stubs).
  if (shapes && !clear) return [];
  return [plain, clear].filter((v): v is ViewHashes => v !== null);
}

/**
 * A picture cut out of a query (a box's pixels, or a turned picture rectified: turned.ts), `px`
 * width × height grey, trimmed of its own uniform border (`cut`, when the caller has found it) and
 * hashed as the trimmed view is; null when less than 8 × 8 pixels are left.
 */
export async function pictureView(
  px: Uint8Array,
  width: number,
  height: number,
  cut = findTrim(px, width, height, 1, TRIM_THRESHOLD),
): Promise<ViewHashes | null> {
  const m = await pictureMatrix(px, width, height, cut);
  return m && hashesOfMatrix(m);
}

/** The working matrix pictureView hashes; null when less than 8 × 8 pixels are left. */
async function pictureMatrix(px: Uint8Array, width: number, height: number, cut: sharp.Region | null): Promise<Float32Array | null> {
  if (!cut || cut.width < 8 || cut.height < 8) return null;
  return workMatrix(sharp(px, { raw: { width, height, channels: 1 } }).extract(cut));
}

/**
 * A turned picture rectified (turned.ts), `px` width × height grey, hashed as pictures inside the
 * query: whole (the canvas that was turned, as the library's whole view keeps it) and, when trimming
 * its own border leaves less than 90 % of it, trimmed (as the library's trimmed view).
 */
export async function turnedPictureViews(px: Uint8Array, width: number, height: number): Promise<ViewHashes[]> {
  const cut = findTrim(px, width, height, 1, TRIM_THRESHOLD);
  const trimmed = cut && cut.width * cut.height < 0.9 * width * height ? pictureView(px, width, height, cut) : null;
  const whole = workMatrix(sharp(px, { raw: { width, height, channels: 1 } })).then(hashesOfMatrix);
  return (await Promise.all([whole, trimmed])).filter((v): v is ViewHashes => v !== null);
}

/** Probes (limits first, nothing decoded when refused) and decodes the image once to RGBA. */
export async function decodeImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<DecodedImage> {
  const info = await probeImage(bytes, limits);
  const bytesSha256 = createHash('sha256').update(bytes).digest('hex');
  return decodeOrThrow(async () => {
    const { data, info: out } = await openImage(bytes, limits).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (out.channels !== 4) throw new Error(`expected RGBA, got ${out.channels} channels`);
    return { info, bytesSha256, width: out.width, height: out.height, rgba: data };
  });
}

/** A sharp pipeline over the decoded pixels (no second decode of the file). */
export function fromDecoded(d: DecodedImage): sharp.Sharp {
  return sharp(d.rgba, { raw: { width: d.width, height: d.height, channels: 4 } });
}

const FLATTENED = new WeakMap<DecodedImage, Promise<Buffer | null>>();
const GREY = new WeakMap<DecodedImage, Promise<Buffer | null>>();

/**
 * A pipeline over the decoded pixels flattened on white and converted to grey, once for every
 * layer: the whole view's matrix, a large image's trimmed matrix and the local layer's first decode
 * (sharp converts to grey before it resizes, so each is what it was — checked bit-identical on
 * real clip art). Null when the conversion failed (callers then convert themselves).
 */
export async function greyOpener(d: DecodedImage): Promise<(() => sharp.Sharp) | null> {
  const px = await greyPixels(d);
  return px && (() => sharp(px, { raw: { width: d.width, height: d.height, channels: 1 } }));
}

/**
 * The pixels greyOpener opens (d.width × d.height, one byte each, shared: read, never written), or
 * null when the conversion failed.
 */
export async function greyPixels(d: DecodedImage): Promise<Buffer | null> {
  let grey = GREY.get(d);
  if (!grey) {
    grey = flattenedOpener(d)
      .then((open) => open().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true }))
      .then(({ data, info }) => (info.channels === 1 && info.width === d.width && info.height === d.height ? data : null))
      .catch(() => null);
    GREY.set(d, grey);
  }
  return grey;
}

/**
 * Pipelines over the decoded pixels flattened on white (RGB), flattened once for every layer: each
 * layer's pipeline flattens first, and flattening pixels without alpha again changes nothing, so
 * every hash and frame is what it was when each pipeline flattened the RGBA pixels itself (checked
 * bit-identical on real clip art), for one pass over the full-resolution pixels instead of four.
 */
export async function flattenedOpener(d: DecodedImage): Promise<() => sharp.Sharp> {
  let flat = FLATTENED.get(d);
  if (!flat) {
    flat = fromDecoded(d)
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => (info.channels === 3 && info.width === d.width && info.height === d.height ? data : null));
    FLATTENED.set(d, flat);
  }
  const px = await flat;
  return px ? () => sharp(px, { raw: { width: d.width, height: d.height, channels: 3 } }) : () => fromDecoded(d);
}

/** Longest side the folded view is computed at (larger images are reduced first, as the trim probe is). */
export const FOLD_SIDE = 512;

/**
 * The folded view of flattened RGB pixels: each channel value v read as min(v, 255 − v), then grey,
 * trimmed and hashed as a picture inside a query is (pictureView; its full scale kept). Solarizing
 * (every value from some threshold up replaced by 255 − v) and inverting leave it unchanged
 * whatever the threshold: fold(255 − v) = fold(v), so a copy whose light tones were turned dark and
 * the original fold to the same picture, where their own grey levels share nothing (white paper
 * turned black erases the outlines drawn on it). Null when nothing is left to hash.
 */
export async function foldView(rgb: Uint8Array, width: number, height: number): Promise<FoldHashes | null> {
  const n = width * height;
  const grey = Buffer.alloc(n);
  const [wr, wg, wb] = FOLD_WEIGHTED;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    grey[i] = Math.round((wr[rgb[o] as number] as number) + (wg[rgb[o + 1] as number] as number) + (wb[rgb[o + 2] as number] as number));
  }
  const m = await pictureMatrix(grey, width, height, findTrim(grey, width, height, 1, TRIM_THRESHOLD));
  return m && foldHashesOfMatrix(m);
}

/**
 * What the folded view keeps of a WORK×WORK matrix: hashesOfMatrix's full scale pHash variants,
 * shape signature and quality, value for value, without the hashes it does not keep (the dHash,
 * edge hash and smaller scales were two thirds of its cost).
 */
function foldHashesOfMatrix(m: Float32Array): FoldHashes {
  const g = areaResample(m, WORK, 0, 0, WORK, WORK, 32, 32);
  return { phash: phashVariants(g).map(toHex), sig: signatureOf(g), quality: viewQuality(m) };
}

/** Each channel's folded value min(v, 255 − v) times its weight in grey (0.299, 0.587, 0.114), for v = 0..255. */
const FOLD_WEIGHTED = [0.299, 0.587, 0.114].map((k) => Float64Array.from({ length: 256 }, (_, v) => k * (v < 128 ? v : 255 - v))) as [
  Float64Array,
  Float64Array,
  Float64Array,
];

/**
 * The folded view (foldView) of a decoded image, reduced to FOLD_SIDE first when larger. `flatRgb`,
 * when given, is the image's pixels flattened (flattenedOpener's): at their own size they are what
 * the pipeline would return, so they are folded as they are.
 */
async function foldOf(open: () => sharp.Sharp, w: number, h: number, flatRgb: Uint8Array | null = null): Promise<FoldHashes | null> {
  const s = Math.min(1, FOLD_SIDE / Math.max(w, h));
  if (s === 1 && flatRgb && flatRgb.length === w * h * 3) return foldView(flatRgb, w, h);
  const p = s < 1 ? open().resize(Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s)), { fit: 'fill' }) : open();
  const { data, info } = await p.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return info.channels === 3 ? foldView(data, info.width, info.height) : null;
}

/** Hashing options; only benchmarks change them (to reproduce an earlier engine's cost). */
export interface HashOptions {
  /** See TRIM_PROBE; Infinity finds every trimmed box at full resolution, as engine version 1 did. */
  trimProbe?: number;
  /** Boxes found by sharp's trim (libvips) instead of findTrim (the same boxes), as engine version 1 did. */
  libvipsTrim?: boolean;
}

export async function fingerprintDecoded(d: DecodedImage, opts: HashOptions = {}): Promise<ImageFingerprint> {
  return decodeOrThrow(async () => {
    const pixelsSha256 = createHash('sha256').update(`${d.width}x${d.height}x4\n`).update(d.rgba).digest('hex');
    const [open, grey] = await Promise.all([flattenedOpener(d), greyOpener(d)]);
    const [matrices, color, fold] = await Promise.all([
      workMatrices(open, d.width, d.height, opts.trimProbe ?? TRIM_PROBE, () => fromDecoded(d), grey, d.rgba, opts.libvipsTrim === true),
      meanColor(open()),
      foldOf(() => open().flatten({ background: '#ffffff' }), d.width, d.height, await FLATTENED.get(d)),
    ]);
    // Nothing trimmed (the trimmed matrix is the whole frame's, value for value): hashed once.
    const [cut, full] = matrices as [Float32Array, Float32Array];
    const same = cut === full || (cut.length === full.length && cut.every((v, i) => v === full[i]));
    const views = same ? [hashesOfMatrix(cut)].flatMap((v) => [v, structuredClone(v)]) : matrices.map(hashesOfMatrix);
    return {
      format: d.info.format,
      width: d.info.width,
      height: d.info.height,
      bytesSha256: d.bytesSha256,
      pixelsSha256,
      views,
      color,
      fold,
    };
  });
}

export async function fingerprintImage(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  opts: HashOptions = {},
): Promise<ImageFingerprint> {
  return fingerprintDecoded(await decodeImage(bytes, limits), opts);
}

export type { Hash64 };
