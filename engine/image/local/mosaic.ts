/**
 * Mosaic ("pixelate") detection on a grey frame: a picture cut into constant blocks on a regular
 * grid and blown up again. Its orientation field is the grid's (every edge horizontal or vertical),
 * so the appearance check compares a mosaic with both images smoothed at its block size
 * (appearance.ts, policy local.appearance.mosaic), as it compares a blurred thumbnail smoothed.
 *
 * Measured on the frame's column (and row) profile of summed absolute differences between
 * neighbouring columns: inside a block two neighbouring columns are equal in every row (the
 * resampling to the working frame blurs only the grid lines themselves), so most columns across
 * the content differ by almost nothing; in a drawing, some line crosses nearly every column.
 */

/** Summed absolute differences between neighbouring columns (transposed: rows) of a grey frame. */
function profile(gray: Uint8Array, w: number, h: number, rows: boolean): Float64Array {
  const n = rows ? h : w;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let y = rows ? 1 : 0; y < h; y++) {
    for (let x = rows ? 0 : 1; x < w; x++) {
      const a = gray[y * w + x] as number;
      const b = (rows ? gray[(y - 1) * w + x] : gray[y * w + x - 1]) as number;
      const i = (rows ? y : x) - 1;
      out[i] = (out[i] as number) + Math.abs(a - b);
    }
  }
  return out;
}

/**
 * The grid's period along one axis (pixels), or 0 when the profile is not a grid's. Over the
 * content's span (first to last changing line), the lines that change (above `quiet` × the 90th
 * percentile of the changing lines' sums; the rest is the resampling's ringing) come in runs at
 * most 2 wide or a third of the period (a grid line, softened by resampling, more when the working
 * frame enlarged the picture); at least `minFlat` of the span's lines are quiet; there are at
 * least `minBlocks` runs; and the runs are regular: each gap between two runs' starts is a whole
 * number of the median gap (two neighbouring blocks of one colour leave out a line), within a
 * pixel and a half or a fifth of the period. Strict on purpose: a looser reading (runs typically
 * half the period wide, ringing lobes merged into their line, gaps within a quarter) found more
 * mosaics and more chance agreements with them (sessions 86 and 92, README).
 */
function period(p: Float64Array, s: MosaicSettings): number {
  const moving = Array.from(p).filter((v) => v > 0);
  if (moving.length < s.minBlocks) return 0;
  moving.sort((a, b) => a - b);
  const bar = s.quiet * (moving[Math.floor(moving.length * 0.9)] as number);
  const starts: number[] = [];
  let flat = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < p.length; i++) {
    if ((p[i] as number) <= bar) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0 || last <= first) return 0;
  let widest = 0;
  let run = 0;
  for (let i = first; i <= last; i++) {
    if ((p[i] as number) > bar) {
      if (run === 0) starts.push(i);
      widest = Math.max(widest, ++run);
    } else {
      run = 0;
      flat++;
    }
  }
  if (starts.length < s.minBlocks || flat < s.minFlat * (last - first + 1)) return 0;
  const gaps = starts.slice(1).map((v, i) => v - (starts[i] as number));
  const sorted = [...gaps].sort((a, b) => a - b);
  const unit = sorted[Math.floor(sorted.length / 2)] as number;
  if (unit < 3 || widest > Math.max(2, unit / 3)) return 0;
  const tol = Math.max(1.5, 0.2 * unit);
  const singles: number[] = [];
  for (const g of gaps) {
    const k = Math.max(1, Math.round(g / unit));
    if (Math.abs(g - k * unit) > tol * k) return 0;
    if (k === 1) singles.push(g);
  }
  return singles.reduce((a, b) => a + b, 0) / singles.length;
}

export interface MosaicSettings {
  /** A line is quiet below this share of the 90th percentile of the changing lines' summed differences. */
  quiet: number;
  /** Share of the content's lines that must be quiet, along each axis. */
  minFlat: number;
  /** Fewest grid lines along each axis. */
  minBlocks: number;
}

/**
 * The block size of a mosaic frame (pixels; the smaller of the two axes' periods), 0 when the frame
 * is not one. Both axes must be a grid's.
 */
export function mosaicBlock(gray: Uint8Array, w: number, h: number, s: MosaicSettings): number {
  if (w < 8 || h < 8 || gray.length !== w * h) return 0;
  const px = period(profile(gray, w, h, false), s);
  if (px === 0) return 0;
  const py = period(profile(gray, w, h, true), s);
  return py === 0 ? 0 : Math.min(px, py);
}
