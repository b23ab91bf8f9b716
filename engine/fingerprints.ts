/**
 * Every fingerprint of one asset, computed without touching the store: the exact digests, the
 * lexical MinHash of its text, the module/template code MinHash, the image's perceptual hashes,
 * and (filled in by the semantic layer) its embeddings.
 */
import type { AssetCard } from '../shared/asset.ts';
import type { LayerRun } from '../shared/check.ts';
import type { MediaInfo } from '../shared/media.ts';
import type { StoredFingerprint } from './media/serialize.ts';
import {
  type BoxViewHashes,
  type DecodedImage,
  type ImageFingerprint,
  type ViewHashes,
  backdropView,
  boxViews,
  turnedPictureViews,
  decodeImage,
  fingerprintDecoded,
  flattenedOpener,
  greyPixels,
} from './image/fingerprint.ts';
import type { BoxSettings } from './image/boxed.ts';
import { bbox, clipToRect } from './image/local/geometry.ts';
import { type TurnSettings, type TurnedPicture, cropRim, rectify } from './image/turned.ts';
import type { ImageMemo, ImageParts } from './image-memo.ts';
import { DECODE_MAX, type GrayFrame, type ZoomSettings, grayFramesOf, localFrameSizes } from './image/local/frame.ts';
import { copyFrame, extractFrameFeatures, extractTiltedView } from './image/local/pool.ts';
import type { InvertSettings } from './image/local/invert.ts';
import { reliefFrame } from './image/local/relief.ts';
import type { SharpenSettings } from './image/local/sharpen.ts';
import { type TiltSettings, tiltAngles } from './image/local/tilt.ts';
import type { LocalFeatureSet } from './image/local/types.ts';
import { UNIQUENESS_POLICY } from '../shared/policy/uniqueness.ts';
import type { VectorSpace } from './semantic/types.ts';
import { hashTokens, moduleTokens, structureTokens } from './text/code.ts';
import { metadataHash, metadataText } from './text/metadata.ts';
import { charShingles, containment, minhash, minhashJaccard, normalizeText } from './text/shingles.ts';
import { type PassageFingerprint, passageFingerprint } from './text/winnow.ts';

const LOCAL = UNIQUENESS_POLICY.local;

export interface LexicalSig {
  sig: Uint32Array;
  size: number;
}

/** An asset's audio/video file: its fingerprint, what the probe learnt, and its SHA-256. */
export interface MediaData {
  fp: StoredFingerprint;
  info: MediaInfo;
  sha256: string;
}

export interface AssetFingerprints {
  metadataHash: string;
  text: LexicalSig;
  code: LexicalSig | null;
  /** Winnowed word k-grams and word counts of the card's text fields (passage layer). */
  passages: PassageFingerprint;
  image: ImageFingerprint | null;
  /**
   * Keypoints, descriptors and visual words of the image (local-feature layer); the query's set
   * also describes the mirrored image. Null without an image.
   */
  local: LocalFeatureSet | null;
  /** Why the image has no local features although it has global hashes (the layer then says so). */
  localError?: string;
  vectors: Partial<Record<VectorSpace, Float32Array>>;
  /** The asset's audio or video file (media layer); absent or null without one. */
  media?: MediaData | null;
  /** Which semantic spaces ran, and why the others did not. */
  semantic: Partial<Record<VectorSpace, LayerRun>>;
}

/**
 * Lexical score: Jaccard, or containment when the smaller text is long enough to trust it and the
 * larger at most `maxSizeRatio` times its size. The containment is estimated from the signatures'
 * Jaccard, one agreeing slot of 128 adding (|A| + |B|) / (128 · min) to it: far apart in size, a few
 * chance agreements between a short card and a long text read as a copy (policy
 * text.maxContainmentRatio); a short card kept whole inside a long text is the passage layer's.
 */
export function lexicalScore(a: LexicalSig, b: LexicalSig, minForContainment: number, maxSizeRatio = Infinity): number {
  const j = minhashJaccard(a.sig, b.sig);
  const small = Math.min(a.size, b.size);
  if (small < minForContainment || Math.max(a.size, b.size) > maxSizeRatio * small) return j;
  return Math.max(j, containment(j, a.size, b.size));
}

/** The code-layer tokens of a card: module CSS/HTML or room-template structure; null for other types. */
export function codeTokens(card: AssetCard): string[] | null {
  if (card.custom_module) return moduleTokens(card.custom_module.code);
  if (card.room_template) return structureTokens(card.room_template);
  return null;
}

/**
 * The local-feature layer's working frame, cut from the decoded pixels here and described by a
 * worker; for a query with a backdrop, also the global hashes of its backdrop-whitened frame
 * (backdropView), hashed here while the workers describe it.
 */
async function localFeatures(
  d: DecodedImage,
  mirror: boolean,
  zoom: ZoomSettings | undefined,
  boxes: BoxSettings | undefined,
  sharpen: SharpenSettings | undefined,
  invert: InvertSettings | undefined,
  tilt: QueryTilt | undefined,
): Promise<{ set: LocalFeatureSet; backdrop: ViewHashes | null; boxes: BoxViewHashes[] }> {
  // Queries (described with their mirror) also get the fine octave, from the same pass over the pixels,
  // and its zoom windows, each described as a query of its own (mirrored too when local.zoom.mirror,
  // or, for a window cut around a picture inside it, visual.boxes.mirror).
  const [open, grey] = await Promise.all([flattenedOpener(d), greyPixels(d)]);
  // Each zoom window goes to the workers as soon as it is cut, while the frame and its fine octave
  // are still being cut (the same sets, in the same order, sooner).
  const windows: Promise<LocalFeatureSet>[] = [];
  const [frame, fine] = await grayFramesOf(open, localFrameSizes(mirror), LOCAL.trimTolerance, {
    // Grey pixels already converted are the first decode itself when no resize precedes the conversion.
    grey: grey && Math.max(d.width, d.height) <= DECODE_MAX ? { px: grey, width: d.width, height: d.height } : undefined,
    flat: mirror,
    zoom: mirror ? zoom : undefined,
    boxes: mirror ? boxes : undefined,
    onWindow: (wf) => {
      // A picture found inside the query is mirrored too when policy visual.boxes.mirror says so.
      const mirrored = zoom?.mirror === true || (wf.picture === true && boxes?.mirror === true);
      const job = describeWindow(wf, mirrored).then((set) => (wf.picture ? { ...set, picture: true as const } : set));
      job.catch(() => undefined); // awaited below; never left unhandled if cutting the frames fails first
      windows.push(job);
    },
  }).catch(async (err: unknown) => {
    await Promise.allSettled(windows); // no window job outlives the failed fingerprint
    throw err;
  });
  // The pictures stay here (their grey image is the whole decode): the worker gets the frame alone.
  const { pictures, ...whole } = frame as GrayFrame;
  // Copied before the worker takes the whitened frame's pixels. An extra probe only: if it cannot be
  // hashed the query is checked without it (and its rejection is never left unhandled).
  const backdrop = whole.flat ? backdropView(Uint8Array.from(whole.flat), whole.width, whole.height).catch(() => null) : null;
  // The pictures found inside the query (policy visual.boxes), hashed while the workers describe it.
  const found = pictures && boxes ? boxViewsOf(pictures, boxes) : null;
  // The frame's tilted views (policy local.tilt), warped and described by the workers after the
  // frame itself, each from its own copy of the pixels, made before the workers take the frame's.
  const angles = mirror && tilt ? tiltAngles(tilt) : [];
  const sources = angles.map((angle) => ({ angle, frame: copyFrame(whole, true), fine: fine && copyFrame(fine, false) }));
  // An embossed query's frame with its relief undone (relief.ts; policy local.relief), made from the
  // frame's pixels before the workers take them, described as a window over the whole frame.
  const undone = mirror ? reliefFrame(whole.gray, whole.width, whole.height, whole.background, LOCAL.relief) : null;
  const described = extractFrameFeatures(whole, {
    mirror,
    ...(fine ? { fine } : {}),
    sharpen: mirror ? sharpen : undefined,
    invert: mirror ? invert : undefined,
  });
  const tilted = sources.map((s) => extractTiltedView(s.frame, s.fine, s.angle, LOCAL.trimTolerance, tilt?.mirror === true));
  const relief = undone
    ? describeWindow({ gray: undone, width: whole.width, height: whole.height, frame: whole.frame, background: 255 }, false)
    : null;
  const [set, ...views] = await Promise.all([described, ...windows, ...tilted, ...(relief ? [relief] : [])]);
  const zoomed = views.slice(0, windows.length);
  const tilts = views.slice(windows.length, windows.length + tilted.length);
  const undoneSet = relief ? views[views.length - 1] : undefined;
  const withViews: LocalFeatureSet = {
    ...set,
    ...(zoomed.length ? { windows: zoomed } : {}),
    ...(tilts.length ? { tilts } : {}),
    ...(undoneSet ? { relief: undoneSet } : {}),
  };
  return { set: withViews, backdrop: await backdrop, boxes: (await found) ?? [] };
}

/** Policy local.tilt as a query's fingerprint uses it. */
export type QueryTilt = TiltSettings & { mirror: boolean };

/** The hashes of each picture found inside a query (boxed.ts); an extra probe only, so none on failure. */
async function boxViewsOf(pictures: NonNullable<GrayFrame['pictures']>, boxes: BoxSettings): Promise<BoxViewHashes[]> {
  const { grey, width, height } = pictures;
  const views = await Promise.all(
    pictures.boxes.map(async (b) => {
      // The box in fractions of the image (the decoded grey image is all of it).
      const at = { x: b.x / width, y: b.y / height, w: b.w / width, h: b.h / height };
      return (await boxViews(grey, width, height, b, boxes.tolerance).catch(() => [])).map((v) => ({ ...v, at }));
    }),
  );
  const turned =
    pictures.turned && boxes.turned ? await turnedViews(pictures.turned, grey, width, height, boxes.turned).catch(() => []) : [];
  return [...views.flat(), ...turned];
}

/** A turned picture (image/turned.ts) rectified, its blurred rim cut, hashed as pictures inside the query (turnedPictureViews). */
async function turnedViews(t: TurnedPicture, grey: Uint8Array, width: number, height: number, s: TurnSettings): Promise<BoxViewHashes[]> {
  const upright = rectify(grey, width, height, t.corners, s.inset, s.maxSide, t.shown < 1);
  const clean = cropRim(upright.px, upright.width, upright.height, t.fill, s.rimShare, s.rimStep);
  const views = await turnedPictureViews(clean.px, clean.width, clean.height);
  // The quadrilateral on the query; clipped to it when the frame cut it (a picture turned within its canvas).
  const unit = t.corners.map(([x, y]) => [x / width, y / height] as [number, number]);
  const outline =
    t.shown < 1
      ? clipToRect(unit, 1, 1)
      : unit.map(([x, y]) => [Math.min(1, Math.max(0, x)), Math.min(1, Math.max(0, y))] as [number, number]);
  const at = bbox(outline);
  const how = { outline, turnDeg: t.turnDeg, stretch: t.stretch, ...(t.shown < 1 ? { shown: t.shown } : {}) };
  return views.map((v) => ({ ...v, at, turned: how }));
}

/**
 * A zoom window described as a query: it keeps its grey frame, which appearance.ts warps onto
 * library sketches.
 */
async function describeWindow(wf: GrayFrame, mirror: boolean): Promise<LocalFeatureSet> {
  // Never stored, so described without the grey sketch a library entry keeps.
  const opts = { sketch: false };
  if (mirror) return extractFrameFeatures(wf, { mirror, ...opts });
  const frameGray = Uint8Array.from(wf.gray); // the worker gets wf's pixels moved to it
  const flatGray = wf.flat && Uint8Array.from(wf.flat);
  return { ...(await extractFrameFeatures(wf, { mirror: false, ...opts })), frameGray, ...(flatGray ? { flatGray } : {}) };
}

/**
 * The image's global hashes (this thread, libvips) and local features (the feature workers),
 * together, from one decode of the file: the workers get the working frame's pixels, not the file.
 */
async function imageFingerprints(
  image: Uint8Array | undefined,
  mirror: boolean,
  zoom: ZoomSettings | undefined,
  boxes: BoxSettings | undefined,
  sharpen: SharpenSettings | undefined,
  invert: InvertSettings | undefined,
  tilt: QueryTilt | undefined,
): Promise<ImageParts> {
  if (!image) return { image: null, local: null };
  // Probing and decoding decide whether the file is an acceptable image (their error is thrown).
  const decoded = await decodeImage(image);
  const [fp, local] = await Promise.all([
    fingerprintDecoded(decoded),
    localFeatures(decoded, mirror, zoom, boxes, sharpen, invert, tilt).catch((err: unknown) => err as Error),
  ]);
  // The global hashes decide whether the file is an acceptable image (their error is thrown above);
  // a failure of the feature extractor alone leaves the other layers working and is reported.
  if (local instanceof Error) return { image: fp, local: null, localError: local.message };
  return {
    image: { ...fp, ...(local.backdrop ? { backdrop: local.backdrop } : {}), ...(local.boxes.length ? { boxes: local.boxes } : {}) },
    local: local.set,
  };
}

/** The model-free fingerprints of a card and its image. */
export async function modelFreeFingerprints(
  card: AssetCard,
  image: Uint8Array | undefined,
  /**
   * mirror: described as a query (with its mirror, fine octave and whitened twin); zoom: a query's
   * zoom windows (policy local.zoom); boxes: a query's pictures inside it (policy visual.boxes,
   * when on); sharpen: a blurred query's unsharp-masked description (policy local.sharpen); invert:
   * a query's inverted description (policy local.invert: always, or on a dark backdrop); tilt: a
   * query's affine-simulated views (policy local.tilt) — none when absent.
   */
  opts: {
    mirror?: boolean;
    zoom?: ZoomSettings | undefined;
    boxes?: BoxSettings | undefined;
    sharpen?: SharpenSettings | undefined;
    invert?: InvertSettings | undefined;
    tilt?: QueryTilt | undefined;
    /** Where the image's parts are kept between calls (engine/image-memo.ts), under `key`. */
    memo?: { memo: ImageMemo; key: string } | undefined;
  } = {},
): Promise<AssetFingerprints> {
  const parts = () => imageFingerprints(image, opts.mirror ?? true, opts.zoom, opts.boxes, opts.sharpen, opts.invert, opts.tilt);
  const shingles = charShingles(normalizeText(metadataText(card)));
  const tokens = codeTokens(card);
  const codeSet = tokens ? hashTokens(tokens) : null;
  return {
    metadataHash: metadataHash(card),
    text: { sig: minhash(shingles), size: shingles.size },
    code: codeSet ? { sig: minhash(codeSet), size: codeSet.size } : null,
    passages: passageFingerprint(card),
    ...(await (opts.memo ? opts.memo.memo.parts(opts.memo.key, parts) : parts())),
    vectors: {},
    semantic: {},
  };
}
