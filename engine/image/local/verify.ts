/**
 * Geometric verification of a candidate: descriptors matched under shared vocabulary nodes (Hamming
 * distance, Lowe's ratio test, one match per library keypoint), an affine model found by RANSAC for
 * the query as decoded and for its mirrored view, grown into a homography when that explains more
 * matches (perspective), and acceptance only when enough matches agree (count, share of putative
 * matches, keypoint orientations, spread over both images, and distinct places, some of them away
 * from the frame's edges). A consensus short only of inliers that already spans those places is
 * grown by guided matching (guided.ts) and must then pass every gate again, on 1.5× the places.
 * Both images must carry some information (info.ts): below local.infoFloor nothing is verified,
 * and below local.minInfo proportionally more places are needed. A consensus that does not look
 * like the drawing is refused, unless the drawing's other parts, found among the matches left
 * over or matched again further from its model, show a copy bent by a non-rigid warp that does
 * (bent-parts.ts); a weak consensus that fails its appearance gets the same last chance, held to
 * the weak bars. A view's model is fitted in model.ts.
 */
import type { MatchedRegion, NormBox } from '../../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../../shared/policy/uniqueness.ts';
import { type Pt, bbox, clipToRect, polygonArea } from './geometry.ts';
import { type Homography, angleGap, invertH, localAffine, multiply, plausibleH, project, rotationOf, scaleOf } from './homography.ts';
import { type Putative, groupedView, matchGrouped } from './putative.ts';
import { seenBent } from './bent-parts.ts';
import { type Consensus, type LocalPolicy, centroid, fitModel, flipX, guidedParams, turnedAlike, unmirrored } from './model.ts';
import { type Affine, stretchOf } from './ransac.ts';
import { type Appearance, appearance, greyCorrelation, modelRefiner } from './appearance.ts';
import { guidedMatches } from './guided.ts';
import { measureInfo } from './info.ts';
import type { LocalFeatureSet, LocalView } from './types.ts';
import type { Vocabulary } from './vocab.ts';
import { findTrim } from '../trim.ts';

export { type Putative, putativeMatches } from './putative.ts';
import { loadVocabulary } from './vocab-file.ts';

export type { LocalPolicy };

export interface LocalMatch {
  region: MatchedRegion;
  /** 0..1: grows with the inliers above the minimum and with the inlier share. */
  confidence: number;
  /** Putative descriptor matches before RANSAC. */
  putative: number;
  /** Distinct places among the inliers (the smaller count of the two images; distinctSpots). */
  spots: number;
  /** Of those, the places away from the library frame's edges (interiorSpots). */
  interior: number;
  /**
   * The affine map from the library image's working frame onto the query's working frame (near its
   * centre); for a tilted view (tilt.ts), onto the view's frame, as `homography`.
   */
  affine: Affine;
  /**
   * The full model, library working frame → query working frame (an affine one when no homography
   * explained more); for a tilted view, → the view's frame (appearanceOf compares the view's pixels).
   */
  homography: Homography;
  /** Set when the consensus was accepted on its pixels (confirmByAppearance) rather than its count. */
  looks?: Appearance;
}

function apply(m: Affine, p: Pt): Pt {
  return [m[0] * p[0] + m[1] * p[1] + m[4], m[2] * p[0] + m[3] * p[1] + m[5]];
}

function invert(m: Affine): Affine {
  const [a, b, c, d, tx, ty] = m;
  const det = a * d - b * c;
  const ia = d / det,
    ib = -b / det,
    ic = -c / det,
    id = a / det;
  return [ia, ib, ic, id, -(ia * tx + ib * ty), -(ic * tx + id * ty)];
}

/**
 * Distinct places among the inliers: greedily, an inlier counts when no counted one lies within
 * `radius` pixels. ORB describes a salient corner at several pyramid levels, so a few shared spots
 * (the four rounded corners of a pictogram's frame) can give a dozen or more agreeing keypoints;
 * independent evidence is the number of places, not of keypoints.
 */
export function distinctSpots(xy: Float64Array, idx: readonly number[], radius: number): number {
  const r2 = radius * radius;
  const kept: number[] = [];
  for (const i of idx) {
    const x = xy[2 * i] as number;
    const y = xy[2 * i + 1] as number;
    let near = false;
    for (let k = 0; k < kept.length && !near; k += 2) {
      const dx = (kept[k] as number) - x;
      const dy = (kept[k + 1] as number) - y;
      near = dx * dx + dy * dy <= r2;
    }
    if (!near) kept.push(x, y);
  }
  return kept.length / 2;
}

/**
 * Distinct places among the inliers that lie away from the edges of the library image's working
 * frame (more than `band` of its width/height inside): a shared frame, border or ring has all of its
 * places in that band, content that is really copied has some inside.
 */
export function interiorSpots(xy: Float64Array, idx: readonly number[], radius: number, w: number, h: number, band: number): number {
  const inside = idx.filter((i) => {
    const x = (xy[2 * i] as number) / w;
    const y = (xy[2 * i + 1] as number) / h;
    return x > band && x < 1 - band && y > band && y < 1 - band;
  });
  return distinctSpots(xy, inside, radius);
}

/** Area of the inliers' bounding box as a share of the frame. */
function spreadOf(xy: Float64Array, idx: number[], w: number, h: number): number {
  const pts = idx.map((i) => [xy[2 * i] as number, xy[2 * i + 1] as number] as Pt);
  const b = bbox(pts);
  return (b.w * b.h) / (w * h);
}

/** A working frame's size and its rectangle in the original image. */
type FrameGeometry = Pick<LocalFeatureSet, 'width' | 'height' | 'frame'>;

/** Working-frame pixels → fractions of the original image (the frame is the trimmed rectangle). */
function toOriginal(set: FrameGeometry, p: Pt): Pt {
  return [set.frame.x + (p[0] / set.width) * set.frame.w, set.frame.y + (p[1] / set.height) * set.frame.h];
}
/** The original image's corners in working-frame pixels. */
function originalCorners(set: FrameGeometry): Pt[] {
  const f = set.frame;
  const X = (fx: number): number => ((fx - f.x) / f.w) * set.width;
  const Y = (fy: number): number => ((fy - f.y) / f.h) * set.height;
  return [
    [X(0), Y(0)],
    [X(1), Y(0)],
    [X(1), Y(1)],
    [X(0), Y(1)],
  ];
}

function boxOf(set: FrameGeometry, poly: Pt[]): { box: NormBox; area: number } {
  const orig = poly.map((p) => toOriginal(set, p));
  const clipped = clipToRect(orig, 1, 1);
  return { box: bbox(clipped), area: polygonArea(clipped) };
}

/** Why a consensus was turned down; `seed` is its model when it still had `guided.seedInliers`
 * orientation-consistent inliers (a guess worth guiding a second round of matching). */
interface Rejected {
  why: string;
  seed: Homography | null;
  /** The model and its orientation-consistent inliers when there were appearance.minInliers of them (a case for appearance.ts). */
  weak?: { h: Homography; inliers: number[]; put: Putative } | undefined;
}

/**
 * A weak consensus kept for appearance confirmation, with the query view it came from (mirrored or
 * not; with or without unsharp-masked keypoints); `judged` when its model was already found not to
 * look like the drawing (the small-span gate), so it is only grown.
 */
type WeakCase = NonNullable<Rejected['weak']> & { mirrored: boolean; view: LocalView; judged?: true };

/** Radius of one place (distinctSpots), in the library frame's pixels. */
const placeRadius = (candidate: LocalFeatureSet, policy: LocalPolicy): number =>
  policy.spotRadius * Math.max(candidate.width, candidate.height);

/** The smallest keypoint size (patch diameter, pixels of its frame) of each query set, found once. */
const smallestPatch = new WeakMap<LocalFeatureSet, number>();
function patchOf(query: LocalFeatureSet): number {
  let least = smallestPatch.get(query);
  if (least === undefined) {
    least = Number.POSITIVE_INFINITY;
    const k = query.primary.keypoints;
    for (let i = 2; i < k.length; i += 4) least = Math.min(least, k[i] as number);
    if (!Number.isFinite(least)) least = 0;
    smallestPatch.set(query, least);
  }
  return least;
}

/**
 * A guided-matching seed's distinct places in the query: the library's place radius `rad` scaled
 * into the query by the model (at the inliers' centroid), as an accepted consensus counts them, but
 * never under policy.placeOfPatch × the query's smallest keypoint patch (its finest octave's):
 * keypoints closer than that describe overlapping pixels of the query. 0 when the model is
 * degenerate there.
 */
function seedQueryPlaces(
  put: Putative,
  inliers: number[],
  h: Homography,
  rad: number,
  query: LocalFeatureSet,
  policy: LocalPolicy,
): number {
  const [cx, cy] = centroid(put.src, inliers);
  const local = localAffine(h, cx, cy);
  if (!local) return 0;
  const det = Math.abs(local[0] * local[3] - local[1] * local[2]);
  return distinctSpots(put.dst, inliers, Math.max(rad * Math.sqrt(det), policy.placeOfPatch * patchOf(query)));
}

/** The model these matches agree on, when it passes every acceptance gate; otherwise why not. */
function consensus(
  put: Putative,
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy,
  minRatio: number,
  minSpots: number,
): Consensus | Rejected {
  const seedAt = policy.guided.seedInliers;
  const least = Math.min(seedAt > 0 ? Math.min(seedAt, policy.minInliers) : policy.minInliers, policy.appearance.minInliers);
  if (put.count < least) return { why: `putative ${put.count}`, seed: null };
  const model = fitModel(put, candidate, policy);
  if (!model) return { why: 'no model', seed: null };
  const { h } = model;
  // Chance consensus rarely also agrees on keypoint orientation.
  const inliers = turnedAlike(model, put, policy);
  const rad = placeRadius(candidate, policy);
  const weak = inliers.length >= policy.appearance.minInliers ? { h, inliers, put } : undefined;
  const no = (why: string): Rejected => ({ why, seed: null, weak });
  if (inliers.length < policy.minInliers || inliers.length / put.count < minRatio) {
    const why = `inliers ${model.inliers.length}→${inliers.length} of ${put.count}`;
    // Too few agreeing keypoints, but perhaps enough places: guided matching may add keypoints to
    // a consensus that already spans minSpots distinct places (minInteriorSpots inside the frame),
    // never places to one that does not (two pictograms sharing only a ring or a frame).
    if (seedAt <= 0 || inliers.length < seedAt || inliers.length / put.count < policy.guided.seedRatio) return no(why);
    // A seed is a guess that guided matching grows along whatever lines run through it, so it must
    // already span its places in both images, and in the query places no closer than half a patch
    // (seedQueryPlaces; with placeOfPatch 0, in the library image only, as before that floor).
    const seedSpots = Math.min(
      distinctSpots(put.src, inliers, rad),
      policy.placeOfPatch > 0 ? seedQueryPlaces(put, inliers, h, rad, query, policy) : Number.POSITIVE_INFINITY,
    );
    const seedInterior = interiorSpots(put.src, inliers, rad, candidate.width, candidate.height, policy.frameBand);
    if (seedSpots < minSpots || seedInterior < policy.minInteriorSpots) return no(`${why}, ${seedSpots} places`);
    return { why: `${why}, seed`, seed: h, weak };
  }
  const [cx, cy] = centroid(put.src, inliers);
  const local = localAffine(h, cx, cy);
  if (!local) return no('degenerate');
  const det = Math.abs(local[0] * local[3] - local[1] * local[2]);
  if (
    spreadOf(put.src, inliers, candidate.width, candidate.height) < policy.minInlierArea ||
    spreadOf(put.dst, inliers, query.width, query.height) < policy.minInlierArea * det
  )
    return no('spread');
  // Places, not keypoints: the radius is a share of the library frame, scaled into the query by
  // the model so that both images count the same places (no patch floor here: a real copy pasted
  // small has its places close together in the query).
  const spots = Math.min(distinctSpots(put.src, inliers, rad), distinctSpots(put.dst, inliers, rad * Math.sqrt(det)));
  if (spots < minSpots) return no(`spots ${spots} (${inliers.length} inliers)`);
  const interior = Math.min(spots, interiorSpots(put.src, inliers, rad, candidate.width, candidate.height, policy.frameBand));
  if (interior < policy.minInteriorSpots) return no(`interior ${interior} of ${spots} spots`);
  return { h, inliers, put, spots, interior };
}

/** Whether a warped query looks like the library drawing by every appearance gate. */
function passes(looks: Appearance, a: LocalPolicy['appearance']): boolean {
  // Less of the drawing compared (a crop that holds a small share of its strokes) needs a closer likeness.
  const low = a.lowSupport;
  const enough =
    looks.support >= a.minSupport || (looks.support >= low.minSupport && looks.score >= low.minScore && looks.interior >= low.minScore);
  return (
    looks.score >= a.minScore &&
    looks.agree >= a.minAgree &&
    enough &&
    looks.pixels >= a.minPixels &&
    looks.interior >= a.minScore &&
    looks.interiorPixels >= a.minPixels / 4
  );
}

/**
 * How much an accepted match looks like the library image through its model: the appearance score
 * (appearance.ts, a correlation: near 0 for unrelated drawings aligned by chance), 0 when nothing
 * could be compared. Asked of evidence found where chance consensus is likelier than on the whole
 * frame — a zoom window is one more query, whose repeated shapes (wheels, rings, rows of teeth) can
 * agree with another drawing's by chance and then be grown by guided matching.
 */
export function appearanceOf(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  m: LocalMatch,
  policy: LocalPolicy = UNIQUENESS_POLICY.local,
): number {
  return m.looks?.score ?? counted.get(m) ?? appearance(query, candidate, m.homography, policy.appearance)?.score ?? 0;
}

/**
 * The appearance score verify already measured for a match accepted on its count (the unlike
 * gate compares the query through the same model appearanceOf would), so it is not warped twice.
 */
const counted = new WeakMap<LocalMatch, number>();

/**
 * Whether the query seen through `h` (a model fitted in the view it came from: mirrored or not)
 * looks like the library drawing by every appearance gate; the appearance and the model it holds
 * for (the same, or aligned by the pixels), null when it does not. A model fitted on a few
 * keypoints can be far enough off that even a true copy does not line up: one that scores
 * refine.from is aligned by its pixels (appearance.ts modelRefiner) and compared again, once.
 */
function looksAlike(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  h: Homography,
  mirrored: boolean,
  policy: LocalPolicy,
  say: (what: string, l?: Appearance) => void,
): { looks: Appearance; h: Homography } | null {
  const a = policy.appearance;
  const toQuery = unmirrored(query, h, mirrored);
  const looks = appearance(query, candidate, toQuery, a);
  if (!looks) return null;
  say('appearance', looks);
  if (passes(looks, a)) return { looks, h };
  const r = a.refine;
  if (r.iterations <= 0 || looks.score < r.from) return null;
  return refinedLooks(query, candidate, toQuery, mirrored, policy, say);
}

/**
 * `toQuery` (the library frame onto the query's unmirrored working frame) aligned by the pixels
 * (appearance.ts modelRefiner) and held to every appearance gate with every cell agreeing; the
 * appearance and the aligned model back in the view it came from, null when it does not hold.
 */
function refinedLooks(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  toQuery: Homography,
  mirrored: boolean,
  policy: LocalPolicy,
  say: (what: string, l?: Appearance) => void = () => {},
): { looks: Appearance; h: Homography } | null {
  const a = policy.appearance;
  const r = a.refine;
  // A homography first; where that fails or bends the library frame past plausibility (a crop,
  // whose content boxes do not correspond; a drawing along one line constrains no perspective), an
  // affine map (align.ts `motion`) that keeps the drawing's proportions (refine.affineMaxStretch).
  let refined: Homography | null = null;
  let inView: Homography | null = null;
  // The query warped onto the sketch once, for both alignments.
  const refine = modelRefiner(query, candidate, toQuery, a);
  for (const motion of r.affineMaxStretch > 0 ? (['homography', 'affine'] as const) : (['homography'] as const)) {
    const h = refine?.({
      iterations: r.iterations,
      eps: r.eps,
      levels: r.levels,
      minPixels: a.minPixels,
      motion,
    });
    // Back in the view the consensus came from (a mirrored view's model keeps the frame's
    // orientation, which plausibleH requires).
    const back = h && unmirrored(query, h, mirrored);
    const stretched = motion === 'affine' && !!h && stretchOf([h[0], h[1], h[3], h[4], 0, 0]) > r.affineMaxStretch;
    if (h && back && !stretched && plausibleH(back, candidate.width, candidate.height, policy.maxDepthRatio)) {
      refined = h;
      inView = back;
      break;
    }
    say(`refine (${motion}) ${!h ? 'failed' : stretched ? 'stretched' : 'implausible'}`);
  }
  if (!refined || !inView) return null;
  const again = appearance(query, candidate, refined, a);
  if (!again) return null;
  say('refined', again);
  // Aligned on the pixels themselves, the model has no misfit left to excuse a disagreeing cell:
  // every cell holding content must agree (refine.minAgree), or a shared ring or frame, pulled
  // into place, carries two different drawings inside it.
  if (!passes(again, a) || again.agree < r.minAgree) return null;
  return { looks: again, h: inView };
}

/**
 * Whether the query, seen through `h` (the library frame onto the query's working frame), looks
 * like the library drawing by every appearance gate — aligned by its pixels first when it already
 * half agrees — as a weak consensus must: the same confirmation for evidence found another way
 * (a global hash that agreed only on its reliable bits). Null without the query's pixels or the
 * library's sketch.
 */
export function looksLike(query: LocalFeatureSet, candidate: LocalFeatureSet, h: Homography, policy: LocalPolicy): Appearance | null {
  if (!query.frameGray || !candidate.sketch) return null;
  return looksAlike(query, candidate, h, false, policy, () => undefined)?.looks ?? null;
}

/**
 * The map from a library working frame (lw × lh) onto a query's (qw × qh) when the query's
 * dihedral variant k (perceptual.ts dihedralBlock: bit 0 mirrors x, bit 1 mirrors y, bit 2
 * transposes, last) is the library image: library(p) = query(mirrors(transpose(p))), in
 * coordinates normalised to each frame.
 */
export function dihedralFrameMap(k: number, lw: number, lh: number, qw: number, qh: number): Homography {
  // Normalised library point (u, v) → transposed when bit 2 → mirrored per bits 0 and 1.
  const t: Homography = k & 4 ? [0, 1, 0, 1, 0, 0, 0, 0, 1] : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const m: Homography = [k & 1 ? -1 : 1, 0, k & 1 ? 1 : 0, 0, k & 2 ? -1 : 1, k & 2 ? 1 : 0, 0, 0, 1];
  return multiply([qw, 0, 0, 0, qh, 0, 0, 0, 1], multiply(m, multiply(t, [1 / lw, 0, 0, 0, 1 / lh, 0, 0, 0, 1])));
}

/** Traces an appearance comparison (diagnostics). */
function sayLooks(trace: ((why: string) => void) | undefined, mirrored: boolean, inliers: number) {
  return (what: string, l?: Appearance): void =>
    trace?.(
      l
        ? `${what} ${mirrored ? 'mirror' : 'plain'} ${l.score.toFixed(3)} support ${l.support.toFixed(2)} px ${l.pixels} inliers ${inliers} cells ${l.cells} agree ${l.agree.toFixed(2)} interior ${l.interior.toFixed(3)} ${l.interiorPixels}`
        : `${what} ${mirrored ? 'mirror' : 'plain'} inliers ${inliers}`,
    );
}

/**
 * Whether a consensus may stand on its count: when its inliers span less than policy.smallSpan of
 * both frames (a detail the two images share, not a crop or a pasted copy), only if the query seen
 * through its model also looks like the library drawing (looksAlike, as for a weak consensus). A
 * query without its frame's pixels (video keyframes) is not gated. A refused consensus is handed
 * on as a weak one (verify), so it may still be grown over the rest of the drawing and confirmed.
 */
function confirmSmallSpan(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  best: Consensus & { mirrored: boolean },
  policy: LocalPolicy,
  trace?: (why: string) => void,
): boolean {
  const small = policy.smallSpan;
  // Without the query's pixels (a video's keyframes keep none) there is nothing to compare.
  if (small <= 0 || !query.frameGray) return true;
  const q = spreadOf(best.put.dst, best.inliers, query.width, query.height);
  const l = spreadOf(best.put.src, best.inliers, candidate.width, candidate.height);
  if (q >= small || l >= small) return true;
  const ok = looksAlike(query, candidate, best.h, best.mirrored, policy, sayLooks(trace, best.mirrored, best.inliers.length)) !== null;
  trace?.(`small span ${q.toFixed(3)}/${l.toFixed(3)}: ${ok ? 'accepted' : 'refused'}`);
  return ok;
}

/**
 * Whether a consensus accepted on its count names a drawing the query does not look like at all
 * (policy local.appearance.unlike): seen through its model, the query's gradient orientations
 * correlate with the library drawing's below minScore and fewer than minAgree of the drawing's
 * content cells agree. Its keypoints then agree on something the two pictures share that is not
 * the drawing: lettering in one typeface under two different cartoon animals (seeds 660081 and
 * 660083: 26 and 21 inliers, scores 0.24, one cell in eight agreeing), where a copy, however
 * blurred, recoloured or turned, looks like its source. A query without its frame's pixels or a
 * library entry without its sketch (video keyframes, rows of engine version 3) is not gated.
 */
function unlikeTheDrawing(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  best: Consensus & { mirrored: boolean; view?: LocalView },
  policy: LocalPolicy,
  trace?: (why: string) => void,
): { unlike: boolean; score?: number; bent?: true } {
  const u = policy.appearance.unlike;
  if (u.minScore <= 0 || !query.frameGray || !candidate.sketch) return { unlike: false };
  // The copy's size in the query (its longest side, query pixels): held in fewer pixels than the
  // comparison's, a copy's likeness is not measured (a pasted thumbnail correlates low).
  const m = localAffine(best.h, candidate.width / 2, candidate.height / 2);
  const size = m ? scaleOf(m) * Math.max(candidate.width, candidate.height) : 0;
  if (size < u.minPx) return { unlike: false };
  const toQuery = unmirrored(query, best.h, best.mirrored);
  const looks = appearance(query, candidate, toQuery, policy.appearance);
  if (!looks) return { unlike: false, score: 0 };
  sayLooks(trace, best.mirrored, best.inliers.length)('counted', looks);
  const unlikeBy = (l: Appearance) => l.score < u.minScore && l.agree < u.minAgree;
  if (!unlikeBy(looks)) return { unlike: false, score: looks.score };
  // A copy bent by a non-rigid warp: the consensus holds one part of it, and the drawing lies off
  // the query's strokes elsewhere. Seen through every part's own model, it may look like itself.
  const bent = seenBent(query, candidate, best, best.mirrored, best.view, policy, (l) => !unlikeBy(l), trace);
  if (bent) sayLooks(trace, best.mirrored, best.inliers.length)(bent.how, bent.looks);
  // A traced field bends freely enough to lift a chance likeness: it must look as a weak consensus must.
  const alike = (l: Appearance) => (bent?.traced ? passes(l, policy.appearance) : !unlikeBy(l));
  if (bent && alike(bent.looks))
    return { unlike: false, score: bent.looks.score, ...(namedBent(bent, policy, trace) ? { bent: true } : {}) };
  trace?.(`${best.inliers.length} inliers, but unlike the drawing: refused`);
  return { unlike: true, score: looks.score };
}

/**
 * A weak consensus's last chance (policy appearance.unlike.pieces.weak): the query seen through the
 * parts of a copy bent by a non-rigid warp (seenBent) held to every bar a weak consensus's
 * appearance must pass (not only the unlike gate's lower ones).
 */
function bentAlike(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  best: Pick<Consensus, 'h' | 'inliers' | 'put'>,
  mirrored: boolean,
  view: LocalView,
  policy: LocalPolicy,
  trace?: (why: string) => void,
): { looks: Appearance; h: Homography; bent?: true } | null {
  const s = policy.appearance.unlike.pieces;
  if (!s.weak || !query.frameGray || !candidate.sketch || best.inliers.length < s.minInliers) return null;
  const bent = seenBent(query, candidate, best, mirrored, view, policy, (l) => passes(l, policy.appearance), trace);
  if (!bent) return null;
  sayLooks(trace, mirrored, best.inliers.length)(`weak, ${bent.how}`, bent.looks);
  if (!passes(bent.looks, policy.appearance)) return null;
  return { looks: bent.looks, h: best.h, ...(namedBent(bent, policy, trace) ? { bent: true as const } : {}) };
}

/**
 * Whether the plain view's consensus also makes the query look like the drawing (a weak
 * consensus's bars), where the mirror's holds more inliers: a drawing symmetric where it matched
 * (scissors, a lock, a projectile, a pedestrian-light figure), which the plain reading describes
 * as well. Not asked where either side lacks pixels.
 */
function bothReadings(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  plain: Consensus,
  policy: LocalPolicy,
  trace?: (why: string) => void,
): boolean {
  if (!query.frameGray || !candidate.sketch) return false;
  const looks = appearance(query, candidate, plain.h, policy.appearance);
  if (looks) sayLooks(trace, false, plain.inliers.length)('plain beside the mirror', looks);
  return looks !== null && passes(looks, policy.appearance);
}

/**
 * Whether a copy seen alike through a bent model (seenBent) is named bent: only when the first
 * model alone, smoothed alike, fails a weak consensus's bars — otherwise the smoothing saw it, not
 * the bend. A halftone's dots: its parts fit noise, and its first model alone, smoothed, looks as
 * alike (0.76–0.92 at probe seed 780021, where 7 of its 26 copies found were named bent before
 * this; none since); of the 30 views of elastic copies seen alike through a bend there, 27 are
 * named bent (their first model alone 0.29–0.72), and 6 of 12 grid-distorted ones.
 */
function namedBent(bent: { rigid: () => Appearance | null }, policy: LocalPolicy, trace?: (why: string) => void): boolean {
  const rigid = bent.rigid();
  trace?.(`one model, smoothed: ${rigid ? rigid.score.toFixed(3) : 'unseen'}`);
  return !rigid || !passes(rigid, policy.appearance);
}

/**
 * The weak consensus with the most inliers (one warp per candidate at most; two for a blurred
 * query), confirmed when the query seen through its model looks like the library image
 * (appearance.ts): what `accept` makes of it, null otherwise. A blurred query's weak consensuses are
 * asked in two groups, each its best once: those of its views without the unsharp-masked keypoints
 * (what the query had before those were added) first; one `accept` turns down (null) leaves the
 * next group its turn.
 */
function confirmByAppearance<T>(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  weak: WeakCase[],
  policy: LocalPolicy,
  accept: (c: Consensus & { mirrored: boolean; looks: Appearance; bent?: true }) => T | null,
  trace?: (why: string) => void,
): T | null {
  const bestOf = (group: WeakCase[]) => group.reduce<WeakCase | null>((b, x) => (!b || x.inliers.length > b.inliers.length ? x : b), null);
  const sharp = (x: WeakCase): boolean => x.view.sharp !== undefined;
  for (const w of [bestOf(weak.filter((x) => !sharp(x))), bestOf(weak.filter(sharp))]) {
    if (!w) continue;
    let alike: { looks: Appearance; h: Homography; bent?: true } | null = w.judged
      ? null
      : looksAlike(query, candidate, w.h, w.mirrored, policy, sayLooks(trace, w.mirrored, w.inliers.length));
    let { h, inliers, put } = w;
    // Refused: grown by guided matching and refitted while that adds inliers (appearance.regrow).
    for (let round = 0; !alike && round < policy.appearance.regrow; round++) {
      const more = guidedMatches(h, w.view, candidate.primary, guidedParams(policy));
      const model = fitModel(more, candidate, policy);
      if (!model) break;
      const grown = turnedAlike(model, more, policy);
      trace?.(`regrown: guided ${more.count} → ${grown.length} inliers`);
      if (grown.length <= inliers.length) break;
      ({ h } = model);
      inliers = grown;
      put = more;
      alike = looksAlike(query, candidate, h, w.mirrored, policy, sayLooks(trace, w.mirrored, inliers.length));
    }
    // Still unlike: a copy bent by a non-rigid warp may look like its drawing through its parts.
    if (!alike) alike = bentAlike(query, candidate, { h, inliers, put }, w.mirrored, w.view, policy, trace);
    if (!alike) continue;
    const radius = placeRadius(candidate, policy);
    const spots = distinctSpots(put.src, inliers, radius);
    const interior = interiorSpots(put.src, inliers, radius, candidate.width, candidate.height, policy.frameBand);
    trace?.('confirmed by appearance');
    // The likeness's model and appearance, and `bent` when a bent copy's parts made it (bentAlike).
    const taken = accept({ ...alike, inliers, put, spots, interior, mirrored: w.mirrored });
    if (taken !== null) return taken;
  }
  return null;
}

/** A query's information over every view it brings, per set (the keypoints do not change once described). */
const viewsInfo = new WeakMap<LocalFeatureSet, number>();

/**
 * The query's information score: with local.infoOfViews, measured over all the keypoints it is
 * matched with — the working frame's, its fine octave's and its whitened twin's — not the working
 * frame's alone (a blurred copy keeps few working-frame corners, but its whitened twin or fine
 * octave may bring hundreds); never below the working frame's score. A library image has only its
 * working frame, so its score is unchanged.
 */
function queryInfo(query: LocalFeatureSet, policy: LocalPolicy): number {
  if (!policy.infoOfViews || query.primary.base === undefined) return query.info.score;
  let score = viewsInfo.get(query);
  if (score === undefined) {
    score = Math.max(query.info.score, measureInfo(query.primary, query.width, query.height, policy.infoFull).score);
    viewsInfo.set(query, score);
  }
  return score;
}

const withoutSharp = new WeakMap<LocalView, LocalView>();

/** The view without a blurred query's unsharp-masked keypoints (the same object every call, for groupedView's cache). */
function unsharpened(v: LocalView): LocalView {
  let got = withoutSharp.get(v);
  if (!got) {
    const n = v.sharp ?? v.words.length;
    got = {
      keypoints: v.keypoints.subarray(0, n * 4),
      descriptors: v.descriptors.subarray(0, n * 32),
      words: v.words.subarray(0, n),
      base: v.base,
    };
    withoutSharp.set(v, got);
  }
  return got;
}

/** Verifies that `candidate` (a library image) appears in `query`; null when it does not. */
export function verify(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy = UNIQUENESS_POLICY.local,
  vocab: Vocabulary = loadVocabulary(),
  /** Diagnostics (scripts/eval/diag-local.ts): told which gate turned each view down. */
  trace?: (why: string) => void,
): LocalMatch | null {
  // Evidence scales with information: below minInfo an image is verified only on proportionally
  // more places, and below infoFloor not at all.
  const qInfo = queryInfo(query, policy);
  const info = Math.min(qInfo, candidate.info.score);
  if (info < policy.infoFloor) {
    trace?.(`info ${qInfo.toFixed(2)}/${candidate.info.score.toFixed(2)}`);
    return null;
  }
  const places = info < policy.minInfo ? Math.ceil((policy.minSpots * policy.minInfo) / info) : policy.minSpots;
  // The largest consensus accepted on its count, with the view it came from.
  let byCount: (Consensus & { mirrored: boolean; view: LocalView }) | null = null;
  let plainCount: (Consensus & { mirrored: boolean; view: LocalView }) | null = null;
  const weak: WeakCase[] = [];
  const views: [LocalView, boolean][] = [[query.primary, false]];
  if (query.mirror) views.push([query.mirror, true]);
  // A blurred query's views are also tried without their unsharp-masked keypoints: those add
  // matches that can pull a model off one the frame's own keypoints agree on exactly.
  for (const [v, mirrored] of [...views]) if (v.sharp !== undefined) views.push([unsharpened(v), mirrored]);
  // The candidate's keypoints are grouped by vocabulary node once, for every query view (and window).
  const lib = groupedView(vocab, candidate.primary, policy.matchLevel);
  for (const [view, mirrored] of views) {
    const say = (what: string): void => trace?.(`${mirrored ? 'mirror' : 'plain'}: ${what}`);
    const put = matchGrouped(groupedView(vocab, view, policy.matchLevel), lib, policy);
    let found = consensus(put, query, candidate, policy, policy.minInlierRatio, places);
    // A consensus too small to accept but large enough to trust as a guess seeds guided matching;
    // what that finds must pass every gate again (the share gate on the guided matches themselves).
    const g = policy.guided;
    if ('why' in found && found.seed) {
      const more = guidedMatches(found.seed, view, candidate.primary, guidedParams(policy));
      const again = consensus(more, query, candidate, policy, g.minInlierRatio, Math.ceil((g.minSpots * places) / policy.minSpots));
      // Guided matching follows whatever lines run through a chance seed: what it grows must look
      // like the library drawing too (guided.minLooks; not asked where either side lacks pixels).
      const looks =
        'why' in again || g.minLooks <= 0 ? null : appearance(query, candidate, unmirrored(query, again.h, mirrored), policy.appearance);
      if ('why' in again) found = { why: `${found.why} → guided ${more.count}: ${again.why}`, seed: null, weak: again.weak ?? found.weak };
      else if (looks && looks.score < g.minLooks)
        found = { why: `${found.why} → guided ${more.count}: looks ${looks.score.toFixed(2)}`, seed: null, weak: found.weak };
      else {
        say(`${found.why} → guided ${more.count}: accepted${looks ? ` (looks ${looks.score.toFixed(3)})` : ''}`);
        found = again;
      }
    }
    if ('why' in found) {
      say(found.why);
      if (found.weak) weak.push({ ...found.weak, mirrored, view });
      continue;
    }
    if (!byCount || found.inliers.length > byCount.inliers.length) byCount = { ...found, mirrored, view };
    if (!mirrored && (!plainCount || found.inliers.length > plainCount.inliers.length)) plainCount = { ...found, mirrored, view };
  }
  // A drawing symmetric where it matched holds both readings: the mirror's consensus, though larger,
  // gives way to the plain view's when that one looks like the drawing too, so that a copy is named
  // mirrored only where the plain reading fails (a symmetric drawing's copy was named mirrored).
  if (byCount?.mirrored && plainCount && bothReadings(query, candidate, plainCount, policy, trace)) byCount = plainCount;
  // A small-span consensus that does not look like the drawing is a weak case like any other:
  // grown by guided matching over the rest of the drawing, it is asked again (confirmByAppearance).
  if (byCount && !confirmSmallSpan(query, candidate, byCount, policy, trace)) {
    weak.push({ h: byCount.h, inliers: byCount.inliers, put: byCount.put, mirrored: byCount.mirrored, view: byCount.view, judged: true });
    byCount = null;
  }
  // A consensus accepted on its count still faces the unlike gate; its appearance score is kept for
  // appearanceOf (counted). Otherwise a weak one may be confirmed by its appearance (looks set).
  let best: (Consensus & { mirrored: boolean; bent?: true }) | null = null;
  let countedScore: number | undefined;
  if (byCount) {
    const gate = unlikeTheDrawing(query, candidate, byCount, policy, trace);
    if (!gate.unlike) best = gate.bent ? { ...byCount, bent: gate.bent } : byCount;
    countedScore = gate.score;
  }
  if (best) return proportioned(matchOf(query, candidate, best, policy, countedScore), policy, trace);
  // A likeness whose model squashes the drawing too far (proportioned) or that says too little
  // (likeEnough) leaves the next group of weak consensuses its turn; the match is made once.
  return confirmByAppearance(
    query,
    candidate,
    weak,
    policy,
    (c) => {
      const m = proportioned(matchOf(query, candidate, c, policy, undefined), policy, trace);
      return m && likeEnough(m, policy, trace);
    },
    trace,
  );
}

/**
 * The match, unless a likeness alone confirmed it (a weak consensus: `looks` set) and that likeness
 * says too little: it agrees only along one dominant direction (centred below
 * appearance.minCentred: a knife laid along a nunchaku stick, seed 660140), or its map stretches
 * the library drawing at least appearance.stretched.from : 1 as the copy is seen and it scores
 * below appearance.stretched.minScore (a few keypoints' affine map free to squash the drawing lays
 * one closed outline onto another: a plate's oval rim onto a magnifying glass's lens ring, seed
 * 660140). The stretch is the reported region's (absent under policy region.stretched: taken as 1).
 */
function likeEnough(m: LocalMatch, policy: LocalPolicy, trace?: (why: string) => void): LocalMatch | null {
  const a = policy.appearance;
  if (!m.looks) return m;
  if (a.minCentred > 0 && m.looks.centred < a.minCentred) {
    trace?.(`likeness ${m.looks.score.toFixed(3)}, ${m.looks.centred.toFixed(3)} centred: refused`);
    return null;
  }
  const stretch = m.region.stretch ?? 1;
  if (a.stretched.from <= 0 || stretch < a.stretched.from || m.looks.score >= a.stretched.minScore) return m;
  trace?.(`likeness ${m.looks.score.toFixed(3)} over a map stretched ${stretch.toFixed(2)} : 1: refused`);
  return null;
}

/**
 * The match, unless its model stretches the library drawing more than a consensus may
 * (local.maxAnisotropy, the ratio of the singular values of its local affine at the library frame's
 * centre, in the frame of the view that matched, as ransac.ts plausible holds its affine consensus to): a model
 * grown by guided matching or aligned by its pixels meets the same bound, so none can squash a whole
 * drawing into a sliver of the query.
 */
function proportioned(m: LocalMatch, policy: LocalPolicy, trace?: (why: string) => void): LocalMatch | null {
  const stretch = stretchOf(m.affine);
  if (stretch <= policy.maxAnisotropy) return m;
  trace?.(`stretched ${stretch.toFixed(2)} : 1`);
  return null;
}

/**
 * The match a consensus makes (or a model confirmed by its pixels alone: `looks` set): where the
 * copy sits in both frames, its turn, scale, stretch and mirror, and the confidence. `countedScore`,
 * for a consensus accepted on its count, is the appearance the unlike gate measured. `bent`: the
 * query looked like the drawing only through a bent copy's parts or traced field (seenBent), so
 * the region is named bent.
 */
function matchOf(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  best: Consensus & { mirrored: boolean; looks?: Appearance; bent?: true },
  policy: LocalPolicy,
  countedScore: number | undefined,
): LocalMatch {
  // The map from library frame to the query's own (unmirrored) frame, and its local affine at the
  // library frame's centre (rotation and scale of the copy, counter-clockwise on screen, y down).
  const toQuery = unmirrored(query, best.h, best.mirrored);
  const [cx, cy] = [candidate.width / 2, candidate.height / 2];
  // Both exist: the model is plausible over the whole library frame (homography.ts plausibleH).
  const near = localAffine(toQuery, cx, cy) as Affine;
  // A tilted view (tilt.ts) is placed on the query's working frame through its map back: the
  // region, turn and scale people see are the query's as it is.
  const geo: FrameGeometry = query.tilt ? { width: query.tilt.width, height: query.tilt.height, frame: query.frame } : query;
  const onQuery = query.tilt ? multiply(query.tilt.toBase as Homography, toQuery) : toQuery;
  // The turn and scale are read as the copy is seen: in the mirror's frame when the mirrored view
  // matched (for a plain view that is the fitted model itself). Composing the model with an affine
  // map leaves it as plausible as it was, so these local affines exist too.
  const asSeen = best.mirrored ? multiply(flipX(geo.width), onQuery) : onQuery;
  const m = localAffine(asSeen, cx, cy) as Affine;
  const nearQ = query.tilt ? (localAffine(onQuery, cx, cy) as Affine) : near;
  // The nearest rotation to the map, and how much more it stretches one direction than the other.
  const rotationDeg = rotationOf(m);
  const scale = scaleOf(m);
  const stretch = stretchOf(m);
  const back = invertH(onQuery);
  const fwd = (p: Pt): Pt => project(onQuery, p[0], p[1]) ?? apply(nearQ, p);
  const bwd = (p: Pt): Pt => (back && project(back, p[0], p[1])) || apply(invert(nearQ), p);
  const outlineQ = originalCorners(candidate).map(fwd);
  const q = boxOf(geo, outlineQ);
  const l = boxOf(candidate, originalCorners(geo).map(bwd));
  const inliers = best.inliers.length;
  const ratio = inliers / best.put.count;
  // A consensus confirmed by its pixels rather than its count: confidence from the correlation.
  // A match of the inverted query (invert.ts) whose grey levels run against the drawing's is named a
  // negative (its other views' descriptors cannot meet a negative's, so only its matches are checked).
  const grey = query.negative ? greyCorrelation(query, candidate, toQuery, policy.appearance, policy.appearance.minPixels) : null;
  const inverted = grey !== null && grey <= policy.invert.namedBelow;
  const confidence = best.looks
    ? Math.min(0.9, best.looks.score)
    : (1 - Math.exp((-3 * (inliers - policy.minInliers + 1)) / policy.confidentInliers)) * Math.min(1, ratio / (2 * policy.minInlierRatio));
  const match: LocalMatch = {
    region: {
      query: q.box,
      match: l.box,
      // Clipped to the query image: the part of the library image's outline that can be drawn on it.
      outline: clipToRect(
        outlineQ.map((p) => toOriginal(geo, p)),
        1,
        1,
      ),
      rotationDeg,
      scale,
      ...(stretch >= UNIQUENESS_POLICY.region.stretched ? { stretch } : {}),
      mirrored: best.mirrored,
      ...(inverted ? { inverted: true } : {}),
      ...(query.embossed ? { embossed: true } : {}),
      ...(best.bent ? { bent: true } : {}),
      inliers,
      matchCoverage: l.area,
      queryCoverage: q.area,
    },
    confidence,
    putative: best.put.count,
    spots: best.spots,
    interior: best.interior,
    affine: near,
    homography: toQuery,
    ...(best.looks ? { looks: best.looks } : {}),
  };
  if (!best.looks && countedScore !== undefined) counted.set(match, countedScore);
  return match;
}

/**
 * A library image near the query by shape signature (engine/index/signatures.ts), confirmed by its
 * pixels alone when no keypoints agreed on a model (policy local.aligned): a simple or blurred drawing put in
 * perspective or sheared keeps too few sharp corners for a consensus, but its outline still spans
 * its content box. The library sketch's content box is mapped onto the query frame's (the trimmed
 * boxes, TRIM_THRESHOLD as the global hashes trim), that map is aligned by the pixels (ECC over a
 * homography, appearance.ts modelRefiner, as a weak consensus is), and the query seen through the
 * aligned model must pass every appearance gate, with every cell holding content agreeing
 * (refine.minAgree) — the same bar as a weak consensus aligned by its pixels — and agreeing as
 * much with each orientation field's mean taken out (aligned.minCentred), turned by at most
 * aligned.maxTurnDeg. Null otherwise, and without the query's pixels or the library's sketch.
 * `k` (a dihedral variant, as dihedralFrameMap's) lays the library box onto the query's turned by
 * quarter turns or mirrored first — a drawing turned or mirrored as a whole, found near by that
 * variant's signature (policy local.aligned.dihedral) — and the turn allowed is then counted from
 * that variant's; a mirrored variant's match is named mirrored.
 * `say` hears why an alignment was refused, with its looks (diagnostics, as verify's trace).
 */
export function verifyAligned(
  query: LocalFeatureSet,
  candidate: LocalFeatureSet,
  policy: LocalPolicy = UNIQUENESS_POLICY.local,
  say: (what: string, l?: Appearance) => void = () => {},
  k = 0,
): LocalMatch | null {
  const s = candidate.sketch;
  const q = query.frameGray;
  if (!s || !q || q.length !== query.width * query.height || query.tilt) return null;
  const qb = findTrim(q, query.width, query.height, 1, policy.aligned.trimThreshold);
  const sb = findTrim(s.gray, s.width, s.height, 1, policy.aligned.trimThreshold);
  if (!qb || !sb) return null;
  // Sketch pixel edges onto library frame coordinates, then the library box, normalised, turned or
  // mirrored by the variant (k 0: as it is), onto the query's.
  const kx = candidate.width / s.width;
  const ky = candidate.height / s.height;
  const fromLibraryBox: Homography = [1 / (sb.width * kx), 0, -sb.left / sb.width, 0, 1 / (sb.height * ky), -sb.top / sb.height, 0, 0, 1];
  const ontoQueryBox: Homography = [1, 0, qb.left, 0, 1, qb.top, 0, 0, 1];
  const boxes = multiply(ontoQueryBox, multiply(dihedralFrameMap(k, 1, 1, qb.width, qb.height), fromLibraryBox));
  // A variant with an odd number of reflections (mirrors and the transpose) is seen in the mirrored view.
  const mirrored = ((k & 1) ^ ((k >> 1) & 1) ^ ((k >> 2) & 1)) === 1;
  const aligned = refinedLooks(query, candidate, boxes, mirrored, policy, say);
  // Agreeing beyond one dominant direction too (policy local.aligned.minCentred).
  if (!aligned || aligned.looks.centred < policy.aligned.minCentred) {
    if (aligned) say('aligned but not centred', aligned.looks);
    return null;
  }
  const { h, looks } = aligned;
  const none: Putative = {
    src: new Float64Array(0),
    dst: new Float64Array(0),
    turn: new Float64Array(0),
    zoom: new Float64Array(0),
    count: 0,
  };
  const m = proportioned(
    matchOf(query, candidate, { h, inliers: [], put: none, spots: 0, interior: 0, mirrored, looks }, policy, undefined),
    policy,
  );
  // The alignment refines the upright box map: one it turned nearer a quarter turn than upright is
  // not that map refined but a blob bent onto another (policy local.aligned.maxTurnDeg); one it
  // turned at all far must line the drawing up closely (local.aligned.turned).
  if (!m) {
    say('out of proportion', looks);
    return null;
  }
  // Counted from the variant's own turn (0 upright), read as matchOf reads the match's.
  const seen = localAffine(unmirrored(query, boxes, mirrored), candidate.width / 2, candidate.height / 2);
  const nominal = seen ? rotationOf(seen) : 0;
  const turn = angleGap(m.region.rotationDeg, nominal);
  const t = policy.aligned.turned;
  if (turn > policy.aligned.maxTurnDeg || (t.fromDeg > 0 && turn >= t.fromDeg && looks.score < t.minScore)) {
    say(`turned ${turn.toFixed(1)}°`, looks);
    return null;
  }
  return m;
}
