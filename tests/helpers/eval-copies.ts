/** Clip art as the generated eval stores it in the library, and copies of it made by the eval's own transforms (hosts: other clip art or a generated scene). */
import { renderImage } from '../../scripts/eval/image-gen.ts';
import { clipartAtLibrarySize } from '../../scripts/eval/image-sources.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { encodePng, flatten } from '../../scripts/eval/raw.ts';

/** A clip-art file as the library stores it (at the eval's library size, flattened on white). */
export async function libraryPng(file: string): Promise<Buffer> {
  return encodePng(flatten(await clipartAtLibrarySize(file)));
}

/**
 * The file at the eval's library size, transformed by `steps`; a paste's host clip art (its
 * hostFile) is loaded as the eval loads it, flattened on white at library size.
 */
export async function evalCopy(file: string, steps: Step[]): Promise<Buffer> {
  const rgba = await clipartAtLibrarySize(file);
  const hosts = { hosts: [], loadHost: async (host: string) => flatten(await clipartAtLibrarySize(host)) };
  return Buffer.from((await renderImage({ rgba, flat: flatten(rgba) }, steps, hosts)).bytes);
}
