/** The shape of an image transform family for the eval generator, and small helpers its members share. */
import type { ParamSpec, Params } from './params.ts';
import type { RawImage, Rgba } from './raw.ts';
import type { Rng } from './rng.ts';

export interface ImageContext {
  /** Openclipart files usable as host pictures for pastes (never library or unrelated items). */
  hosts: readonly string[];
  /** The host picture, flattened on white. */
  loadHost(file: string): Promise<RawImage>;
}

export interface DrawOptions {
  /** The chain ends in a cut-out paste: geometric steps must leave the outside transparent. */
  keepAlpha: boolean;
}

export interface StepResult {
  img: RawImage;
  /** Set by re-encoding: the bytes a copier would upload (cleared by any later step). */
  encoded?: { bytes: Buffer; format: 'jpeg' | 'webp' };
}

export interface ImageFamily {
  name: string;
  spec: ParamSpec;
  /** The step needs the art's transparency (it runs on the unflattened source). */
  needsAlpha?: (p: Params) => boolean;
  draw(rng: Rng, ctx: ImageContext, opt: DrawOptions): Params;
  apply(img: RawImage, p: Params, ctx: ImageContext): Promise<StepResult>;
}

export function num(p: Params, key: string): number {
  const v = p[key];
  if (typeof v !== 'number') throw new Error(`parameter ${key} is not a number`);
  return v;
}

export function str(p: Params, key: string): string {
  const v = p[key];
  if (typeof v !== 'string') throw new Error(`parameter ${key} is not a string`);
  return v;
}

export const FILLS = ['white', 'black', 'grey', 'transparent'] as const;
export const FILL_COLOURS: Record<(typeof FILLS)[number], Rgba> = {
  white: { r: 255, g: 255, b: 255, alpha: 1 },
  black: { r: 0, g: 0, b: 0, alpha: 1 },
  grey: { r: 128, g: 128, b: 128, alpha: 1 },
  transparent: { r: 0, g: 0, b: 0, alpha: 0 },
};

/** The colour exposed corners get: transparent while a cut-out paste is pending, else mostly white. */
export function drawFill(rng: Rng, opt: DrawOptions): (typeof FILLS)[number] {
  if (opt.keepAlpha) return 'transparent';
  return rng.pick(['white', 'white', 'black', 'grey'] as const);
}

export function fillOf(p: Params): Rgba {
  const f = str(p, 'fill') as (typeof FILLS)[number];
  const c = FILL_COLOURS[f];
  if (!c) throw new Error(`unknown fill ${f}`);
  return c;
}
