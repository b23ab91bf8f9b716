/**
 * Decodes an image to the normalised grayscale working frame of the local-feature layer:
 * EXIF orientation applied, transparency flattened on white (clip art is stored that way in the
 * library), salt-and-pepper dots removed (despeckle.ts), uniform borders trimmed (so padding and a
 * plain background of another colour vanish), and the longest side scaled to the working size
 * (an elongated image's shorter side kept from getting too thin, frameScale).
 */
import sharp from 'sharp';
import { UNIQUENESS_POLICY } from '../../../shared/policy/uniqueness.ts';
import { decodeOrThrow, openImage, probeImage } from '../decode.ts';
import { whitenBackgrounds } from './background.ts';
import { type BoxSettings, type PixelBox, crop, pastedBoxes, reduceFrame } from '../boxed.ts';
import { type TurnedPicture, turnedPicture } from '../turned.ts';
import { despeckle, despeckleColour } from './despeckle.ts';

export interface GrayFrame {
  gray: Uint8Array;
  width: number;
  height: number;
  /** The frame's rectangle in the original image, as fractions. */
  frame: { x: number; y: number; w: number; h: number };
  /** Grey level of the uniform border the frame was trimmed from; absent when the border is not uniform. */
  background?: number | undefined;
  /**
   * Queries only: the same frame with its coloured or textured backdrop painted white
   * (background.ts); absent when it has none.
   */
  flat?: Uint8Array | undefined;
  /**
   * Queries only, on the working frame: its zoom windows (policy local.zoom), each a frame of its own —
   * the art cut out of its backdrop first (local.zoom.cutout), then the grid's, then the pictures'.
   */
  windows?: GrayFrame[] | undefined;
  /** Set on a zoom window cut around a picture found inside the query (`pictures`; policy visual.boxes). */
  picture?: true | undefined;
  /**
   * Queries only, on the working frame: the pictures found inside the image (boxed.ts, policy
   * visual.boxes), in pixels of `grey` — the decoded grey image (width × height) they were found
   * in, whole, which clearIntrusions looks beyond a box's edge in. Read, never written.
   */
  pictures?: { grey: Uint8Array; width: number; height: number; boxes: PixelBox[]; turned?: TurnedPicture | undefined } | undefined;
}

export interface FrameOptions {
  /** Also make the working frame's backdrop-whitened twin (`flat`; queries). Default false. */
  flat?: boolean;
  /** Also cut the working frame's zoom windows (`windows`; queries), by these settings (policy local.zoom). Default none. */
  zoom?: ZoomSettings | undefined;
  /**
   * Each zoom window handed over as soon as it is cut, in order, instead of in `windows`: the
   * caller starts describing it while the other frames are still being cut.
   */
  onWindow?: ((window: GrayFrame) => void) | undefined;
  /**
   * The same pixels already flattened and converted to grey, at most DECODE_MAX on their longest
   * side (image/fingerprint.ts greyPixels), one byte per pixel of the image `open` gives: the first
   * decode is these pixels themselves instead of a conversion again (the same grey levels). Read,
   * never written.
   */
  grey?: { px: Uint8Array; width: number; height: number } | undefined;
  /**
   * Also find the pictures inside the image (`pictures` on the working frame; queries), by these
   * settings (policy visual.boxes); with `zoom`, each picture's content is also cut as one more zoom
   * window. Default none.
   */
  boxes?: BoxSettings | undefined;
}

/**
 * Sizes of the frames the local-feature layer describes: the working frame, and for a query also
 * its fine octave (policy local.fine); a library image has no fine octave.
 */
export function localFrameSizes(query: boolean): number[] {
  const L = UNIQUENESS_POLICY.local;
  return query ? [L.workSize, L.workSize * L.fine.upsample] : [L.workSize];
}

/**
 * The scale of a w × h box cut as a frame of `workSize`: its longest side to workSize, except for
 * an elongated box, whose shorter side is brought up to local.elongated.minShort × workSize without
 * the longer passing maxLong × workSize (see the policy).
 */
export function frameScale(w: number, h: number, workSize: number): number {
  const E = UNIQUENESS_POLICY.local.elongated;
  const long = Math.max(w, h);
  const short = Math.min(w, h);
  return Math.min(Math.max(workSize / long, (workSize * E.minShort) / short), (workSize * E.maxLong) / long);
}

/** Longest side of the first decode, before trimming. */
export const DECODE_MAX = 1024;

/** The grey level of the four corners when they agree within `tol` (a uniform border), else undefined. */
export function borderLevel(g: Uint8Array, w: number, h: number, tol: number): number | undefined {
  const corners = [g[0], g[w - 1], g[(h - 1) * w], g[h * w - 1]] as number[];
  const bg = corners.reduce((a, b) => a + b, 0) / 4;
  return corners.some((c) => Math.abs(c - bg) > tol) ? undefined : bg;
}

/** Bounding box of the pixels that differ from a uniform border colour by more than `tol`, or null. */
export function contentBox(g: Uint8Array, w: number, h: number, tol: number): { x: number; y: number; w: number; h: number } | null {
  const bg = borderLevel(g, w, h, tol);
  if (bg === undefined) return { x: 0, y: 0, w, h };
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  const off = (i: number) => Math.abs((g[i] as number) - bg) > tol;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    // Only the row's first and last content pixels can move the box: each row is scanned from both
    // ends, and no further inward than the box already reaches.
    let a = 0;
    while (a < w && !off(row + a)) a++;
    if (a === w) continue;
    if (a < x0) x0 = a;
    if (y < y0) y0 = y;
    y1 = y;
    for (let b = w - 1; b > x1; b--)
      if (off(row + b)) {
        x1 = b;
        break;
      }
    if (a > x1) x1 = a;
  }
  if (x1 < 0) return null;
  // A small margin keeps the outline's keypoints away from the frame border.
  const m = Math.round(0.03 * Math.max(x1 - x0, y1 - y0));
  x0 = Math.max(0, x0 - m);
  y0 = Math.max(0, y0 - m);
  x1 = Math.min(w - 1, x1 + m);
  y1 = Math.min(h - 1, y1 + m);
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Decodes `bytes` (any supported format) into the working frame. Throws EngineError on bad input. */
export async function grayFrame(bytes: Uint8Array, workSize: number, trimTolerance: number): Promise<GrayFrame> {
  return (await grayFrames(bytes, [workSize], trimTolerance))[0] as GrayFrame;
}

/** Working frames of `bytes` at several sizes, from one decode (see grayFramesOf). */
export async function grayFrames(
  bytes: Uint8Array,
  workSizes: readonly number[],
  trimTolerance: number,
  opts: FrameOptions = {},
): Promise<GrayFrame[]> {
  await probeImage(bytes);
  return grayFramesOf(() => openImage(bytes), workSizes, trimTolerance, opts);
}

/**
 * The working frame of an image already open as a sharp pipeline (EXIF orientation applied): from
 * the file's bytes, or from pixels decoded once for every layer (image/fingerprint.ts fromDecoded).
 */
export async function grayFrameOf(open: () => sharp.Sharp, workSize: number, trimTolerance: number): Promise<GrayFrame> {
  return (await grayFramesOf(open, [workSize], trimTolerance))[0] as GrayFrame;
}

/**
 * Working frames of one image at several sizes (a query's working frame and its fine octave) from
 * a single pass over the decoded pixels: each is exactly what grayFrameOf gives at that size. With
 * `opts.flat` the first (working) frame also gets its backdrop-whitened twin, cut and scaled alike.
 */
export async function grayFramesOf(
  open: () => sharp.Sharp,
  workSizes: readonly number[],
  trimTolerance: number,
  opts: FrameOptions = {},
): Promise<GrayFrame[]> {
  type Raw = { data: Uint8Array; info: { width: number; height: number; channels: number } };
  const decode = (colour: boolean) =>
    decodeOrThrow<Raw>(() => {
      if (!colour && opts.grey)
        return Promise.resolve({ data: opts.grey.px, info: { width: opts.grey.width, height: opts.grey.height, channels: 1 } });
      const base = open()
        .flatten({ background: '#ffffff' })
        .resize({ width: DECODE_MAX, height: DECODE_MAX, fit: 'inside', withoutEnlargement: true });
      return (colour ? base.removeAlpha() : base.toColourspace('b-w')).raw().toBuffer({ resolveWithObject: true });
    });
  const [{ data, info }, colour] = await Promise.all([decode(false), opts.flat ? decode(true) : null]);
  const w = info.width;
  const h = info.height;
  const decoded = info.channels === 1 ? new Uint8Array(data.buffer, data.byteOffset, w * h) : takeChannel(data, info.channels, w * h);
  // Salt-and-pepper dots removed first (despeckle.ts): a clean image comes back as it was.
  const g = despeckle(decoded, w, h, UNIQUENESS_POLICY.local.despeckle) ?? decoded;
  const box = contentBox(g, w, h, trimTolerance) ?? { x: 0, y: 0, w, h };
  const background = borderLevel(g, w, h, trimTolerance);
  // The colours as despeckled as the grey (their impulses in the same places), for the whitening's palette.
  const colourOf = (rgb: Uint8Array, channels: number): Uint8Array =>
    g === decoded ? rgb : despeckleColour(rgb, channels, decoded, g, w, h);
  // The backdrop whitened (background.ts), and on a dark or coloured border the picture inside it peeled too.
  const peeled =
    colour && colour.info.width === w && colour.info.height === h
      ? whitenBackgrounds(
          colourOf(new Uint8Array(colour.data.buffer, colour.data.byteOffset, colour.data.length), colour.info.channels),
          colour.info.channels,
          g,
          w,
          h,
          UNIQUENESS_POLICY.local.background,
        )
      : null;
  const whitened = peeled?.flat ?? null;
  const cut = async (src: Uint8Array, workSize: number, b = box) => {
    const scale = frameScale(b.w, b.h, workSize);
    const ow = Math.max(1, Math.round(b.w * scale));
    const oh = Math.max(1, Math.round(b.h * scale));
    const out = await sharp(src, { raw: { width: w, height: h, channels: 1 } })
      .extract({ left: b.x, top: b.y, width: b.w, height: b.h })
      .resize({ width: ow, height: oh, fit: 'fill', kernel: scale < 1 ? 'lanczos3' : 'cubic' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const px =
      out.info.channels === 1
        ? new Uint8Array(out.data.buffer, out.data.byteOffset, ow * oh)
        : takeChannel(out.data, out.info.channels, ow * oh);
    return { px, ow, oh };
  };
  type Cut = Awaited<ReturnType<typeof cut>>;
  /** The frame of rectangle `b`: its cut pixels, its whitened twin (when both came out the same size), its border level. */
  const frameOf = (b: Box, c: Cut, flat: Cut | null, bg: number | undefined): GrayFrame => ({
    gray: c.px,
    width: c.ow,
    height: c.oh,
    frame: { x: b.x / w, y: b.y / h, w: b.w / w, h: b.h / h },
    ...(bg === undefined ? {} : { background: Math.round(bg) }),
    ...(flat && flat.ow === c.ow && flat.oh === c.oh ? { flat: flat.px } : {}),
  });
  // The frame reduced once for both searches below.
  const reduced = opts.boxes ? reduceFrame(g, w, h, opts.boxes.side) : undefined;
  const pictures = opts.boxes ? pastedBoxes(g, w, h, opts.boxes, reduced) : [];
  // A picture turned, sheared or warped on a fill (turned.ts, policy visual.boxes.turned).
  const turned = opts.boxes?.turned ? turnedPicture(g, w, h, opts.boxes.turned, reduced) : null;
  // A picture's content (trimmed of its own colour) as one more window, when large enough to be one.
  const minPx = opts.zoom?.minPx;
  const pictureWindows =
    minPx === undefined
      ? []
      : pictures.flatMap((b) => {
          const inner = contentBox(crop(g, w, b), b.w, b.h, trimTolerance);
          const r = inner && { x: b.x + inner.x, y: b.y + inner.y, w: inner.w, h: inner.h, picture: true };
          return r && Math.max(r.w, r.h) >= minPx ? [r] : [];
        });
  // The art without its backdrop (background.ts), trimmed as the library trims a drawing on white:
  // one more window when it is a part of the frame (policy local.zoom.cutout) — the art cut out of
  // the outer backdrop, and out of a picture turned, sheared or warped on a dark or grey fill.
  const share = opts.zoom?.cutout ?? 0;
  const cutoutOf = (px: Uint8Array | null | undefined): { box: Box; px: Uint8Array }[] => {
    if (!px || minPx === undefined || share <= 0) return [];
    const b = contentBox(px, w, h, trimTolerance);
    return b && Math.max(b.w, b.h) >= minPx && b.w * b.h <= share * box.w * box.h ? [{ box: b, px }] : [];
  };
  const cutouts = [...cutoutOf(whitened), ...cutoutOf(peeled?.picture)];
  const windows = async (workSize: number, zoom: ZoomSettings): Promise<GrayFrame[]> => {
    const out: GrayFrame[] = [];
    // Each window is handed over as soon as it is cut (opts.onWindow), or returned with the rest.
    const emit = (made: GrayFrame): void => (opts.onWindow ? opts.onWindow(made) : void out.push(made));
    // Its own pixels are the whitened ones, on the white it was trimmed from.
    for (const c of cutouts) emit(frameOf(c.box, await cut(c.px, workSize, c.box), null, 255));
    for (const b of [...zoomWindows(g, w, box, trimTolerance, zoom), ...pictureWindows]) {
      const [c, flat] = await Promise.all([cut(g, workSize, b), whitened ? cut(whitened, workSize, b) : null]);
      emit({
        ...frameOf(b, c, flat, borderLevel(crop(g, w, b), b.w, b.h, trimTolerance)),
        ...('picture' in b ? { picture: true as const } : {}),
      });
    }
    return out;
  };
  return Promise.all(
    workSizes.map(async (workSize, k) => {
      const [c, flat, zoomed] = await Promise.all([
        cut(g, workSize),
        k === 0 && whitened ? cut(whitened, workSize) : null,
        k === 0 && opts.zoom ? windows(workSize, opts.zoom) : null,
      ]);
      return {
        ...frameOf(box, c, flat, background),
        ...(zoomed?.length ? { windows: zoomed } : {}),
        ...(k === 0 && (pictures.length || turned)
          ? { pictures: { grey: g, width: w, height: h, boxes: pictures, ...(turned ? { turned } : {}) } }
          : {}),
      };
    }),
  );
}

type Box = { x: number; y: number; w: number; h: number };
/** Where zoom windows are cut (policy local.zoom). */
export type ZoomSettings = {
  side: number;
  steps: number;
  minPx: number;
  /** Also describe each window mirrored. */
  mirror?: boolean;
  /** A window's longer side at most this × its shorter (more windows along an elongated frame); none when absent. */
  maxAspect?: number;
  /** At most this many windows before trimming (elongated frames get longer windows instead). */
  maxWindows?: number;
  /**
   * The backdrop-whitened frame (`flat`) trimmed to its content is one more window when that covers
   * at most this share of the content box's area; 0 or absent, never.
   */
  cutout?: number;
};

/**
 * Window length and count along each axis. Normally side × the box and `steps` per axis; on an
 * elongated box a window's longer side is cut to maxAspect × its shorter, and more windows are
 * spread along that axis with the same stride-to-length ratio (as many as maxWindows allows; when
 * that caps them, each grows to cover the axis with that stride).
 */
function windowGrid(box: Box, zoom: ZoomSettings): { ww: number; wh: number; nx: number; ny: number } {
  let ww = box.w * zoom.side;
  let wh = box.h * zoom.side;
  let nx = zoom.steps;
  let ny = zoom.steps;
  if (zoom.maxAspect && zoom.steps > 1) {
    const ratio = (1 - zoom.side) / (zoom.side * (zoom.steps - 1)); // stride ÷ window length
    const cap = Math.max(zoom.steps, Math.floor((zoom.maxWindows ?? Number.POSITIVE_INFINITY) / zoom.steps));
    const spread = (len: number, short: number): { len: number; n: number } => {
      if (len <= short * (zoom.maxAspect as number)) return { len: len, n: zoom.steps };
      const cut = short * (zoom.maxAspect as number);
      const full = len / zoom.side;
      const n = Math.min(cap, Math.max(zoom.steps, Math.ceil((full - cut) / (ratio * cut) - 1e-9) + 1));
      return { len: Math.min(len, Math.max(cut, full / (1 + (n - 1) * ratio))), n };
    };
    if (ww > wh) ({ len: ww, n: nx } = spread(ww, wh));
    else ({ len: wh, n: ny } = spread(wh, ww));
  }
  return { ww: Math.round(ww), wh: Math.round(wh), nx, ny };
}

/**
 * The zoom windows of a working frame (policy local.zoom): steps × steps overlapping rectangles of
 * `side` of the content box's width and height, spread evenly from edge to edge — on an elongated
 * box, windows no longer than maxAspect × their height (or width) and more of them along it
 * (windowGrid) — each trimmed of a uniform border of its own (contentBox). Blank windows, windows
 * under minPx on their longest side and repeats (two windows trimmed to the same drawing) are left
 * out. Pixel rectangles of `g`.
 */
export function zoomWindows(g: Uint8Array, w: number, box: Box, trimTolerance: number, zoom: ZoomSettings): Box[] {
  if (zoom.steps < 1 || zoom.side >= 1) return [];
  const { ww, wh, nx, ny } = windowGrid(box, zoom);
  if (Math.max(ww, wh) < zoom.minPx || Math.min(ww, wh) < 1) return [];
  const at = (k: number, n: number): number => (n === 1 ? 0.5 : k / (n - 1));
  const seen = new Set<string>();
  const out: Box[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const win = { x: box.x + Math.round((box.w - ww) * at(i, nx)), y: box.y + Math.round((box.h - wh) * at(j, ny)), w: ww, h: wh };
      const inner = contentBox(crop(g, w, win), ww, wh, trimTolerance);
      if (!inner) continue;
      const b = { x: win.x + inner.x, y: win.y + inner.y, w: inner.w, h: inner.h };
      const key = `${b.x},${b.y},${b.w},${b.h}`;
      if (Math.max(b.w, b.h) < zoom.minPx || seen.has(key)) continue;
      seen.add(key);
      out.push(b);
    }
  }
  return out;
}

function takeChannel(data: Uint8Array, channels: number, n: number): Uint8Array {
  const g = new Uint8Array(n);
  for (let i = 0; i < n; i++) g[i] = data[i * channels] as number;
  return g;
}

/** The frame mirrored left-right. */
export function mirrorGray(g: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) out[row + x] = g[row + w - 1 - x] as number;
  }
  return out;
}
