/** Data types of the local-feature layer: keypoints, binary descriptors and visual words of an image. */

/** One view of an image (as decoded, or mirrored left-right) described by ORB. */
export interface LocalView {
  /** n × 4 floats: x, y (pixels of the working frame), size (pixels), angle (degrees, 0..360). */
  keypoints: Float32Array;
  /** n × 32 bytes: the 256-bit ORB descriptors. */
  descriptors: Uint8Array;
  /** n visual-word ids (leaves of the vocabulary tree). */
  words: Uint32Array;
  /**
   * Queries only: keypoints [0, base) come from the working frame as a library image is described;
   * those from `base` on come from the query's upsampled fine octave and its whitened backdrop
   * (extract.ts, background.ts), with coordinates
   * already mapped onto the working frame. Absent when every keypoint is a working-frame one.
   */
  base?: number | undefined;
  /**
   * Queries only: a blurred query's keypoints from `sharp` on come from its frame unsharp-masked
   * (sharpen.ts), appended last; verify.ts also tries the view without them. Absent otherwise.
   */
  sharp?: number | undefined;
  /**
   * Queries only: keypoints from `flat` up to `sharp` (or the end) come from the frame with its
   * backdrop whitened (background.ts); the inverted file also ranks the library by them alone
   * (inverted.ts candidates), away from the backdrop's texture. Absent when nothing was whitened.
   */
  flat?: number | undefined;
}

/** How much evidence an image can carry: blank and thin-line images carry almost none. */
export interface LocalInfo {
  keypoints: number;
  /** Share of the cells of a 6 × 6 grid over the working frame that hold at least one keypoint. */
  spread: number;
  /** exp(entropy) of the visual-word histogram: how many distinct words the image really uses. */
  effectiveWords: number;
  /** Mean Hamming distance between descriptors (0..256): thin lines give near-identical patches. */
  diversity: number;
  /** 0..1 summary of the three measures above (1 = plenty of evidence). */
  score: number;
}

/** A small grey copy of the working frame (appearance.ts), longest side UNIQUENESS_POLICY.local.appearance.sketchSize. */
export interface Sketch {
  width: number;
  height: number;
  gray: Uint8Array;
}

export interface LocalFeatureSet {
  /** Format version of the set and the vocabulary it was quantised with. */
  version: 1;
  vocab: string;
  /** Working frame size in pixels (longest side = the policy's workSize; elongated frames see frame.ts frameScale). */
  width: number;
  height: number;
  /** The working frame's rectangle in the original image (fractions): uniform borders are trimmed. */
  frame: { x: number; y: number; w: number; h: number };
  primary: LocalView;
  /** The mirrored view (x → width − x), described only for queries; never stored in the library. */
  mirror?: LocalView | undefined;
  /**
   * Queries only: the working frame with its grey levels inverted (same coordinates), described
   * when the frame sits on a dark backdrop (invert.ts) — a negative of a drawing on white. Retrieved
   * and verified as a query of its own (invert.ts inverseQuery), so it never changes what the other
   * views find; never stored.
   */
  inverse?: LocalView | undefined;
  /** Queries only: the mirrored frame inverted, beside `inverse` (a mirrored negative). */
  inverseMirror?: LocalView | undefined;
  /**
   * Queries only: the whole frame with its relief undone (relief.ts), described as a query of its
   * own, when the frame is an embossed picture (policy local.relief); verified after every other
   * view (relief.ts reliefQuery), never stored.
   */
  relief?: LocalFeatureSet | undefined;
  /** Set on the query reliefQuery makes of `relief`: its matches are named embossed. */
  embossed?: true | undefined;
  /**
   * Set on the query inverseQuery makes of those two views (its primary and mirror are inverted,
   * its frame and sketch are not): only its matches can be negatives, so only they are named so.
   */
  negative?: true | undefined;
  info: LocalInfo;
  /** The working frame's grey sketch, stored with library entries; absent in entries stored before it existed. */
  sketch?: Sketch | undefined;
  /** Queries only: the grey working frame itself (width × height), to warp onto a library sketch; never stored. */
  frameGray?: Uint8Array | undefined;
  /**
   * Queries only: the grey working frame with its backdrop whitened (background.ts), same size;
   * appearance.ts also compares it with a library sketch, which shows the drawing on white. Never
   * stored or serialised (set on the main thread, pool.ts); absent when nothing was whitened.
   */
  flatGray?: Uint8Array | undefined;
  /**
   * Queries only: the zoom windows of the working frame (policy local.zoom), each described as a
   * query of its own, its `frame` placing it in the original image; never stored or serialised.
   */
  windows?: LocalFeatureSet[] | undefined;
  /** Queries only, on a window: cut around a picture found inside the query (policy visual.boxes). */
  picture?: true | undefined;
  /**
   * Queries only: the working frame's affine-simulated views (policy local.tilt, tilt.ts), each
   * described and verified as a query of its own; never stored or serialised.
   */
  tilts?: LocalFeatureSet[] | undefined;
  /**
   * Set on a tilted view: the map from its pixels onto the query's working frame (a row-major 3 × 3
   * homography) and that frame's size, so a match is placed on the query as it is (verify.ts).
   */
  tilt?: { toBase: readonly number[]; width: number; height: number } | undefined;
}
