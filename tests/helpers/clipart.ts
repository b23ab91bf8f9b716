/**
 * Dev-category openclipart drawings (Debian's openclipart-png) that the local-feature tests share,
 * and the two ways the layer describes an image: as a library entry, and as a query (with its
 * mirrored view, fine octave and grey frame).
 */
import { readFileSync } from 'node:fs';
import { type LocalFeatureSet, extractLocalFeaturesInThread } from '../../engine/image/local/index.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';

export const ROOT = '/usr/share/openclipart/png/';
/** A mole (detailed), an apple wedge, a spider, and a street of cars (a busy host picture). */
export const A = readFileSync(ROOT + 'animals/mammals/topo_architetto_francesc_01.png');
export const B = readFileSync(ROOT + 'food/fruit/apple_wedge.png');
export const C = readFileSync(ROOT + 'animals/bugs/spider.png');
export const BG = readFileSync(ROOT + 'transportation/autos_01.png');

export const lib = (b: Uint8Array): Promise<LocalFeatureSet> => extractLocalFeaturesInThread(b, { mirror: false });
export const query = (b: Uint8Array): Promise<LocalFeatureSet> => extractLocalFeaturesInThread(b);

/**
 * Local features exactly as an engine with `policy` computes them for a check's query (mirror,
 * fine octave, whitened and unsharp-masked twins, zoom windows) or, with forIndexOnly, stores them.
 */
export async function checkFeatures(
  png: Uint8Array,
  forIndexOnly = false,
  policy: UniquenessPolicy = UNIQUENESS_POLICY,
): Promise<LocalFeatureSet> {
  const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
  try {
    const card = { asset_type: 'item' as const, name: 'q', description: '', tags: [] };
    return (await engine.fingerprint(card, png, { forIndexOnly })).local as LocalFeatureSet;
  } finally {
    engine.close();
  }
}
