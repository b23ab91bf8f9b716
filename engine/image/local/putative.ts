/**
 * Putative descriptor matches between a query view and a library view (geometric verification's
 * input): pairs are compared only under the same vocabulary node at `matchLevel`, by Hamming
 * distance, with Lowe's ratio test and one match per library keypoint. The library keypoints are
 * grouped by node once per candidate (a counting sort into typed arrays) and the query's nodes once
 * per view (groupedView), so a check that verifies a candidate against several query views groups nothing twice.
 * The distances themselves come from nearest2.ts (WebAssembly, or JavaScript where it is absent), which
 * reads each group's descriptors one after the other (Grouped.sorted).
 */
import { asWords } from './hamming.ts';
import { nearestTwo } from './nearest2.ts';
import type { LocalView } from './types.ts';
import type { Vocabulary } from './vocab.ts';

export interface Putative {
  src: Float64Array;
  dst: Float64Array;
  /** Keypoint orientation change (query − library), degrees. */
  turn: Float64Array;
  /** Keypoint size change, log2(query size ÷ library size). */
  zoom: Float64Array;
  count: number;
}

export interface MatchParams {
  matchLevel: number;
  maxHamming: number;
  ratio: number;
}

/** A view's keypoints grouped by vocabulary node (a counting sort over the nodes' id range). */
export interface Grouped {
  view: LocalView;
  level: number;
  /** Node of each keypoint. */
  node: Uint32Array;
  /** Keypoint indices sorted by node (stable: ascending within a node). */
  order: Uint32Array;
  /** Smallest node id; node b's keypoints are order[start[b − base] .. start[b − base + 1]). */
  base: number;
  start: Uint32Array;
  /** The view's descriptors in `order` (32 bytes each): a group's descriptors lie side by side. */
  sorted: Uint8Array;
}

/** Groups a view's keypoints by their vocabulary node at `level`. */
export function groupByNode(vocab: Vocabulary, view: LocalView, level: number): Grouped {
  const n = view.words.length;
  const node = new Uint32Array(n);
  let lo = Infinity;
  let hi = -1;
  for (let j = 0; j < n; j++) {
    const b = vocab.bucket(view.words[j] as number, level);
    node[j] = b;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  const base = n ? lo : 0;
  const span = n ? hi - lo + 1 : 0;
  const start = new Uint32Array(span + 1);
  for (let j = 0; j < n; j++) {
    const b = (node[j] as number) - base + 1;
    start[b] = (start[b] as number) + 1;
  }
  for (let b = 0; b < span; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const fill = start.slice(0, span);
  const order = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const b = (node[j] as number) - base;
    const at = fill[b] as number;
    order[at] = j;
    fill[b] = at + 1;
  }
  const desc = asWords(view.descriptors);
  const sorted = new Uint32Array(n * 8);
  for (let s = 0; s < n; s++) {
    const j = (order[s] as number) * 8;
    for (let w = 0; w < 8; w++) sorted[s * 8 + w] = desc[j + w] as number;
  }
  return { view, level, node, order, base, start, sorted: new Uint8Array(sorted.buffer) };
}

/** Ratio-tested matches from library keypoints (src) to query-view keypoints (dst). */
export function matchGrouped(q: Grouped, lib: Grouped, p: MatchParams): Putative {
  if (q.level !== lib.level) throw new Error('query and library grouped at different levels');
  const nl = lib.view.words.length;
  const near = nearestTwo({ descriptors: q.view.descriptors, node: q.node }, lib);
  // Best query keypoint (and its distance) per library keypoint; `first` keeps the order in which
  // library keypoints were first matched (the order RANSAC samples from).
  const bestI = new Int32Array(nl).fill(-1);
  const bestD = new Uint16Array(nl);
  const first: number[] = [];
  for (let i = 0; i < q.node.length; i++) {
    const d1 = near[i * 3] as number;
    const d2 = near[i * 3 + 1] as number;
    const j1 = near[i * 3 + 2] as number;
    if (j1 < 0 || d1 > p.maxHamming || d1 >= p.ratio * d2) continue;
    if (bestI[j1] === -1) {
      first.push(j1);
      bestI[j1] = i;
      bestD[j1] = d1;
    } else if (d1 < (bestD[j1] as number)) {
      bestI[j1] = i;
      bestD[j1] = d1;
    }
  }
  return putativeOf(
    first,
    Int32Array.from(first, (j) => bestI[j] as number),
    lib.view.keypoints,
    q.view.keypoints,
  );
}

/**
 * The putative matches of library keypoint `libIdx[m]` to query keypoint `queryIdx[m]`, in that
 * order: positions in both frames, orientation change and size change. The one place a Putative is
 * built (matchGrouped here, guided.ts's guided matching).
 */
export function putativeOf(libIdx: ArrayLike<number>, queryIdx: ArrayLike<number>, lk: Float32Array, qk: Float32Array): Putative {
  const k = libIdx.length;
  const src = new Float64Array(k * 2);
  const dst = new Float64Array(k * 2);
  const turn = new Float64Array(k);
  const zoom = new Float64Array(k);
  for (let m = 0; m < k; m++) {
    const j = libIdx[m] as number;
    const i = queryIdx[m] as number;
    turn[m] = (qk[i * 4 + 3] as number) - (lk[j * 4 + 3] as number);
    zoom[m] = Math.log2((qk[i * 4 + 2] as number) / Math.max(1e-6, lk[j * 4 + 2] as number));
    src[2 * m] = lk[j * 4] as number;
    src[2 * m + 1] = lk[j * 4 + 1] as number;
    dst[2 * m] = qk[i * 4] as number;
    dst[2 * m + 1] = qk[i * 4 + 1] as number;
  }
  return { src, dst, turn, zoom, count: k };
}

/** The putative matches of `put` at `keep` (indices into it), as a Putative of their own. */
export function subset(put: Putative, keep: readonly number[]): Putative {
  const src = new Float64Array(2 * keep.length);
  const dst = new Float64Array(2 * keep.length);
  const turn = new Float64Array(keep.length);
  const zoom = new Float64Array(keep.length);
  keep.forEach((i, j) => {
    src[2 * j] = put.src[2 * i] as number;
    src[2 * j + 1] = put.src[2 * i + 1] as number;
    dst[2 * j] = put.dst[2 * i] as number;
    dst[2 * j + 1] = put.dst[2 * i + 1] as number;
    turn[j] = put.turn[i] as number;
    zoom[j] = put.zoom[i] as number;
  });
  return { src, dst, turn, zoom, count: keep.length };
}

const groupedViews = new WeakMap<LocalView, Grouped>();

/**
 * A view grouped by node, remembered while the view lives: a check verifies up to `candidates`
 * library images against the same query views, and a library image that several of the query's
 * zoom windows retrieve against each of them.
 */
export function groupedView(vocab: Vocabulary, view: LocalView, level: number): Grouped {
  const g = groupedViews.get(view);
  if (g && g.level === level) return g;
  const fresh = groupByNode(vocab, view, level);
  groupedViews.set(view, fresh);
  return fresh;
}

/** Ratio-tested matches from library keypoints (src) to query-view keypoints (dst), ungrouped inputs. */
export function putativeMatches(vocab: Vocabulary, q: LocalView, lib: LocalView, p: MatchParams): Putative {
  return matchGrouped(groupByNode(vocab, q, p.matchLevel), groupByNode(vocab, lib, p.matchLevel), p);
}
