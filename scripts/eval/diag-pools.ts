/**
 * The generated eval's image pools for a seed, as the diagnostics (diag-local, rank-exp) draw them:
 * the same library, unrelated and host artworks as `npm run eval` at that seed, and the context the
 * query generator needs to load hosts; and the local features exactly as the engine computes them
 * (one decode, its worker pool), which differ slightly from an in-thread extraction of the file.
 */
import { UniquenessEngine } from '../../engine/library.ts';
import { LocalIndex } from '../../engine/image/local/inverted.ts';
import { forLibrary } from '../../engine/image/local/serialize.ts';
import type { LocalFeatureSet } from '../../engine/image/local/types.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import type { ImageSource } from './image-sources.ts';
import { imageQueries } from './run-images.ts';
import { encodePng } from './raw.ts';
import type { ImageContext } from './image-family.ts';
import { selectImages } from './image-sources.ts';
import { Rng } from './rng.ts';

export async function diagPools(seed: number, images = 150) {
  const rng = new Rng(seed, 'eval').fork('images');
  const pools = await selectImages(rng.fork('select'), { library: images, unrelated: images, hosts: Math.max(8, Math.ceil(images / 6)) });
  const hosts = new Map(pools.hosts.map((h) => [h.file, h.flat]));
  const ctx: ImageContext = { hosts: [...hosts.keys()], loadHost: async (f) => hosts.get(f) as never };
  /** The eval's queries at this seed: `perFamily` per family, twice that many combinations, then the unrelated images. */
  const queries = (perFamily: number) =>
    imageQueries(rng.fork('queries'), pools, ctx, { library: images, unrelated: images, hosts: 0, perFamily, combos: 2 * perFamily });
  return { pools, queries };
}

/** Local features of an image as the engine computes them: a library entry's, or a query's (with its mirror and fine octave). */
export function engineFeatures(): (bytes: Uint8Array, as: 'library' | 'query') => Promise<LocalFeatureSet> {
  const engine = UniquenessEngine.open({ dbPath: ':memory:' });
  const card = { asset_type: 'item' as const, name: 'x', description: '', tags: [] };
  return async (bytes, as) => {
    const local = (await engine.fingerprint(card, bytes, { forIndexOnly: as === 'library' })).local;
    if (!local) throw new Error('the engine computed no local features for this image');
    return local;
  };
}

/**
 * The library images described as the engine stores them, and an inverted file over them (slot k is
 * library image k), with the feature function for the queries.
 */
export async function diagLibrary(library: readonly ImageSource[], opts: { maxWordShare: number; postingBudget: number }) {
  const feat = engineFeatures();
  const lib: LocalFeatureSet[] = [];
  const index = new LocalIndex({ words: loadVocabulary().leaves, maxWordShare: opts.maxWordShare, postingBudget: opts.postingBudget });
  for (const [k, s] of library.entries()) {
    const set = forLibrary(await feat(await encodePng(s.flat), 'library'));
    lib.push(set);
    index.add(k, set);
  }
  return { feat, lib, index };
}
