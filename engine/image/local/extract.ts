/**
 * In-thread extraction of a LocalFeatureSet: decode to the working frame, ORB on the frame (and on
 * its mirror for queries), visual words from the shipped vocabulary, and the information measure.
 * A query also gets a fine octave (policy local.fine): the image decoded at twice the working size,
 * described over a few pyramid levels, keypoints mapped back onto the working frame and appended
 * to each view (LocalView.base marks where they start), so that small pasted copies meet the
 * library's pyramid.
 * Used by the worker pool (pool.ts); call extractLocalFeatures / extractFrameFeatures from there
 * instead of this on the caller's thread.
 */
import { UNIQUENESS_POLICY } from '../../../shared/policy/uniqueness.ts';
import { makeSketch } from './appearance.ts';
import { type InvertSettings, invertGray, onDarkBackdrop } from './invert.ts';
import { type SharpenSettings, blurOf, unsharp } from './sharpen.ts';
import { type Cv, loadCv } from './cv.ts';
import { type GrayFrame, grayFrames, localFrameSizes, mirrorGray } from './frame.ts';
import { asWords } from './hamming.ts';
import { interiorInfo, measureInfo } from './info.ts';
import { type OrbParams, describeOrb } from './orb.ts';
import { prepareFrame } from './prepare.ts';
import type { LocalFeatureSet, LocalView } from './types.ts';
import { type Vocabulary } from './vocab.ts';
import { VOCAB_ID, loadVocabulary } from './vocab-file.ts';

const P = UNIQUENESS_POLICY.local;
/** ORB on the working frame (a query's fine octave has its own levels and budget). */
const BASE_ORB: OrbParams = { features: P.features, scaleFactor: P.scaleFactor, levels: P.levels };

export interface ExtractOptions {
  /** Also describe the mirrored frame (for a query; library entries do not need it). Default true. */
  mirror?: boolean;
  /**
   * A query's whole frame: describe it unsharp-masked too when it is blurred (sharpen.ts; policy
   * local.sharpen). Frames described from bytes here default to the module policy's for a query.
   */
  sharpen?: SharpenSettings | undefined;
  /**
   * A query's whole frame: describe it with its grey levels inverted too — always, or when it sits
   * on a dark backdrop (invert.ts; policy local.invert). Frames described from bytes here default to the
   * module policy's for a query.
   */
  invert?: InvertSettings | undefined;
  /**
   * Keep the working frame's grey sketch (default true): a library entry keeps it, and so does a
   * query's whole frame (a checked query may be saved). A query's mirror and its zoom windows are
   * never stored, so they are described without one (appearance.ts reads only the library's).
   */
  sketch?: boolean | undefined;
}

/**
 * The margin a frame too plain to verify is described with: none; `edge`, its edge's dominant grey
 * level around a frame that was not trimmed (policy local.prepare.edgePadPx); `trimmed`, its
 * background around a trimmed frame (local.prepare.trimPadPx).
 */
export type Margin = 'none' | 'edge' | 'trimmed';

/**
 * Describes one grayscale view: ORB keypoints/descriptors plus their visual words. `background` is
 * the grey level of the uniform border the frame was trimmed from (a margin of it is added, scaled
 * with the frame: prepare.ts); undefined for a frame that was not trimmed. `margin`: the fallback
 * margin of a frame that carries too little without one (Margin).
 */
export function describeView(
  cv: Cv,
  vocab: Vocabulary,
  gray: Uint8Array,
  width: number,
  height: number,
  orb: OrbParams = BASE_ORB,
  background?: number,
  margin: Margin = 'none',
): LocalView {
  const scaled = (px: number) => Math.round((px * Math.max(width, height)) / P.workSize);
  const prepared = prepareFrame(gray, width, height, background, {
    ...P.prepare,
    padPx: scaled(margin === 'trimmed' ? P.prepare.trimPadPx : P.prepare.padPx),
    edgePadPx: margin === 'edge' ? scaled(P.prepare.edgePadPx) : 0,
    edgeTolerance: P.trimTolerance,
  });
  const { keypoints, descriptors } = describeOrb(cv, prepared, orb);
  const d = asWords(descriptors);
  const n = descriptors.length / 32;
  const words = new Uint32Array(n);
  for (let i = 0; i < n; i++) words[i] = vocab.quantise(d, i);
  return { keypoints, descriptors, words };
}

/**
 * The view with the fine octave's keypoints appended: `fine` was described on a frame `sx` × `sy`
 * times the working frame's size; its coordinates and sizes are mapped back onto the working frame.
 */
export function withFine(view: LocalView, fine: LocalView, sx: number, sy: number): LocalView {
  const m = fine.words.length;
  const mapped = new Float32Array(m * 4);
  for (let i = 0; i < m; i++) {
    const o = i * 4;
    mapped[o] = (fine.keypoints[o] as number) / sx;
    mapped[o + 1] = (fine.keypoints[o + 1] as number) / sy;
    mapped[o + 2] = (fine.keypoints[o + 2] as number) / Math.sqrt(sx * sy);
    mapped[o + 3] = fine.keypoints[o + 3] as number;
  }
  return { ...joinViews(view, { ...fine, keypoints: mapped }), base: view.words.length };
}

/** Two views of the same working frame as one: keypoints of `b` after those of `a` (`base` is the caller's to set). */
export function joinViews(a: LocalView, b: LocalView): LocalView {
  const n = a.words.length;
  const m = b.words.length;
  const keypoints = new Float32Array((n + m) * 4);
  keypoints.set(a.keypoints.subarray(0, n * 4));
  keypoints.set(b.keypoints.subarray(0, m * 4), n * 4);
  const descriptors = new Uint8Array((n + m) * 32);
  descriptors.set(a.descriptors.subarray(0, n * 32));
  descriptors.set(b.descriptors.subarray(0, m * 32), n * 32);
  const words = new Uint32Array(n + m);
  words.set(a.words.subarray(0, n));
  words.set(b.words.subarray(0, m), n);
  return { keypoints, descriptors, words };
}

/**
 * Synchronous part of extraction, for an already decoded frame; `fine` (queries) is the same image
 * decoded at local.fine.upsample × the working size.
 */
export function describeFrame(
  cv: Cv,
  vocab: Vocabulary,
  f: GrayFrame,
  opts: ExtractOptions & { mirror: boolean },
  fine?: GrayFrame,
): LocalFeatureSet {
  const { mirror, sharpen, invert, sketch = true } = opts;
  const fineOrb: OrbParams = { features: P.fine.features, scaleFactor: P.scaleFactor, levels: P.fine.levels };
  // A frame ORB can hardly describe without a margin is described with one, in every view: a
  // drawing touching its canvas's edges (its corners lie in ORB's patch border) when that carries
  // more (policy local.prepare.edgePadPx); a trimmed frame, which ends where its drawing does, when
  // the keypoints inside it then carry enough on their own — the margin's outline alone is no
  // evidence (local.prepare.trimPadPx).
  let margin: Margin = 'none';
  let base = describeView(cv, vocab, f.gray, f.width, f.height, BASE_ORB, f.background);
  let info = measureInfo(base, f.width, f.height, P.infoFull);
  if (info.score < P.infoFloor) {
    const untrimmed = f.background === undefined;
    if (untrimmed || P.prepare.trimPadPx > 0) {
      const kind: Margin = untrimmed ? 'edge' : 'trimmed';
      const padded = describeView(cv, vocab, f.gray, f.width, f.height, BASE_ORB, f.background, kind);
      const more = measureInfo(padded, f.width, f.height, P.infoFull);
      const enough =
        untrimmed || (more.score >= P.infoFloor && interiorInfo(padded, f.width, f.height, P.frameBand, P.infoFull).score >= P.infoFloor);
      if (enough && more.score > info.score) [base, info, margin] = [padded, more, kind];
    }
  }
  const finer = (view: LocalView, gray: Uint8Array | undefined): LocalView =>
    fine && gray
      ? withFine(
          view,
          describeView(cv, vocab, gray, fine.width, fine.height, fineOrb, fine.background, margin),
          fine.width / f.width,
          fine.height / f.height,
        )
      : view;
  // A query whose backdrop was whitened (background.ts) also brings that frame's keypoints (same
  // coordinates), appended after the fine octave's: `base` still ends the plain working-frame
  // keypoints, which are all a library keeps (forLibrary), so a saved query stores what an
  // index-only description stores. The whitened frame's margin, if any, is white like it.
  // Keypoints of another frame with the same coordinates, after the view's own: `base` stays where
  // the working frame's end.
  const appended = (view: LocalView, more: LocalView): LocalView => ({
    ...joinViews(view, more),
    base: view.base ?? view.words.length,
    ...(view.flat === undefined ? {} : { flat: view.flat }),
  });
  const flatOf = (view: LocalView, gray: Uint8Array | undefined): LocalView =>
    gray
      ? {
          ...appended(
            view,
            describeView(cv, vocab, gray, f.width, f.height, BASE_ORB, f.background === undefined ? undefined : 255, margin),
          ),
          flat: view.words.length,
        }
      : view;
  // A blurred query (sharpen.ts) also brings the keypoints of its frame unsharp-masked, appended
  // last like the whitened backdrop's (same coordinates; never part of what a library keeps).
  const S = sharpen && sharpen.minBlur <= 1 && blurOf(f.gray, f.width, f.height) >= sharpen.minBlur ? sharpen : null;
  const sharpOf = (view: LocalView, gray: Uint8Array, background = f.background): LocalView =>
    S
      ? {
          ...appended(
            view,
            describeView(cv, vocab, unsharp(gray, f.width, f.height, S.sigma, S.amount), f.width, f.height, BASE_ORB, background, margin),
          ),
          sharp: view.words.length,
        }
      : view;
  const primary = sharpOf(flatOf(finer(base, fine?.gray), f.flat), f.gray);
  const set: LocalFeatureSet = {
    version: 1,
    vocab: VOCAB_ID,
    width: f.width,
    height: f.height,
    frame: f.frame,
    primary,
    // Measured on the working-frame keypoints only, as for a library image.
    info,
    ...(sketch ? { sketch: makeSketch(f.gray, f.width, f.height, P.appearance.sketchSize) } : {}),
  };
  // A query (every one with invert.always; else one on a dark backdrop: a negative of a drawing on
  // white, invert.ts) is also described with its grey levels inverted, as views of their own (its
  // mirror's too, below) — a blurred one unsharp-masked too, as the plain views are (a blurred
  // negative: seed 660094's combo-47).
  const describeInverted =
    invert !== undefined && (invert.always === true || onDarkBackdrop(f.gray, f.width, f.height, f.background, invert));
  const inverted = (gray: Uint8Array): LocalView => {
    const negative = invertGray(gray);
    const background = f.background === undefined ? undefined : 255 - f.background;
    return sharpOf(describeView(cv, vocab, negative, f.width, f.height, BASE_ORB, background, margin), negative, background);
  };
  if (describeInverted) set.inverse = inverted(f.gray);
  // A query keeps its frame to be warped onto library sketches (appearance.ts).
  if (mirror) set.frameGray = Uint8Array.from(f.gray);
  if (mirror) {
    const flipped = mirrorGray(f.gray, f.width, f.height);
    set.mirror = sharpOf(
      flatOf(
        finer(
          describeView(cv, vocab, flipped, f.width, f.height, BASE_ORB, f.background, margin),
          fine && mirrorGray(fine.gray, fine.width, fine.height),
        ),
        f.flat && mirrorGray(f.flat, f.width, f.height),
      ),
      flipped,
    );
    if (describeInverted) set.inverseMirror = inverted(flipped);
  }
  return set;
}

/** Decodes and describes an image on the current thread (the worker's job). */
export async function extractLocalFeaturesInThread(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<LocalFeatureSet> {
  const { cv } = await loadCv();
  const vocab = loadVocabulary();
  const mirror = opts.mirror ?? true;
  // Queries (described with their mirror) get the fine octave; library images never do.
  const [f, fine] = await grayFrames(bytes, localFrameSizes(mirror), P.trimTolerance, { flat: mirror });
  return describeFrame(
    cv,
    vocab,
    f as GrayFrame,
    { mirror, sharpen: opts.sharpen ?? (mirror ? P.sharpen : undefined), invert: opts.invert ?? (mirror ? P.invert : undefined) },
    fine,
  );
}

/**
 * Describes an already decoded working frame on the current thread (the worker's job); `fine` is
 * the query's fine octave, decoded by the caller too (library images have none).
 */
export async function describeFrameInThread(f: GrayFrame, opts: ExtractOptions = {}, fine?: GrayFrame): Promise<LocalFeatureSet> {
  const { cv } = await loadCv();
  return describeFrame(cv, loadVocabulary(), f, { ...opts, mirror: opts.mirror ?? true }, fine);
}
