/**
 * The generated eval's image pools for a seed, as the diagnostics (diag-local, rank-exp) draw them:
 * the same library, unrelated and host artworks as `npm run eval` at that seed, and the context the
 * query generator needs to load hosts.
 */
import type { ImageContext } from './image-family.ts';
import { selectImages } from './image-sources.ts';
import { Rng } from './rng.ts';

export async function diagPools(seed: number, images = 150) {
  const rng = new Rng(seed, 'eval').fork('images');
  const pools = await selectImages(rng.fork('select'), { library: images, unrelated: images, hosts: Math.max(8, Math.ceil(images / 6)) });
  const hosts = new Map(pools.hosts.map((h) => [h.file, h.flat]));
  const ctx: ImageContext = { hosts: [...hosts.keys()], loadHost: async (f) => hosts.get(f) as never };
  return { rng, pools, ctx, images };
}
