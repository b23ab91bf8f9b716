/**
 * Guided matching (Hartley & Zisserman, "Multiple View Geometry", §4.8): once RANSAC has a model
 * from a few agreeing matches, every library keypoint is projected into the query and compared with
 * the query keypoints near where it lands, whatever their vocabulary node, keeping the closest
 * descriptor whose orientation turned as the model says. Putative matching only compares keypoints
 * under one vocabulary node and keeps ratio-test winners, which loses many true pairs on blurred,
 * noisy or re-drawn copies; guided matching recovers them, while a chance model (two drawings in one
 * style agreeing on a handful of corners) finds little more, because its projections land on
 * unrelated patches. The result feeds the same acceptance gates as the first consensus.
 */
import { type Putative, putativeOf } from './putative.ts';
import { asWords, hamming } from './hamming.ts';
import { type Homography, angleGap, localAffine, project, scaleOf, turnOf } from './homography.ts';
import type { Affine } from './ransac.ts';
import type { LocalView } from './types.ts';

/** Where a model sends a library point, and its local affine map there: a homography's, or a bent model's (trace-bend.ts). */
export interface Warp {
  at(x: number, y: number): [number, number] | null;
  local(x: number, y: number): Affine | null;
}

const warpOf = (h: Homography): Warp => ({ at: (x, y) => project(h, x, y), local: (x, y) => localAffine(h, x, y) });

export interface GuidedParams {
  /** Search radius around the projected position (working-frame pixels of the query). */
  radiusPx: number;
  /** Largest Hamming distance of a guided match. */
  maxHamming: number;
  /** Largest difference (degrees) between a pair's orientation change and the model's rotation there. */
  angleTolerance: number;
  /**
   * Largest ratio between a pair's keypoint-size change and the model's local scale (either way):
   * without it a model that shrinks the library image pulls each of its keypoints onto a crowd of
   * query keypoints, and the closest of a crowd is close by chance.
   */
  sizeTolerance: number;
  /**
   * Lowe's ratio among the query keypoints a library keypoint could be guided to (within the
   * radius, of agreeing size and orientation): the closest is kept only when its distance is under
   * `ratio` × the second closest's. Repeated marks (speckle dots, a blade's serrations) each find
   * a like one wherever a chance model puts them — but so do a blurred copy's neighbouring
   * keypoints, and at 0.9 it lost more true finds than chance ones (policy local.guided.ratio: off).
   * Absent or ≥ 1: off.
   */
  ratio?: number | undefined;
}

/** A query view's keypoints bucketed on a square grid (cell = radius), for radius searches. */
interface Grid {
  cell: number;
  cols: number;
  rows: number;
  start: Uint32Array;
  order: Uint32Array;
}

const grids = new WeakMap<LocalView, Grid>();

function gridOf(view: LocalView, cell: number): Grid {
  const cached = grids.get(view);
  if (cached && cached.cell === cell) return cached;
  const kp = view.keypoints;
  const n = kp.length / 4;
  let maxX = 0;
  let maxY = 0;
  for (let i = 0; i < n; i++) {
    maxX = Math.max(maxX, kp[i * 4] as number);
    maxY = Math.max(maxY, kp[i * 4 + 1] as number);
  }
  const cols = Math.floor(maxX / cell) + 1;
  const rows = Math.floor(maxY / cell) + 1;
  const cellOf = (i: number): number =>
    Math.floor(Math.max(0, kp[i * 4 + 1] as number) / cell) * cols + Math.floor(Math.max(0, kp[i * 4] as number) / cell);
  const start = new Uint32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) start[cellOf(i) + 1] = (start[cellOf(i) + 1] as number) + 1;
  for (let c = 0; c < cols * rows; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, cols * rows);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cellOf(i);
    order[fill[c] as number] = i;
    fill[c] = (fill[c] as number) + 1;
  }
  const g = { cell, cols, rows, start, order };
  grids.set(view, g);
  return g;
}

/**
 * Matches from library keypoints (src) to query keypoints (dst) guided by `model` (library → query
 * view): one per library keypoint and at most one per query keypoint (the closer descriptor wins).
 */
export function guidedMatches(model: Homography | Warp, query: LocalView, library: LocalView, p: GuidedParams): Putative {
  const map = Array.isArray(model) ? warpOf(model) : model;
  const grid = gridOf(query, p.radiusPx);
  const qk = query.keypoints;
  const lk = library.keypoints;
  const qd = asWords(query.descriptors);
  const ld = asWords(library.descriptors);
  const r2 = p.radiusPx * p.radiusPx;
  const nl = lk.length / 4;
  const nq = qk.length / 4;
  const ratio = p.ratio ?? 1;
  const byQuery = new Int32Array(nq).fill(-1);
  const distQ = new Uint16Array(nq);
  for (let j = 0; j < nl; j++) {
    const x = lk[j * 4] as number;
    const y = lk[j * 4 + 1] as number;
    const at = map.at(x, y);
    const a = map.local(x, y);
    if (!at || !a) continue;
    const turn = turnOf(a);
    const want = scaleOf(a) * (lk[j * 4 + 2] as number);
    const [lo, hi] = [want / p.sizeTolerance, want * p.sizeTolerance];
    const cx = Math.floor(at[0] / grid.cell);
    const cy = Math.floor(at[1] / grid.cell);
    let best = -1;
    let bestD = 257;
    let secondD = 257;
    for (let gy = Math.max(0, cy - 1); gy <= Math.min(grid.rows - 1, cy + 1); gy++) {
      for (let gx = Math.max(0, cx - 1); gx <= Math.min(grid.cols - 1, cx + 1); gx++) {
        const c = gy * grid.cols + gx;
        for (let s = grid.start[c] as number; s < (grid.start[c + 1] as number); s++) {
          const i = grid.order[s] as number;
          const dx = (qk[i * 4] as number) - at[0];
          const dy = (qk[i * 4 + 1] as number) - at[1];
          if (dx * dx + dy * dy > r2) continue;
          const size = qk[i * 4 + 2] as number;
          if (size < lo || size > hi) continue;
          if (angleGap((qk[i * 4 + 3] as number) - (lk[j * 4 + 3] as number), turn) > p.angleTolerance) continue;
          const d = hamming(qd, i, ld, j);
          if (d < bestD) {
            secondD = bestD;
            bestD = d;
            best = i;
          } else if (d < secondD) secondD = d;
        }
      }
    }
    if (best < 0 || bestD > p.maxHamming || (ratio < 1 && bestD >= ratio * secondD)) continue;
    const held = byQuery[best] as number;
    if (held === -1 || bestD < (distQ[best] as number)) {
      byQuery[best] = j;
      distQ[best] = bestD;
    }
  }
  const libIdx: number[] = [];
  const queryIdx: number[] = [];
  for (let i = 0; i < nq; i++)
    if ((byQuery[i] as number) >= 0) {
      libIdx.push(byQuery[i] as number);
      queryIdx.push(i);
    }
  return putativeOf(libIdx, queryIdx, lk, qk);
}
