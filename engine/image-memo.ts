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

/** A CLIP image vector as one embedder computed it (reused only while that embedder is the engine's). */
export interface MemoVector {
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

  constructor(readonly capacity: number) {}

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

  /** The CLIP image vector kept under `key`, if `embedder` computed it. */
  vector(key: string, embedder: Embedder | undefined): MemoVector | undefined {
    const clip = this.entries.get(key)?.clip;
    return clip && embedder && clip.embedder === embedder ? clip : undefined;
  }

  /** Keeps the CLIP image vector beside the image parts under `key` (only while those are kept). */
  keepVector(key: string, clip: MemoVector): void {
    const e = this.entries.get(key);
    if (e) e.clip = clip;
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }
}
