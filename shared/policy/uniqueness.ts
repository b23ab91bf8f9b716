/**
 * Uniqueness policy: every threshold of the local check in one versioned object, shared by the
 * studio, the CLI and the server. Calibrated on ../shared/datasets (see README "Uniqueness check").
 */
export const UNIQUENESS_POLICY = {
  version: 1,
  /** Seed weights of the combined score. */
  weights: { metadata: 0.6, visual: 0.4 },
  /** combined > duplicate → duplicate_self (same creator) or flagged_plagiarism (another creator). */
  duplicate: 0.95,
  /** combined > derivative (another creator) → derivative_potential. */
  derivative: 0.85,
  visual: {
    /**
     * pHash Hamming radius for candidate retrieval with multi-index hashing: 11 probes 2 bits per
     * 16-bit chunk (rotated, flipped and rescaled alignments); the whole frame as-is uses 15
     * (3 bits per chunk), where local edits such as stamped text move the hash furthest.
     */
    candidateRadius: 11,
    identityRadius: 15,
    /** Shape-signature cosine at or above which an image is a visual copy. */
    copyCosine: 0.84,
  },
  text: {
    /** Lexical score (max of Jaccard and containment) at or above which the text is a near-copy. */
    copyScore: 0.8,
    /** Containment is only trusted when the smaller text has at least this many shingles. */
    minShinglesForContainment: 40,
  },
  code: {
    /** Normalised-rule Jaccard at or above which a CSS/HTML module is a near-copy. */
    copyScore: 0.7,
  },
  semantic: {
    /** CLIP image cosine at or above which an image counts as a (semantic) visual copy signal. */
    imageCopyCosine: 0.95,
    /** BGE cosine at or above which metadata counts as near-identical in meaning. */
    textCopyCosine: 0.97,
    /** Nearest neighbours taken from each vector space per check. */
    neighbours: 20,
    /** Up to this many vectors the k-NN is exact; above it, binary-quantised k-NN plus exact re-scoring. */
    exactSearchMax: 20_000,
    /** Candidates re-scored with exact cosine after the binary k-NN. */
    rescoreCandidates: 200,
  },
  /**
   * Local features (engine/image/local): ORB keypoints, a fixed visual vocabulary, an inverted file
   * and geometric verification, for copies of PARTS of an image (crops, rotations, shears, pastes).
   * Values chosen with scripts/measure-local.ts: transforms drawn at random from ranges (crop
   * 40–90 % area anywhere, any angle, shear/perspective, stretch, mirror, paste at 30–80 % scale,
   * backgrounds, text, JPEG, blur, noise, 2–3 combined) on dev-category clip art, against pairs of
   * unrelated dev images for chance agreement.
   */
  local: {
    /** Longest side of the working frame: a copy pasted at 30 % scale still spans ~150 px. */
    workSize: 480,
    /** ORB keypoints per view; 8 pyramid levels at 1.2 span a 0.28× scale change. */
    features: 800,
    scaleFactor: 1.2,
    levels: 8,
    /** Grey-level difference from the border colour that counts as content when trimming borders. */
    trimTolerance: 24,
    /** Evidence at which each information measure saturates (measure / this, capped at 1). */
    infoFull: { keypoints: 120, effectiveWords: 60, diversity: 100, spread: 0.25 },
    /** Information score below which an image is never verified (nor flagged) on local evidence. */
    minInfo: 0.5,
    /** Candidates taken from the inverted file per check, and verified geometrically. */
    candidates: 20,
    /** Visual words held by more than this share of indexed images are skipped when scoring. */
    maxWordShare: 0.05,
    /**
     * Postings read per query view, rarest words first: bounds candidates() at any library size
     * (100k synthetic images on 2 shared, loaded cores: 250k gave candidates() p50 70 ms, 120k 41 ms).
     */
    postingBudget: 120_000,
    /**
     * Descriptor pairs are compared only under the same vocabulary node at this level (2 of 4: ~100
     * buckets; level 1 finds ~15 % more inliers at ~8× the cost, level 3 loses too many).
     */
    matchLevel: 2,
    /** Largest Hamming distance of a putative match, and Lowe's ratio to the second best. */
    maxHamming: 64,
    ratio: 0.85,
    /** RANSAC: reprojection tolerance (pixels of the working frame) and iterations. */
    inlierPx: 6,
    iterations: 400,
    /**
     * Inliers must also agree with the model's rotation in their keypoint orientation (degrees):
     * shears up to 0.4 turn true matches by < 25°; chance consensus (similar clip art in one style)
     * mostly does not agree.
     */
    angleTolerance: 30,
    /**
     * Acceptance: inliers (count), inliers / putative matches, and the inliers' spread in both images.
     * Unrelated pairs reach 3–9 RANSAC inliers among 20–100 putative matches (< 10 %); different
     * drawings of one subject in one style reached 12–14 after the orientation check, hence 15.
     * True copies pasted at 30 % scale into a busy picture keep 12–45 at the matching level.
     */
    minInliers: 15,
    minInlierRatio: 0.15,
    minInlierArea: 0.02,
    /** Accepted transforms: linear scale range and the largest anisotropy (ratio of singular values). */
    scaleRange: [0.15, 6.5],
    maxAnisotropy: 3,
    /** Inliers at which confidence reaches ~0.95 (1 − e^(−3 (inliers − minInliers) / this)). */
    confidentInliers: 40,
  },
  /** Matches returned per check. */
  topK: 5,
} as const;

type Widen<T> = T extends number ? number : T extends string ? string : T extends object ? { readonly [K in keyof T]: Widen<T[K]> } : T;
/** The policy's shape with plain number fields, so variants can be built for tests and presets. */
export type UniquenessPolicy = Widen<typeof UNIQUENESS_POLICY>;
