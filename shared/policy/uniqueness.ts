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
    /**
     * A view whose PDQ-style quality (sum of luminance gradients of a 64×64 reduction / 90; PDQ
     * caps it at 100, we do not) is below this carries too little information to be evidence.
     * Measured on 220 dev-category clip-art images: trimmed views score 95–1400 (1st percentile
     * 155), whole frames of sparse drawings go down to 10. 40 drops only nearly blank frames.
     */
    minQuality: 40,
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
  /** Matches returned per check. */
  topK: 5,
} as const;

type Widen<T> = T extends number ? number : T extends string ? string : T extends object ? { readonly [K in keyof T]: Widen<T[K]> } : T;
/** The policy's shape with plain number fields, so variants can be built for tests and presets. */
export type UniquenessPolicy = Widen<typeof UNIQUENESS_POLICY>;
