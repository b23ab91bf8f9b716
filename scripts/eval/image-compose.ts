/**
 * Compositing image families: pasting the copy into another picture (an openclipart host or a
 * generated scene), a new background behind transparent art, and text/logo/watermark overlays.
 */
import { type ImageFamily, num, str } from './image-family.ts';
import { type RawImage, flatten, toRaw, toSharp } from './raw.ts';
import { round } from './rng.ts';
import { FONTS, TEXTURES, type Texture, overlaySvg, renderSvg, scene, texture } from './svg.ts';

async function over(base: RawImage, top: RawImage, left: number, topPx: number): Promise<RawImage> {
  const input = await toSharp(top).png().toBuffer();
  return toRaw(toSharp(base).composite([{ input, left, top: topPx }]));
}

export const paste: ImageFamily = {
  name: 'paste',
  spec: {
    ranges: { scale: [0.3, 0.8], x: [0, 1], y: [0, 1], hostSize: [320, 640], hostAspect: [0.6, 1.67], sceneSeed: [0, 2 ** 31 - 1] },
    choices: { host: ['clipart', 'scene'], mode: ['cutout', 'boxed'] },
    free: ['hostFile'],
  },
  needsAlpha: (p) => p.mode === 'cutout',
  draw(rng, ctx) {
    const clipart = ctx.hosts.length > 0 && rng.bool();
    return {
      scale: round(rng.uniform(0.3, 0.8)),
      x: round(rng.next()),
      y: round(rng.next()),
      mode: rng.pick(['cutout', 'boxed'] as const),
      hostSize: rng.int(320, 640),
      ...(clipart
        ? { host: 'clipart', hostFile: rng.pick(ctx.hosts) }
        : { host: 'scene', hostAspect: round(rng.logUniform(0.6, 1.67)), sceneSeed: rng.int(0, 2 ** 31 - 1) }),
    };
  },
  async apply(img, p, ctx) {
    const size = num(p, 'hostSize');
    let host: RawImage;
    if (str(p, 'host') === 'clipart') {
      host = await toRaw(toSharp(await ctx.loadHost(str(p, 'hostFile'))).resize(size, size, { fit: 'inside' }));
    } else {
      const a = num(p, 'hostAspect');
      host = await scene(num(p, 'sceneSeed'), Math.round(a >= 1 ? size : size * a), Math.round(a >= 1 ? size / a : size));
    }
    // The copy's box is `scale` of the host's (aspect kept), placed anywhere inside it.
    const s = num(p, 'scale');
    const copy = await toRaw(
      toSharp(str(p, 'mode') === 'boxed' ? flatten(img) : img).resize(
        Math.max(8, Math.round(host.width * s)),
        Math.max(8, Math.round(host.height * s)),
        {
          fit: 'inside',
        },
      ),
    );
    const left = Math.round((host.width - copy.width) * num(p, 'x'));
    const top = Math.round((host.height - copy.height) * num(p, 'y'));
    return { img: await over(host, copy, left, top) };
  },
};

export const background: ImageFamily = {
  name: 'background',
  spec: {
    ranges: { hue: [0, 360], hue2: [0, 360], lightness: [0.15, 0.7], period: [6, 40], seed: [0, 2 ** 31 - 1] },
    choices: { texture: TEXTURES },
    free: [],
  },
  needsAlpha: () => true,
  draw(rng) {
    return {
      texture: rng.pick(TEXTURES),
      hue: round(rng.uniform(0, 360), 1),
      hue2: round(rng.uniform(0, 360), 1),
      lightness: round(rng.uniform(0.15, 0.7)),
      period: rng.int(6, 40),
      seed: rng.int(0, 2 ** 31 - 1),
    };
  },
  async apply(img, p) {
    const bg = await texture(
      {
        kind: str(p, 'texture') as Texture,
        hue: num(p, 'hue'),
        hue2: num(p, 'hue2'),
        lightness: num(p, 'lightness'),
        period: num(p, 'period'),
        seed: num(p, 'seed'),
      },
      img.width,
      img.height,
    );
    return { img: await over(bg, img, 0, 0) };
  },
};

const WORDS = [
  'sample',
  'preview',
  'proof',
  'studio',
  'draft',
  'original',
  'shop',
  'sale',
  'limited',
  'edition',
  'gallery',
  'print',
  'design',
  'collection',
  'exclusive',
  'art',
];
const HANDLES = ['nightowl', 'pixelcraft', 'moss & stone', 'redkite', 'blue harbor', 'tallgrass', 'copperleaf', 'ember'];

export const overlay: ImageFamily = {
  name: 'overlay',
  spec: {
    ranges: { size: [0.04, 0.35], x: [0, 1], y: [0, 1], angle: [-45, 45], opacity: [0.15, 1], hue: [0, 360], lightness: [0, 0.85] },
    choices: { kind: ['text', 'logo', 'watermark'], font: FONTS },
    free: ['text'],
  },
  draw(rng) {
    const kind = rng.pick(['text', 'logo', 'watermark'] as const);
    const handle = rng.pick(HANDLES);
    const text = rng.pick([
      `© ${2015 + rng.int(0, 11)} ${handle}`,
      `@${handle.replace(/\W+/g, '')}`,
      rng.sample(WORDS, rng.int(1, 3)).join(' ').toUpperCase(),
      handle,
    ]);
    const [sizeLo, sizeHi] = kind === 'watermark' ? [0.04, 0.12] : kind === 'logo' ? [0.12, 0.35] : [0.06, 0.25];
    const [opLo, opHi] = kind === 'watermark' ? [0.15, 0.6] : [0.3, 1];
    return {
      kind,
      text,
      font: rng.pick(FONTS),
      size: round(rng.uniform(sizeLo, sizeHi)),
      x: round(rng.next()),
      y: round(rng.next()),
      angle: round(rng.bool(0.6) ? 0 : rng.uniform(-45, 45), 1),
      opacity: round(rng.uniform(opLo, opHi)),
      hue: round(rng.uniform(0, 360), 1),
      // Black or a colour: white marks vanish on art flattened on white.
      lightness: round(rng.bool(0.3) ? 0 : rng.uniform(0.1, 0.85)),
    };
  },
  async apply(img, p) {
    const mark = await renderSvg(
      overlaySvg(
        {
          kind: str(p, 'kind') as 'text' | 'logo' | 'watermark',
          text: str(p, 'text'),
          font: str(p, 'font'),
          size: num(p, 'size'),
          x: num(p, 'x'),
          y: num(p, 'y'),
          angle: num(p, 'angle'),
          opacity: num(p, 'opacity'),
          hue: num(p, 'hue'),
          lightness: num(p, 'lightness'),
        },
        img.width,
        img.height,
      ),
      img.width,
      img.height,
    );
    return { img: await over(img, mark, 0, 0) };
  },
};
