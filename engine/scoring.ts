/**
 * Scores one candidate from the evidence every layer gathered for it: which signals are strong
 * enough on their own to call it a copy (never averaged away), the combined score, per-layer
 * scores and the suspected transform in plain words.
 */
import type { Match, MatchLayers, MatchedMedia, MatchedRegion, NormBox } from '../shared/check.ts';
import type { MediaInfo, MediaMatch } from '../shared/media.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import type { AssetFingerprints } from './fingerprints.ts';
import { BACKDROP_VIEW, BOX_VIEW, type BoxViewHashes, type ImageFingerprint, SCALES } from './image/fingerprint.ts';
import { polygonArea } from './image/local/geometry.ts';
import { hueRotation } from './image/hue.ts';
import type { Entry } from './index/entry.ts';
import type { VectorSpace } from './semantic/types.ts';
import type { PassageVerdict } from './text/passage-layer.ts';
import type { LocalMatch } from './image/local/verify.ts';
import { describeRegion } from './explain.ts';
import { describeMedia, mediaChanges } from './explain-media.ts';

const DIHEDRAL_NAMES = ['', 'mirrored', 'flipped vertically', 'rotated 180°', 'transposed', 'rotated 90°', 'rotated 90°', 'transposed'];

/** Rotation (degrees) and mirroring of each dihedral alignment k (DIHEDRAL_NAMES). */
const DIHEDRAL_GEOMETRY: [number, boolean][] = [
  [0, false],
  [0, true],
  [180, true],
  [180, false],
  [-90, true],
  [-90, false],
  [90, false],
  [90, true],
];

/**
 * The region of a copy found through a picture inside the query (policy visual.boxes): the whole
 * library image in the box `at` (fractions of the query), turned by the alignment k — or, for a
 * picture turned on a fill and rectified (`turned`), in its quadrilateral, turned by its turn as
 * well, and named stretched when its map stretches one direction at least `stretched` times more
 * (policy region.stretched). No keypoints took part (inliers 0): the hashes matched the box as a
 * whole, on normalised views, so they measure no scale either (1).
 */
function boxRegion(at: NormBox, k: number, stretched: number, turned?: BoxViewHashes['turned']): MatchedRegion {
  const [quarter, mirrored] = DIHEDRAL_GEOMETRY[k] ?? [0, false];
  const outline: [number, number][] = turned?.outline ?? [
    [at.x, at.y],
    [at.x + at.w, at.y],
    [at.x + at.w, at.y + at.h],
    [at.x, at.y + at.h],
  ];
  const turn = quarter + (turned?.turnDeg ?? 0);
  return {
    query: at,
    match: { x: 0, y: 0, w: 1, h: 1 },
    outline,
    rotationDeg: (((turn % 360) + 540) % 360) - 180,
    scale: 1,
    ...(turned && turned.stretch >= stretched ? { stretch: Math.round(turned.stretch * 100) / 100 } : {}),
    mirrored,
    inliers: 0,
    matchCoverage: 1,
    queryCoverage: turned ? polygonArea(turned.outline) : at.w * at.h,
  };
}

/** The derivative signal of a short card's wording kept in order (passage-layer.ts reworksPart). */
export const REWORKS_PART = 'reworks part of its wording (same words in the same order)';

/** The best global-hash alignment found for a candidate. */
export interface VisualHit {
  cos: number;
  qView: number;
  qScale: number;
  k: number;
  tView: number;
  tScale: number;
  /** Found as the library image's negative (policy visual.negative: colours inverted). */
  negative?: boolean;
  /** Found by the folded views (policy visual.fold: light tones inverted, i.e. solarized, or the whole inverted). */
  folded?: boolean;
}

/** Evidence gathered for one candidate by every layer during a check. */
export interface Evidence {
  exact: { bytes: boolean; pixels: boolean; metadata: boolean };
  visual: VisualHit | null;
  /** A geometrically verified local-feature match. */
  local: LocalMatch | null;
  text: number | null;
  code: number | null;
  /** Shared passages and word overlap (passage layer). */
  passage: PassageVerdict | null;
  semantic: Partial<Record<VectorSpace, number>>;
  /** A media-layer match, with what was stored about the matched file (null when not recorded). */
  media: { match: MediaMatch; stored: StoredMediaInfo | null } | null;
}

/** media_fingerprints.info_json: the probe's facts about the stored file and its SHA-256. */
export type StoredMediaInfo = MediaInfo & { sha256?: string };

export const emptyEvidence = (): Evidence => ({
  exact: { bytes: false, pixels: false, metadata: false },
  visual: null,
  local: null,
  text: null,
  code: null,
  passage: null,
  semantic: {},
  media: null,
});

export function scoreMatch(e: Entry, a: Evidence, fp: AssetFingerprints, pol: UniquenessPolicy): Match {
  const layers: MatchLayers = {};
  const signals: string[] = [];
  const derivative: string[] = [];
  const transform: string[] = [];
  if (a.exact.bytes || a.exact.pixels || a.exact.metadata) layers.exact = { ...a.exact };
  if (a.exact.bytes) signals.push('identical image file');
  else if (a.exact.pixels) {
    signals.push('identical image pixels');
    transform.push('re-encoded (same pixels)');
  }
  if (a.exact.metadata) signals.push('identical metadata (same metadata hash)');

  let visual: number | null = null;
  if (a.visual) {
    visual = Math.max(0, a.visual.cos);
    layers.visual = round(visual);
    if (a.visual.cos >= pol.visual.copyCosine && !a.exact.bytes && !a.exact.pixels) {
      signals.push('visual copy');
      const v = a.visual;
      // A turned picture's rectified view: its turn and mirroring are its region's (boxRegion), and
      // the scale it met the library at tells of its cut rim more than of a crop.
      const turned = v.qView >= BOX_VIEW ? fp.image?.boxes?.[v.qView - BOX_VIEW]?.turned : undefined;
      if (turned?.shown !== undefined) transform.push('turned within its canvas (the corners it turned out of it lost)');
      else if (turned) transform.push('turned, sheared or warped on a new canvas');
      else {
        if (DIHEDRAL_NAMES[v.k]) transform.push(DIHEDRAL_NAMES[v.k] as string);
        if (v.qScale === 0 && v.tScale > 0)
          transform.push(`cropped (about ${Math.round((SCALES[v.tScale] as number) * 100)}% of the original)`);
        if (v.qScale > 0 && v.tScale === 0) transform.push('extended or framed (the original sits inside it)');
      }
      if (v.qView === BACKDROP_VIEW) transform.push('put on another background');
      else if (v.qView >= BOX_VIEW) {
        if (!turned) transform.push('pasted into a larger picture');
      } else if (v.qView !== v.tView) transform.push('border or padding added or removed');
      // The mean colour of art on a new backdrop, or of the picture it is pasted into, is mostly
      // theirs: no colour change is named from it.
      // A negative's mean colour is the inverse of the original's: no other colour change is named.
      if (v.negative) transform.push('colours inverted');
      else if (v.folded) transform.push(...foldedChanges(fp.image?.color, e.color));
      else if (fp.image && e.color && v.qView < BACKDROP_VIEW) transform.push(...colorChanges(fp.image.color, e.color));
    }
  }
  let summary: string | undefined;
  let region: MatchedRegion | undefined;
  if (a.local && !a.exact.bytes && !a.exact.pixels) {
    region = a.local.region;
    layers.local = round(a.local.confidence);
    visual = Math.max(visual ?? 0, a.local.confidence);
    signals.push('partial copy (local features, geometrically verified)');
    summary = describeRegion(region, e.name);
  } else if (a.visual && signals.includes('visual copy') && a.visual.qView >= BOX_VIEW) {
    // Found through a picture inside the query: the box is where the copy sits.
    const at = fp.image?.boxes?.[a.visual.qView - BOX_VIEW]?.at;
    if (at) {
      region = boxRegion(at, a.visual.k, pol.region.stretched, fp.image?.boxes?.[a.visual.qView - BOX_VIEW]?.turned);
      summary = describeRegion(region, e.name);
    }
  }
  if (!summary && signals.includes('visual copy')) {
    summary = `a copy of the image of “${e.name}”${transform.length ? ` (${transform.join(', ')})` : ''}`;
  }
  if (a.exact.bytes || a.exact.pixels) {
    visual = 1;
    summary = a.exact.bytes ? `the same image file as “${e.name}”` : `the same pixels as the image of “${e.name}”, saved again`;
  }
  const ci = a.semantic.clip_image;
  if (ci !== undefined) {
    layers.semantic_image = round(ci);
    visual = Math.max(visual ?? 0, ci);
    if (ci >= pol.semantic.imageCopyCosine && !signals.includes('visual copy')) signals.push('near-identical image (CLIP)');
  }

  let metadata: number | null = null;
  if (a.text !== null) {
    layers.text = round(a.text);
    metadata = a.text;
    if (a.text >= pol.text.copyScore) signals.push('copied text');
  }
  if (a.code !== null) {
    layers.code = round(a.code);
    metadata = Math.max(metadata ?? 0, a.code);
    if (a.code >= pol.code.copyScore) signals.push('copied module/template code');
  }
  if (a.passage) {
    const p = a.passage;
    layers.passage = round(p.cosine);
    metadata = Math.max(metadata ?? 0, p.cosine);
    if (p.signals.includes('copied passage')) {
      signals.push('reused passage');
      summary ??= p.summary;
    }
    if (p.signals.includes('reworked passage')) {
      signals.push('reworked passage (same words in the same order, edited between)');
      summary ??= p.summary;
    }
    if (p.signals.includes('reworded copy')) {
      signals.push('same words, reworded or cut (word overlap)');
      summary ??= `shares ${Math.round(p.cosine * 100)}% of its weighted words with “${e.name}”`;
    }
    if (p.reworksPart) {
      derivative.push(REWORKS_PART);
      summary ??= p.summary;
    }
  }
  const st = a.semantic.bge_text;
  if (st !== undefined) {
    layers.semantic_text = round(st);
    metadata = Math.max(metadata ?? 0, st);
    if (st >= pol.semantic.textCopyCosine && !signals.includes('copied text')) signals.push('same meaning (BGE)');
  }
  if (a.exact.metadata) metadata = 1;

  let media: MatchedMedia[] | undefined;
  let mediaScore: number | null = null;
  if (a.media) {
    const { assetRef: _ref, ...m } = a.media.match;
    media = [m];
    mediaScore = m.score;
    layers.media = round(m.score);
    const q = fp.media;
    if (q && a.media.stored?.sha256 === q.sha256) {
      signals.push('identical media file');
      summary = `the same ${q.info.kind === 'video' ? 'video' : 'audio'} file as “${e.name}”`;
    } else {
      // A media match is found only when many fingerprints agree on one alignment: a copy signal.
      signals.push(
        m.method === 'frames'
          ? 'video copy (aligned frames)'
          : m.method === 'keyframes'
            ? 'video copy (verified keyframes)'
            : 'audio copy (aligned fingerprints)',
      );
      if (m.local) signals.push('video keyframes verified (local features)');
      transform.push(...mediaChanges(m, q?.info ?? null, a.media.stored));
      summary = describeMedia(m, e.name, q?.info ?? null, a.media.stored, transform);
    }
  }

  const w = pol.weights;
  const hasImages = Boolean(fp.image) && Boolean(e.sigs);
  let combined: number;
  if (hasImages) combined = w.metadata * (metadata ?? 0) + w.visual * (visual ?? 0);
  else combined = metadata ?? visual ?? 0;
  // The media layer measures the content itself: the combined score is at least its share.
  if (mediaScore !== null) combined = Math.max(combined, a.media?.stored?.sha256 === fp.media?.sha256 ? 1 : mediaScore);
  return {
    assetId: e.id,
    creatorId: e.creatorId,
    name: e.name,
    assetType: e.assetType,
    imageSha: e.bytes,
    combined: round(combined),
    metadata: metadata === null ? null : round(metadata),
    visualScore: visual === null ? null : round(visual),
    layers,
    copySignals: signals,
    ...(derivative.length ? { derivativeSignals: derivative } : {}),
    differences: { fields: [], transform },
    ...(summary ? { summary } : {}),
    ...(region ? { region } : {}),
    ...(a.passage?.passages.length ? { passages: a.passage.passages } : {}),
    ...(media ? { media } : {}),
  };
}

export function colorChanges(q: ImageFingerprint['color'], t: ImageFingerprint['color']): string[] {
  const out: string[] = [];
  let turned: number | null = null;
  if (q.saturation < 0.04 && t.saturation > 0.1) out.push('converted to grayscale');
  else if (q.saturation > 0.08 && t.saturation > 0.08) {
    turned = hueRotation(q.hues, t.hues);
    if (turned !== null) out.push(`recoloured (hues turned about ${Math.round(Math.abs(turned) / 5) * 5}°)`);
    else if (!q.hues || !t.hues) {
      // Fingerprinted before hue histograms existed: the mean colour's hue is all there is.
      const hue = (c: typeof q) => Math.atan2(Math.sqrt(3) * (c.g - c.b), 2 * c.r - c.g - c.b);
      let d = Math.abs(hue(q) - hue(t));
      if (d > Math.PI) d = 2 * Math.PI - d;
      if (d > Math.PI / 6) out.push('recoloured (hue shifted)');
    }
  }
  if (q.tones && t.tones) {
    // Darks and lights (L* 0..100) lighter, or one lighter and the other where it was (white stays white).
    const dDark = q.tones[0] - t.tones[0];
    const dLight = q.tones[1] - t.tones[1];
    const hi = Math.max(dDark, dLight);
    const lo = Math.min(dDark, dLight);
    // A hue turn moves lightness a little itself (colours pushed back into the gamut).
    const step = turned === null ? 6 : 12;
    if (hi > step && lo >= -2) out.push('brightened');
    else if (lo < -step && hi <= 2) out.push('darkened');
    else if (hi > step && lo < -step) out.push(dLight > dDark ? 'contrast raised' : 'contrast lowered');
  } else {
    // Fingerprinted before tones existed: the mean, which a crop also moves.
    const dl = q.luminance - t.luminance;
    if (Math.abs(dl) > 12) out.push(dl > 0 ? 'brightened' : 'darkened');
  }
  return out;
}

/**
 * What a copy found by its folded view (policy visual.fold) had done to its tones, as far as its
 * colour statistics tell: its lights much darker than the original's (solarized: white paper turned
 * dark, so nothing brighter than the threshold is left), or its mean the original's inverted. Other
 * copies fold alike too (a drawing turned on a black fill): then nothing is named.
 */
export function foldedChanges(q: ImageFingerprint['color'] | undefined, t: ImageFingerprint['color'] | null): string[] {
  if (!q || !t) return [];
  if (q.tones && t.tones && q.tones[1] < t.tones[1] - 20) return ['solarized — light tones turned dark'];
  if (Math.abs(q.luminance - t.luminance) > 60 && Math.abs(q.luminance + t.luminance - 255) < 20) return ['colours inverted'];
  return [];
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
