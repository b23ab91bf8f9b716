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
  /**
   * A check that finds only parts of the creator's own assets reused — a passage, a part of an
   * image (engine/decision.ts partOnly) — is still duplicate_self, but reusing one's own work (a
   * character drawn into a new scene, a shared passage across a series) is the creator's call:
   * the specs' duplicate_self is a 95 %+ match of the whole. 'allow' (default): the marketplace
   * queues such a submission like any other, the match shown to its reviewer; 'refuse': refused
   * like a whole copy. The studio's advice says which (decision.ts), so the two never disagree: a
   * marketplace publishes its setting in GET /v1/policy, and a connected studio's advice follows
   * that marketplace's setting, not its own copy (electron/main/services/sync.ts pullPolicy).
   */
  ownPartReuse: 'allow',
  /**
   * A verified region's coverages in words (shared/matches.ts regionExtent): holding `whole` of an
   * image is all of it (borders and anti-aliased edges are never matched, so never 1.0); filling
   * `fills` of the query is a crop of the other image rather than a part pasted into this one.
   */
  /**
   * stretched: a verified copy whose map stretches one direction at least this many times more
   * than the other (its singular values' ratio) is named stretched or sheared, with the ratio
   * (MatchedRegion.stretch). Measured (session 59, 12 drawings): turned 33°, cropped to 60 % or
   * pasted at half size 1.001–1.016; stretched to 0.7 of their width 1.41–1.43; sheared by 0.4 1.49.
   * The engine's default policy's value is used when a match is verified.
   */
  region: { whole: 0.85, fills: 0.6, stretched: 1.15 },
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
     * 155), whole frames of sparse drawings go down to 10. 40 drops only nearly blank frames. A
     * query's 85 % and 70 % centre crops are measured alike and do not probe below it: the crop of a
     * drawing whose outline lies outside it is blank paper, and two such crops hash alike (session 69).
     */
    minQuality: 40,
    /**
     * Also probe with the query's frame with its backdrop whitened (engine/image/fingerprint.ts
     * backdropView; local/background.ts finds the backdrop), hashed as the trimmed view and searched
     * the same way (candidate radius, every dihedral alignment, the same signature cosine): art
     * flattened on a new colour or texture keeps its drawing, and the library stores it on white.
     */
    backdrop: true,
    /**
     * Also probe where a picture sits inside the query (engine/image/boxed.ts: a rectangle of one flat
     * colour holding content — clip art pasted on its own background into a collage, a mock-up or a
     * screenshot — found on the decoded grey image reduced to `side` px: a region of pixels within
     * `tolerance` of a seed whose 3 × 3 neighbourhood spans at most `flat` levels, covering
     * `minArea`–`maxArea` of the frame, lining at least `minRing` of its bounding rectangle's outline
     * and reaching at most two of the frame's edges). Each box, trimmed, is hashed as the trimmed
     * view is (and again with shapes lying across its edge painted over) and searched the same way;
     * its content is also one more zoom window of the local layer. At most `maxBoxes` per query;
     * on: false turns it off. minRing 0.7: a picture may have up to 30 % of its outline covered by
     * shapes laid across it and still count (at 0.9, seed 660068's paperclip, a corner under a square,
     * did not). Measured (README, session 40): seeds 660066–660068, one boxed paste more found and no
     * unrelated image more flagged. mirror: a picture's window is also described mirrored, as a
     * whole query is (the grid's windows are not: local.zoom.mirror) — a picture mirrored before it
     * was pasted into a collage holds too few of the whole frame's keypoints for the frame's mirror
     * to find it. One more ORB description per picture found, none for a query without one
     * (README, session 48: seeds 660087–660089, one mirrored boxed paste more found, none lost).
     * minArea 0.01 (was 0.03): a small drawing pasted on its own background into a scene fills
     * about 3 % of the frame with its box (seed 660129's trowel: 2.7 %) and was not looked for;
     * its picture window is also aligned by the pixels (local.aligned). Measured (README, session
     * 79): at 660129's 41 paste-holding queries 32 found (31 at 0.03), no unrelated image more
     * flagged; fresh seed 660130 the same finds, false positives and p50/p95 as at 0.03.
     */
    boxes: {
      on: true,
      tolerance: 12,
      flat: 4,
      minArea: 0.01,
      maxArea: 0.8,
      minRing: 0.7,
      maxBoxes: 3,
      side: 240,
      mirror: true,
      /**
       * A picture whose centre (its 85 % centre crop, the view's second scale) carries no
       * information (below minQuality) is a frame around nothing — a window or a blank card drawn
       * in clip art — and its hash is its outline's: it is neither searched nor aligned (turned
       * pictures, a whole query turned on its canvas, are). Seed 660131: a house's window, a yellow
       * rectangle in a black outline (quality 289 whole, 4 at its centre), hashed within a cosine
       * of 0.90 of a blank sheet of paper (377 whole, 36 at its centre) turned a quarter.
       */
      skipHollow: true,
      /**
       * Boxes found by their outline too (image/lined.ts), for the box whose picture reaches its
       * edges — clip art trimmed to its drawing always does, cutting the box's own colour into
       * pieces none of which lines the box (at three seeds of the eval's boxed pastes into scenes
       * and hosts, the flat-region search found 52 of 103, 59 of 140 and 62 of 134 of the boxes
       * whose edge shows). Two parallel runs of edges (a step of `contrast` grey levels across two
       * pixels) of about the same extent, each side edged along minCover of its length and, three
       * pixels inside or outside it, edged along at most `quiet` of that (a line, not texture); up
       * to maxBoxes more than the flat ones. With it 79, 110 and 100 of them; in plain clip art 18
       * of 150, 34 of 200 and 31 of 200 drawings got a box (15, 22 and 20 without) — rectangles
       * drawn in them: a keypad, a roof, a window. Measured (README, session 74); maxBoxes 0 turns
       * it off.
       */
      lines: { contrast: 24, minCover: 0.75, quiet: 0.3, maxBoxes: 2 },
      /**
       * A picture turned, sheared or put in perspective on a canvas of one fill colour (an editor's
       * rotate with the canvas widened: black, grey or white corners; a warp with a fill) is found
       * as a quadrilateral, rectified and hashed as one more picture inside the query
       * (image/turned.ts): a blurred copy turned this way keeps too few corners for the local
       * layer, and its turn defeats every hash. The fill is the level minBorder of the border lies
       * within `tolerance` of, covering at least minFill of the frame; the quadrilateral
       * covers minArea of the frame, its picture fills minSolidity of it, and one side is turned
       * minTurnDeg from the axes. A picture turned within its canvas (the frame cut its corners
       * off) counts when at least minShown of its quadrilateral lies inside the frame: four sides
       * of its own met at corners beyond the frame, or fewer fitting the frame's rectangle turned
       * about its centre (an editor's rotate that keeps the canvas); the parts it lost are painted
       * the level along the cut. The rectified picture loses `inset` of each side and the rim its
       * edge blurred into it (up to rimShare: while each line's mean moves more than rimStep grey
       * levels further from the fill's). Measured
       * (README, sessions 72 and 73). on: false turns it off.
       */
      turned: {
        on: true,
        side: 240,
        tolerance: 24,
        minBorder: 0.4,
        minFill: 0.04,
        minArea: 0.2,
        minSolidity: 0.9,
        minTurnDeg: 2,
        minShown: 0.5,
        inset: 0.01,
        maxSide: 256,
        rimShare: 0.12,
        rimStep: 0.5,
      },
    },
    /**
     * Also probe the whole frame's flipped and turned alignments (at full scale; the trimmed and
     * whitened views always are). Trimming loses its footing on a thin drawing copied from a
     * thumbnail (broken outlines, a blur halo): seed 660060's airliner, mirrored on both axes,
     * upscaled from 81 px and blurred, lay 16 bits from its source trimmed and 6 whole, turned
     * back. Costs 7 more multi-index probes per check (npm run bench: "whole frame's turned
     * alignments"). false probes the whole frame as-is only.
     */
    turnWhole: true,
    /**
     * Also probe for the query as the negative of a stored image (engine/check/image-layers.ts
     * negativeProbes): its full-scale trimmed and whole-frame alignments with every pHash bit but
     * DC complemented, verified by the negated shape signature at copyCosine. Measured (scratch,
     * 199 dev drawings flattened on white and negated): 197 within candidateRadius at cosine ≥
     * copyCosine, none through the plain probes; every unrelated pair it reached at copyCosine was
     * another version of the same drawing. Up to 16 more multi-index probes per check: with 150
     * drawings indexed a check's retrieval and verification took 80.3 ms with them, 77.9 without
     * (scratch e64/negcost.ts; not measured at 100k). false: no negative probes (the local layer's
     * inverted view still runs: local.invert).
     */
    negative: true,
    /**
     * Also probe with the query's folded view (engine/image/fingerprint.ts foldView: every channel
     * value v read as min(v, 255 − v), trimmed and hashed) against the stored images' folded views
     * (engine/check/image-layers.ts foldProbes): a solarized copy (every value above some threshold
     * inverted, as editors' and augmentation libraries' solarize do) folds to exactly its original's
     * fold whatever the threshold, while its own grey levels share nothing with it — white paper
     * turned black erases the black outlines drawn on it, and neither the hashes nor the keypoints
     * see the drawing. The query's 8 dihedral alignments are searched within `radius` and verified by
     * the folded shape signature at `cosine`; both folded views must carry `minQuality` (as
     * visual.minQuality). Measured (scratch e98/fold.ts, 1195 dev drawings at library size):
     * solarized at a threshold drawn from 96–192, all 1195 at distance 0 from their original's fold;
     * unrelated pairs within 11 bits at cosine ≥ 0.84, 143 folded against 188 for the plain trimmed
     * views' hashes (most of both: versions of one drawing), 10 that only the fold joins (6 of them
     * versions of one drawing). Measured through the probe (README, session 98). Stored images
     * fingerprinted before the fold existed have none and are not found this way until re-added.
     * on: false turns the probes off.
     */
    fold: { on: true, radius: 11, cosine: 0.84, minQuality: 40 },
    /**
     * Probing on a hash's reliable bits (engine/image/perceptual.ts reliableBits): a pHash bit whose
     * coefficient lies within `margin` × the largest of the block's median is set by rounding
     * noise — on a symmetric drawing every odd-frequency coefficient along its axis is zero and the
     * median falls among them, so a noised or re-encoded copy redraws those bits at random and lands
     * 14–16 bits from its source, beyond the radii above (seed 660057's AIGA exit disc, noised: 16
     * bits flipped, none of its 12 reliable ones). A full-scale probe (trimmed, whole and whitened
     * views, each dihedral alignment the ordinary probes use) with at least `minUnreliable` such
     * bits — 2 × candidateRadius: a copy flips about half of them, and below that the ordinary
     * radius absorbs the flips — and at least `minReliable` reliable ones also searches the stored
     * full-scale hashes for those within `radius` of it on its reliable bits alone
     * (HammingIndex.searchMasked), narrowed so that chance agreement, each bit a fair coin, is
     * expected at most `maxChance` times among them (check/image-layers.ts maskedRadius; skipped
     * when even exact agreement is expected more often: at 100k images a disc with 12 reliable bits
     * is not probed — each chance candidate costs a read of its stored hashes); real hashes cluster
     * more than fair coins (many versions of one drawing), so at most `maxCandidates` of them, the
     * closest on the reliable bits first, are read.
     * A stored hash found only this way agreed on fewer bits, so it counts only when the signature
     * cosine reaches minCosine (not copyCosine) and the query, turned by that alignment, looks like
     * the library drawing by every appearance gate (local.appearance; verify.ts looksLike).
     * Measured (README, "Symmetric drawings' global hashes"): noised, blurred, re-encoded, recoloured and thumbnail
     * copies (the eval's ranges) of the 322 library images with under 32 reliable bits, against the
     * real 1.4k library, two draws: 12 and 11 more copies found, none lost; what only this probe
     * finds scored 0.86–1.0 for copies and 0.84–0.95 for different drawings of one outline; the
     * pixels refuse some of those (one bear in two poses, blank sheets, stop signs) but not all
     * (prohibition rings around a dog and around a cigarette, 0.94–0.95), hence the higher cosine;
     * above 0.97 it newly matched only one drawing turned, resized or redecorated (the AIGA arrows,
     * one orange slice at two sizes, one plate with and without a zigzag band).
     * on: false turns it off.
     */
    reliable: { on: true, margin: 0.05, minUnreliable: 22, minReliable: 10, radius: 2, minCosine: 0.97, maxChance: 16, maxCandidates: 16 },
  },
  text: {
    /** Lexical score (max of Jaccard and containment) at or above which the text is a near-copy. */
    copyScore: 0.8,
    /** Containment is only trusted when the smaller text has at least this many shingles. */
    minShinglesForContainment: 40,
    /**
     * Nor when the larger text has more than this many times the smaller's shingles. The
     * containment is read from 128 signature slots, each agreeing one worth (|A| + |B|) / (128 ·
     * min) of it: 0.07 at 8×, 0.2 at 25×, so a handful of chance agreements between a short card
     * and a long text reached copyScore. Measured (scratch e99/contain.ts: 400 fortune cards against
     * 300 unrelated descriptions, two in three buried in unrelated text 3–8× their length, 120 000
     * pairs): pairs at 0.8 or more 0 of 74 358 under 4×, 0 of 33 533 at 4–8× (largest 0.74), 4 of
     * 11 280 at 8–16× and 15 of 829 beyond. A short card kept whole inside a long text is still
     * found by the passage layer (policy passage: a verbatim run of minSharedWords or more); one of
     * fewer words than that, inside a text more than this many times longer, is no longer flagged.
     * The text probe (npm run eval:probe-texts), seeds 990001–990003: its one unrelated card flagged,
     * a fortune buried among others 6.7× its length, is no longer; no copy's outcome changed, nor
     * any at generated text eval seeds 660219 and 660220.
     */
    maxContainmentRatio: 8,
    /**
     * Text and code candidates scored per check: the library assets sharing the most LSH bands
     * with the query. A library of many similar short cards (2 000 from one template) otherwise
     * hands every check all of them, and each save grew with the library (e2e: 2 000 creates took
     * 62–85 s, the last ones 54 ms each). A near-copy (Jaccard 0.8) shares about 10 of 16 bands,
     * a card from the same template at Jaccard 0.5 about 4, so a copy is crowded out only when more
     * than this many cards share as many bands with the query — and then those are copies too.
     */
    lshCandidates: 200,
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
  passage: {
    /**
     * Words per hashed k-gram and the winnowing window (in k-grams): any shared run of at least
     * k + window − 1 = 12 words shares a kept hash, runs under 5 words never do (4-word stock
     * phrases such as "at the end of" stay out of the postings). scripts/measure-passages.ts swept
     * k 4–6 with guarantees of 10–15 words: all retrieve 100 % of 15–25-word passages inside new
     * text. On heavily edited copies the passage index alone retrieves 76 % (inserts) and 83 %
     * (combined edits) at k = 5, window = 8 against 81 % / 90 % for k = 4, window = 7; the word
     * index finds most of those sources anyway (pipeline: 95 % / 98 %). 0.18 kept hashes per word,
     * about 205 bytes per stored card with the word counts.
     */
    k: 5,
    window: 8,
    /**
     * Words of the longest aligned passage (small gaps allowed) at or above which it is a copy
     * signal. 12 = the winnowing guarantee; idioms and stock phrases are shorter, a quoted
     * sentence or fortune is longer. Among 1000 unrelated fortune cards checked against 1000 others
     * the longest aligned passage was 10 words.
     */
    minSharedWords: 12,
    /**
     * Verbatim parts of at least this many words, in prose fields (not the name or a list such as
     * tags), each from a different place in the library card, count together towards
     * minSharedWords: a kept passage cut by a deleted word, or split by moved sentences, leaves two
     * or three runs of 5–11 words (11 + 7, 8 + 6, 6 + 6 words in the generated text eval). Chance,
     * measured on 4.5 million pairs of different fortune cards (scratch e55/pnull.ts, the eval's card
     * maker): the largest sum of such parts was 10 (5 + 5: the framing of one series, "The Tao gave
     * birth to" … "the Yin and Yang of"; two Pittsburgh driver's test questions); every pair at 12
     * or more was two versions of one text (Tao of Programming, Youth, Nusbaum's rule …).
     */
    minPartWords: 5,
    /** Passages shorter than this are not reported at all (coincidence or idiom). */
    minReportWords: 8,
    /** Unmatched words an aligned passage may skip on either side (one changed, inserted or deleted word). */
    gapWords: 2,
    /**
     * Document-frequency cap: a k-gram hash held by more than max(min, fraction × cards) library
     * cards is boilerplate ("this item was created for …") and ignored for retrieval. A passage that
     * many creators share is stock text of the domain; 25 keeps small libraries sensitive, 0.1 %
     * grows with the library (100 at 100k cards) so popular phrases do not flood the postings.
     */
    dfCap: { min: 25, fraction: 0.001 },
    /**
     * BM25-idf-weighted cosine of word counts (stop words out) at or above which the text is a
     * reworded copy. Deleting or inserting a share d of the words leaves about √(1 − d) of the weight
     * (0.77 at 40 %). Measured: unrelated fortune cards p99 0.32, max 0.48; at 0.55 recall is 97 %
     * for 10–40 % deletions and 93 % for insertions. 0.5 catches more combined edits (87 % vs 79 %)
     * but sits right on the unrelated maximum, and card libraries share more vocabulary than fortunes.
     */
    copyCosine: 0.55,
    /**
     * The cosine is only a signal when both texts have at least this many content words: "A sword."
     * never flags. 10 rather than 15 recovers most short edited copies (deletions 79 % → 97 %)
     * with no unrelated card flagged in the measurement.
     */
    minCosineWords: 10,
    /**
     * Dense ordered overlap (engine/text/ordered.ts): content words shared in order with at most
     * orderedMaxGap other content words between consecutive matches on both sides, in segments of
     * at least orderedMinSegment matches; orderedMinWords such words in all make a copy signal.
     * For unrelated texts to reach it, a dozen content words would have to recur in the same order
     * within a few words of each other on both sides.
     */
    orderedMaxGap: 3,
    orderedMinSegment: 4,
    orderedMinWords: 12,
    /**
     * A short card's passage kept with words inserted or deleted: a fortune-length description
     * (15–30 content words) keeps 6–11 content words of a 40–70 % passage after a third of its words
     * are deleted, under orderedMinWords. Such dense ordered words, counted in segments of at least
     * minSegment, mark the match as a *derivative* (Match.derivativeSignals, never a copy signal)
     * when there are at least minWords of them and they are at least minShare of the shorter card's
     * content words: on a one-sentence premise a remix keeps as much of the wording as a kept
     * passage does (tests/integration/server-derivative.test.ts's remix), so the creator is asked to
     * declare the parent rather than held for plagiarism. Chance, measured on 2.25 million pairs of
     * different fortune cards (scratch e47/ordnull.ts, the eval's card maker, segments of 4): 14
     * pairs chain 6 or more such words; those at a share of 0.4 or more are all two versions of one
     * text (Chief Joseph's surrender, Jefferson on uniformity, a Carroll passage, Nusbaum's rule),
     * the chance ones stay at 0.12–0.29. With segments of 4, text-dev also marked two unrelated
     * cards of one series ("Thus spake the master programmer: … -- Geoffrey James, The Tao of
     * Programming": a shared framing and attribution, 4 words each); segments of 5 leave them out.
     * Generated text eval, 20 seeds (660069–660088): combinations 1109 → 1128 of 1200 (the 19 as
     * derivative potential), unrelated flagged 3 → 3 of 4000, every family 100 %.
     */
    orderedShort: { minWords: 6, minShare: 0.4, minSegment: 5 },
    /** Candidate cards aligned word by word per check. */
    candidates: 10,
    /** Rarest query terms whose postings are read to find cosine candidates, and candidates re-scored exactly. */
    probeTerms: 16,
    rescore: 40,
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
    /**
     * Elongated images (a pen, a sword, a skyline; 1.5 % of the dev clip art is 4:1 or longer): the
     * frame's shorter side is brought up to minShort × workSize, its longer side at most maxLong ×
     * workSize (stored keypoint coordinates end at 1 024 px). At 480 px a 9:1 pen was 480 × 54 px and
     * ORB, whose 31-px patches need room, found no keypoint on it, so no copy of it could be found by
     * its parts; now it is 960 × 112. Frames up to 4:1 are cut as before.
     */
    elongated: { minShort: 0.25, maxLong: 2 },
    /** ORB keypoints per view; 8 pyramid levels at 1.2 span a 0.28× scale change. */
    features: 800,
    scaleFactor: 1.2,
    levels: 8,
    /**
     * Queries only: a fine octave, the query decoded at `upsample` × workSize and described over
     * `levels` pyramid levels (960 → 667 px, the 480 px frame takes over below), keypoints mapped back onto the working frame. A copy
     * pasted at 30 % scale into a picture spans ~80–150 px of a 480 px query: 5–6× smaller than the
     * library's frame, beyond the 3.6× that 8 levels at 1.2 span, so no pyramid level of the two
     * images met; the fine octave extends the query's range to 7.2× (960 → 134 px). Library images are described
     * as before (no re-extraction).
     */
    fine: { upsample: 2, levels: 3, features: 600 },
    /**
     * Queries only: a whole frame whose blur effect (engine/image/local/sharpen.ts; 0 sharp, 1 flat)
     * is at least minBlur is also described unsharp-masked (a Gaussian of sigma px of the working
     * frame, amount × the detail added back), its keypoints appended to the view like the whitened
     * backdrop's. A copy blurred or blown up from a thumbnail keeps too few of the sharp corners and
     * fine differences ORB describes; with a geometric edit on top, neither the global hashes nor
     * the local layer found it. Measured at seed 660073 (working frames of the eval's queries):
     * every blurred copy (σ 1.3–4.9) measured 0.69–0.92 and 63 % of the upscaled ones ≥ 0.6, while
     * 18 % of the unrelated queries (smoothly shaded drawings) and at most 7 % of the other families
     * but colour (20 %) do — those pay one more description. Of 34 copies with blur or upscaling
     * missed at five seeds (660068, 660069, 660071–660073), the local layer verified 2 before and
     * with (minBlur, sigma, amount) at (0.6, 3, 2) 7, (0.75, 2, 3) 8, (0.75, 3, 4) 11, (0.75, 4, 3)
     * 12, (0.75, 4, 6) 12, (0.75, 5, 4) 10, (0.75, 6, 3) 10, and (0.6, 4, 3) 13.
     * Noise added after the blur hides it (those copies measure 0.23–0.49). minBlur above 1 turns
     * it off.
     */
    sharpen: { minBlur: 0.6, sigma: 4, amount: 3 },
    /**
     * Queries only. always: every query's whole frame is also described with its grey levels
     * inverted, and its mirror too, checked as below; the dark-backdrop rules that follow then
     * decide nothing (they remain the rule with always false). A negative pasted into a light scene,
     * laid on a light texture or cropped and warped onto white has no dark backdrop to tell it by.
     * Measured (README, session 70): seed 660116 combinations 0.783 → 0.817 (a negative lion pasted
     * into a scene; a negative ibex cropped and warped onto white), seed 660115 0.883 → 0.917, no
     * unexplained flag at either; fresh seed 660117 every copy outcome unchanged; flagged
     * more: pairs whose shared drawing is each other's negative (a bicycle white on a blue sign and
     * black in a prohibition ring; AIGA pictograms' black-square and white versions), all in the
     * label audit; probe 770010 unchanged. Cost: every query pays two more descriptions and their
     * verification: check p50 485 → 547–569 ms at 660117 (separate eval runs); in one bench run
     * (npm run bench, alternating) fingerprinting 1.00–1.04× and retrieval + verification
     * 0.99–1.15× at 1.4k–2k images.
     * Otherwise: a whole frame on a dark backdrop — the uniform border it was trimmed from, or
     * else the grey level (within 24) held by edgeShare of its edge pixels — at most maxLevel grey is
     * also described with its grey levels inverted, and its mirror too (engine/image/local/invert.ts),
     * and those two views are checked as a query of their own after the zoom windows, with their
     * appearance floor (appended to the plain and mirrored views, or scored beside them, they pulled
     * a sheared copy's retrieval off its source at seed 660080). A negative ("invert colours") of
     * clip art on white is light strokes on black: FAST finds its corners again, but every BRIEF
     * comparison flips, so not one descriptor matched. Measured (README, "Colour-inverted copies"):
     * 27 dev drawings against a library of 40, negatives found 5 → 26, negatives cropped to 56 % of
     * their area 1 → 24 (edgeShare 0.6: 19), mirrored negatives 6 → 26. maxLevel below 0 (and always
     * false) turns it off. namedBelow: a verified copy whose grey levels correlate with the library drawing's at most
     * this much over the drawing (appearance.ts greyCorrelation) is named a negative ("colours
     * inverted"); copies of the same polarity correlate positively. A blurred negative (local.sharpen's
     * measure) gets its inverted views unsharp-masked too, as the plain views are: seed 660094's two
     * blurred negatives (σ 1.1 after a shear, σ 4.9) verified only with that (README, session 51).
     * connectedShare: whatever its border, a frame whose pixels at most maxLevel that reach its edge
     * (4-connected) cover this share of it counts as on a dark backdrop too — a negative turned,
     * sheared or warped onto white or grey corners, whose border is the fill (invert.ts
     * darkFromEdge). Measured (README, session 53): three draws of 60 such negatives of dev
     * drawings, 20 → 37, 19 → 42, 13 → 40 found, none lost; one more library drawing flagged, the
     * black-and-white version of a sandwich whose negative was the query (the same drawing). It also
     * describes dark pictogram squares and silhouettes inverted: 46 of 471 unmodified dev drawings
     * at 0.25 (the border rules alone: 1), 52 at 0.2. Above 1 turns this rule off.
     */
    invert: { always: true, maxLevel: 96, edgeShare: 0.3, connectedShare: 0.25, namedBelow: -0.5 },
    /**
     * Queries only (engine/image/local/relief.ts): a copy passed through an editor's emboss filter
     * is the drawing's derivative along one direction added to mid grey, and none of its keypoint
     * descriptors meets the library's. A whole frame that looks like one is also seen with the
     * derivative summed back along that direction (a running sum that leaks `leak` per pixel, so a
     * drawing mixed into the relief does not drift across the frame), the drawing dark on white,
     * and that frame is described, retrieved and verified as a query of its own after every other
     * view; its matches are named embossed. It looks like one when its uniform border lies at
     * minLevel–maxLevel, at least minNear of its pixels lie within `step` levels of that border
     * (a relief's flat parts, inside the drawing too, stay at its level) but at least minActive do
     * not, its deviations above and below the border balance (the smaller sum at least minBalance
     * of the larger: each edge lit on one side, shaded on the other) and, along rows, columns or
     * either diagonal, the deviations on every line sum to at most maxResidual of their absolute
     * sum (a derivative's sum telescopes to the level at both ends of the line, the backdrop's).
     * Measured on 60 dev drawings (scratch e106/relres.ts, seed 7), each embossed on mid grey by one
     * of four kernels (central differences along a row, the diagonal and the anti-diagonal, a
     * forward difference along the diagonal) and each flattened on a flat colour of mid levels: 54
     * of the 60 reliefs count as such (an emboss leaves 0.02–0.07 along its own direction, mostly)
     * and none of the 60 drawings on a colour does; with 4 % of the drawing mixed back into the
     * relief, 18 of 60; with 0–50 % mixed back (the augmentation probe's range), 2 of 60 — a blend
     * leaves its drawing's own tones, which do not sum to nothing. No query of generated eval seed
     * 660171 counts as one (scratch e106/relcount.ts, 0 of 630). leak 0.985 (half of a sum gone
     * after 46 pixels of the 480-pixel frame): at 0.97 an AIGA plane's black square faded to white
     * around the plane and the copy was not found; without a leak, a relief with 4 % of the drawing
     * mixed in drifted and its match scored 0.49 instead of 0.98 (scratch e106/leak.ts). Probe
     * effect: README, session 106. minBalance above 1 turns this off.
     */
    relief: { minLevel: 96, maxLevel: 200, step: 8, minNear: 0.5, minActive: 0.02, minBalance: 0.6, maxResidual: 0.15, leak: 0.985 },
    /**
     * Queries only (engine/image/local/frame.ts zoomWindows): the working frame's content is also cut
     * into steps × steps overlapping windows of `side` of its width and height, each trimmed and
     * described at the working size like a query of its own (with its whitened twin, without a
     * fine octave) and checked against the library on its own. A copy pasted small into a
     * busy picture gets few of the whole frame's keypoints and visual words; inside a window it
     * fills a larger share, zoomed 1/side. Windows under minPx (pixels of the decoded image, longest
     * side) are not cut. A window's match counts only for a library image the whole frame did not
     * match, and only when the window seen through its model correlates at least minLooks with the
     * library drawing (appearance.ts score; half of appearance.minScore, which must prove a copy on
     * the pixels alone): each window is one more query, and a chance consensus between repeated
     * shapes (a lorry's wheels and a pair of scissors' rings) can be grown by guided matching.
     * Measured (README, "Zoom windows"): 2 × 2 at 0.6 found as many copies as 3 × 3 at 0.5 at two
     * seeds for about half the cost. The floor was set from the score's meaning, then measured at a
     * fresh seed (660011, every window consensus with ≥ 6 agreeing inliers, accepted or not): the
     * source of a paste or combination scored p50 0.88, 96 of 99 at or above 0.3; unrelated queries'
     * p50 0.08, and the windows' accepted chance pairs (an apple on a megaphone, the known garlic
     * toast ↔ sausage speckle) 0.15 and 0.26 (a boating-rules pair, not looked at, 0.19 and 0.27),
     * while drawings two library images share scored
     * 0.35–0.83. steps 0 turns the windows off (neither cut nor described). mirror: whether each
     * window is also described mirrored (the whole frame always is). Off: at two fresh seeds
     * (660013, 660014; 960 copies and 300 unrelated) every query's outcome was the same with and
     * without the windows' mirrors, and the check took p50 / p95 ~165 / 270 ms instead of
     * ~200 / 345 ms (README, "Zoom windows"). maxAspect / maxWindows: on an elongated content box
     * (a strip of three knots, a wide scene) the 0.6 windows were as elongated and zoomed little;
     * windows are cut at most 1.5 : 1, more of them along the long side at the same overlap, at
     * most 8 (frame.ts windowGrid). Found on seed 660014's missed pastes (a pumpkin and a milk
     * carton pasted into a strip of knots, found with it: paste 21 → 23 of 30; one combination lost,
     * found before only in a window at rank 9–20); at a fresh seed (660015) every outcome was the
     * same, the check p50 +13 ms. cutout: a query on a coloured or textured backdrop (local.background)
     * also gets its art without the backdrop — the whitened frame trimmed to what is left, as the
     * library trims a drawing on white — as one more window, when that covers at most this share of
     * the content box's area (a drawing filling most of its canvas is already described by the
     * whole frame's whitened view; 0 turns it off). The whitened view alone keeps a small drawing
     * small: a screwdriver across the top of a tall dotted canvas met the library's coarsest
     * pyramid levels only. Measured (README, session 48): seeds 660088–660090, two copies more found
     * (that screwdriver; a frog drawing on dots, stretched, under a watermark), none lost, no
     * unrelated image more flagged. A query whose dark or coloured border holds a picture of the art
     * on its own backdrop (local.background.picture) gets a second such window: that picture with
     * its backdrop peeled too, trimmed to what is left (session 52: seed 660095's kangaroo on dots,
     * sheared on black, found with it).
     */
    zoom: { side: 0.6, steps: 2, minPx: 64, minLooks: 0.3, mirror: false, maxAspect: 1.5, maxWindows: 8, cutout: 0.8 },
    /**
     * Queries only (engine/image/local/tilt.ts): affine-simulated views of the working frame, as
     * ASIFT does — the frame stretched by each factor along `directions` directions evenly spread
     * over 180°, scaled back to the working size, described (mirrored too when `mirror`) and checked
     * against the library as a query of its own, after the zoom windows. ORB survives turning and
     * scale, not a strong stretch along one direction: a copy sheared by 0.3–0.4 or seen obliquely
     * shares few descriptors with its source, while the view whose tilt undoes most of that stretch
     * meets it as an unsheared copy would. A view's match counts only for a library image no earlier
     * view matched and only when it looks at least minLooks like the library drawing (as a zoom
     * window's). Empty `factors` turns the views off. Each view gets its fine octave (the warp's own
     * map at the octave's size): a sheared potato's consensus came from its fine keypoints alone.
     * Measured (README, session 59): two diagonals at t = 2 found 6 more copies over seeds 660103,
     * 660106–660108 (shears, combinations, crops), lost none, flagged no unrelated image more;
     * fingerprinting a query p50 139 → 203 ms. Four directions would double that; mirror off.
     */
    tilt: { factors: [2] as readonly number[], directions: 2, mirror: false, minLooks: 0.3 },
    /** Grey-level difference from the border colour that counts as content when trimming borders. */
    trimTolerance: 24,
    /**
     * Salt-and-pepper dots (engine/image/local/despeckle.ts): a pixel at or below `dark` (or at or
     * above 255 − dark) unlike at least 7 of its 8 neighbours by more than `step` is an impulse; an
     * image where minShare of the sampled pixels are impulses has each replaced by its neighbours'
     * median before the working frame is cut (library images and queries alike), its outer ring
     * included, in up to `passes` passes (a dot touching two others is an impulse once they are
     * gone). The colour pixels the backdrop whitening bins are cleaned in the same places
     * (despeckleColour): a spray left on the border put black and white in the backdrop's palette,
     * and a striped backdrop under it was never whitened (seed 660133, combo-14).
     */
    despeckle: { dark: 40, step: 80, minShare: 0.003, passes: 2 },
    /**
     * Queries only (engine/image/local/background.ts): art flattened on a coloured or textured
     * backdrop is also described with that backdrop whitened (the region joined to the border in the
     * border's own colours, quantised to `bits` per channel; palette = the bins covering `coverage`
     * of the border, at most `maxBins` and `maxBinShare` of the border's pixels; islands up to
     * `maxSpeck` of the frame inside it join it, and so do regions of its palette the art encloses
     * that are larger than that — holes in transparent art: seed 660062's pretzel on noise kept its
     * loops' noise), its keypoints added to the query's. Skipped when more than
     * `maxWhiteShare` of the border is already white, or the fill covers under `minShare` of the frame
     * or leaves under `minContent` of it. minContent 0.005 (0.03 before session 52): a small drawing
     * on a large patterned canvas — a sticker — leaves about a hundredth of it (seed 660095's baby
     * bottle on graph paper, 2.4 %); on randomised pastes onto the eval's textures, three draws of
     * ~58, 144 → 157 found, none lost, no other drawing more flagged; 0.002 found no more (README,
     * session 52).
     * picture: a picture turned, sheared or put in perspective on a white canvas (the editor's
     * fill) has a white border, where nothing is whitened otherwise. Inside it, the region the
     * white leaves is taken for a picture when it is large (minShare of the frame), convex (its
     * pixels ≥ solidity of its hull's area) and straight-edged (its hull keeps at most maxCorners
     * corners when simplified to within straightness of its diagonal; an apple or a coin is convex
     * but round). Its own backdrop — the colours covering `coverage` of the band ringFrom..ringTo
     * pixels inside its edge — is then peeled as the border's is, when it covers at least minFill
     * of the picture and leaves its art; up to `layers` pictures one inside the other (a white
     * margin around a grey fill around stripes). A sample of the frame `probe` pixels across is
     * looked at first, the frame in full only when the sample shows such a picture (the sample
     * alone: median 0.55 ms, p95 0.88 ms, warm, on 97 white-bordered dev drawings). On a dark or
     * coloured border the whitened view stays the outer peel alone — a drawing shaped like a picture
     * (a calculator, a sign) on a dark backdrop would lose its body — and the picture peeled as well
     * is a second frame, cut out as one more zoom window only (local.zoom.cutout; background.ts
     * whitenBackgrounds). Found on seed 660093's missed combination 39 (a pencil on dots, sheared on
     * white, under a watermark): found with it, and nothing else changed there (README, session 51);
     * the second frame on seed 660095's combination 10 (README, session 52).
     * noise: grain over the whole copy (noise on a solid or textured backdrop) spreads the border's
     * colours over so many bins that nothing was whitened (seed 660124's combination 37, a hammer on
     * green under Gaussian grain of σ 35.4: no backdrop view at all). When the colours as they are
     * give no whitened frame and the median step between neighbouring border pixels (the largest
     * channel's) is at least minStep grey levels, they are binned again from a (2 · radius + 1)²
     * box average. Only as that fallback: smoothing every grainy border found 2 more of 80 copies
     * at one harness seed and lost 2 at another (a dotted backdrop smoothed leaves blurred dots
     * along the outline). Measured (README, session 75): the backdrop-and-grain harness 73 → 74 and
     * 72 → 73 of 80, the same unrelated drawings flagged; generated eval at fresh seeds 660125 and
     * 660126, every outcome the same.
     * smooth / smoothRun / smoothMaxNear (session 105): the grain's palette spans so many levels of
     * its hue that it swallows the drawing's own colours (σ 40 around a dark red: the ironing
     * board's dark reds and greys; around a blue: the magnet's dark-red shadow and outline, which
     * reach the frame's edge), and the fill ran through 3–30 % of the drawing. On a grainy
     * border, a palette pixel whose two neighbours along its row or along its column both lie
     * within smooth × the border's median step on every channel, in a connected run of at least
     * smoothRun such pixels, is kept as content: grain steps between neighbours everywhere, so its
     * pixels pass alone and by chance, while a drawing's flat or shaded
     * regions and its strokes pass together. Only where at most smoothMaxNear of the border's
     * neighbouring pixels are that near: noise of a few colours at random (half its neighbours
     * equal) has no such steps. Measured on the misses of the noise texture at seeds 660140–660168
     * (scratch e105/bgmiss.ts, each against its source alone): 8 of 8 found instead of 3, the share
     * of the drawing painted white 1–24 % instead of 3–30 %; see README, session 105, for the
     * fresh seeds. It also ended seed 660163's false positive (the speckled sausage on a grainy
     * backdrop taken for the speckled garlic toast, guided.ratio below): its whitened frame keeps
     * the sausage's own smooth parts. smooth 0 turns it off.
     * widenFactor: the palette is widened by one bin so that backdrop colours the border never shows
     * join it; under a dark backdrop's grain (clipped to near-black here and there) that took in
     * black, and a drawing's black outline was painted white with the backdrop (seed 660150's
     * missed mug on a dark green noise texture: no view verified; with it, the whole frame verifies
     * at 48 inliers). On a grainy border (median neighbour step ≥ noise.minStep), binned as it is,
     * a colour only the widening lets in is crowded when the frame, outside the backdrop already
     * marked, holds it more than widenFactor times as often as the border does and in more than a
     * speck (a backdrop's colours are no commoner inside than along its edge), and the inside of a
     * stroke at least three pixels wide in crowded colours is kept as content. Only the inside:
     * leaving crowded colours out of the palette altogether kept the antialiased rims of a fine dot
     * pattern the border's rows missed (a screwdriver on dots, whose rims then joined the dots
     * touching it to the drawing) and lost two unit-tested copies. Only on a grainy border: a
     * blurred copy's edges are thick bands of in-between colours, and seed 660150's combination 13
     * (a picture on a gradient, in perspective on grey, blurred σ 4.2) kept its edge and was lost.
     * dots: a coarse dot pattern on a small copy has dots larger than a speck (seed 660150's lizard,
     * 118 × 273 px, dots of 97 px where a speck is 96), which stayed in the whitened frame. Islands
     * up to maxShare of the frame, off its edge, solid (≥ minFill of their box) and of one colour
     * (≥ minColour of their pixels in one bin), join the backdrop when at least minCount of them
     * share that bin and lie within tolerance of their median's size and sides. A diagram's eleven
     * boats (sailing_points) are alike in size but many-coloured and stay; a first version without
     * the solid and one-colour tests whitened them and lost that copy. Measured (README, session 94).
     * grainSpread (session 95): grain scatters a dot's pixels over many colour bins (the
     * backdrop-and-grain harness's seed 4, copy 48: a pushpin on blue dots under grain of σ 38.5,
     * each dot's commonest bin holding 7–19 % of it, and every dot stayed). On a grainy border an
     * island is also of one colour when its pixels' spread (the largest channel's standard
     * deviation, as they are) is at most grainSpread × the border's median step (there 45–59
     * against a step of 60), and there islands are grouped by mean colour, within one bin's width
     * of each other, not by their commonest bins. Measured (README, session 95).
     */
    background: {
      bits: 4,
      coverage: 0.9,
      maxBins: 400,
      maxBinShare: 0.25,
      maxSpeck: 0.003,
      maxWhiteShare: 0.5,
      minShare: 0.05,
      minContent: 0.005,
      picture: {
        minShare: 0.1,
        solidity: 0.95,
        maxCorners: 6,
        straightness: 0.02,
        ringFrom: 4,
        ringTo: 9,
        minFill: 0.3,
        layers: 2,
        coverage: 0.8,
        probe: 96,
      },
      noise: { minStep: 6, radius: 2, smooth: 0.25, smoothRun: 8, smoothMaxNear: 0.35 },
      widenFactor: 3,
      dots: { maxShare: 0.02, minFill: 0.65, minColour: 0.6, minCount: 6, tolerance: 0.3, grainSpread: 1 },
    },
    /**
     * What ORB sees (engine/image/local/prepare.ts): grey levels stretched linearly so that the
     * [tailShare, 1 − tailShare] percentiles span 0..255 (gain ≤ maxGain) — FAST's threshold is
     * fixed at 20 levels, so blurred or faded copies kept almost no keypoints. padPx adds a margin
     * of the trimmed-away background around a trimmed frame (at the working size), bringing the
     * drawing's outline out of ORB's 31-px patch border. Measured (README, "What ORB sees"): the
     * margin found 9 more of 960 copies at two fresh seeds (crops, rotations, pastes) but also
     * outline-only agreement between different drawings (5 more of 300 unrelated images flagged),
     * so it is off (0) until verification tells an outline from content.
     * edgePadPx is the fallback for a frame that was not trimmed because its drawing touches the
     * canvas's edges (a bust cut by the frame): when such a frame, described as it is, carries less
     * information than infoFloor (nothing could be verified on it) and at least edgeShare of its
     * edge pixels are one grey level (within trimTolerance), it is described again with a margin of
     * edgePadPx of that level, in every view, if that carries more (engine/image/local/extract.ts).
     * Measured (README, "A drawing cut by its canvas"): an eagle's bust whose head lies in ORB's
     * border kept 15 keypoints (info 0.13), 164 with the margin; at two fresh seeds nothing else changed.
     * trimPadPx is the same fallback for a trimmed frame below infoFloor (a lollipop whose spiral
     * runs to its trimmed edges kept 30 keypoints, info 0.22): described again with a margin of
     * trimPadPx of its background, in every view, and taken only when the keypoints more than
     * frameBand inside the frame carry infoFloor on their own (info.ts interiorInfo). The margin
     * brings back the outline, which ends at a trimmed frame's edges; an outline alone (two blank
     * sheets of paper) is what padPx cannot tell from content, and it stays below the floor inside.
     * Measured (README, "A trimmed frame too plain to verify"): 17 of the 35 such dev files lifted;
     * +1 and +2 copies at seeds 660034 and 660038, the same outcomes at 660036 and 660039, no
     * unrelated image more flagged.
     */
    prepare: { padPx: 0, tailShare: 0.005, maxGain: 4, edgePadPx: 32, edgeShare: 0.6, trimPadPx: 32 },
    /** Evidence at which each information measure saturates (measure / this, capped at 1). */
    infoFull: { keypoints: 120, effectiveWords: 60, diversity: 100, spread: 0.25 },
    /** Information score from which an image is verified on minSpots places; below it more are needed (infoFloor). */
    minInfo: 0.5,
    /**
     * Between infoFloor and minInfo (the smaller score of the two images) a match needs
     * minSpots × minInfo / score places instead of minSpots (a bold pictogram at 0.34 needs 9, a
     * grown consensus 1.5× that); below infoFloor nothing is verified. infoFloor = minInfo restores
     * the plain gate.
     */
    infoFloor: 0.25,
    /**
     * Whether a query's information is measured over every view it is matched with (working frame,
     * fine octave, whitened twin) instead of its working frame alone (engine/image/local/verify.ts
     * queryInfo). Found on seed 660017's misses: a crop of a chilli kept 13 working-frame keypoints
     * (score 0.11, below infoFloor) but 116 over its views (0.77), and its 7 inliers are confirmed
     * by appearance at 0.98. Measured (README, "information over every view"): one more shear found
     * at seed 660018, every other outcome at 660017 and 660018 the same, no unrelated image more.
     */
    infoOfViews: true,
    /** Candidates taken from the inverted file per check, and verified geometrically. */
    candidates: 20,
    /**
     * The whole query's shortlist below those `candidates` (down to rank `shortlist`) is re-ranked
     * by weak geometric consistency (engine/image/local/rerank.ts: putative matches agreeing in
     * their orientation change, bins of `binDeg`) and its best `take` are verified too. A blurred,
     * thumbnailed or re-encoded copy keeps few exact visual words, so its source ranks low in the
     * inverted file (20th–70th of 150 library images), yet its descriptors still match under the
     * coarser vocabulary node and turn by one angle. Measured on the saved queries of seeds 660017
     * and 660018 (README, "Re-ranking the shortlist"): the source among the images
     * verified for 50 and 47 of 60 combinations instead of 47 and 39 with take 5. take 0 turns it off.
     * Each extra verification is one more chance for a chance consensus, so a match found this way
     * must also look like the library image (appearance.ts score ≥ minLooks, as a zoom window's).
     * Measured: the 8 copies it found at seeds 660017–660019 scored 0.415–0.934; the two chance
     * pairs it accepted by their keypoints scored 0.178 (two different animal heads by one author,
     * captioned in one lettering; seed 660018) and 0.301 (two road signs sharing only the red
     * prohibition ring: copy-dev q00978 ↔ lib0107). 0.35 lies between; ten pairs, a thin margin.
     * zoomBin: the matches must also agree in their keypoints' size change (log2 bins of this
     * width, two adjacent ones; 0 = orientation only), as Jégou et al.'s weak geometric consistency
     * does: a copy scales its keypoints by one factor, chance matches by any. On a turned, blurred
     * test drawing its source kept 196 of 204 agreeing matches and the best unrelated drawing fell
     * from 15 to 7. In the evaluation (README, session 39) the source entered the 5 taken from the
     * 20th–59th ranks for 3 queries more at seeds 660063–660065 and left it for none.
     * hashes: at most this many library images the global hashes found near the whole query (the
     * visual layer's probes, whatever their cosine; the closest first) are verified too when the
     * inverted file did not list them — a second way in for a copy whose words noise or a warp
     * scattered but whose whole picture still hashes close (seed 660091: a stretched, tilted,
     * salted box of folders ranked 68th by its words) — under the same floor minLooks; 0 turns it
     * off. A bound, not a fit: as many as the re-ranked tail takes.
     *
     * views: every other query view (zoom and picture windows, tilted views, the inverted frame)
     * re-ranks its own list the same way, as far as views.shortlist, and verifies its best
     * views.take too, each held to the higher of its own floor and minLooks. A view's head is only
     * `candidates` deep, and a small pasted copy can rank just below it in the window that holds it.
     * Found on the missed pastes of seeds 660146–660148 (scratch e93/pr.ts): of 16 misses holding a
     * paste, 4 had a view that verified the source from rank 21–63 of its list (a window twice at
     * rank 21, a tilted view at 34, the inverted frame at 63), at looks 0.41–0.72, each first or
     * second once re-ranked; with it all 4 are found and nothing else changed at those seeds. At
     * fresh seeds 660149–660151 (README, session 93) every outcome was the same with and without
     * it, and the check took about 8 % longer (p50 and p95). take 0 turns it off.
     */
    rerank: { shortlist: 60, take: 5, binDeg: 30, zoomBin: 0.5, minLooks: 0.35, hashes: 5, views: { shortlist: 80, take: 2 } },
    /**
     * When no consensus of keypoints matched any library image, the `candidates` nearest the query
     * by shape signature (engine/index/signatures.ts: best cosine over the trimmed and whole views
     * of both, an exact scan) are aligned by their pixels alone (engine/image/local/verify.ts
     * verifyAligned): the library drawing's content box mapped onto the query's (boxes trimmed at
     * `trimThreshold` grey levels, as the global hashes trim), aligned by ECC over a homography and
     * held to every appearance gate with every cell agreeing — the bar of a weak consensus aligned
     * by its pixels. A simple or blurred drawing put in perspective or sheared keeps too few corners
     * for a consensus (seed 660125: an exit pictogram in perspective, its keypoints 5 → 3 inliers)
     * and too few pHash bits for the visual layer's search (distance 16) while its outline still
     * spans its box. Measured in a harness (README, "Aligned by the pixels"): of 83 queries of seed
     * 660125 holding a perspective or a shear, the box map alone passed 24, aligned first 58; of 90
     * at 660126, 57; and 0 of 750 / 1 of 750 pairs of an unrelated query with its 5 closest library
     * images by signature cosine passed. Each candidate costs one alignment (p50 ≈ 12–14 ms), so
     * `candidates` bounds the check's added time. 0 turns it off.
     *
     * `minCentred`: the aligned drawing must also correlate at least this much with the query once
     * each orientation field's mean is taken out (appearance.ts `centred`) — what agrees beyond one
     * dominant direction. With no keypoint behind it, ECC can bend a drawing whose strokes mostly run
     * one way onto any mass running that way: seed 660131's pencil, stretched 2.6 : 1 onto a
     * puffin's black back, scored 0.70 with every cell agreeing but 0.51 centred. For a true copy the
     * two hardly differ: over the 883 queries of seeds 660129–660131 whose own library image it
     * confirmed (every family; README, session 81), centred fell at most 0.05 below the score and
     * never below 0.62. The bar is the appearance's own minScore; 0 turns it off.
     *
     * `maxTurnDeg`: the aligned map may turn the drawing by at most this much (its region's
     * rotationDeg, the nearest rotation to its map). The alignment starts from the upright box map
     * and only refines it; a map turned nearer a quarter turn than upright (past 45°) is not that
     * map refined but one rounded drawing bent onto another: seed 660139's sheared, blurred juice
     * box confirmed as a ring-shaped pudding turned 72° (score 0.72), and so named the copy of the
     * wrong image. The 284 copies of that seed this check confirmed against their own library image
     * (README, session 87) turned at most 36°.
     *
     * `turned`: an aligned map turned by fromDeg or more must score at least minScore. A true copy
     * the alignment turns that far lines up closely; two plain silhouettes (a round fruit with a
     * stem) align onto each other at any turn: seed 660144's prune confirmed as a round pear turned
     * 20.5° at 0.677, every cell agreeing, centred 0.677. Over the 592 copies of seeds
     * 660139–660140 this check confirmed against their own library image (scratch e89/alh.ts,
     * README session 89), the 25 turned 10° or more scored 0.838–0.994; those turned less, from
     * 0.627. fromDeg 0 turns it off.
     *
     * `backdrop`: a query whose backdrop was whitened (background.ts) also has that whitened frame
     * aligned the same way with the `candidates` library images nearest its own hashed view
     * (ImageFingerprint.backdrop), after the plain frame's. On a coloured or textured backdrop the
     * plain frame's content box is the whole frame and its signature mostly the backdrop's: a
     * no-entry disc on a green backdrop under grain of σ 35 (the backdrop-and-grain harness, seed 3,
     * scratch e95) kept too few corners for a consensus and its whitened view's pHash lay 16 bits
     * from the library's (signature cosine 0.996), so no layer found it. Measured (README, session
     * 95): harness seeds 1–4, 295 → 296 of 320 copies, the same 21 of 320 unrelated drawings
     * flagged; seed 660155 every outcome the same. false turns it off.
     *
     * `dihedral`: still with nothing aligned, the library images nearest the query's trimmed view
     * in any of its seven other dihedral variants (quarter turns and mirrors, perceptual.ts
     * dihedralSignature; the nearest `candidates` over all seven) are aligned from that variant's
     * box map, the turn allowed counted from the variant's own. A drawing mirrored or turned as a
     * whole, then sheared and blurred or blown up from a thumbnail, keeps too few corners for a
     * consensus, and the upright box map is never aligned onto its mirror image: the paint roller
     * mirrored, sheared and blurred at σ 4.4 (the dihedral harness, scratch e96/dih.ts, seed 1).
     * Measured (README, session 96): harness seeds 1–3, 202 → 205 of 240 copies, the same 11 of
     * 240 unrelated drawings flagged. false turns it off.
     */
    aligned: {
      candidates: 5,
      trimThreshold: 28,
      minCentred: 0.6,
      maxTurnDeg: 45,
      turned: { fromDeg: 10, minScore: 0.8 },
      backdrop: true,
      dihedral: true,
    },
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
     * drawings of one subject in one style reached 12–16 after the orientation check (two
     * Ampelmann figures: 16; two AIGA pictograms sharing only their black frame: 15–17), hence 18.
     * True copies pasted at 30 % scale into a busy picture keep 12–45 at the matching level: 18
     * costs about one paste in ten in the generated eval (0.55 → 0.45) and removes every
     * unexplained false positive there and on copy-dev — a false accusation costs a creator more.
     */
    minInliers: 18,
    minInlierRatio: 0.15,
    minInlierArea: 0.02,
    /**
     * A consensus whose inliers span less than `smallSpan` of the area of both frames (the query's,
     * or its window's, and the library image's) is neither a crop of the library image nor a copy
     * of it pasted in: it is a small detail the two share — a few letters of one typeface, a ring
     * around a hole. It is accepted only as a weak consensus is: when the query seen through its
     * model looks like the whole library drawing (every `appearance` gate). In a 320-image scan
     * (seed 660050) the three false positives left were of this kind (a watermark's letters ↔ a
     * caption's, a sign's lettering ↔ another's, a key's hole ↔ a glass's olive: spans ≤ 0.01 and
     * ≤ 0.08, appearance 0.19–0.35), while the true copies whose evidence spanned as little
     * (a note whose only detail is its paperclip, an overlaid and an upscaled copy: 0.05–0.09)
     * looked like their source at 0.73–0.92. A refused consensus is then a weak one: grown by
     * guided matching and asked again (appearance.regrow), as a part of a cut-out copy is (seed
     * 660099: a stretched flan on a scene, 24 inliers over 3 % of the window, grown to 114 that
     * look like it at 0.62). 0 turns it off.
     */
    smallSpan: 0.1,
    /**
     * Distinct places among the inliers (verify.ts distinctSpots: inliers closer than spotRadius ×
     * the library frame's longest side count once), at least minSpots, of which at least
     * minInteriorSpots more than frameBand inside the library frame's edges. ORB describes one
     * salient corner at several pyramid levels, so a shared frame or ring (four rounded corners)
     * gives many agreeing keypoints but 3–5 places, all on the edge band; in diag-local (seed
     * 20261122) every verified true copy had ≥ 6 places and ≥ 6 interior ones, and all-pairs of
     * the AIGA series (scripts/eval/diag-pairs.ts) had chance consensus at 2–5 places.
     */
    spotRadius: 0.03,
    /**
     * A guided-matching seed (below) must span its places in the query as well as in the library
     * image, and there places no closer than this share of the query's smallest keypoint patch —
     * 15.5 px of the working frame for a whole query (its fine octave's 31 px), 31 px for a zoom
     * window: keypoints closer than half a patch describe overlapping pixels, one piece of evidence
     * however small the model says the copy is. Seed 660069: a sword's hilt (17 keypoint pairs over
     * 65 × 40 px) agreed with the crossing lines of a capsized dinghy's mast within 16 × 17 px of the
     * query — 15 places at the model's 4.3 px radius, 4 at this floor — and guided matching grew it
     * along the mast's straight lines to 49. An accepted consensus still counts its query places at
     * the model's scale: asked of every consensus, the floor lost a real copy (a mirrored video
     * pasted at a third of the width on a noisy background, tests/unit/media-keyframes.test.ts).
     * 0 turns it off (seeds' places counted in the library image only).
     */
    placeOfPatch: 0.5,
    minSpots: 6,
    frameBand: 0.1,
    minInteriorSpots: 3,
    /**
     * The affine consensus is grown into a homography (model.ts fitModel) when that explains more
     * matches; the library frame's corners may differ in depth by at most this ratio (1 = affine only).
     */
    maxDepthRatio: 3,
    /**
     * Accepted transforms: linear scale range and the largest anisotropy (ratio of singular values).
     * The anisotropy bounds every accepted model, also one grown by guided matching or aligned by its
     * pixels (verify.ts proportioned, at the library frame's centre, in the matching view's frame).
     */
    scaleRange: [0.15, 6.5],
    maxAnisotropy: 3,
    /**
     * Guided matching (guided.ts): a consensus turned down only for too few inliers (or too small a
     * share), that has at least seedInliers orientation-consistent inliers and seedRatio of the
     * putative matches and already spans minSpots places (minInteriorSpots inside the frame), is
     * used as a guess: every library keypoint is projected through it and matched to the query
     * keypoints within radiusPx whose size and orientation agree with the model (any vocabulary
     * node, no ratio test, Hamming ≤ maxHamming). The result must pass every gate again, with
     * minInlierRatio for the share and, because its matches passed a looser test, 1.5× the places
     * (minSpots). A ring or a frame shared by two pictograms spans 2–5 places and is never grown.
     * seedInliers 0 turns it off. What it grows must also look like the library drawing: the query
     * seen through the grown model correlates at least minLooks with it (appearance.ts score; the
     * zoom windows' floor, for the same reason — guided matching follows whatever lines run through
     * a chance seed). Seed 660070: a mirrored seed of 11 between a coat-check hanger's hook and the
     * information sign's question mark grew along the curve to 44 inliers and correlated 0.22.
     * 0 turns the floor off; a query or library entry without pixels is not asked. Not raised
     * (session 89, scratch e89/weak.ts over seeds 660139–660140): of 347 copies with a guided
     * consensus accepted against their source, the lowest whose only evidence it was scored 0.346
     * and 0.371, while chance pairs pass at 0.304 (two different buses by one author, 660144) and
     * 0.325 (a pear on a magnifying glass) — a 0.02 margin on two seeds justifies no new floor.
     * ratio (tried in session 101, off: 1): Lowe's ratio among the query keypoints a projected
     * library keypoint could be guided to (guided.ts) — the closest kept only when under ratio × the
     * next one's distance, in every guided matching (a seed's growth, the appearance gate's
     * regrowing, a bent copy's wider part search). Meant for repeated marks: seed 660163's speckled
     * sausage grew a zoom window's 13-inlier chance seed to 66 guided inliers among the speckled
     * garlic toast's dots (looks 0.306) and was flagged; at 0.9 the seed grows to 2 and nothing is.
     * At fresh seeds it cost more than it gave (README, session 101): the generated eval at 660164
     * identical, the augmentation probe at 780008 one copy fewer (a camel bent and motion-blurred,
     * its seed of 12 grown to 39 without the ratio, to 26 with it), the first probe set at 770026
     * one correct find and one copy fewer (ganson's cone series, the same scoops; a fruit collection
     * in a combination) and no false positive fewer.
     */
    guided: {
      seedInliers: 8,
      seedRatio: 0.1,
      radiusPx: 12,
      maxHamming: 64,
      sizeTolerance: 1.5,
      ratio: 1,
      minInlierRatio: 0.15,
      minSpots: 9,
      minLooks: 0.3,
    },
    /** Inliers at which confidence reaches ~0.95 (1 − e^(−3 (inliers − minInliers) / this)). */
    confidentInliers: 40,
    /**
     * Photometric confirmation (appearance.ts): a consensus turned down by the count, share or
     * places gates, with at least minInliers orientation-consistent inliers, is accepted when the
     * query warped through its model looks like the library image — the correlation of the two
     * gradient-orientation fields (doubled angles) over the drawing's content reaches minScore,
     * over the whole and over its interior (more than `band` inside the frame's edges: a shared
     * frame or border agrees everywhere but there), with minAgree of the grid × grid cells that
     * hold cellShare of the content reaching cellScore on their own, on at least minPixels sketch
     * pixels (a quarter of that in the interior) holding minSupport of the drawing's gradient
     * energy. Per candidate only the weak consensus with the most inliers is looked at. Library
     * entries keep a sketch of sketchSize px (longest side, deflated: ~2.5 KB); contentTolerance
     * and grow outline the drawing in it. Measured (README, "Appearance
     * confirmation"): weak consensuses of true copies at two seeds scored up to 0.98, chance ones
     * among ~540 (every unrelated × library pair and the top-20 candidates of every query) at most
     * 0.57 (two AIGA pictograms sharing a frame; their interior disagrees).
     *
     * `refine`: a weak model that fails these gates but already scores `from` is aligned by its
     * pixels (align.ts: ECC on the grey sketch over the drawing's content, coarse to fine over
     * `levels` halvings, at most `iterations` Gauss–Newton steps per level, stopping when the
     * correlation moves by less than `eps`) and compared once more, with every gate. A model
     * fitted on 6–15 keypoints at five places of a perspective or sheared copy can be a fifth of
     * the drawing off; aligned, such copies scored 0.81–0.99 (from 0.43–0.47). Unrelated weak
     * pairs (every unrelated × library pair of three generated seeds, 348 weak consensuses,
     * aligned by OpenCV's findTransformECC at one level) scored at most 0.53 after alignment, none
     * passing the gates; with this code, seeds 660021–660024 flagged exactly the unrelated images
     * they flag without it (README, "Aligning a weak model by its pixels"). `from` bounds the cost
     * (one alignment per candidate at most, only for models already part-way); iterations 0 turns
     * it off. Once aligned, `minAgree` of the cells holding content must agree (all of them): an
     * alignment pulls a shared ring into place as well as a copy (a ring around "$" against the
     * same ring around "?" scored 0.81 with 8 of 9 cells agreeing; every aligned true copy so far
     * agreed in all its cells). `affineMaxStretch`: where the alignment over a homography fails or
     * bends the library frame past plausibility (homography.ts plausibleH), it is tried once more
     * over an affine map (align.ts `motion`, OpenCV's MOTION_AFFINE), every gate as before, kept
     * only when its singular values differ by at most this ratio (ransac.ts stretchOf). A
     * homography's two perspective terms are constrained only by content spread across the frame;
     * a crop (the content boxes then do not correspond: local.aligned maps one onto the other) or a
     * drawing along one line lets ECC bend the frame's far corners anywhere. Seed 660134's
     * parchment cropped to 70 %, blurred (σ 3.5) and noised: implausible over a homography,
     * confirmed over an affine map. What the fallback is for — a crop, a turn, a blur, a new
     * backdrop — keeps the drawing's proportions; an unbounded affine map also laid elongated
     * drawings along each other (seed 660136: a bandage onto two hammers and lightsabers, a tiger
     * onto a bypass lopper, at stretches 1.53–126, where 9 of the 10 copies it gained had
     * 1.00–1.18: crops, a turn, a blur, a backdrop, a crop stretched 1 : 1.2, a shear whose two
     * terms nearly cancel; the tenth, sheared by 0.4 both ways, 2.32). A copy stretched or sheared
     * further keeps the homography path it had before (README, session 84). 0: homography only.
     *
     * `regrow`: a weak model that fails these gates (aligned or not) is first grown by guided
     * matching (guided.ts, with local.guided's radius, Hamming and size limits) and refitted, up to
     * `regrow` times while its orientation-consistent inliers increase, each refitted model asked
     * every gate again (refine included). Six to ten keypoints on one part of a drawing (the
     * crossbar of a gallows pasted onto a penguin) fit a model that is right where they are and
     * off elsewhere, so even a true copy does not line up; guided matching finds the copy's other
     * keypoints near where that model sends them, and the refitted model reaches further (a fish
     * pasted onto a car under salt-and-pepper noise: 7 inliers scoring 0.087, then 13 scoring
     * 0.315, then 21 scoring 0.641, accepted; the gallows 0.127 → 0.191 → 0.342 over two
     * rounds, still refused). A chance model can grow too (a certificate against an envelope:
     * 9 → 46 inliers) but still does not look like the drawing (0.03), and nothing is accepted on
     * its grown count. Measured (README, "Growing a weak model before its appearance is judged"):
     * seeds 660093–660096, two combinations more at 660093 (a noisy negative, a blurred boxed
     * paste), no other outcome changed, the same unrelated images flagged. 0 turns it off.
     *
     * `lowSupport`: a comparison holding less than minSupport of the drawing's gradient energy but
     * at least lowSupport.minSupport passes when its score and its interior's reach
     * lowSupport.minScore (every other gate as before): a crop of 40–50 % of a frame whose strokes
     * lie mostly elsewhere holds a quarter of them or less (seed 660049's orange: 0.24, aligned
     * 0.997). Less of the drawing compared asks a closer likeness: chance weak consensuses scored at
     * most 0.57, 0.53 aligned (above).
     *
     * `unlike`: even a consensus strong enough to stand on its count (minInliers and every place
     * gate) is refused when the query seen through its model correlates with the drawing below
     * unlike.minScore and fewer than unlike.minAgree of its content cells agree (verify.ts
     * unlikeTheDrawing): the keypoints then agree on something the two pictures share that is not
     * the drawing — the same bold lettering under two different cartoon animals (SKOYNK ↔ SHAEZY,
     * 26 inliers, score 0.24, one cell in eight). Only a copy held in at least unlike.minPx pixels
     * of the query (its longest side; twice the sketch's) is asked: a thumbnail's likeness is not
     * measured (seed 660084's horse head pasted at 88 px scored 0.21 on its only evidence).
     * Measured over every count-accepted match of the queries and zoom windows of seeds
     * 660081–660084 against their top-20 candidates (scratch e44/looks.ts, 5,396 matches): each
     * true copy's best such match scored 0.3 or more (the lowest 0.31–0.35) but two: the horse head
     * above and a habanero on stripes (0.22 over 47 inliers; the visual layer found it all the
     * same). In the evaluation (README, session 44) the
     * lettering pair is no longer flagged at 660081, every copy is found as before at 660081 and
     * 660083–660085, and one pair the label audit calls related is no longer flagged (two frames of
     * the capsize sequence, 660085). minScore 0 turns it off.
     *
     * `unlike.pieces`: a copy bent by a non-rigid warp (an elastic field, a grid distortion: the
     * probe's augmentation set, session 97) keeps a strong consensus, but one homography explains
     * only the part of it where the warp is nearly projective, and the drawing seen through it lies
     * off the query's strokes elsewhere — refused as unlike (20 such refusals at probe seed 780002,
     * 20–145 inliers, score 0.07–0.27). Before refusing, the gate looks for the drawing's other parts
     * (bent-parts.ts bentParts): among the putative matches no part holds yet, up to maxParts − 1 more
     * models of at least minInliers orientation-agreeing inliers, each turned by at most maxTurnDeg,
     * scaled by at most maxLogScale (natural log) and placing its inliers' centre within maxShift of
     * the query view's longer side of where the first model does. With at least minParts parts whose
     * inliers (two each) fill at least minCells of a 3 × 3 split of the library frame, the query is
     * seen through all of them (bend.ts: each part's model near its inliers, blended by a Gaussian of
     * sigma × the frame's longer side, on a grid of `nodes`) with both images smoothed by `smooth`
     * sketch pixels — the parts leave a bent copy's strokes a pixel or two off — and the unlike bars
     * are asked again. The parts come from keypoints that agree, not from a search for what looks
     * best: a consensus on one shared detail (the same lettering under two drawings) leaves no other
     * part near it. maxParts 1 turns it off.
     *   When the putative matches hold no second part (the matches near where the first model puts
     *   each library keypoint: the part of a bent copy it explains), the library keypoints are
     *   matched again by guided matching within `reach` of the query view's longer side of where the
     *   first model puts them (whatever their visual word; 0 turns this off), and the parts are
     *   sought again among those matches (session 100: the probe's tank bent at 4–6 %, one part
     *   among its putative matches and four among the wider ones). `weak`: a weak consensus that
     *   still fails its appearance after regrowing is also seen through its parts, held to every bar
     *   a weak consensus's appearance must pass (minScore, minAgree, support), not the unlike gate's
     *   lower ones; false turns it off. Measured: README, session 100.
     *   `trace` (session 107): when the parts do not make the query look like the drawing (or none
     *   are found), its field is traced outward from the consensus instead (trace-bend.ts). In up
     *   to `rounds` rounds every library keypoint is matched again by guided matching within
     *   `reach` of the query view's longer side of where the field so far puts it, its orientation
     *   turned as the field turns there; the matches within `tolPx` of the field they make together
     *   make the next one (bend.ts matchField: at each node a local linear regression of the
     *   matches' residuals from the first model, Gaussian weights of `sigma` × the frame's longer
     *   side, its slope held back by `ridge` × the weights), while a round keeps at least `minGain`
     *   × the matches held before. With at least `minMatches` of them over minCells cells, the
     *   query is seen through that field, smoothed as through the parts, and the better-looking of
     *   the two is returned; the traced field, which bends freely enough to lift a chance likeness
     *   (peterm's two lettered animals: 0.24 → 0.317, over the unlike gate's 0.3), must pass a weak
     *   consensus's bars in both gates. A swirl turns a drawing's middle by radians (the probe's
     *   1–3), so no part within maxTurnDeg of the first model holds it, and its field's turn grows
     *   from part to part. Measured on the 17 elastic and swirl copies missed at probe seed 780018,
     *   each against its source alone (scratch e107/tr.ts): 0 found with rounds 0, 2 with these
     *   settings. Before the traced field was held to the weak bars in the unlike gate: 3 with these
     *   settings, 2 with sigma 0.05, 1 with sigma 0.12 or ridge 0.5, 3 with 8 rounds, minGain 1.05
     *   or reach 0.08. rounds 0 turns it off. Measured: README, session 107.
     *
     * `stretched`: a weak consensus confirmed by its appearance alone (not one standing on its
     * count, nor the aligned check) whose map stretches the library drawing, as the copy is seen,
     * at least stretched.from : 1 (the reported region's stretch: a map under policy
     * region.stretched is taken as unstretched) must score stretched.minScore or more. A map fitted
     * on a handful of keypoints that is free to squash the drawing lays one closed outline onto
     * another (any two ellipses are one affine map apart), so its likeness says less: seed 660140's
     * magnifying glass confirmed a plate's oval rim squeezed 2.57 : 1 onto its lens ring (6 inliers,
     * 0.658, 7 of 8 cells agreeing). Measured (README, session 88): the weak consensuses confirmed
     * by appearance of every copy against its source at seeds 660138 and 660140 (683) stretched less
     * than 1.8 : 1 but two sheared copies, at 2.12 and 2.25 : 1, scoring 0.88 and 0.92; no copy lost
     * its last local match to this bar. from 0 turns it off.
     *
     * `minCentred`: a weak consensus confirmed by its likeness alone must also correlate at least
     * this much once each orientation field's mean is taken out (appearance.ts `centred`; the
     * aligned check's local.aligned.minCentred, for the same reason): a drawing whose strokes mostly
     * run one way agrees with any other running that way. Seed 660140's butter dish: the knife laid
     * along a nunchaku stick by 11 mirrored keypoints scored 0.634 but 0.559 centred; seed 660142's
     * habanero along an arrow 0.653, 0.585 centred. Measured (README, session 88): over the 697
     * likeness-confirmed matches of every copy against its source at seeds 660140 and 660142, centred
     * fell more than 0.06 below the score for 1 %, and 12 fell under 0.6, each of whose copies another
     * view still found. 0 turns it off.
     *
     * `blurred`: a query found blurred (described unsharp-masked too: local.sharpen's measure of
     * its whole frame) is compared with both images Gaussian-smoothed by `sigma` sketch pixels
     * before their gradients are taken, the library sketch as much as the query. A thumbnail shrunk
     * by dropping pixels and blown up again keeps its drawing but turns every outline into dashes
     * and stair steps, whose orientations scatter at the sketch's own scale: seed 660109's candied
     * apples (a 65 px thumbnail under a slight perspective; 27 inliers on the right model) scored
     * 0.24 with no cell agreeing and were refused as unlike the drawing; smoothed, 0.54 with 6 of 7
     * cells agreeing. 1.5 sketch pixels spans the dashes of the eval's smallest thumbnails (48 px
     * against the 96 px sketch: two sketch pixels a thumbnail pixel). Zoom windows and tilted views
     * are resampled, so they always measure blurred; they are compared as they are (smoothing them
     * let a sheared boat diagram's window confirm a chance consensus on a sword at 0.64:
     * tests/unit/local-places.test.ts). A sharp query is compared as before. Smoothing lifts a
     * chance comparison too: over 600 blurred or thumbnailed unrelated drawings against a
     * 150-image library (scratch e61/bfp.ts, seeds 880001–880002) it flagged one more, a pear
     * thumbnail on a magnifying glass (a mirrored chance seed of 10 inliers grown by guided
     * matching to 67, which guided.minLooks lets through at 0.325 with or without smoothing when
     * the glass is among the first candidates; re-ranked, it had to look like the glass at 0.35,
     * and traced one to one its grown model scored 0.51 smoothed, 0.31 not), and found one more
     * related pair (the hash browns on a menu's plate). sigma 0 turns it off.
     */
    appearance: {
      sketchSize: 96,
      contentTolerance: 24,
      grow: 2,
      grid: 3,
      cellShare: 0.04,
      cellScore: 0.4,
      band: 0.1,
      minInliers: 6,
      minScore: 0.6,
      minAgree: 0.75,
      minSupport: 0.3,
      lowSupport: { minSupport: 0.15, minScore: 0.9 },
      unlike: {
        minScore: 0.3,
        minAgree: 0.25,
        minPx: 192,
        pieces: {
          maxParts: 4,
          minParts: 2,
          minInliers: 10,
          maxTurnDeg: 20,
          maxLogScale: 0.3,
          maxShift: 0.1,
          minCells: 4,
          reach: 0.1,
          weak: true,
          sigma: 0.08,
          nodes: 13,
          smooth: 1.5,
          trace: { rounds: 4, reach: 0.05, tolPx: 8, minGain: 1.1, minMatches: 30, sigma: 0.08, ridge: 0.05 },
        },
      },
      stretched: { from: 2, minScore: 0.8 },
      minCentred: 0.6,
      minPixels: 400,
      refine: { from: 0.3, iterations: 30, eps: 1e-4, levels: 3, minAgree: 1, affineMaxStretch: 1.25 },
      regrow: 3,
      blurred: { sigma: 1.5 },
      /**
       * A pixelated query (engine/image/local/mosaic.ts: along both axes, grid lines at most a
       * third of the period wide, quiet lines filling at least minFlat of the content, at least
       * minBlocks of them, spaced by whole periods) is compared with both images smoothed by
       * sigmaPerBlock × its block size in sketch pixels: its own edges are the grid's, so its
       * orientation field agrees with its source's only once the grid is smoothed away (a colander
       * and pot pixelated at 8.6 px: 0.06 as it is, 0.37 at the blurred sigma, 0.77 at 4 sketch
       * pixels, 1.25 × its block). One needing more than maxSigma (fewer than about 20 blocks
       * across a frame the sketch's 96 px hold) is a blob there and is compared as it is: smoothed
       * to 6 px, a spray can cut into 12 blocks agreed with the fire-extinguisher pictogram.
       * Measured (README, session 86): pixelated copies 229 → 236 of 300 found at seeds
       * 560101–560102, pixelated unrelated 1 → 2 of 300 flagged; the generated eval (660139) and
       * the probe (770013) identical. A looser reading of the grid, measured again in session 92
       * with the aligned check's turn bars in place: 5 more of 150 pixelated copies found at seed
       * 560103 and 2 more of 150 pixelated unrelated images flagged; not adopted. sigmaPerBlock 0
       * turns it off.
       */
      mosaic: { quiet: 0.1, minFlat: 0.4, minBlocks: 6, sigmaPerBlock: 1.25, maxSigma: 6 },
    },
  },
  /** Matches returned per check. */
  topK: 5,
} as const;

type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends boolean
      ? boolean
      : T extends object
        ? { readonly [K in keyof T]: Widen<T[K]> }
        : T;
/** The policy's shape with plain number fields, so variants can be built for tests and presets. */
export type UniquenessPolicy = Widen<typeof UNIQUENESS_POLICY>;

/** A marketplace's rule on reusing part of one's own asset, as GET /v1/policy publishes it. */
export type OwnPartReuseRule = 'allow' | 'refuse';

/** A policy's `ownPartReuse` as the engine reads it (decision.ts): 'allow', or anything else, a refusal. */
export const ownPartReuse = (pol: Pick<UniquenessPolicy, 'ownPartReuse'>): OwnPartReuseRule =>
  pol.ownPartReuse === 'allow' ? 'allow' : 'refuse';
