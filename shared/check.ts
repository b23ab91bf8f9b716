/** The result of a uniqueness check, as the engine returns it to every caller. */
import type { MediaMatch } from './media.ts';

export const CHECK_STATUSES = ['approved', 'duplicate_self', 'flagged_plagiarism', 'derivative_potential'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type LayerName = 'exact' | 'visual' | 'local' | 'text' | 'passage' | 'code' | 'semantic_image' | 'semantic_text' | 'media';

export interface LayerRun {
  /** ran: computed; skipped: not applicable (e.g. no image); unavailable: needs model weights not installed. */
  state: 'ran' | 'skipped' | 'unavailable';
  reason?: string;
}

export interface MatchLayers {
  exact?: { bytes: boolean; pixels: boolean; metadata: boolean };
  visual?: number;
  /** Confidence of a geometrically verified local-feature match (0..1). */
  local?: number;
  text?: number;
  /** Word-level (BM25-weighted) cosine of the two cards' texts. */
  passage?: number;
  code?: number;
  semantic_image?: number;
  semantic_text?: number;
  /** Share of the query's audio/video explained by the matched asset's (0..1). */
  media?: number;
}

/** An axis-aligned box in an image, as fractions (0..1) of its width and height. */
export interface NormBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where a partial copy sits, from a geometrically verified local-feature match: the matched region
 * in the query and in the library image, and the transform that maps the library image onto the query.
 */
export interface MatchedRegion {
  /** The matched region in the query image (fractions of the query's width/height). */
  query: NormBox;
  /** The matched region in the library image (fractions of its width/height). */
  match: NormBox;
  /**
   * The library image's outline mapped into the query and clipped to it: a convex polygon (its 4
   * corners, or up to 8 points where it crosses the query's edges) [x, y], fractions of the query frame.
   */
  outline: [number, number][];
  /**
   * Rotation of the copy relative to the library image, degrees (counter-clockwise, -180..180): the
   * turn of the nearest rotation to its map (polar decomposition), so a shear is not named a turn.
   */
  rotationDeg: number;
  /** Linear scale of the copy relative to the library image, in pixels of the normalised frames. */
  scale: number;
  /**
   * How much more the copy is stretched along one direction than across it (the ratio of its map's
   * singular values, ≥ 1): set when at least policy region.stretched — a copy sheared, stretched or
   * seen at an angle.
   */
  stretch?: number;
  mirrored: boolean;
  /** Set when the copy is a negative of the library image (its grey levels run against the drawing's). */
  inverted?: boolean;
  /** Set when the copy is an embossed relief of the library image (found with its relief undone). */
  embossed?: boolean;
  /**
   * Set when the copy is bent by a non-rigid warp (rippled, swirled, pulled out of shape): the query
   * looks like the library image only through several parts' maps or a field traced match by match
   * (engine/image/local/bent-parts.ts), not through one map, even smoothed. Its rotation, scale,
   * stretch and region are then those of the part its consensus holds; the words for it leave the
   * stretch out.
   */
  bent?: boolean;
  /** Keypoint pairs that agree on the transform. */
  inliers: number;
  /** Share of the library image covered by the matched region (area fraction). */
  matchCoverage: number;
  /** Share of the query image covered by the matched region (area fraction). */
  queryCoverage: number;
}

/**
 * How many characters of the surrounding text a passage's context keeps on each side (the engine
 * cuts it there, engine/explain.ts; the studio, knowing where, drops the partial word at the cut).
 */
export const PASSAGE_CONTEXT = 60;

/** A passage of text that two cards share, as character offsets in each card's field. */
export interface SharedPassage {
  /** Field of the query card: name, description, tags, or a type-specific field path. */
  queryField: string;
  matchField: string;
  /** [start, end) character offsets in the query field's text. */
  query: [number, number];
  /** [start, end) character offsets in the matched card's field text. */
  match: [number, number];
  /** Words in the shared passage. */
  words: number;
  /** The passage as it appears in the query. */
  text: string;
  /** Up to PASSAGE_CONTEXT characters before and after the passage in each text, for showing it in context. */
  context?: { query: [string, string]; match: [string, string]; matchText: string };
}

export interface Match {
  assetId: string;
  creatorId: string;
  name: string;
  assetType: string;
  /** sha256 of the matched asset's stored image (the studio's image store key), if it has one. */
  imageSha: string | null;
  /** 0..1: 0.6 × metadata + 0.4 × visual (or the one available), raised to 1 by an exact hit. */
  combined: number;
  metadata: number | null;
  visualScore: number | null;
  layers: MatchLayers;
  /** Signals strong enough on their own to call this a copy. */
  copySignals: string[];
  /**
   * Signals that part of this asset is reworked, too little to call a copy: another creator's
   * match with one is a derivative whatever its combined score (engine/decision.ts).
   */
  derivativeSignals?: string[];
  /**
   * Studio: the asset being checked is indexed, this match is the same creator's own asset in this
   * library, and it was first indexed after it — a later asset reusing this one, which does not make
   * this one a duplicate (engine/decision.ts).
   */
  later?: boolean;
  /** What differs: changed fields and the transform suspected for the image. */
  differences: { fields: string[]; transform: string[] };
  /** The kind of copy in plain words ("a 60 % crop of the upper-left of X, mirrored"). */
  summary?: string;
  /** Geometry of a verified local-feature match, for outlining both thumbnails. */
  region?: MatchedRegion;
  /** Passages the two cards share, for highlighting both texts. */
  passages?: SharedPassage[];
  /** Audio/video evidence: matched time ranges in both files, speed ratio, a representative frame pair. */
  media?: MatchedMedia[];
  /** Marketplace only: the matched asset is a submission still waiting for review, not yet published. */
  pending?: boolean;
  /** Studio only: the other creator's display name, from the marketplace index feed (null when not known). */
  creatorName?: string | null;
  /** Studio only: the marketplace listing this match is (or is the local copy of), for a link to it. */
  listingId?: string | null;
  /** Studio only: the asset in this library this match is (null for a marketplace-only match). */
  localId?: string | null;
}

/**
 * A media-layer match as reported on a Match (the asset is the Match's own). The studio adds what
 * its timeline needs: both files' durations and SHA-256s (where it knows them).
 */
export type MatchedMedia = Omit<MediaMatch, 'assetRef'> & {
  queryDurationSeconds?: number;
  matchDurationSeconds?: number;
  querySha256?: string;
  matchSha256?: string;
};

export interface CheckResult {
  status: CheckStatus;
  reason: string;
  action: string;
  layers: Record<LayerName, LayerRun>;
  matches: Match[];
  metadataHash: string;
  policyVersion: number;
  elapsedMs: number;
  /**
   * How many indexed assets the check compared against (the library, the asset's own row left
   * out). 0 means there was nothing to compare against: "no similar assets" says nothing yet.
   */
  compared?: number;
}
