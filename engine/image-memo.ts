/**
 * ImageMemo: the image-derived fingerprints of the last few query images (global hashes, local
 * features with every query view, the CLIP image vector), keyed by the SHA-256 of the file's bytes
 * and how they were described. An interactive host (the studio's live check, which runs again after
 * every pause in typing while the card's image stays the same) gets them back instead of decoding,
 * hashing and describing the same file again. Results are the same objects the first computation
 * made: every layer reads them and none writes them. A computation in flight is shared too (a live
 * check and a save of the same image wait for one description); a failed one is forgotten.
 * Least recently used entries go first; capacity 0 keeps nothing.
 */
import { createHash } from 'node:crypto';
import type { LayerRun } from '../shared/check.ts';
import type { AssetFingerprints } from './fingerprints.ts';
import type { Embedder } from './semantic/types.ts';

/** What a query image contributes to its fingerprints, whatever the card says. */
export type ImageParts = Pick<AssetFingerprints, 'image' | 'local' | 'localError'>;

/** Where a fingerprint carries its CLIP image vector and how that layer ran. */
type VectorSlots = Pick<AssetFingerprints, 'vectors' | 'semantic'>;

/** A CLIP image vector as one embedder computed it (reused only while that embedder is the engine's). */
interface MemoVector {
  embedder: Embedder;
  vector: Float32Array;
  run: LayerRun;
}

interface Entry {
  parts: Promise<ImageParts>;
  clip?: MemoVector | undefined;
}

export class ImageMemo {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`memoImages must be a whole number of images, 0 or more (got ${capacity})`);
  }

  /** The memo's key for an image described with these options (`how`: e.g. whether zoom windows were cut). */
  static key(image: Uint8Array, how: string): string {
    return `${createHash('sha256').update(image).digest('hex')}:${how}`;
  }

  /** The image parts under `key`, computing them with `make` when absent (none kept at capacity 0). */
  parts(key: string, make: () => Promise<ImageParts>): Promise<ImageParts> {
    const hit = this.entries.get(key);
    if (hit) {
      this.touch(key, hit);
      return hit.parts;
    }
    const parts = make();
    if (this.capacity <= 0) return parts;
    const entry: Entry = { parts };
    this.entries.set(key, entry);
    parts.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return parts;
  }

  /**
   * Puts the CLIP image vector kept under `key` into `fp` when `embedder` (the engine's now)
   * computed it; whether it did (embedBatch then skips `fp`).
   */
  restoreVector(key: string, embedder: Embedder | undefined, fp: VectorSlots): boolean {
    const clip = this.entries.get(key)?.clip;
    if (!clip || !embedder || clip.embedder !== embedder) return false;
    fp.vectors.clip_image = Float32Array.from(clip.vector);
    fp.semantic.clip_image = { ...clip.run };
    return true;
  }

  /** Keeps `fp`'s CLIP image vector under `key` when `embedder` computed it (only while the image parts are kept). */
  keepVector(key: string, embedder: Embedder | undefined, fp: VectorSlots): void {
    const e = this.entries.get(key);
    const vector = fp.vectors.clip_image;
    const run = fp.semantic.clip_image;
    if (e && embedder && vector && run?.state === 'ran') e.clip = { embedder, vector: Float32Array.from(vector), run: { ...run } };
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }
}
