/**
 * Dev-category openclipart drawings (Debian's openclipart-png) that the local-feature tests share,
 * and the two ways the layer describes an image: as a library entry, and as a query (with its
 * mirrored view, fine octave and grey frame).
 */
import { readFileSync } from 'node:fs';
import { type LocalFeatureSet, extractLocalFeaturesInThread } from '../../engine/image/local/index.ts';

export const ROOT = '/usr/share/openclipart/png/';
/** A mole (detailed), an apple wedge, a spider, and a street of cars (a busy host picture). */
export const A = readFileSync(ROOT + 'animals/mammals/topo_architetto_francesc_01.png');
export const B = readFileSync(ROOT + 'food/fruit/apple_wedge.png');
export const C = readFileSync(ROOT + 'animals/bugs/spider.png');
export const BG = readFileSync(ROOT + 'transportation/autos_01.png');

export const lib = (b: Uint8Array): Promise<LocalFeatureSet> => extractLocalFeaturesInThread(b, { mirror: false });
export const query = (b: Uint8Array): Promise<LocalFeatureSet> => extractLocalFeaturesInThread(b);
