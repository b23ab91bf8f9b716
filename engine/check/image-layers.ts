/**
 * The check's image layers: exact digests (file bytes, decoded pixels, card metadata), the global
 * perceptual hashes (pHash probes verified by shape signature, in every dihedral alignment) and
 * local features (inverted file of visual words, then geometric verification one by one).
 */
import { fromHex } from '../hash/bits.ts';
import type { HammingHit } from '../hash/mih.ts';
import { BACKDROP_VIEW, BOX_VIEW, SCALES, type BoxViewHashes, type ViewHashes } from '../image/fingerprint.ts';
import { rectCovered } from '../image/local/geometry.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import { rerankByTurn } from '../image/local/rerank.ts';
import { appearanceOf, dihedralFrameMap, looksLike, verify as verifyLocal, verifyAligned } from '../image/local/verify.ts';
import { loadVocabulary } from '../image/local/vocab-file.ts';
import { inverseQuery } from '../image/local/invert.ts';
import { reliefQuery } from '../image/local/relief.ts';
import { dihedralSignature, reliableBits, signatureCosine, signatureFromBase64 } from '../image/perceptual.ts';
import type { UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { fullScaleSignature } from '../index/search-indexes.ts';
import type { Evidence, VisualHit } from '../scoring.ts';
import type { CheckContext } from './context.ts';

/** Exact layer: the same metadata, the same file, the same pixels. */
export function exactLayer(ctx: CheckContext): void {
  const { fp, rows } = ctx;
  for (const r of rows.withMetadataHash(fp.metadataHash)) {
    const a = ctx.acc(r);
    if (a) a.exact.metadata = true;
  }
  if (!fp.image) return;
  for (const r of rows.withImage('bytes', fp.image.bytesSha256)) {
    const a = ctx.acc(r);
    if (a) a.exact.bytes = true;
  }
  for (const r of rows.withImage('pixels', fp.image.pixelsSha256)) {
    const a = ctx.acc(r);
    if (a) a.exact.pixels = true;
  }
}

/**
 * Visual-copy layer: the query's alignments (2 views × 3 scales as-is, plus the 7 other dihedral
 * variants of the trimmed view; the same for the backdrop-whitened trimmed view and for each
 * picture found inside the query, when it has them) against the stored hashes, verified by
 * signature.
 */
export function visualLayer(ctx: CheckContext): void {
  const { fp, policy: pol } = ctx;
  if (!fp.image) return;
  // The trimmed view (0), the whole frame (1), the trimmed view without its backdrop (BACKDROP_VIEW;
  // policy visual.backdrop) and the pictures found inside the frame (BOX_VIEW on; policy visual.boxes).
  const views: (ViewHashes | undefined)[] = fp.image.views.slice(0, BACKDROP_VIEW);
  if (fp.image.backdrop && pol.visual.backdrop) views[BACKDROP_VIEW] = fp.image.backdrop;
  if (pol.visual.boxes.on) (fp.image.boxes ?? []).forEach((b, i) => !hollowPicture(b, pol) && (views[BOX_VIEW + i] = b));
  const qsigs = views.map((v) => v?.sig.map(signatureFromBase64));
  const variantSig = new Map<number, Int8Array>();
  const sigOf = (qv: number, qs: number, k: number): Int8Array => {
    const key = (qv * 8 + qs) * 8 + k;
    let qsig = variantSig.get(key);
    if (!qsig) {
      qsig = dihedralSignature(qsigs[qv]?.[qs] as Int8Array, k);
      variantSig.set(key, qsig);
    }
    return qsig;
  };
  const rel = pol.visual.reliable;
  // A hash and mask already searched on their reliable bits (dihedral alignments of a symmetric drawing coincide).
  const maskedDone = new Set<string>();
  // The masked probe looks only at stored full-scale hashes (the copies it is for keep the frame).
  const fullScale = new Uint8Array(256).map((_, tag) => (tag % SCALES.length === 0 ? 1 : 0));
  const storedFull = ctx.indexes.phash.size / SCALES.length;
  // Pixel confirmations already made (library image × dihedral alignment).
  const confirmed = new Map<number, boolean>();
  views.forEach((v, qv) => {
    // A view that carries almost no information (nearly blank, a few thin lines) is no evidence:
    // two different sketches on white hash alike.
    if (!informative(v, pol)) return;
    v.phash.forEach((variants, qs) => {
      if ((v.scaleQuality?.[qs] ?? Infinity) < pol.visual.minQuality) return;
      variants.forEach((hex, k) => {
        // Flipped/rotated alignments are searched at full scale only: on the trimmed and whitened
        // views, and on the whole frame where trimming is unstable (policy visual.turnWhole).
        if (k > 0 && (qs > 0 || (qv === 1 && !pol.visual.turnWhole))) return;
        // The wider radius only for the whole frame as-is, where stamped text moves the hash
        // furthest (the trimmed view of a stamped copy changes shape and rarely matches anyway).
        const radius = qs === 0 && k === 0 && qv === 1 ? pol.visual.identityRadius : pol.visual.candidateRadius;
        // floor 0: recorded whatever its cosine, as before (the score decides).
        const hits = ctx.indexes.phash.search(fromHex(hex), radius).map((hit) => ({ hit, floor: 0 }));
        // A hash with many bits set by rounding noise (a symmetric drawing) is also searched on its
        // reliable bits alone (policy visual.reliable), at full scale; what only that finds counts
        // only at the higher cosine.
        // (Not for a box view: its pixel confirmation would compare the whole query, not the box.)
        if (rel.on && qs === 0 && qv < BOX_VIEW) {
          const r = reliableBits(sigOf(qv, qs, k), rel.margin);
          const key = `${hex}/${r.mask.hi}/${r.mask.lo}`;
          const within = maskedRadius(r.reliable, storedFull, rel.radius, rel.maxChance);
          if (64 - r.reliable >= rel.minUnreliable && r.reliable >= rel.minReliable && within >= 0 && !maskedDone.has(key)) {
            maskedDone.add(key);
            const found = new Set(hits.map(({ hit }) => hit.owner * 256 + hit.tag));
            // The closest on the reliable bits first, at most maxCandidates (hashes cluster more than
            // fair coins do: many versions of one drawing in a library).
            const masked = ctx.indexes.phash
              .searchMasked(fromHex(hex), r.mask, within, fullScale)
              .filter((h) => !found.has(h.owner * 256 + h.tag));
            masked.sort((a, b) => a.distance - b.distance);
            for (const hit of masked.slice(0, rel.maxCandidates)) hits.push({ hit, floor: rel.minCosine });
          }
        }
        for (const { hit, floor } of hits) {
          const target = storedSignature(ctx, hit);
          if (!target) continue;
          const cos = signatureCosine(sigOf(qv, qs, k), target);
          if (cos < floor) continue;
          // Found on its reliable bits alone: the pixels must agree too (visual.reliable) — not
          // asked when this image already holds a closer visual match.
          if (floor > 0) {
            if ((ctx.evidence.get(hit.owner)?.visual?.cos ?? -1) >= cos) continue;
            const at = hit.owner * 8 + k;
            if (!confirmed.has(at)) confirmed.set(at, confirmedByPixels(ctx, hit.owner, k));
            if (!confirmed.get(at)) continue;
          }
          keepVisual(ctx, hit, { cos, qView: qv, qScale: qs, k });
        }
      });
    });
  });
  if (pol.visual.negative) negativeProbes(ctx, views, sigOf);
  if (pol.visual.fold.on) foldProbes(ctx);
}

/**
 * A solarized (or inverted) copy found by its folded view (policy visual.fold; fingerprint.ts
 * foldView): the query's folded pHash in each of its 8 dihedral alignments is searched among the
 * stored folded views and verified by the folded shape signature in the same alignment. A hit is
 * recorded as a visual match of the trimmed views at full scale, marked folded, when it is the
 * closest found for that image so far.
 */
function foldProbes(ctx: CheckContext): void {
  const { policy: pol } = ctx;
  const f = pol.visual.fold;
  const q = ctx.fp.image?.fold;
  if (!q || q.quality < f.minQuality) return;
  const sig = signatureFromBase64(q.sig);
  q.phash.forEach((hex, k) => {
    const qsig = dihedralSignature(sig, k);
    for (const hit of ctx.indexes.fold.search(fromHex(hex), f.radius)) {
      if (ctx.excluded.has(hit.owner)) continue;
      const stored = ctx.entryOf(hit.owner)?.fold;
      if (!stored || stored.quality < f.minQuality) continue;
      const cos = signatureCosine(qsig, stored.sig);
      if (cos >= f.cosine) keepVisual(ctx, { ...hit, tag: 0 }, { cos, qView: 0, qScale: 0, k, folded: true });
    }
  });
}

/**
 * The negative of a drawing (an editor's "invert colours") read from the query's own hashes (policy
 * visual.negative): inverting grey levels negates every DCT coefficient but the mean (DC), so each
 * AC bit of the pHash flips and the shape signature, which leaves DC out, is negated. The trimmed
 * view's alignments and the whole frame's (as visual.turnWhole says), at full scale, are searched
 * complemented and verified with the negated signature; only a hit at copyCosine or above is
 * recorded (a negative's likeness below it adds nothing to the score of a plain candidate). No
 * pixels or keypoints are needed: a near-featureless silhouette, which the local layer's inverted
 * view cannot verify, is found as its negative.
 */
function negativeProbes(
  ctx: CheckContext,
  views: (ViewHashes | undefined)[],
  sigOf: (qv: number, qs: number, k: number) => Int8Array,
): void {
  const { policy: pol } = ctx;
  for (const qv of [0, 1]) {
    const v = views[qv];
    if (!informative(v, pol)) continue;
    (v.phash[0] ?? []).forEach((hex, k) => {
      if (k > 0 && qv === 1 && !pol.visual.turnWhole) return;
      const radius = k === 0 && qv === 1 ? pol.visual.identityRadius : pol.visual.candidateRadius;
      const h = fromHex(hex);
      // Every bit but the most significant (DC: the mean brightness, positive either way).
      const negative = { hi: (h.hi ^ 0x7fffffff) >>> 0, lo: (h.lo ^ 0xffffffff) >>> 0 };
      const qsig = negatedSignature(sigOf(qv, 0, k));
      for (const hit of ctx.indexes.phash.search(negative, radius)) {
        const target = storedSignature(ctx, hit);
        if (!target) continue;
        const cos = signatureCosine(qsig, target);
        if (cos >= pol.visual.copyCosine) keepVisual(ctx, hit, { cos, qView: qv, qScale: 0, k, negative: true });
      }
    });
  }
}

/** Whether a query view is there and carries information (visual.minQuality). */
function informative(v: ViewHashes | undefined, pol: UniquenessPolicy): v is ViewHashes {
  return v !== undefined && !((v.quality ?? Infinity) < pol.visual.minQuality);
}

/** A stored hash's shape signature, when its image may be matched and its view carries information (visual.minQuality). */
function storedSignature(ctx: CheckContext, hit: HammingHit): Int8Array | null {
  if (ctx.excluded.has(hit.owner)) return null;
  const e = ctx.entryOf(hit.owner);
  const target = e?.sigs?.[hit.tag];
  if (!target) return null;
  if ((e?.quality?.[Math.floor(hit.tag / SCALES.length)] ?? Infinity) < ctx.policy.visual.minQuality) return null;
  return target;
}

/** Records a visual match on the hit's image when it is the closest found there so far. */
function keepVisual(ctx: CheckContext, hit: HammingHit, q: Omit<VisualHit, 'tView' | 'tScale'>): void {
  const a = ctx.acc(hit.owner);
  if (a && (!a.visual || q.cos > a.visual.cos))
    a.visual = { ...q, tView: Math.floor(hit.tag / SCALES.length), tScale: hit.tag % SCALES.length };
}

/** A shape signature negated (int8: −128 would not negate, so it is read as −127). */
function negatedSignature(sig: Int8Array): Int8Array {
  return sig.map((c) => -Math.max(-127, c));
}

/**
 * The largest masked radius, at most `radius`, at which stored hashes agreeing with a probe's
 * `reliable` bits by chance are expected at most `maxChance` times among `stored` hashes (each bit
 * a fair coin: stored × Σ_{i ≤ r} C(reliable, i) / 2^reliable); −1 when even exact agreement is
 * expected more often (too few reliable bits for a library this size: the probe is skipped).
 */
export function maskedRadius(reliable: number, stored: number, radius: number, maxChance: number): number {
  let within = -1;
  let ways = 0;
  let choose = 1;
  for (let r = 0; r <= radius; r++) {
    ways += choose;
    if ((stored * ways) / 2 ** reliable > maxChance) break;
    within = r;
    choose = (choose * (reliable - r)) / (r + 1);
  }
  return within;
}

/**
 * Whether the query's working frame, turned by its dihedral variant k onto the library image's,
 * looks like the library drawing by every appearance gate (verify.ts looksLike: gradient
 * orientations over the drawing, its interior and its cells): two blank sheets of paper by
 * different artists, or one bear drawn in two poses, do not.
 */
function confirmedByPixels(ctx: CheckContext, rowid: number, k: number): boolean {
  const query = ctx.fp.local;
  const lib = query ? ctx.localOf(rowid) : null;
  if (!query || !lib) return false;
  return looksLike(query, lib, dihedralFrameMap(k, lib.width, lib.height, query.width, query.height), ctx.policy.local) !== null;
}

/**
 * The queries the local layer verifies, in order: the whole frame, each zoom window (none with
 * local.zoom.steps 0; windows cut around pictures inside the query only with visual.boxes on), the
 * frame's tilted views (policy local.tilt; none when its factors are empty), for a query on a dark
 * backdrop its inverted frame as a negative (invert.ts), and last, for an embossed query, its frame
 * with the relief undone (relief.ts; policy local.relief).
 */
export function localQueries(local: LocalFeatureSet, pol: UniquenessPolicy): LocalFeatureSet[] {
  const windows = pol.local.zoom.steps > 0 ? (local.windows ?? []).filter((w) => pol.visual.boxes.on || !w.picture) : [];
  const tilts = pol.local.tilt.factors.length > 0 ? (local.tilts ?? []) : [];
  const inverse = inverseQuery(local);
  const relief = pol.local.relief.minBalance <= 1 ? reliefQuery(local) : null;
  return [local, ...windows, ...tilts, ...(inverse ? [inverse] : []), ...(relief ? [relief] : [])];
}

/**
 * Local-feature layer: images sharing visual words (inverted file, both directions: the query a
 * part of a library image, or containing one), the best of its re-ranked tail (policy
 * local.rerank) and those the global hashes found near the whole query (local.rerank.hashes),
 * verified geometrically one by one; then the same for each of the query's zoom windows and tilted
 * views, and for its inverted frame when it sits on a dark backdrop (each with its own re-ranked
 * tail, local.rerank.views);
 * last, when nothing matched, the images nearest by shape signature aligned by their pixels — the
 * whole query's, then its backdrop-whitened frame's (local.aligned.backdrop), then, still with
 * none aligned, its trimmed view's turned and mirrored variants' (local.aligned.dihedral), then
 * each picture's found inside it.
 */
export function localLayer(ctx: CheckContext): void {
  const { fp, policy: pol, excluded } = ctx;
  if (!fp.local) return;
  const matched = new Set<number>();
  // Library images read once per check (ctx.localOf): the whole frame and its windows retrieve many of the same.
  const stored = (rowid: number): LocalFeatureSet | null => ctx.localOf(rowid);
  // The whole frame first, then each zoom window (a small pasted copy fills more of one) for the
  // library images the whole did not match, then the inverted frame (localQueries); a window's
  // region is already placed in the whole query.
  const rr = pol.local.rerank;
  for (const query of localQueries(fp.local, pol)) {
    const head = pol.local.candidates + excluded.size + matched.size;
    // Each query also looks further down its list, re-ranked by orientation agreement (rerank.ts):
    // the whole frame as far as rerank.shortlist, each other view as far as rerank.views.shortlist.
    const { shortlist, take } = query === fp.local ? rr : rr.views;
    const deep = take > 0;
    const listed = ctx.indexes.local.candidates(query, deep ? Math.max(head, shortlist + excluded.size + matched.size) : head);
    const rest = deep ? listed.slice(head).filter((c) => !excluded.has(c.rowid) && !matched.has(c.rowid)) : [];
    const more = rerankByTurn(query, rest, stored, pol.local, loadVocabulary(), take, rr.binDeg, rr.zoomBin);
    const top = listed.slice(0, head);
    // The whole query also verifies what the global hashes found near it (visualLayer ran first)
    // and the inverted file did not list: a copy whose words were scattered but whose picture was not.
    if (query === fp.local && rr.hashes > 0) {
      const seen = new Set([...top, ...more].map((c) => c.rowid));
      for (const rowid of hashFinds(ctx.evidence, seen, rr.hashes)) more.push({ rowid, score: 0, shared: 0 });
    }
    const tail = new Set(more);
    for (const c of [...top, ...more]) {
      if (excluded.has(c.rowid) || matched.has(c.rowid)) continue;
      const lib = stored(c.rowid);
      if (!lib) continue;
      const m = verifyLocal(query, lib, pol.local);
      if (!m) continue;
      const floor = looksFloor(query, query === fp.local, tail.has(c), pol);
      if (floor > 0 && appearanceOf(query, lib, m, pol.local) < floor) continue;
      (ctx.acc(c.rowid) as Evidence).local = m;
      matched.add(c.rowid);
    }
  }
  // When no consensus matched anything, the library images nearest the query by shape signature,
  // aligned by their pixels alone (policy local.aligned): a simple drawing in perspective keeps too
  // few corners to agree on, and its pHash too few bits for the visual layer's search.
  const al = pol.local.aligned;
  if (al.candidates <= 0 || !fp.image || matched.size > 0) return;
  const aligned = new Set(excluded);
  // One library image aligned with the query from dihedral variant k (0: upright), kept when it holds.
  const alignOne = (query: LocalFeatureSet, rowid: number, k = 0): void => {
    const lib = stored(rowid);
    const m = lib && verifyAligned(query, lib, pol.local, undefined, k);
    if (!m) return;
    (ctx.acc(rowid) as Evidence).local = m;
    aligned.add(rowid);
  };
  const align = (query: LocalFeatureSet, sigs: Int8Array[]): void => {
    for (const { rowid } of ctx.indexes.signatures.nearest(sigs, al.candidates, aligned)) alignOne(query, rowid);
  };
  align(fp.local, fp.image.views.slice(0, 2).map(fullScaleSignature));
  // Then the frame with its backdrop whitened (policy local.aligned.backdrop), against the library
  // images nearest its own hashed view: on a coloured or textured backdrop the plain frame's content
  // box is the whole frame, and its signature the backdrop's.
  if (al.backdrop && fp.local.flatGray && fp.image.backdrop) {
    align({ ...fp.local, frameGray: fp.local.flatGray }, [fullScaleSignature(fp.image.backdrop)]);
  }
  // Then, still with nothing aligned, the drawing turned by quarter turns or mirrored as a whole
  // (policy local.aligned.dihedral): the library images nearest any of the trimmed view's seven
  // other dihedral variants, the nearest `candidates` over all seven, each aligned from its variant.
  if (al.dihedral && aligned.size === excluded.size) {
    const sig = fullScaleSignature(fp.image.views[0] as ViewHashes);
    const near = new Map<number, { cos: number; k: number }>();
    for (let k = 1; k < 8; k++) {
      for (const { rowid, cos } of ctx.indexes.signatures.nearest([dihedralSignature(sig, k)], al.candidates, aligned)) {
        if ((near.get(rowid)?.cos ?? -Infinity) < cos) near.set(rowid, { cos, k });
      }
    }
    const best = [...near].sort((a, b) => b[1].cos - a[1].cos || a[0] - b[0]).slice(0, al.candidates);
    for (const [rowid, { k }] of best) alignOne(fp.local, rowid, k);
  }
  // Then each picture found inside the query (visual.boxes): its window, with the library images
  // nearest its own hashed box — a small drawing pasted on its own background into a larger picture.
  if (!pol.visual.boxes.on) return;
  const pictures = (fp.image.boxes ?? []).filter((b) => !hollowPicture(b, pol));
  for (const w of fp.local.windows ?? []) {
    const sigs = w.picture ? pictureSignatures(pictures, w.frame) : [];
    if (sigs.length > 0) align(w, sigs);
  }
}

/**
 * A picture found inside the query (not a turned one) whose 85 % centre crop carries no information:
 * a frame around nothing, whose hash is its outline's (policy visual.boxes.skipHollow).
 */
export function hollowPicture(b: BoxViewHashes, pol: UniquenessPolicy): boolean {
  return pol.visual.boxes.skipHollow && !b.turned && (b.scaleQuality?.[1] ?? Infinity) < pol.visual.minQuality;
}

/**
 * The full-scale shape signatures of the hashed pictures (ImageFingerprint.boxes) a picture window
 * was cut from: upright boxes holding the window (`frame`, fractions of the image), which is the
 * content of one of them trimmed of its border — both found on the same grey frame.
 */
export function pictureSignatures(boxes: readonly BoxViewHashes[], frame: LocalFeatureSet['frame']): Int8Array[] {
  return boxes.filter((b) => !b.turned && rectCovered(frame, b.at) >= 0.95).map(fullScaleSignature);
}

/**
 * How much a local match of this query must look like the library image (appearanceOf): a tilted
 * view's (local.tilt.minLooks), a zoom window's or the inverted frame's (local.zoom.minLooks), and
 * any view's from its re-ranked tail at least local.rerank.minLooks too — each an extra chance for
 * a chance consensus; 0 (no floor) for the whole query's own candidates.
 */
export function looksFloor(query: LocalFeatureSet, whole: boolean, reranked: boolean, pol: UniquenessPolicy): number {
  const own = query.tilt ? pol.local.tilt.minLooks : whole ? 0 : pol.local.zoom.minLooks;
  return reranked ? Math.max(own, pol.local.rerank.minLooks) : own;
}

/**
 * The library images the global hashes found near the whole query (visual evidence, any cosine)
 * that the local layer has not listed yet: the closest first, at most `cap` (policy
 * local.rerank.hashes).
 */
export function hashFinds(evidence: ReadonlyMap<number, Evidence>, seen: ReadonlySet<number>, cap: number): number[] {
  const near = [...evidence].flatMap(([rowid, e]) => (e.visual && !seen.has(rowid) ? [{ rowid, cos: e.visual.cos }] : []));
  near.sort((a, b) => b.cos - a.cos);
  return near.slice(0, Math.max(0, cap)).map((n) => n.rowid);
}
