/**
 * The image query generator: the registry of transform families, random combinations of 2–3 of
 * them (applied in a fixed, plausible order), and rendering a query from a library item's source
 * art. Drawing (rng → steps) and rendering (steps → bytes) are separate, so the recorded steps
 * reproduce a query exactly.
 */
import { background, overlay, paste } from './image-compose.ts';
import { blur, colour, noise, reencode, upscale } from './image-appearance.ts';
import type { DrawOptions, ImageContext, ImageFamily, StepResult } from './image-family.ts';
import { crop, mirror, perspective, rotate, shear, stretch } from './image-geometry.ts';
import type { Step } from './params.ts';
import { type RawImage, encodePng, flatten } from './raw.ts';
import type { Rng } from './rng.ts';

/** Families in the order they are applied within a combination. */
export const IMAGE_FAMILIES: readonly ImageFamily[] = [
  background,
  colour,
  crop,
  mirror,
  stretch,
  rotate,
  shear,
  perspective,
  overlay,
  paste,
  upscale,
  blur,
  noise,
  reencode,
];
export const IMAGE_FAMILY_NAMES = IMAGE_FAMILIES.map((f) => f.name);
export const COMBO = 'combo';

export function imageFamily(name: string): ImageFamily {
  const f = IMAGE_FAMILIES.find((x) => x.name === name);
  if (!f) throw new Error(`unknown image family ${name}`);
  return f;
}

/** Pairs that make no sense together (a new background behind art that is then pasted elsewhere). */
const EXCLUSIVE = [['background', 'paste']];

/** Draws 2–3 distinct families, in application order. */
export function drawComboFamilies(rng: Rng): string[] {
  for (;;) {
    const picked = rng.sample(IMAGE_FAMILY_NAMES, rng.int(2, 3));
    if (EXCLUSIVE.some((pair) => pair.every((f) => picked.includes(f)))) continue;
    return IMAGE_FAMILY_NAMES.filter((f) => picked.includes(f));
  }
}

/** Draws the steps of one query: a single family, or a combination when `family` is 'combo'. */
export function drawImageSteps(rng: Rng, family: string, ctx: ImageContext): Step[] {
  const names = family === COMBO ? drawComboFamilies(rng.fork('families')) : [imageFamily(family).name];
  // A cut-out paste decides whether earlier geometric steps must keep transparency: draw it first.
  const params = new Map<string, Step['params']>();
  const opt: DrawOptions = { keepAlpha: false };
  if (names.includes('paste')) {
    const p = paste.draw(rng.fork('paste'), ctx, opt);
    params.set('paste', p);
    opt.keepAlpha = p.mode === 'cutout';
  }
  for (const n of names) if (!params.has(n)) params.set(n, imageFamily(n).draw(rng.fork(n), ctx, opt));
  return names.map((n) => ({ family: n, params: params.get(n) as Step['params'] }));
}

export interface ImageBase {
  /** The source art with its transparency (≤ the library size). */
  rgba: RawImage;
  /** The same flattened on white: what the library holds. */
  flat: RawImage;
}

export interface RenderedImage {
  bytes: Buffer;
  format: 'png' | 'jpeg' | 'webp';
  width: number;
  height: number;
}

/** Renders the steps on a library item: from its transparent source when a step needs it, else from the flattened image. */
export async function renderImage(base: ImageBase, steps: readonly Step[], ctx: ImageContext): Promise<RenderedImage> {
  const alpha = steps.some((s) => imageFamily(s.family).needsAlpha?.(s.params) ?? false);
  let state: StepResult = { img: alpha ? base.rgba : base.flat };
  for (const s of steps) {
    const r = await imageFamily(s.family).apply(state.img, s.params, ctx);
    state = r;
  }
  const { img } = state;
  if (state.encoded) return { bytes: state.encoded.bytes, format: state.encoded.format, width: img.width, height: img.height };
  return { bytes: await encodePng(flatten(img)), format: 'png', width: img.width, height: img.height };
}
