/**
 * Image transforms for local-feature tests and measurements, all with sharp on real pixels: crops,
 * rotations, shears, stretches, perspective (inverse-mapped in JS), mirroring, pasting into a larger
 * background, background colours, text overlays, JPEG, blur and noise.
 */
import sharp from 'sharp';

export type Rgb = { r: number; g: number; b: number };

/** Flattens transparency on a colour and returns PNG bytes. */
export async function flattenOn(bytes: Uint8Array, bg: Rgb): Promise<Buffer> {
  return sharp(bytes).flatten({ background: bg }).png().toBuffer();
}

/** Crop of the rectangle (fractions of the image). */
export async function cropFrac(bytes: Uint8Array, box: { x: number; y: number; w: number; h: number }): Promise<Buffer> {
  const m = await sharp(bytes).metadata();
  const W = m.width as number;
  const H = m.height as number;
  const left = Math.round(box.x * W);
  const top = Math.round(box.y * H);
  return sharp(bytes)
    .extract({ left, top, width: Math.min(W - left, Math.round(box.w * W)), height: Math.min(H - top, Math.round(box.h * H)) })
    .png()
    .toBuffer();
}

/** Rotation by `deg` (sharp's convention: clockwise on screen), corners filled with `bg`. */
export async function rotate(bytes: Uint8Array, deg: number, bg: Rgb = { r: 255, g: 255, b: 255 }): Promise<Buffer> {
  return sharp(await flattenOn(bytes, { r: 255, g: 255, b: 255 }))
    .rotate(deg, { background: bg })
    .png()
    .toBuffer();
}

/** Affine warp by the 2×2 matrix (shear, stretch), background white. */
export async function affine(bytes: Uint8Array, m: [number, number, number, number]): Promise<Buffer> {
  return sharp(await flattenOn(bytes, { r: 255, g: 255, b: 255 }))
    .affine(
      [
        [m[0], m[1]],
        [m[2], m[3]],
      ],
      { background: '#ffffff', interpolator: 'bilinear' },
    )
    .png()
    .toBuffer();
}

export async function mirror(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes).flop().png().toBuffer();
}

/**
 * Perspective (on a copy at most 640 px wide): the image's corners moved inwards by the given fractions (top-left, top-right,
 * bottom-right, bottom-left; each [dx, dy]), sampled by inverse bilinear mapping, white outside.
 */
export async function perspective(bytes: Uint8Array, d: [number, number][]): Promise<Buffer> {
  const { data, info } = await sharp(await flattenOn(bytes, { r: 255, g: 255, b: 255 }))
    .resize({ width: 640, height: 640, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const W = info.width;
  const H = info.height;
  const c = [
    [d[0]![0] * W, d[0]![1] * H],
    [W - d[1]![0] * W, d[1]![1] * H],
    [W - d[2]![0] * W, H - d[2]![1] * H],
    [d[3]![0] * W, H - d[3]![1] * H],
  ] as [number, number][];
  const out = Buffer.alloc(W * H * 3, 255);
  // Bilinear quad (u,v in [0,1]²) → destination; invert per destination pixel with Newton steps.
  const P = (u: number, v: number): [number, number] => [
    (1 - u) * (1 - v) * c[0]![0] + u * (1 - v) * c[1]![0] + u * v * c[2]![0] + (1 - u) * v * c[3]![0],
    (1 - u) * (1 - v) * c[0]![1] + u * (1 - v) * c[1]![1] + u * v * c[2]![1] + (1 - u) * v * c[3]![1],
  ];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let u = x / W;
      let v = y / H;
      for (let it = 0; it < 6; it++) {
        const [px, py] = P(u, v);
        const e = 1e-3;
        const [ux, uy] = P(u + e, v);
        const [vx, vy] = P(u, v + e);
        const a = (ux - px) / e,
          b = (vx - px) / e,
          cc = (uy - py) / e,
          dd = (vy - py) / e;
        const det = a * dd - b * cc;
        if (Math.abs(det) < 1e-9) break;
        const rx = x - px,
          ry = y - py;
        u += (dd * rx - b * ry) / det;
        v += (-cc * rx + a * ry) / det;
      }
      if (u < 0 || u > 1 || v < 0 || v > 1) continue;
      const sx = Math.min(W - 1, Math.round(u * (W - 1)));
      const sy = Math.min(H - 1, Math.round(v * (H - 1)));
      for (let k = 0; k < 3; k++) out[(y * W + x) * 3 + k] = data[(sy * W + sx) * 3 + k] as number;
    }
  }
  return sharp(out, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * Pastes `bytes` (alpha kept) into `background` resized to W×H so that the copy's longest side is
 * `scale` × the background's longest side, its top-left corner at (fx, fy) of the free space.
 * Returns the PNG and the pasted rectangle as fractions of the result.
 */
export async function pasteInto(
  bytes: Uint8Array,
  background: Uint8Array,
  W: number,
  H: number,
  scale: number,
  fx: number,
  fy: number,
): Promise<{ png: Buffer; box: { x: number; y: number; w: number; h: number } }> {
  const m = await sharp(bytes).metadata();
  const k = (scale * Math.max(W, H)) / Math.max(m.width as number, m.height as number);
  const w = Math.max(1, Math.round((m.width as number) * k));
  const h = Math.max(1, Math.round((m.height as number) * k));
  const copy = await sharp(bytes).resize(w, h, { fit: 'fill' }).png().toBuffer();
  const left = Math.round(fx * Math.max(0, W - w));
  const top = Math.round(fy * Math.max(0, H - h));
  const bg = await sharp(background).flatten({ background: '#ffffff' }).resize(W, H, { fit: 'cover' }).png().toBuffer();
  const png = await sharp(bg)
    .composite([{ input: copy, left, top }])
    .png()
    .toBuffer();
  return { png, box: { x: left / W, y: top / H, w: w / W, h: h / H } };
}

/** A text caption stamped over the image (SVG overlay). */
export async function textOverlay(bytes: Uint8Array, text: string, fy = 0.85): Promise<Buffer> {
  const img = await flattenOn(bytes, { r: 255, g: 255, b: 255 });
  const m = await sharp(img).metadata();
  const W = m.width as number;
  const H = m.height as number;
  const size = Math.max(10, Math.round(H * 0.08));
  const svg = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><text x="${Math.round(W * 0.05)}" y="${Math.round(H * fy)}" font-size="${size}" font-family="sans-serif" font-weight="bold" fill="#d02020">${text}</text></svg>`;
  return sharp(img)
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
}

export async function jpeg(bytes: Uint8Array, quality: number): Promise<Buffer> {
  return sharp(await flattenOn(bytes, { r: 255, g: 255, b: 255 }))
    .jpeg({ quality })
    .toBuffer();
}

export async function blur(bytes: Uint8Array, sigma: number): Promise<Buffer> {
  return sharp(await flattenOn(bytes, { r: 255, g: 255, b: 255 }))
    .blur(sigma)
    .png()
    .toBuffer();
}

/** Uniform noise of ±amp grey levels from a seeded generator. */
export async function noise(bytes: Uint8Array, amp: number, rand: () => number): Promise<Buffer> {
  const { data, info } = await sharp(await flattenOn(bytes, { r: 255, g: 255, b: 255 }))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, (data[i] as number) + Math.round((rand() * 2 - 1) * amp)));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A plain image with almost no content: thin lines or a dot on white. */
export async function thinLines(W: number, H: number, lines: number): Promise<Buffer> {
  const ls = Array.from(
    { length: lines },
    (_, i) =>
      `<line x1="${(W * (i + 1)) / (lines + 1)}" y1="${H * 0.1}" x2="${(W * (i + 1)) / (lines + 1)}" y2="${H * 0.9}" stroke="black" stroke-width="1"/>`,
  ).join('');
  return sharp(
    Buffer.from(
      `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><rect width="100%" height="100%" fill="white"/>${ls}</svg>`,
    ),
  )
    .png()
    .toBuffer();
}
