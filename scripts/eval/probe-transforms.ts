/**
 * The probe's transforms (`npm run eval:probe`): copies made another way than the generated eval's
 * families, written apart from them and never used to tune the engine — other colour changes
 * (posterize, channel swaps, sepia, gamma, a 1-bit threshold), other framings (letterbox bars, a
 * border, a circular mask, a caption bar), other pastes (a 2 × 2 collage, a screenshot mock-up,
 * the copy tiled side by side), occlusion by an opaque box, pixelation, median filtering, very low
 * JPEG quality and a small copy. Each draws its parameters from a range with the given Rng.
 */
import sharp from 'sharp';
import { type RawImage, type Rgba, toRaw, toSharp } from './raw.ts';
import type { Rng } from './rng.ts';

export interface ProbeContext {
  /** Other pictures (never the copy's source) a collage fills its other cells with, by file. */
  fillers: readonly { file: string; img: RawImage }[];
}

export type ProbeParams = Record<string, number | string>;
export type ProbeTransform = (img: RawImage, rng: Rng, ctx: ProbeContext) => Promise<{ img: RawImage; params: ProbeParams }>;

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const anyColour = (rng: Rng): Rgba => ({ r: rng.int(0, 255), g: rng.int(0, 255), b: rng.int(0, 255), alpha: 1 });
const css = (c: Rgba) => `rgb(${c.r},${c.g},${c.b})`;

/** Maps every pixel's RGB (alpha kept). */
function perPixel(img: RawImage, f: (r: number, g: number, b: number) => [number, number, number]): RawImage {
  const d = Buffer.from(img.data);
  for (let i = 0; i < d.length; i += 4) {
    const [r, g, b] = f(d[i] as number, d[i + 1] as number, d[i + 2] as number);
    d[i] = r;
    d[i + 1] = g;
    d[i + 2] = b;
  }
  return { data: d, width: img.width, height: img.height };
}

const textSvg = (w: number, h: number, fill: string, text: string, colour: string) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="${fill}"/>` +
      `<text x="50%" y="62%" font-size="${Math.max(8, Math.round(h * 0.4))}" fill="${colour}" text-anchor="middle" font-family="sans-serif">${text}</text></svg>`,
  );

const CAPTIONS = ['BEST DEAL', 'My new asset', 'FOR SALE', 'Original art', 'limited edition'];

export const PROBE_TRANSFORMS: Record<string, ProbeTransform> = {
  /** Bars above and below (or left and right), black or any colour, 15–60 % of that side in all. */
  letterbox: async (img, rng) => {
    const share = rng.uniform(0.15, 0.6);
    const vertical = rng.bool();
    const colour = rng.bool(0.6) ? { r: 0, g: 0, b: 0, alpha: 1 } : anyColour(rng);
    const pad = Math.round(((vertical ? img.height : img.width) * share) / 2);
    const ext = vertical ? { top: pad, bottom: pad } : { left: pad, right: pad };
    return {
      img: await toRaw(toSharp(img).extend({ ...ext, background: colour })),
      params: { share: r3(share), axis: vertical ? 'y' : 'x' },
    };
  },
  /** A border of any colour, 4–15 % of the longer side wide. */
  border: async (img, rng) => {
    const w = Math.round(Math.max(img.width, img.height) * rng.uniform(0.04, 0.15));
    const background = anyColour(rng);
    return { img: await toRaw(toSharp(img).extend({ top: w, bottom: w, left: w, right: w, background })), params: { px: w } };
  },
  /** A 2 × 2 grid of 160–300 px cells: the copy in one, other pictures in the rest (params.fillers: their files, '|'-separated). */
  collage: async (img, rng, ctx) => {
    const cell = rng.int(160, 300);
    const at = rng.int(0, 3);
    const parts: sharp.OverlayOptions[] = [];
    const used: string[] = [];
    for (let i = 0; i < 4; i++) {
      const filler = i === at ? null : rng.pick(ctx.fillers);
      if (filler) used.push(filler.file);
      const src = filler ? filler.img : img;
      const input = await toSharp(src).resize(cell, cell, { fit: 'contain', background: '#fff' }).png().toBuffer();
      parts.push({ input, left: (i % 2) * cell, top: Math.floor(i / 2) * cell });
    }
    const canvas = sharp({ create: { width: 2 * cell, height: 2 * cell, channels: 4, background: '#fff' } }).composite(parts);
    return { img: await toRaw(sharp(await canvas.png().toBuffer())), params: { cell, at, fillers: used.join('|') } };
  },
  /** Blocks: reduced 5–10× by nearest neighbour and enlarged back the same way. */
  pixelate: async (img, rng) => {
    const f = rng.uniform(5, 10);
    const w = Math.max(4, Math.round(img.width / f));
    const h = Math.max(4, Math.round(img.height / f));
    const small = await toRaw(toSharp(img).resize(w, h, { kernel: 'nearest', fit: 'fill' }));
    return {
      img: await toRaw(toSharp(small).resize(img.width, img.height, { kernel: 'nearest', fit: 'fill' })),
      params: { factor: r3(f) },
    };
  },
  /** 2–4 levels per channel. */
  posterize: async (img, rng) => {
    const n = rng.int(2, 4);
    const q = (v: number) => Math.round(Math.round((v / 255) * (n - 1)) * (255 / (n - 1)));
    return { img: perPixel(img, (r, g, b) => [q(r), q(g), q(b)]), params: { levels: n } };
  },
  /** The colour channels rotated (RGB → GBR or BRG). */
  channels: async (img, rng) => {
    const k = rng.int(0, 1);
    return { img: perPixel(img, (r, g, b) => (k === 0 ? [g, b, r] : [b, r, g])), params: { order: k === 0 ? 'gbr' : 'brg' } };
  },
  /** Sepia toning. */
  sepia: async (img) => {
    const m: [[number, number, number], [number, number, number], [number, number, number]] = [
      [0.393, 0.769, 0.189],
      [0.349, 0.686, 0.168],
      [0.272, 0.534, 0.131],
    ];
    return { img: await toRaw(toSharp(img).recomb(m)), params: {} };
  },
  /** Gamma 0.3–0.55 (lighter) or 1.8–3 (darker). */
  gamma: async (img, rng) => {
    const g = rng.bool() ? rng.uniform(0.3, 0.55) : rng.uniform(1.8, 3);
    const f = (v: number) => Math.round(255 * Math.pow(v / 255, g));
    return { img: perPixel(img, (r, gg, b) => [f(r), f(gg), f(b)]), params: { gamma: r3(g) } };
  },
  /** Black and white at a threshold of 100–200. */
  threshold: async (img, rng) => {
    const t = rng.int(100, 200);
    return { img: await toRaw(toSharp(img).threshold(t)), params: { at: t } };
  },
  /** Everything outside the inscribed ellipse painted white. */
  circle: async (img) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${img.width}" height="${img.height}"><ellipse cx="${img.width / 2}" cy="${img.height / 2}" rx="${img.width / 2}" ry="${img.height / 2}" fill="#fff"/></svg>`;
    const masked = await toSharp(img)
      .composite([{ input: Buffer.from(svg), blend: 'dest-in' }])
      .png()
      .toBuffer();
    return { img: await toRaw(sharp(masked).flatten({ background: '#fff' })), params: {} };
  },
  /** An opaque box of any colour over 15–30 % of the picture, anywhere. */
  occlude: async (img, rng) => {
    const area = rng.uniform(0.15, 0.3) * img.width * img.height;
    const aspect = rng.logUniform(0.5, 2);
    const w = Math.max(1, Math.min(img.width - 1, Math.round(Math.sqrt(area * aspect))));
    const h = Math.max(1, Math.min(img.height - 1, Math.round(area / w)));
    const input = await sharp({ create: { width: w, height: h, channels: 4, background: anyColour(rng) } })
      .png()
      .toBuffer();
    const left = rng.int(0, img.width - w);
    const top = rng.int(0, img.height - h);
    return { img: await toRaw(toSharp(img).composite([{ input, left, top }])), params: { share: r3((w * h) / (img.width * img.height)) } };
  },
  /** The copy 2–3 times side by side. */
  tile: async (img, rng) => {
    const n = rng.int(2, 3);
    const input = await toSharp(img).png().toBuffer();
    const parts = Array.from({ length: n }, (_, i) => ({ input, left: i * img.width, top: 0 }));
    const canvas = sharp({ create: { width: n * img.width, height: img.height, channels: 4, background: '#fff' } }).composite(parts);
    return { img: await toRaw(sharp(await canvas.png().toBuffer())), params: { times: n } };
  },
  /** A dark bar with a caption added above or below, 15–35 % of the height. */
  caption: async (img, rng) => {
    const h = Math.round(img.height * rng.uniform(0.15, 0.35));
    const above = rng.bool();
    const ext = await toRaw(toSharp(img).extend(above ? { top: h, background: '#222' } : { bottom: h, background: '#222' }));
    const bar = textSvg(img.width, h, '#222', rng.pick(CAPTIONS), '#fff');
    return {
      img: await toRaw(toSharp(ext).composite([{ input: bar, left: 0, top: above ? 0 : img.height }])),
      params: { px: h, at: above ? 'top' : 'bottom' },
    };
  },
  /** JPEG at quality 2–6. */
  jpeg: async (img, rng) => {
    const q = rng.int(2, 6);
    return { img: await toRaw(sharp(await toSharp(img).jpeg({ quality: q }).toBuffer())), params: { quality: q } };
  },
  /** A median filter of 5, 7 or 9 px. */
  median: async (img, rng) => {
    const k = rng.pick([5, 7, 9]);
    return { img: await toRaw(toSharp(img).median(k)), params: { size: k } };
  },
  /** The copy saved small: 120–200 px on its longer side. */
  small: async (img, rng) => {
    const s = rng.int(120, 200);
    return { img: await toRaw(toSharp(img).resize(s, s, { fit: 'inside' })), params: { px: s } };
  },
  /** The copy at 30–55 % of the height of an 800–1200 px listing page's mock-up, left of its price panel. */
  screenshot: async (img, rng) => {
    const W = rng.int(800, 1200);
    const H = Math.round(W * rng.uniform(0.55, 0.75));
    const s = rng.uniform(0.3, 0.55);
    const side = Math.round(H * s);
    const input = await toSharp(img).resize(side, side, { fit: 'inside' }).png().toBuffer();
    const panel = anyColour(rng);
    const page = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#f3f3f3"/>` +
        `<rect width="100%" height="48" fill="${css(panel)}"/><text x="16" y="32" font-size="20" fill="#fff" font-family="sans-serif">Marketplace: new listing</text>` +
        `<rect x="${Math.round(W * 0.62)}" y="80" width="${Math.round(W * 0.33)}" height="${Math.round(H * 0.6)}" fill="#fff" stroke="#ccc"/>` +
        `<text x="${Math.round(W * 0.64)}" y="120" font-size="16" fill="#333" font-family="sans-serif">Price: $4.99</text></svg>`,
    );
    const left = rng.int(20, Math.max(20, Math.round(W * 0.6) - side));
    const top = rng.int(60, Math.max(60, H - side - 5));
    const shot = sharp(page).composite([{ input, left, top }]);
    return { img: await toRaw(sharp(await shot.png().toBuffer())), params: { scale: r3(s), width: W } };
  },
};

export const PROBE_NAMES = Object.keys(PROBE_TRANSFORMS);
