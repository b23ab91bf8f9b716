/**
 * A query's background, whitened: the region joined to the frame's border whose colours are the
 * border's own (a solid colour, a gradient, stripes, dots or noise behind clip art), painted white.
 *
 * The library stores transparent clip art flattened on white. The same art flattened on a dark or
 * textured background keeps its drawing but changes everything around it: ORB spends its keypoint
 * budget on the texture (a dotted backdrop fills all 800), and the outline's contrast flips. The
 * whitened frame shows ORB the drawing as the library saw it; its keypoints are added to the
 * query's (extract.ts), so nothing the plain frame found is lost when this guesses wrong.
 *
 * The border's colours are quantised; the most frequent bins covering `coverage` of the border
 * (art touching the edge is a minority of it) form the background's palette, widened by one bin.
 * A flood fill from the border through pixels of that palette marks the background; regions of the
 * palette the art encloses (holes in transparent art) join it when larger than a speck, and small
 * islands left inside it (dots whose colour the border never shows, specks of noise) join it.
 */

export interface BackgroundParams {
  /** Bits kept per colour channel when quantising (4: 16 levels). */
  bits: number;
  /** Share of the border's pixels the palette must cover. */
  coverage: number;
  /**
   * Largest palette (bins before widening), and largest as a share of the border's pixels: a border
   * with more colours is a photograph's, not a backdrop.
   */
  maxBins: number;
  maxBinShare: number;
  /** Largest island (share of the frame) inside the backdrop that is taken as part of it: dots, specks. */
  maxSpeck: number;
  /** Border share that is already near-white above which nothing is done (the library's own look). */
  maxWhiteShare: number;
  /** The whitened region must cover this share of the frame, and leave at least `minContent` of it. */
  minShare: number;
  minContent: number;
}

/**
 * `gray` with its backdrop painted white, or null when the frame has no backdrop to remove (a white
 * or photographic border, or a fill that takes nearly everything or almost nothing). `rgb` holds
 * `channels` interleaved channels (1: grey, 3: colour) of the same w × h pixels as `gray`.
 */
export function whitenBackground(
  rgb: Uint8Array,
  channels: number,
  gray: Uint8Array,
  w: number,
  h: number,
  p: BackgroundParams,
): Uint8Array | null {
  const n = w * h;
  if (w < 3 || h < 3 || gray.length !== n || rgb.length !== n * channels) return null;
  const shift = 8 - p.bits;
  const levels = 1 << p.bits;
  const bin = (i: number): number => {
    const o = i * channels;
    if (channels < 3) {
      const v = (rgb[o] as number) >> shift;
      return (v * levels + v) * levels + v;
    }
    return (((rgb[o] as number) >> shift) * levels + ((rgb[o + 1] as number) >> shift)) * levels + ((rgb[o + 2] as number) >> shift);
  };

  // The border's colours, and how much of it is already white.
  const counts = new Map<number, number>();
  let border = 0;
  let white = 0;
  const visitBorder = (f: (i: number) => void): void => {
    for (let x = 0; x < w; x++) {
      f(x);
      f((h - 1) * w + x);
    }
    for (let y = 1; y < h - 1; y++) {
      f(y * w);
      f(y * w + w - 1);
    }
  };
  visitBorder((i) => {
    const b = bin(i);
    counts.set(b, (counts.get(b) ?? 0) + 1);
    border++;
    if ((gray[i] as number) >= 235) white++;
  });
  if (white / border > p.maxWhiteShare) return null;

  // The palette: the most frequent bins covering `coverage` of the border, widened by one bin.
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const palette: number[] = [];
  let covered = 0;
  for (const [b, c] of ranked) {
    if (covered >= p.coverage * border) break;
    palette.push(b);
    covered += c;
  }
  if (palette.length > Math.min(p.maxBins, p.maxBinShare * border)) return null;
  const inPalette = new Uint8Array(levels * levels * levels);
  for (const b of palette) {
    const r = Math.floor(b / (levels * levels));
    const g = Math.floor(b / levels) % levels;
    const bl = b % levels;
    for (let dr = -1; dr <= 1; dr++)
      for (let dg = -1; dg <= 1; dg++)
        for (let db = -1; db <= 1; db++) {
          const rr = r + dr;
          const gg = g + dg;
          const bb = bl + db;
          if (rr < 0 || gg < 0 || bb < 0 || rr >= levels || gg >= levels || bb >= levels) continue;
          inPalette[(rr * levels + gg) * levels + bb] = 1;
        }
  }

  // Which pixels have a palette colour (one pass), then a flood fill from the border through them.
  const bg = new Uint8Array(n); // 0: content, 1: backdrop colour not yet reached, 2: backdrop
  if (channels >= 3) {
    for (let i = 0, o = 0; i < n; i++, o += channels)
      bg[i] = inPalette[
        (((rgb[o] as number) >> shift) * levels + ((rgb[o + 1] as number) >> shift)) * levels + ((rgb[o + 2] as number) >> shift)
      ] as number;
  } else {
    for (let i = 0; i < n; i++) {
      const v = (rgb[i * channels] as number) >> shift;
      bg[i] = inPalette[(v * levels + v) * levels + v] as number;
    }
  }
  const queue = new Int32Array(n);
  let tail = 0;
  visitBorder((i) => {
    if (bg[i] === 1) {
      bg[i] = 2;
      queue[tail++] = i;
    }
  });
  grow(bg, queue, tail, w, 1, 1, 2);

  // Holes: regions of the backdrop's colours the fill could not reach because the art encloses
  // them (a pretzel's loops, a ring, a letter's counter) show the backdrop through transparent art
  // too, and join it when larger than a speck (smaller ones may be the art's own colour).
  const speck = Math.max(16, p.maxSpeck * n);
  for (let s0 = 0; s0 < n; s0++) {
    if (bg[s0] !== 1) continue;
    bg[s0] = 4;
    queue[0] = s0;
    const size = grow(bg, queue, 1, w, 1, 1, 4);
    const to = size > speck ? 2 : 0;
    for (let k = 0; k < size; k++) bg[queue[k] as number] = to;
  }

  // Islands the fill left inside the backdrop — dots or specks of a colour the border never shows —
  // join it when small: a connected region not reached by the fill of at most `maxSpeck` of the frame.
  // Labels: 0/1 not yet visited, 3 visited (kept as content), 2 backdrop.
  for (let s0 = 0; s0 < n; s0++) {
    if ((bg[s0] as number) >= 2) continue;
    bg[s0] = 3;
    queue[0] = s0;
    const size = grow(bg, queue, 1, w, 0, 1, 3);
    if (size <= speck) for (let k = 0; k < size; k++) bg[queue[k] as number] = 2;
  }
  const out = new Uint8Array(gray);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    if (bg[i] === 2) {
      out[i] = 255;
      filled++;
    }
  }
  const share = filled / n;
  return share < p.minShare || share > 1 - p.minContent ? null : out;
}

/**
 * Breadth-first fill over 4-neighbours: from the `tail` pixels already in `queue` (already marked),
 * every pixel whose label lies in lo..hi is marked `mark` and queued. Returns how many were queued
 * in all (the filled region is queue[0..that)).
 */
function grow(bg: Uint8Array, queue: Int32Array, tail: number, w: number, lo: number, hi: number, mark: number): number {
  const n = bg.length;
  let head = 0;
  const take = (j: number): void => {
    const v = bg[j] as number;
    if (v >= lo && v <= hi) {
      bg[j] = mark;
      queue[tail++] = j;
    }
  };
  while (head < tail) {
    const i = queue[head++] as number;
    const x = i % w;
    if (x > 0) take(i - 1);
    if (x < w - 1) take(i + 1);
    if (i >= w) take(i - w);
    if (i < n - w) take(i + w);
  }
  return tail;
}
