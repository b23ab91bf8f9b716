/**
 * The box of an image's content inside a uniform border, computed here instead of by sharp's
 * `trim()`, which took most of the global hashes' CPU (a median filter and a second evaluation of
 * the pipeline in libvips for every image). Same rule as libvips' find_trim with sharp's defaults:
 * the background is the top-left pixel; each band is smoothed by a 3 × 3 median (edge pixels
 * repeated); a pixel is content when any band's median differs from the background's by more than
 * `threshold`; the box spans every content pixel. A median exceeds a value exactly when at least 5
 * of its 9 pixels do, so the rule is a count (no sorting), and it is tested only on rows and columns
 * whose counts of pixels beyond the background's band allow 5, and only at pixels where at least 5
 * of the window are beyond some band's limits (one pass over the pixels marks them, a byte each).
 * Checked box for box against sharp on the allowed openclipart categories and noisy, re-encoded and
 * recoloured copies of them (README, Benchmarks), and against the earlier two-mask version on every
 * allowed file and noisy copies of it.
 */

export interface TrimBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where the rule can hold: a pixel's 3 × 3 window (edge pixels repeated) counts each pixel of the
 * three rows at most twice (the repeated edge column), so a row whose window rows hold fewer than 3
 * pixels beyond the limits in all cannot reach the 5 a median needs anywhere; likewise for columns.
 * `rows[y]` / `cols[x]` count the pixels beyond the limits in row y / column x (any band).
 */
function possible(counts: Int32Array, i: number): boolean {
  const n = counts.length;
  return (counts[i > 0 ? i - 1 : 0] as number) + (counts[i] as number) + (counts[i < n - 1 ? i + 1 : n - 1] as number) >= 3;
}

/**
 * The box spanned by every pixel where `content` holds, searched inward from each side and only on
 * rows and columns where it can hold (`possible`); null when none does.
 */
function searchBox(w: number, h: number, rows: Int32Array, cols: Int32Array, content: (x: number, y: number) => boolean): TrimBox | null {
  const rowHas = (y: number): boolean => {
    if (!possible(rows, y)) return false;
    for (let x = 0; x < w; x++) if (possible(cols, x) && content(x, y)) return true;
    return false;
  };
  let top = 0;
  while (top < h && !rowHas(top)) top++;
  if (top === h) return null;
  let bottom = h - 1;
  while (bottom > top && !rowHas(bottom)) bottom--;
  const colHas = (x: number): boolean => {
    if (!possible(cols, x)) return false;
    for (let y = top; y <= bottom; y++) if (possible(rows, y) && content(x, y)) return true;
    return false;
  };
  let left = 0;
  while (!colHas(left)) left++;
  let right = w - 1;
  while (right > left && !colHas(right)) right--;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Whether band value `value(i)` of pixel i lies above `up` or below `down` in at least 5 of the
 * 3 × 3 window of (x, y), edge pixels repeated. Read in place (nothing allocated per pixel: this is
 * called for every pixel tested while the box is searched).
 */
function medianBeyond(x: number, y: number, w: number, h: number, value: (i: number) => number, up: number, down: number): boolean {
  const xl = x > 0 ? x - 1 : 0;
  const xr = x < w - 1 ? x + 1 : w - 1;
  let above = 0;
  let below = 0;
  for (let k = -1; k <= 1; k++) {
    const yy = y + k;
    const row = (yy < 0 ? 0 : yy > h - 1 ? h - 1 : yy) * w;
    const a = value(row + xl);
    const b = value(row + x);
    const c = value(row + xr);
    above += (a > up ? 1 : 0) + (b > up ? 1 : 0) + (c > up ? 1 : 0);
    below += (a < down ? 1 : 0) + (b < down ? 1 : 0) + (c < down ? 1 : 0);
  }
  return above >= 5 || below >= 5;
}

/**
 * Whether fewer than 5 of the 3 × 3 window of (x, y) are marked (medianBeyond over the marks): no
 * band's median can then lie beyond its limits there, and the bands need not be read.
 */
function fewMarked(marks: Uint8Array, x: number, y: number, w: number, h: number): boolean {
  return !medianBeyond(x, y, w, h, (i) => marks[i] as number, 0, 0);
}

/**
 * Images up to this many pixels are marked (fewMarked). Beyond it the marks cost more than the
 * tests they spare: 168-megapixel clip art was trimmed twice as slowly with them, where images of
 * up to 512 pixels a side were trimmed 1.2–2 times as fast.
 */
const MARKED_MAX = 1 << 22;

/** A zeroed byte per pixel to mark, or null beyond MARKED_MAX pixels. */
const markings = (n: number): Uint8Array | null => (n <= MARKED_MAX ? new Uint8Array(n) : null);

/** Band limits around the background's value: beyond them is content (a limit no 8-bit value passes: 255, 0). */
const limits = (bg: number, threshold: number): [number, number] => [
  bg + threshold < 255 ? bg + threshold : 255,
  bg - threshold > 0 ? bg - threshold : 0,
];

/**
 * The content box of interleaved 8-bit pixels (`channels` bands, no alpha), or null when no pixel
 * is content (sharp refuses to trim such an image).
 *
 * One pass marks the pixels beyond some band's limits and counts them per row and column; the
 * exact median rule is then tested only on rows and columns where it can hold (`possible`), and
 * only until each side of the box is found.
 */
export function findTrim(px: Uint8Array, width: number, height: number, channels: number, threshold: number): TrimBox | null {
  const w = width;
  const h = height;
  if (w < 1 || h < 1 || channels < 1 || px.length < w * h * channels)
    throw new Error(`findTrim: ${px.length} bytes for ${w}×${h}×${channels}`);
  const hi = new Int32Array(channels);
  const lo = new Int32Array(channels);
  for (let b = 0; b < channels; b++) [hi[b], lo[b]] = limits(px[b] as number, threshold);
  const rows = new Int32Array(h);
  const cols = new Int32Array(w);
  // The pixels beyond some band's limits (1), for the search's quick test (fewMarked).
  const marks = markings(w * h);
  let any = 0;
  // RGB and grey, the common cases, unrolled: the general loop below took about a third longer over
  // every allowed clip-art file.
  if (channels === 1) {
    const [h0, l0] = [hi[0] as number, lo[0] as number];
    for (let y = 0, o = 0; y < h; y++) {
      let r = 0;
      for (let x = 0; x < w; x++, o++) {
        const a = px[o] as number;
        if (a > h0 || a < l0) {
          r++;
          cols[x] = (cols[x] as number) + 1;
          if (marks) marks[o] = 1;
        }
      }
      rows[y] = r;
      any |= r;
    }
  } else if (channels === 3) {
    const [h0, h1, h2] = hi as unknown as [number, number, number];
    const [l0, l1, l2] = lo as unknown as [number, number, number];
    for (let y = 0, o = 0; y < h; y++) {
      let r = 0;
      for (let x = 0; x < w; x++, o += 3) {
        const a = px[o] as number;
        const b = px[o + 1] as number;
        const c = px[o + 2] as number;
        if (a > h0 || a < l0 || b > h1 || b < l1 || c > h2 || c < l2) {
          r++;
          cols[x] = (cols[x] as number) + 1;
          if (marks) marks[y * w + x] = 1;
        }
      }
      rows[y] = r;
      any |= r;
    }
  } else {
    for (let y = 0, o = 0; y < h; y++) {
      let r = 0;
      for (let x = 0; x < w; x++, o += channels) {
        let m = false;
        for (let b = 0; b < channels && !m; b++) {
          const v = px[o + b] as number;
          m = v > (hi[b] as number) || v < (lo[b] as number);
        }
        if (m) {
          r++;
          cols[x] = (cols[x] as number) + 1;
          if (marks) marks[y * w + x] = 1;
        }
      }
      rows[y] = r;
      any |= r;
    }
  }
  if (!any) return null;
  let band = 0;
  const value = (i: number): number => px[i * channels + band] as number;
  return searchBox(w, h, rows, cols, (x, y) => {
    if (marks && fewMarked(marks, x, y, w, h)) return false;
    for (band = 0; band < channels; band++) if (medianBeyond(x, y, w, h, value, hi[band] as number, lo[band] as number)) return true;
    return false;
  });
}

/**
 * The content box of RGBA pixels as sharp's trim finds it on an image with transparency: the
 * colour bands flattened over the top-left pixel's colour (libvips flatten) and searched as above,
 * the alpha band searched on its own, and the two boxes joined (the alpha box alone when the colours
 * find nothing). Null when neither finds anything. Both are marked in one pass over the pixels,
 * flattening as it goes (no flattened copy is made).
 */
export function findTrimRgba(rgba: Uint8Array, width: number, height: number, threshold: number): TrimBox | null {
  const w = width;
  const h = height;
  const n = w * h;
  if (w < 1 || h < 1 || rgba.length < n * 4) throw new Error(`findTrimRgba: ${rgba.length} bytes for ${w}×${h}×4`);
  const bg = [rgba[0] as number, rgba[1] as number, rgba[2] as number];
  // Flattened over the top-left colour, the top-left pixel keeps its colour: the colours' background.
  const [h0, l0] = limits(bg[0] as number, threshold);
  const [h1, l1] = limits(bg[1] as number, threshold);
  const [h2, l2] = limits(bg[2] as number, threshold);
  const [ha, la] = limits(rgba[3] as number, threshold);
  // libvips flattens 8-bit pixels in integers: the quotient truncated.
  const flat = (i: number, b: number): number => {
    const a = rgba[i * 4 + 3] as number;
    return (((rgba[i * 4 + b] as number) * a + (bg[b] as number) * (255 - a)) / 255) | 0;
  };
  const rowsC = new Int32Array(h);
  const colsC = new Int32Array(w);
  const rowsA = new Int32Array(h);
  const colsA = new Int32Array(w);
  // Marked as in findTrim: where the colours are beyond their limits, and where the alpha band is.
  const colourMarks = markings(n);
  const alphaMarks = markings(n);
  let anyC = 0;
  let anyA = 0;
  const [r0, g0, b0] = bg as [number, number, number];
  for (let y = 0, o = 0; y < h; y++) {
    let rc = 0;
    let ra = 0;
    for (let x = 0; x < w; x++, o += 4) {
      const a = rgba[o + 3] as number;
      if (a > ha || a < la) {
        ra++;
        colsA[x] = (colsA[x] as number) + 1;
        if (alphaMarks) alphaMarks[o >> 2] = 1;
      }
      // Fully transparent: flattened to the background itself, never beyond its limits.
      if (a === 0) continue;
      let r = rgba[o] as number;
      let g = rgba[o + 1] as number;
      let b = rgba[o + 2] as number;
      if (a !== 255) {
        const na = 255 - a;
        r = ((r * a + r0 * na) / 255) | 0;
        g = ((g * a + g0 * na) / 255) | 0;
        b = ((b * a + b0 * na) / 255) | 0;
      }
      if (r > h0 || r < l0 || g > h1 || g < l1 || b > h2 || b < l2) {
        rc++;
        colsC[x] = (colsC[x] as number) + 1;
        if (colourMarks) colourMarks[o >> 2] = 1;
      }
    }
    rowsC[y] = rc;
    rowsA[y] = ra;
    anyC |= rc;
    anyA |= ra;
  }
  const his = [h0, h1, h2];
  const los = [l0, l1, l2];
  let band = 0;
  const flatBand = (i: number): number => flat(i, band);
  const colour = anyC
    ? searchBox(w, h, rowsC, colsC, (x, y) => {
        if (colourMarks && fewMarked(colourMarks, x, y, w, h)) return false;
        for (band = 0; band < 3; band++) if (medianBeyond(x, y, w, h, flatBand, his[band] as number, los[band] as number)) return true;
        return false;
      })
    : null;
  const alpha = (i: number): number => rgba[i * 4 + 3] as number;
  const opaque = anyA
    ? searchBox(w, h, rowsA, colsA, (x, y) => !(alphaMarks && fewMarked(alphaMarks, x, y, w, h)) && medianBeyond(x, y, w, h, alpha, ha, la))
    : null;
  if (!opaque) return colour;
  if (!colour) return opaque;
  const left = Math.min(colour.left, opaque.left);
  const top = Math.min(colour.top, opaque.top);
  return {
    left,
    top,
    width: Math.max(colour.left + colour.width, opaque.left + opaque.width) - left,
    height: Math.max(colour.top + colour.height, opaque.top + opaque.height) - top,
  };
}
