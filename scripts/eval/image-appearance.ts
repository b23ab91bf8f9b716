/** Appearance image families: colour changes, noise, blur, heavy re-encoding and upscaling from a thumbnail. */
import type { Sharp } from 'sharp';
import { type ImageFamily, num, str } from './image-family.ts';
import type { Params } from './params.ts';
import { type RawImage, decode, flatten, hsl, toRaw, toSharp } from './raw.ts';
import { Rng, round } from './rng.ts';

/** Runs a colour operation on RGB only and puts the original alpha back. */
async function mapRgb(img: RawImage, op: (s: Sharp) => Sharp): Promise<RawImage> {
  const out = await toRaw(op(toSharp(img).removeAlpha()));
  for (let i = 3; i < out.data.length; i += 4) out.data[i] = img.data[i] as number;
  return out;
}

/**
 * invert: an editor's "invert colours" — of the picture as shown (flattened on white: light strokes
 * on black), or, when a cut-out paste follows, of the art's layer alone (its transparency kept).
 */
const COLOUR_KINDS = ['hue', 'saturation', 'grayscale', 'brightness_contrast', 'tint', 'invert'] as const;

export const colour: ImageFamily = {
  name: 'colour',
  spec: {
    ranges: { hue: [30, 330], saturation: [0, 2.5], brightness: [0.6, 1.5], contrast: [0.6, 1.6], tintHue: [0, 360] },
    choices: { kind: COLOUR_KINDS },
    free: ['layer'],
  },
  draw(rng, _ctx, opt): Params {
    const kind = rng.pick(COLOUR_KINDS);
    if (kind === 'invert') return { kind, layer: opt.keepAlpha };
    if (kind === 'hue') return { kind, hue: round(rng.uniform(30, 330), 1) };
    if (kind === 'saturation') return { kind, saturation: round(rng.bool() ? rng.uniform(0, 0.6) : rng.uniform(1.5, 2.5)) };
    if (kind === 'tint') return { kind, tintHue: round(rng.uniform(0, 360), 1) };
    if (kind === 'grayscale') return { kind };
    let brightness = rng.uniform(0.6, 1.5);
    const contrast = rng.uniform(0.6, 1.6);
    // At least one of the two visibly away from 1.
    if (Math.abs(Math.log(brightness)) < 0.15 && Math.abs(Math.log(contrast)) < 0.15) brightness = rng.bool() ? 0.7 : 1.35;
    return { kind, brightness: round(brightness), contrast: round(contrast) };
  },
  async apply(img, p) {
    const kind = str(p, 'kind');
    if (kind === 'hue') return { img: await mapRgb(img, (s) => s.modulate({ hue: Math.round(num(p, 'hue')) })) };
    if (kind === 'saturation') return { img: await mapRgb(img, (s) => s.modulate({ saturation: num(p, 'saturation') })) };
    if (kind === 'grayscale') return { img: await mapRgb(img, (s) => s.grayscale()) };
    if (kind === 'tint') return { img: await mapRgb(img, (s) => s.tint(hsl(num(p, 'tintHue'), 0.8, 0.5))) };
    if (kind === 'invert') return { img: await mapRgb(p.layer === true ? img : flatten(img), (s) => s.negate()) };
    const c = num(p, 'contrast');
    const b = num(p, 'brightness');
    return { img: await mapRgb(img, (s) => s.linear(c * b, 128 * (1 - c) * b)) };
  },
};

export const noise: ImageFamily = {
  name: 'noise',
  spec: {
    ranges: { sigma: [6, 40], density: [0.02, 0.12], seed: [0, 2 ** 31 - 1] },
    choices: { kind: ['gaussian', 'salt_pepper'] },
    free: [],
  },
  draw(rng): Params {
    const seed = rng.int(0, 2 ** 31 - 1);
    return rng.bool(0.7)
      ? { kind: 'gaussian', sigma: round(rng.uniform(6, 40), 1), seed }
      : { kind: 'salt_pepper', density: round(rng.uniform(0.02, 0.12)), seed };
  },
  async apply(img, p) {
    const rng = new Rng(num(p, 'seed'), 'pixel-noise');
    const data = Buffer.from(img.data);
    const gaussian = str(p, 'kind') === 'gaussian';
    const sigma = gaussian ? num(p, 'sigma') : 0;
    const density = gaussian ? 0 : num(p, 'density');
    for (let i = 0; i < data.length; i += 4) {
      if (gaussian) {
        for (let k = 0; k < 3; k++) data[i + k] = Math.max(0, Math.min(255, Math.round((data[i + k] as number) + rng.normal() * sigma)));
      } else if (rng.next() < density) {
        const v = rng.bool() ? 255 : 0;
        data[i] = data[i + 1] = data[i + 2] = v;
      }
    }
    return { img: { data, width: img.width, height: img.height } };
  },
};

export const blur: ImageFamily = {
  name: 'blur',
  spec: { ranges: { sigma: [1, 5] }, choices: {}, free: [] },
  draw(rng) {
    return { sigma: round(rng.uniform(1, 5), 2) };
  },
  async apply(img, p) {
    return { img: await toRaw(toSharp(img).blur(num(p, 'sigma'))) };
  },
};

export const reencode: ImageFamily = {
  name: 'reencode',
  spec: { ranges: { quality: [5, 30] }, choices: { format: ['jpeg', 'webp'] }, free: [] },
  draw(rng) {
    return { format: rng.pick(['jpeg', 'jpeg', 'webp'] as const), quality: rng.int(5, 30) };
  },
  async apply(img, p) {
    const quality = num(p, 'quality');
    const format = str(p, 'format') === 'webp' ? 'webp' : 'jpeg';
    // JPEG has no alpha: a copier's export flattens on white.
    const s = format === 'jpeg' ? toSharp(img).flatten({ background: '#ffffff' }).jpeg({ quality }) : toSharp(img).webp({ quality });
    const bytes = await s.toBuffer();
    return { img: await decode(bytes), encoded: { bytes, format } };
  },
};

const KERNELS = ['nearest', 'cubic', 'mitchell', 'lanczos3'] as const;

export const upscale: ImageFamily = {
  name: 'upscale',
  spec: { ranges: { thumb: [48, 96] }, choices: { down: KERNELS, up: KERNELS }, free: [] },
  draw(rng) {
    return { thumb: rng.int(48, 96), down: rng.pick(KERNELS), up: rng.pick(KERNELS) };
  },
  async apply(img, p) {
    const t = num(p, 'thumb');
    const k = (key: string) => str(p, key) as (typeof KERNELS)[number];
    const small = await toRaw(toSharp(img).resize(t, t, { fit: 'inside', kernel: k('down') }));
    return { img: await toRaw(toSharp(small).resize(img.width, img.height, { fit: 'fill', kernel: k('up') })) };
  },
};
