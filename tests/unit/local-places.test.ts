/**
 * Places in the query are never smaller than half its finest keypoint patch (policy
 * local.placeOfPatch; verify.ts queryPlaces): keypoints closer than that describe overlapping
 * pixels. Seed 660069's false positive, rebuilt here: a capsized dinghy's diagram, sheared, whose
 * crossing mast lines agreed with a longsword's hilt inside 16 × 17 px of the query (15 places at
 * the model's radius) and seeded a guided consensus — refused now, with and without its zoom
 * windows; a real copy of the sword pasted small into a picture is still verified.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalFeatureSet, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { renderImage } from '../../scripts/eval/image-gen.ts';
import { encodePng, flatten, toRaw } from '../../scripts/eval/raw.ts';
import { ROOT, checkFeatures, lib } from '../helpers/clipart.ts';
import { pasteInto } from '../helpers/image-transforms.ts';

const SWORD = readFileSync(ROOT + 'tools/weapons/longsword_01.png');
const CAPSIZE = readFileSync(ROOT + 'transportation/boating/sailing_capsize_.png');

afterAll(() => terminateLocalFeaturePool());

/** Local features as a check computes them for a query (mirror, fine octave, zoom windows) or indexes them. */
const features = checkFeatures;
const asQuery = (png: Uint8Array): Promise<LocalFeatureSet> => features(png);

/** A library drawing as the eval indexes it: at most 384 px, flattened on white. */
async function asLibrary(b: Uint8Array): Promise<LocalFeatureSet> {
  const src = await toRaw(sharp(b).resize(384, 384, { fit: 'inside', withoutEnlargement: true }));
  return features(await encodePng(flatten(src)), true);
}

/** The eval generator's shear (seed 660069's unrelated-1) of the drawing at 384 px. */
async function sheared(b: Uint8Array): Promise<Uint8Array> {
  const src = await toRaw(sharp(b).resize(384, 384, { fit: 'inside', withoutEnlargement: true }));
  const steps = [{ family: 'shear', params: { shx: -0.05, shy: 0.178, fill: 'white' } }];
  const out = await renderImage({ rgba: src, flat: flatten(src) }, steps, {
    hosts: [],
    loadHost: () => Promise.reject(new Error('no host')),
  });
  return out.bytes;
}

describe('places in the query', () => {
  it('refuse a consensus packed into overlapping patches of the query', async () => {
    const sword = await asLibrary(SWORD);
    const q = await asQuery(await sheared(CAPSIZE));
    // The whole query and every zoom window (the engine before this gate accepted the whole query
    // and its second window, 46 and 77 inliers).
    for (const s of [q, ...(q.windows ?? [])]) expect(verify(s, sword)).toBeNull();
  });

  it('still verify the sword pasted at a third of its size into a larger picture', async () => {
    const sword = await lib(SWORD);
    const host = readFileSync(ROOT + 'transportation/autos_01.png');
    const { png } = await pasteInto(SWORD, host, 640, 480, 0.33, 0.6, 0.3);
    const q = await asQuery(png);
    expect(verify(q, sword)).not.toBeNull();
  });
});
