/**
 * The box of an image's content inside a uniform border, computed here instead of by sharp's
 * `trim()`, which took most of the global hashes' CPU (a median filter and a second evaluation of
 * the pipeline in libvips for every image). Same rule as libvips' find_trim with sharp's defaults:
 * the background is the top-left pixel; each band is smoothed by a 3 × 3 median (edge pixels
 * repeated); a pixel is content when any band's median differs from the background's by more than
 * `threshold`; the box spans every content pixel. A median exceeds a value exactly when at least 5
 * of its 9 pixels do, so each band is two 0/1 masks (above and below the background's band) and a
 * 3 × 3 count — no sorting. Checked box for box against sharp on the allowed openclipart categories
 * and noisy, re-encoded and recoloured copies of them (README, Benchmarks).
 */

export interface TrimBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The content box of interleaved 8-bit pixels (`channels` bands, no alpha), or null when no pixel
 * is content (sharp refuses to trim such an image).
 *
 * Each band's median is compared above and below the background's band: up to 2 × `channels` masks.
 * Their union is computed once, with its 3 × 3 counts: a pixel whose union count is under 5 cannot
 * reach 5 in any one mask, so only the rest (nearly always content already) are tested exactly,
 * and only until each side of the box is found.
 */
export function findTrim(px: Uint8Array, width: number, height: number, channels: number, threshold: number): TrimBox | null {
  const w = width;
  const h = height;
  if (w < 1 || h < 1 || channels < 1 || px.length < w * h * channels)
    throw new Error(`findTrim: ${px.length} bytes for ${w}×${h}×${channels}`);
  const n = w * h;
  // Band b's value is beyond its limits when above hi[b] (bg + threshold) or below lo[b] (bg −
  // threshold); a limit no 8-bit value lies beyond is set where nothing passes it (255, 0).
  const hi = new Int32Array(channels);
  const lo = new Int32Array(channels);
  for (let b = 0; b < channels; b++) {
    const bg = px[b] as number;
    hi[b] = bg + threshold < 255 ? bg + threshold : 255;
    lo[b] = bg - threshold > 0 ? bg - threshold : 0;
  }
  const union = new Uint8Array(n);
  let anySet = 0;
  // RGB, the common case, unrolled: the general loop below took about a third longer over every
  // allowed clip-art file.
  if (channels === 3) {
    const [h0, h1, h2] = hi as unknown as [number, number, number];
    const [l0, l1, l2] = lo as unknown as [number, number, number];
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const a = px[o] as number;
      const b = px[o + 1] as number;
      const c = px[o + 2] as number;
      const m = a > h0 || a < l0 || b > h1 || b < l1 || c > h2 || c < l2 ? 1 : 0;
      union[i] = m;
      anySet |= m;
    }
  } else {
    for (let i = 0, o = 0; i < n; i++, o += channels) {
      let m = 0;
      for (let b = 0; b < channels && !m; b++) {
        const v = px[o + b] as number;
        m = v > (hi[b] as number) || v < (lo[b] as number) ? 1 : 0;
      }
      union[i] = m;
      anySet |= m;
    }
  }
  if (!anySet) return null;
  // 3 × 3 counts of the union, edge rows and columns repeated: vertical sums, then horizontal.
  const col = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : 0) * w;
    const mid = y * w;
    const down = (y < h - 1 ? y + 1 : h - 1) * w;
    for (let x = 0; x < w; x++) col[mid + x] = (union[up + x] as number) + (union[mid + x] as number) + (union[down + x] as number);
  }
  const maybe = (x: number, y: number): boolean => {
    const row = y * w;
    return (col[row + (x > 0 ? x - 1 : 0)] as number) + (col[row + x] as number) + (col[row + (x < w - 1 ? x + 1 : w - 1)] as number) >= 5;
  };
  // The exact rule at one pixel: some band's values lie above (or below) its limit in at least 5 of
  // the 3 × 3 window (a median beyond the limit).
  const content = (x: number, y: number): boolean => {
    if (!maybe(x, y)) return false;
    const xs = [x > 0 ? x - 1 : 0, x, x < w - 1 ? x + 1 : w - 1];
    const rows = [y > 0 ? y - 1 : 0, y, y < h - 1 ? y + 1 : h - 1].map((yy) => yy * w);
    for (let b = 0; b < channels; b++) {
      const up = hi[b] as number;
      const down = lo[b] as number;
      let above = 0;
      let below = 0;
      for (const row of rows)
        for (const xx of xs) {
          const v = px[(row + xx) * channels + b] as number;
          if (v > up) above++;
          else if (v < down) below++;
        }
      if (above >= 5 || below >= 5) return true;
    }
    return false;
  };
  const rowHas = (y: number): boolean => {
    for (let x = 0; x < w; x++) if (content(x, y)) return true;
    return false;
  };
  let top = 0;
  while (top < h && !rowHas(top)) top++;
  if (top === h) return null;
  let bottom = h - 1;
  while (bottom > top && !rowHas(bottom)) bottom--;
  const colHas = (x: number): boolean => {
    for (let y = top; y <= bottom; y++) if (content(x, y)) return true;
    return false;
  };
  let left = 0;
  while (!colHas(left)) left++;
  let right = w - 1;
  while (right > left && !colHas(right)) right--;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * The content box of RGBA pixels as sharp's trim finds it on an image with transparency: the
 * colour bands flattened over the top-left pixel's colour (libvips flatten) and searched as above,
 * the alpha band searched on its own, and the two boxes joined (the alpha box alone when the colours
 * find nothing). Null when neither finds anything.
 */
export function findTrimRgba(rgba: Uint8Array, width: number, height: number, threshold: number): TrimBox | null {
  const n = width * height;
  if (width < 1 || height < 1 || rgba.length < n * 4) throw new Error(`findTrimRgba: ${rgba.length} bytes for ${width}×${height}×4`);
  const rgb = new Uint8Array(n * 3);
  const alpha = new Uint8Array(n);
  const r0 = rgba[0] as number;
  const g0 = rgba[1] as number;
  const b0 = rgba[2] as number;
  for (let i = 0, o = 0, q = 0; i < n; i++, o += 4, q += 3) {
    const a = rgba[o + 3] as number;
    const na = 255 - a;
    alpha[i] = a;
    // libvips flattens 8-bit pixels in integers: the quotient truncated (a Uint8Array store truncates).
    rgb[q] = ((rgba[o] as number) * a + r0 * na) / 255;
    rgb[q + 1] = ((rgba[o + 1] as number) * a + g0 * na) / 255;
    rgb[q + 2] = ((rgba[o + 2] as number) * a + b0 * na) / 255;
  }
  const colour = findTrim(rgb, width, height, 3, threshold);
  const opaque = findTrim(alpha, width, height, 1, threshold);
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
