/**
 * Pictures inside a picture found by their outline: axis-aligned rectangles whose four sides are
 * straight edges of the frame. boxed.ts finds a box as one flat region lining its own rectangle,
 * which fails whenever the picture in the box reaches the box's edges — as clip art trimmed to its
 * drawing always does — and so cuts the box's colour into pieces (a fish pasted on its white card
 * into a scene: the white left of, above and below it are three regions, none lining the card).
 * The card's outline is still there: where the card's own colour meets the scene, and where the
 * drawing does, an edge runs along each side.
 *
 * Edges are grey-level steps of at least `contrast` across two pixels (a blurred edge spreads over
 * one). Along each row (column) they are joined into runs that bridge gaps of up to a fifth of the
 * run so far (where the drawing happens to match what lies beyond the card). A rectangle is two
 * parallel runs of about the same extent, each side of which is edged along at least minCover of
 * its length and quiet a few pixels to one side of it (texture is edged everywhere, a line only
 * along itself); a side on the frame's own edge counts as edged, on one side at most (a band of
 * the picture between two edges of the frame is no box).
 */
import type { PixelBox } from './boxed.ts';
import { rectIoU } from './local/geometry.ts';

/** Policy visual.boxes.lines: boxes found by their outline. */
export interface LineSettings {
  /** Grey levels between the pixels either side of an edge (two pixels apart). */
  contrast: number;
  /** Share of each side's length an edge must run along. */
  minCover: number;
  /**
   * A side is a line, not a stretch of texture: three pixels inside it or outside it, the frame is
   * edged along at most this share of what the side is.
   */
  quiet: number;
  /** Such boxes kept at most (beyond those boxed.ts finds). */
  maxBoxes: number;
}

type Run = { at: number; from: number; to: number };
/** A rectangle on its outline's edges (x, y its top-left edge pixel), and how well edged its own sides are. */
type Rect = { x: number; y: number; w: number; h: number; cover: number };

/**
 * Rectangles outlined by edges in grey frame g (w × h), their area between minArea and maxArea of
 * the frame, as boxes just inside their outline (level: the commonest grey level along the inside of
 * the outline; inset 0), the largest first, no two overlapping by more than half their union.
 */
export function linedBoxes(g: Uint8Array, w: number, h: number, l: LineSettings, minArea: number, maxArea: number): PixelBox[] {
  const n = w * h;
  if (w < 12 || h < 12 || g.length < n || l.maxBoxes < 1) return [];
  const minSide = Math.max(6, Math.round(Math.sqrt(minArea * n) / 2));
  // Edges between rows (eh, at the row between the two compared) and between columns (ev).
  const eh = new Uint8Array(n);
  const ev = new Uint8Array(n);
  for (let y = 1; y < h - 1; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (Math.abs((g[i + w] as number) - (g[i - w] as number)) >= l.contrast) eh[i] = 1;
    }
  for (let y = 0; y < h; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (Math.abs((g[i + 1] as number) - (g[i - 1] as number)) >= l.contrast) ev[i] = 1;
    }
  const horizontal = runs(eh, w, h, 'rows', minSide);
  const vertical = runs(ev, w, h, 'columns', minSide);
  // The share of positions from..to along row `at` of eh ('h') or column `at` of ev ('v') that are
  // edged within `spread` pixels across the line.
  const edged = (dir: 'h' | 'v', at: number, from: number, to: number, spread: number): number => {
    const e = dir === 'h' ? eh : ev;
    const across = dir === 'h' ? w : 1;
    let on = 0;
    for (let p = from; p <= to; p++) {
      const i = dir === 'h' ? at * w + p : p * w + at;
      let hit = 0;
      for (let d = -spread; d <= spread; d++) hit |= e[i + d * across] as number;
      on += hit;
    }
    return on / (to - from + 1);
  };
  // How much of a side is edged (within a pixel of it); -1 on the frame's edge.
  const cover = (dir: 'h' | 'v', at: number, from: number, to: number): number =>
    at <= 1 || at >= (dir === 'h' ? h : w) - 2 ? -1 : edged(dir, at, from, to, 1);
  // Exactly along a line parallel to a side, a few pixels from it; 0 off the frame.
  const along = (dir: 'h' | 'v', at: number, from: number, to: number): number =>
    at < 0 || at >= (dir === 'h' ? h : w) ? 0 : edged(dir, at, from, to, 0);
  const quiet = (c: number, a: number, b: number): boolean => Math.min(a, b) <= l.quiet * c;
  const found: Rect[] = [];
  const consider = (x0: number, y0: number, x1: number, y1: number): void => {
    const area = (x1 - x0 + 1) * (y1 - y0 + 1);
    if (x1 - x0 < minSide || y1 - y0 < minSide || area < minArea * n || area > maxArea * n) return;
    // Top, bottom, left, right: the line each lies on and its extent along it.
    const lines = [
      ['h', y0, x0, x1],
      ['h', y1, x0, x1],
      ['v', x0, y0, y1],
      ['v', x1, y0, y1],
    ] as const;
    const sides = lines.map(([dir, at, from, to]) => cover(dir, at, from, to));
    // -1: on the frame's edge.
    if (sides.filter((c) => c < 0).length > 1) return;
    if (sides.some((c) => c >= 0 && c < l.minCover)) return;
    // Each edged side is a line, not a stretch of texture: quiet a few pixels inside it or outside it.
    const o = 3;
    const lineLike = ([dir, at, from, to]: (typeof lines)[number], c: number): boolean =>
      c < 0 || quiet(c, along(dir, at - o, from, to), along(dir, at + o, from, to));
    if (!lines.every((line, k) => lineLike(line, sides[k] as number))) return;
    const own = sides.filter((c) => c >= 0);
    found.push({ x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1, cover: own.reduce((a, c) => a + c, 0) / own.length });
  };
  // Two parallel runs of about the same extent, as opposite sides: sorted by where they start, each
  // is compared with those starting at most `slack` after it.
  const pairs = (list: Run[], make: (a: Run, b: Run) => void): void => {
    list.sort((a, b) => a.from - b.from);
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as Run;
      const slack = Math.max(2, 0.03 * (a.to - a.from));
      for (let j = i + 1; j < list.length && (list[j] as Run).from - a.from <= slack; j++) {
        const b = list[j] as Run;
        if (Math.abs(a.at - b.at) < minSide) continue;
        if (Math.abs(a.to - b.to) <= Math.max(slack, 0.03 * (b.to - b.from))) make(a, b);
      }
    }
  };
  pairs(horizontal, (a, b) =>
    consider(Math.round((a.from + b.from) / 2), Math.min(a.at, b.at), Math.round((a.to + b.to) / 2), Math.max(a.at, b.at)),
  );
  pairs(vertical, (a, b) =>
    consider(Math.min(a.at, b.at), Math.round((a.from + b.from) / 2), Math.max(a.at, b.at), Math.round((a.to + b.to) / 2)),
  );
  // The largest first (a card holds the rectangles its drawing's strokes outline), the better edged of equal ones.
  found.sort((a, b) => b.w * b.h - a.w * a.h || b.cover - a.cover);
  const kept: Rect[] = [];
  for (const r of found) {
    if (kept.length >= l.maxBoxes) break;
    if (kept.every((k) => rectIoU(k, r) <= 0.5)) kept.push(r);
  }
  return kept.map((r) => {
    const b = { x: r.x + 1, y: r.y + 1, w: r.w - 2, h: r.h - 2 };
    return { ...b, level: insideLevel(g, w, b), inset: 0 };
  });
}

/**
 * Runs of edge pixels along each row (or column) of `edge` (w × h), at least `min` long; a gap is
 * bridged while it is at most a fifth of the run so far (two pixels at least).
 */
function runs(edge: Uint8Array, w: number, h: number, along: 'rows' | 'columns', min: number): Run[] {
  const out: Run[] = [];
  const lines = along === 'rows' ? h : w;
  const length = along === 'rows' ? w : h;
  for (let at = 0; at < lines; at++) {
    let from = -1;
    let last = -1;
    const close = (): void => {
      if (from >= 0 && last - from + 1 >= min) out.push({ at, from, to: last });
    };
    for (let p = 0; p < length; p++) {
      if (!edge[along === 'rows' ? at * w + p : p * w + at]) continue;
      if (from >= 0 && p - last - 1 <= Math.max(2, 0.2 * (last - from + 1))) last = p;
      else {
        close();
        from = p;
        last = p;
      }
    }
    close();
  }
  return out;
}

/** The commonest grey level along the inside of box b's outline: the mean of its commonest band of 8 levels. */
function insideLevel(g: Uint8Array, w: number, b: { x: number; y: number; w: number; h: number }): number {
  const count = new Uint32Array(32);
  const sum = new Float64Array(32);
  const add = (i: number): void => {
    const v = g[i] as number;
    count[v >> 3] = (count[v >> 3] as number) + 1;
    sum[v >> 3] = (sum[v >> 3] as number) + v;
  };
  for (let x = b.x; x < b.x + b.w; x++) {
    add(b.y * w + x);
    add((b.y + b.h - 1) * w + x);
  }
  for (let y = b.y + 1; y < b.y + b.h - 1; y++) {
    add(y * w + b.x);
    add(y * w + b.x + b.w - 1);
  }
  let best = 0;
  for (let i = 1; i < 32; i++) if ((count[i] as number) > (count[best] as number)) best = i;
  return Math.round((sum[best] as number) / Math.max(1, count[best] as number));
}
