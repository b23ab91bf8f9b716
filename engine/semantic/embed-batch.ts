/**
 * Adds embeddings to freshly computed fingerprints, one batch per vector space: CLIP image for the
 * items with an image, CLIP text and BGE text for every card. A space without an embedder or
 * without weights is marked unavailable with the reason (never a made-up vector); a failed batch
 * marks its items unavailable with the error. An item whose CLIP image vector is already set (kept
 * by the engine's image memo) is not embedded again.
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { AssetFingerprints } from '../fingerprints.ts';
import { metadataText } from '../text/metadata.ts';
import type { Embedder } from './types.ts';
import { SPACES } from './vector-store.ts';

export interface EmbedItem {
  fp: AssetFingerprints;
  card: AssetCard;
  image?: Uint8Array | undefined;
}

export async function embedBatch(items: readonly EmbedItem[], embedder: Embedder | undefined): Promise<void> {
  for (const space of SPACES) {
    // An image whose vector was kept from an earlier call (engine/image-memo.ts) already has it.
    const targets = space === 'clip_image' ? items.filter((x) => x.image && !x.fp.vectors.clip_image) : items;
    for (const x of items) if (space === 'clip_image' && !x.image) x.fp.semantic[space] = { state: 'skipped', reason: 'no image' };
    if (!targets.length) continue;
    const st = embedder?.state(space);
    if (!embedder || !st?.available) {
      for (const x of targets)
        x.fp.semantic[space] = {
          state: 'unavailable',
          reason: st?.reason ?? 'model weights not installed (run `originals models fetch`)',
        };
      continue;
    }
    try {
      const vecs =
        space === 'clip_image'
          ? await embedder.embedImages(targets.map((x) => x.image as Uint8Array))
          : space === 'clip_text'
            ? await embedder.embedClipTexts(targets.map((x) => metadataText(x.card)))
            : await embedder.embedTexts(targets.map((x) => metadataText(x.card)));
      targets.forEach((x, i) => {
        const v = vecs[i];
        if (v) {
          x.fp.vectors[space] = v;
          x.fp.semantic[space] = { state: 'ran' };
        }
      });
    } catch (err) {
      for (const x of targets) x.fp.semantic[space] = { state: 'unavailable', reason: `inference failed: ${(err as Error).message}` };
    }
  }
}
