/**
 * Embossed queries: an editor's emboss (relief) filter replaces a drawing by its derivative along
 * one direction added to mid grey — a line of the drawing becomes a light and a dark edge, a filled
 * shape an outline lit on one side. No keypoint descriptor of that meets the library's. The
 * derivative is undone by summing it along its direction (reliefFrame): the sum telescopes back to
 * the drawing, up to each line's starting level, which is the backdrop's. The direction is the one
 * along which the frame's deviations from its backdrop sum to nothing on every line across it
 * (reliefResidual): a derivative's do, a drawing's own tones, all darker or lighter than their
 * backdrop, do not. The view is described and verified as a query of its own (reliefQuery).
 */
import type { LocalFeatureSet } from './types.ts';

/** When a query frame counts as a relief, and how it is undone (policy local.relief). */
export interface ReliefSettings {
  /** The uniform backdrop a relief sits on: grey levels minLevel–maxLevel (an emboss adds its derivative to mid grey). */
  minLevel: number;
  maxLevel: number;
  /** Pixels within `step` levels of the backdrop: at least minNear of the frame (a relief's flat parts stay at its level), at most 1 − minActive. */
  step: number;
  minNear: number;
  minActive: number;
  /** The smaller of the deviations' sums above and below the backdrop, at least this share of the larger (above 1: never a relief). */
  minBalance: number;
  /** Most of the deviations left when each line along the best direction is summed (Σ |line sum| / Σ |deviation|). */
  maxResidual: number;
  /** The running sum's leak per pixel (1 = none): a sum that drifts on a drawing mixed into the relief fades back to the backdrop. */
  leak: number;
}

/** The directions tried: along rows, columns and the two diagonals (dx, dy), the sum running forward. */
const DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
];

/** The first pixel of every line along (dx, dy): those whose predecessor lies outside the frame. */
function lineStarts(width: number, height: number, dx: number, dy: number): number[] {
  const starts: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const px = x - dx;
      const py = y - dy;
      if (px < 0 || py < 0 || px >= width || py >= height) starts.push(y * width + x);
    }
  return starts;
}

/** Walks each line along (dx, dy) from its start, calling `step` with the pixel index; `begin` before each line. */
function eachLine(
  width: number,
  height: number,
  dx: number,
  dy: number,
  begin: () => void,
  step: (i: number) => void,
  end: () => void,
): void {
  for (const s of lineStarts(width, height, dx, dy)) {
    begin();
    let x = s % width;
    let y = (s - x) / width;
    while (x >= 0 && y >= 0 && x < width && y < height) {
      step(y * width + x);
      x += dx;
      y += dy;
    }
    end();
  }
}

/**
 * How much of the frame's deviations from `level` is left when each line along (dx, dy) is summed:
 * Σ |line sum| / Σ |deviation| (1 when there is none).
 */
export function reliefResidual(gray: Uint8Array, width: number, height: number, level: number, dx: number, dy: number): number {
  let left = 0;
  let total = 0;
  let sum = 0;
  eachLine(
    width,
    height,
    dx,
    dy,
    () => (sum = 0),
    (i) => {
      const d = (gray[i] as number) - level;
      sum += d;
      total += Math.abs(d);
    },
    () => (left += Math.abs(sum)),
  );
  return total > 0 ? left / total : 1;
}

/**
 * The frame seen through its relief undone — the running sum of its deviations from its backdrop
 * along the direction that leaves the least (reliefResidual), the drawing dark on white — or null
 * when it is no relief by `s`: no backdrop in minLevel–maxLevel, too little on it, or no direction
 * leaving at most maxResidual.
 */
export function reliefFrame(
  gray: Uint8Array,
  width: number,
  height: number,
  background: number | undefined,
  s: ReliefSettings,
): Uint8Array | null {
  if (background === undefined || background < s.minLevel || background > s.maxLevel) return null;
  const n = width * height;
  let active = 0;
  let above = 0;
  let below = 0;
  for (let i = 0; i < n; i++) {
    const d = (gray[i] as number) - background;
    if (Math.abs(d) > s.step) active++;
    if (d > 0) above += d;
    else below -= d;
  }
  if (n === 0 || active < s.minActive * n || active > (1 - s.minNear) * n) return null;
  if (Math.min(above, below) < s.minBalance * Math.max(above, below)) return null;
  let best: readonly [number, number] | null = null;
  let least = s.maxResidual;
  for (const [dx, dy] of DIRECTIONS) {
    const r = reliefResidual(gray, width, height, background, dx, dy);
    if (r <= least) [best, least] = [[dx, dy], r];
  }
  if (!best) return null;
  const sums = new Float32Array(n);
  let run = 0;
  let total = 0;
  eachLine(
    width,
    height,
    best[0],
    best[1],
    () => (run = 0),
    (i) => {
      run = run * s.leak + ((gray[i] as number) - background);
      sums[i] = run;
      total += run;
    },
    () => undefined,
  );
  // Summed one way or the other the drawing comes out dark on light or light on dark: clip art
  // is darker than its paper on the whole, so the sum is turned to make it so.
  const sign = total > 0 ? -1 : 1;
  const depths = Float32Array.from(sums, (v) => Math.max(0, -sign * v)).sort();
  // The deepest 1 % black, the backdrop white.
  const deep = depths[Math.min(n - 1, Math.floor(n * 0.99))] as number;
  if (deep <= 0) return null;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = 255 - (255 * Math.max(0, -sign * (sums[i] as number))) / deep;
    out[i] = v < 0 ? 0 : Math.round(v);
  }
  return out;
}

/**
 * A query's relief view as a query of its own: the frame with its relief undone, described like a
 * zoom window (its own grey frame, which appearance.ts compares), marked embossed so its matches
 * are named so. Null when the query has none.
 */
export function reliefQuery(set: LocalFeatureSet): LocalFeatureSet | null {
  return set.relief ? { ...set.relief, embossed: true } : null;
}
