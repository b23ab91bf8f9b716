/** Clip art as the generated eval stores it in the library, and copies of it made by the eval's own transforms (hosts: other clip art or a generated scene). */
import { renderImage } from '../../scripts/eval/image-gen.ts';
import { clipartAtLibrarySize } from '../../scripts/eval/image-sources.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { encodePng, flatten } from '../../scripts/eval/raw.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';

/** A clip-art file as the library stores it (at the eval's library size, flattened on white). */
export async function libraryPng(file: string): Promise<Buffer> {
  return encodePng(flatten(await clipartAtLibrarySize(file)));
}

/** Seed 660129's trowel, a copy the aligned check finds through its picture window (tests local-aligned, hollow-picture). */
/**
 * Pictograms and simple drawings the aligned-check tests use as the rest of their library and as
 * unrelated queries: few corners, plain outlines — the drawings most easily aligned by chance.
 */
export const SIMPLE_DRAWINGS: readonly string[] = [
  'transportation/aiga-symbols/aiga_information_.png',
  'transportation/aiga-symbols/aiga_mail_.png',
  'transportation/aiga-symbols/aiga_no_entry_.png',
  'office/paperclip.png',
  'tools/cog_01.png',
  'food/fruit/cherry_jonathan_dietrich_01.png',
  'animals/bugs/spider.png',
];
export const TROWEL = 'tools/trowel_benji_park_01.png';
/** The trowel's paste at seed 660129: boxed on its own white ground, 35 % of a generated scene, about 2.7 % of the frame. */
export const BOXED_ON_SCENE: Step[] = [
  {
    family: 'paste',
    params: { scale: 0.349, x: 0.586, y: 0.824, mode: 'boxed', hostSize: 399, host: 'scene', hostAspect: 0.97, sceneSeed: 2130798482 },
  },
];

/**
 * The file at the eval's library size, transformed by `steps`; a paste's host clip art (its
 * hostFile) is loaded as the eval loads it, flattened on white at library size.
 */
export async function evalCopy(file: string, steps: Step[]): Promise<Buffer> {
  const rgba = await clipartAtLibrarySize(file);
  const hosts = { hosts: [], loadHost: async (host: string) => flatten(await clipartAtLibrarySize(host)) };
  return Buffer.from((await renderImage({ rgba, flat: flatten(rgba) }, steps, hosts)).bytes);
}

/** An in-memory engine holding `files` as the eval's library stores them (cards "Drawing 0", "Drawing 1", …). */
export async function evalLibrary(files: readonly string[], policy: UniquenessPolicy = UNIQUENESS_POLICY): Promise<UniquenessEngine> {
  const e = UniquenessEngine.open({ dbPath: ':memory:', policy });
  for (const [i, file] of files.entries())
    await e.index({
      id: file,
      creatorId: 'a',
      card: { asset_type: 'item', name: `Drawing ${i}`, description: '', tags: [] },
      image: await libraryPng(file),
    });
  return e;
}
