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
 */
export function findTrim(px: Uint8Array, width: number, height: number, channels: number, threshold: number): TrimBox | null {
  const w = width;
  const h = height;
  if (w < 1 || h < 1 || channels < 1 || px.length < w * h * channels)
    throw new Error(`findTrim: ${px.length} bytes for ${w}×${h}×${channels}`);
  const n = w * h;
  const content = new Uint8Array(n);
  const mask = new Uint8Array(n);
  const col = new Uint8Array(n);
  for (let b = 0; b < channels; b++) {
    const bg = px[b] as number;
    for (const above of [true, false]) {
      const limit = above ? bg + threshold : bg - threshold;
      if (above ? limit >= 255 : limit <= 0) continue; // no 8-bit value lies beyond it
      let any = 0;
      for (let i = 0, o = b; i < n; i++, o += channels) {
        const v = px[o] as number;
        const m = above ? (v > limit ? 1 : 0) : v < limit ? 1 : 0;
        mask[i] = m;
        any |= m;
      }
      if (!any) continue;
      // Vertical 3-sums with the edge rows repeated, then horizontal 3-sums with the edge columns repeated.
      for (let y = 0; y < h; y++) {
        const up = (y > 0 ? y - 1 : 0) * w;
        const mid = y * w;
        const down = (y < h - 1 ? y + 1 : h - 1) * w;
        for (let x = 0; x < w; x++) col[mid + x] = (mask[up + x] as number) + (mask[mid + x] as number) + (mask[down + x] as number);
      }
      for (let y = 0; y < h; y++) {
        const row = y * w;
        for (let x = 0; x < w; x++) {
          const s =
            (col[row + (x > 0 ? x - 1 : 0)] as number) + (col[row + x] as number) + (col[row + (x < w - 1 ? x + 1 : w - 1)] as number);
          if (s >= 5) content[row + x] = 1;
        }
      }
    }
  }
  let left = w;
  let right = -1;
  let top = h;
  let bottom = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!content[row + x]) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
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
  const bg = [rgba[0] as number, rgba[1] as number, rgba[2] as number];
  for (let i = 0; i < n; i++) {
    const a = rgba[i * 4 + 3] as number;
    alpha[i] = a;
    // libvips flattens 8-bit pixels in integers: the quotient truncated.
    for (let b = 0; b < 3; b++) rgb[i * 3 + b] = Math.floor(((rgba[i * 4 + b] as number) * a + (bg[b] as number) * (255 - a)) / 255);
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
