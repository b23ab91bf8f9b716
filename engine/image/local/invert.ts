/**
 * Colour-inverted queries: a copy made with an editor's "invert colours" (a negative) turns clip art
 * on white into light strokes on black. FAST finds the same corners on it, but every BRIEF
 * comparison flips and each keypoint's orientation turns by 180°, so none of its descriptors meet
 * the library's. A query frame on a dark backdrop is therefore also described with its grey levels
 * inverted, and its mirror too (extract.ts: `LocalFeatureSet.inverse` / `inverseMirror`; a blurred
 * one unsharp-masked too, as the plain views are: sharpen.ts), which
 * a check retrieves and verifies as a query of its own (inverseQuery); appearance confirmation
 * already compares gradient orientations as doubled angles, which an inversion does not change.
 */
import { borderPixels, grow } from './flood.ts';
import { dominantEdge } from './prepare.ts';
import type { LocalFeatureSet } from './types.ts';

/** When a query frame is described inverted too (policy local.invert). */
export interface InvertSettings {
  /**
   * Every query frame, dark backdrop or not (onDarkBackdrop is then not asked): a negative pasted
   * into a light scene or laid on a light texture has no dark backdrop to tell it by.
   */
  always?: boolean;
  /** Backdrop grey level (0 black … 255 white) at or below which a frame counts as dark; below 0, never (always aside). */
  maxLevel: number;
  /** Share of an untrimmed frame's edge pixels that must hold one grey level (within 24) for it to count as the backdrop. */
  edgeShare: number;
  /**
   * Share of the frame that pixels at most maxLevel, connected (4-neighbours) to its edge, must
   * cover for it to count as on a dark backdrop whatever its border (darkFromEdge); above 1, never.
   */
  connectedShare: number;
}

/**
 * Whether a frame sits on a dark backdrop: the uniform border it was trimmed from, or else the grey
 * level held by `edgeShare` of its edge pixels (a crop of a negative keeps dark edges), at most
 * `maxLevel`; or, whatever its border, dark pixels reaching its edge cover `connectedShare` of it
 * (darkFromEdge): a negative turned or sheared onto white or grey corners, whose border is then
 * the fill and whose dark backdrop touches the frame's edge only in places. A drawing on white
 * turned onto black corners, or a dark silhouette or pictogram square, counts too: it is then
 * described once more, in a view of its own that changes nothing the other views find.
 */
export function onDarkBackdrop(
  gray: Uint8Array,
  width: number,
  height: number,
  background: number | undefined,
  s: InvertSettings,
): boolean {
  if (s.maxLevel < 0) return false;
  const level = background ?? dominantEdge(gray, width, height, 24, s.edgeShare);
  if (level !== undefined && level <= s.maxLevel) return true;
  return s.connectedShare <= 1 && darkFromEdge(gray, width, height, s.maxLevel) >= s.connectedShare;
}

/**
 * Share of the frame covered by pixels at most `maxLevel` that connect (4-neighbours, through such
 * pixels) to its edge: the backdrop of a negative, wherever it touches the frame.
 */
export function darkFromEdge(gray: Uint8Array, width: number, height: number, maxLevel: number): number {
  const n = width * height;
  if (n === 0) return 0;
  // 1: dark, not yet reached; 2: dark and reached from the edge.
  const marks = new Uint8Array(n);
  for (let i = 0; i < n; i++) if ((gray[i] as number) <= maxLevel) marks[i] = 1;
  const queue = new Int32Array(n);
  let tail = 0;
  for (const i of borderPixels(width, height)) {
    if (marks[i] !== 1) continue;
    marks[i] = 2;
    queue[tail++] = i;
  }
  return grow(marks, queue, tail, width, 1, 1, 2) / n;
}

/**
 * A query's inverted views as a query of its own — the same frame, pixels and sketch, the inverted
 * frame as its plain view and the inverted mirror as its mirror — retrieved and verified after the whole frame and its windows
 * (engine/check/image-layers.ts): scored beside the plain and mirrored views, the inverted frame of a
 * drawing turned onto black corners lifted other images above a sheared copy's source (seed
 * 660080). Null when the query has no inverted view.
 */
export function inverseQuery(set: LocalFeatureSet): LocalFeatureSet | null {
  if (!set.inverse) return null;
  const { windows: _windows, tilts: _tilts, inverse, inverseMirror, ...rest } = set;
  return { ...rest, primary: inverse, mirror: inverseMirror, negative: true };
}

/** The frame's grey levels inverted (255 − v). */
export function invertGray(gray: Uint8Array): Uint8Array {
  const out = new Uint8Array(gray.length);
  for (let i = 0; i < gray.length; i++) out[i] = 255 - (gray[i] as number);
  return out;
}
