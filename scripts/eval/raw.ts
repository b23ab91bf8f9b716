/**
 * Raw RGBA images for the eval generator: conversion to and from sharp, flattening, and a
 * bilinear perspective warp (sharp has affine() but no projective transform).
 */
import sharp, { type Sharp } from 'sharp';

/** 8-bit RGBA pixels, row-major. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

export type Rgb = { r: number; g: number; b: number };
export type Rgba = Rgb & { alpha: number };

export const WHITE: Rgba = { r: 255, g: 255, b: 255, alpha: 1 };
export const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, alpha: 0 };

export function toSharp(img: RawImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } });
}

/** Decodes whatever a sharp pipeline produces into RGBA. */
export async function toRaw(s: Sharp): Promise<RawImage> {
  const { data, info } = await s.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const c = info.channels;
  if (c === 4) return { data, width: info.width, height: info.height };
  // Grey (1), grey+alpha (2) and RGB (3) outputs, e.g. after greyscale(), widened to RGBA.
  const n = info.width * info.height;
  const out = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    const g = data[i * c] as number;
    out[i * 4] = g;
    out[i * 4 + 1] = c >= 3 ? (data[i * c + 1] as number) : g;
    out[i * 4 + 2] = c >= 3 ? (data[i * c + 2] as number) : g;
    out[i * 4 + 3] = c === 2 ? (data[i * c + 1] as number) : 255;
  }
  return { data: out, width: info.width, height: info.height };
}

export async function decode(bytes: Uint8Array): Promise<RawImage> {
  return toRaw(sharp(bytes));
}

export async function encodePng(img: RawImage): Promise<Buffer> {
  return toSharp(img).png().toBuffer();
}

/** Composites the image over a solid colour (alpha becomes 255 everywhere). */
export function flatten(img: RawImage, bg: Rgb = WHITE): RawImage {
  const out = Buffer.alloc(img.data.length);
  for (let i = 0; i < img.data.length; i += 4) {
    const a = (img.data[i + 3] as number) / 255;
    out[i] = Math.round((img.data[i] as number) * a + bg.r * (1 - a));
    out[i + 1] = Math.round((img.data[i + 1] as number) * a + bg.g * (1 - a));
    out[i + 2] = Math.round((img.data[i + 2] as number) * a + bg.b * (1 - a));
    out[i + 3] = 255;
  }
  return { data: out, width: img.width, height: img.height };
}

/** Share of pixels that are mostly transparent (alpha < 128). */
export function transparentShare(img: RawImage): number {
  let n = 0;
  for (let i = 3; i < img.data.length; i += 4) if ((img.data[i] as number) < 128) n++;
  return n / (img.width * img.height);
}

/** Solves the 8 unknowns of the homography mapping points `from[i]` to `to[i]` (4 pairs). */
export function homography(from: [number, number][], to: [number, number][]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as [number, number];
    const [u, v] = to[i] as [number, number];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const piv = a[c]![c]!;
    if (Math.abs(piv) < 1e-12) throw new Error('homography: degenerate corners');
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / piv;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

/**
 * Warps `img` so that its corners (TL, TR, BR, BL) land on `corners` (pixels in an output of the same
 * size); each output pixel samples the source bilinearly through the inverse homography.
 */
export function warpPerspective(img: RawImage, corners: [number, number][], fill: Rgba): RawImage {
  const { width: w, height: h } = img;
  const src: [number, number][] = [
    [0, 0],
    [w - 1, 0],
    [w - 1, h - 1],
    [0, h - 1],
  ];
  const m = homography(corners, src); // output → source
  const out = Buffer.alloc(w * h * 4);
  const fillPx = [fill.r, fill.g, fill.b, Math.round(fill.alpha * 255)];
  const s = img.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = m[6]! * x + m[7]! * y + m[8]!;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / d;
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / d;
      const o = (y * w + x) * 4;
      if (sx < 0 || sy < 0 || sx > w - 1 || sy > h - 1) {
        for (let k = 0; k < 4; k++) out[o + k] = fillPx[k]!;
        continue;
      }
      const x0 = Math.min(w - 2, Math.floor(sx));
      const y0 = Math.min(h - 2, Math.floor(sy));
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * w + x0) * 4;
      const i10 = i00 + 4;
      const i01 = i00 + w * 4;
      const i11 = i01 + 4;
      for (let k = 0; k < 4; k++) {
        const top = s[i00 + k]! * (1 - fx) + s[i10 + k]! * fx;
        const bot = s[i01 + k]! * (1 - fx) + s[i11 + k]! * fx;
        out[o + k] = Math.round(top * (1 - fy) + bot * fy);
      }
    }
  }
  return { data: out, width: w, height: h };
}

/** HSL (h in degrees, s and l in 0..1) to 8-bit RGB. */
export function hsl(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r1, g1, b1] = hp < 1 ? [c, x, 0] : hp < 2 ? [x, c, 0] : hp < 3 ? [0, c, x] : hp < 4 ? [0, x, c] : hp < 5 ? [x, 0, c] : [c, 0, x];
  const m = l - c / 2;
  const to = (v: number) => Math.round((v + m) * 255);
  return { r: to(r1), g: to(g1), b: to(b1) };
}

export function hex(c: Rgb): string {
  return `#${[c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
