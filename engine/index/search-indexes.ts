/**
 * The in-memory candidate indexes of every model-free layer, kept together so they are added to,
 * removed from, saved and loaded as one: multi-index hashing of the pHashes (visual layer), the
 * shape signatures (the local layer's aligned check), LSH of the text and code MinHash signatures,
 * and the media (audio/video) index. Everything else about an asset stays in SQLite and is
 * read only for the few candidates a check finds.
 */
import { fromHex } from '../hash/bits.ts';
import { HammingIndex } from '../hash/mih.ts';
import { type ImageFingerprint, SCALES } from '../image/fingerprint.ts';
import { signatureFromBase64 } from '../image/perceptual.ts';
import { LocalIndex, minVerifiableWords } from '../image/local/inverted.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import { loadVocabulary } from '../image/local/vocab-file.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { PassageLayer } from '../text/passage-layer.ts';
import type { PassageFingerprint } from '../text/winnow.ts';
import { MediaIndex } from '../media/index.ts';
import type { StoredFingerprint } from '../media/serialize.ts';
import { LshIndex } from './lsh.ts';
import { SignatureIndex } from './signatures.ts';

/** What the indexes need of one asset. */
export interface IndexedData {
  image: Pick<ImageFingerprint, 'views' | 'fold'> | null;
  text: Uint32Array;
  code: Uint32Array | null;
  passages: PassageFingerprint | null;
  /** Only its visual words are kept in memory; keypoints and descriptors stay in SQLite. */
  local: LocalFeatureSet | null;
  /** The audio/video fingerprint (media layer). */
  media?: StoredFingerprint | null;
}

/** The media index keys assets by their rowid as a string. */
export const mediaRef = (rowid: number): string => String(rowid);

const LOCAL_OPTS = {
  maxWordShare: UNIQUENESS_POLICY.local.maxWordShare,
  postingBudget: UNIQUENESS_POLICY.local.postingBudget,
  minWords: minVerifiableWords(UNIQUENESS_POLICY.local),
};
const localIndex = () => new LocalIndex({ words: loadVocabulary().leaves, ...LOCAL_OPTS });

/** Bumped when a snapshot's layout or meaning changes: older snapshots are rebuilt from the rows. */
export const SNAPSHOT_FORMAT = 5;

export class SearchIndexes {
  constructor(
    readonly phash = new HammingIndex(),
    readonly text = new LshIndex(),
    readonly code = new LshIndex(),
    readonly passages = new PassageLayer(),
    readonly local = localIndex(),
    /** Each stored view's full-scale shape signature (the trimmed view and the whole frame). */
    readonly signatures = new SignatureIndex(),
    /** Not snapshotted (its structures are as large as the fingerprints): rebuilt from media_fingerprints on open. */
    readonly media = new MediaIndex(),
    /** Each stored image's folded-view pHash (ImageFingerprint.fold; policy visual.fold), as stored (tag 0). */
    readonly fold = new HammingIndex(),
  ) {}

  add(rowid: number, d: IndexedData): void {
    this.remove(rowid);
    this.text.add(rowid, d.text);
    if (d.code) this.code.add(rowid, d.code);
    if (d.passages) this.passages.add(rowid, d.passages);
    if (d.local) this.local.add(rowid, d.local);
    if (d.media) this.media.add(mediaRef(rowid), d.media);
    d.image?.views.forEach((v, vi) => {
      v.phash.forEach((variants, si) => this.phash.add(rowid, fromHex(variants[0] as string), vi * SCALES.length + si));
    });
    if (d.image) this.signatures.add(rowid, d.image.views.map(fullScaleSignature));
    const folded = d.image?.fold?.phash[0];
    if (folded) this.fold.add(rowid, fromHex(folded));
  }

  remove(rowid: number): void {
    this.phash.remove(rowid);
    this.text.remove(rowid);
    this.code.remove(rowid);
    this.passages.remove(rowid);
    this.local.remove(rowid);
    this.signatures.remove(rowid);
    this.media.remove(mediaRef(rowid));
    this.fold.remove(rowid);
  }

  snapshots(): Record<string, Buffer> {
    return {
      phash: this.phash.toBuffer(),
      text_lsh: this.text.toBuffer(),
      code_lsh: this.code.toBuffer(),
      passages: this.passages.toBuffer(),
      local: this.local.toBuffer(),
      signatures: this.signatures.toBuffer(),
      fold: this.fold.toBuffer(),
    };
  }

  static fromSnapshots(s: Record<string, Uint8Array | undefined>): SearchIndexes | null {
    const { phash, text_lsh, code_lsh, passages, local, signatures, fold } = s;
    if (!phash || !text_lsh || !code_lsh || !passages || !local || !signatures || !fold) return null;
    return new SearchIndexes(
      HammingIndex.fromBuffer(phash),
      LshIndex.fromBuffer(text_lsh),
      LshIndex.fromBuffer(code_lsh),
      PassageLayer.fromBuffer(Buffer.from(passages.buffer, passages.byteOffset, passages.byteLength)),
      LocalIndex.fromBuffer(local, LOCAL_OPTS),
      SignatureIndex.fromBuffer(signatures),
      new MediaIndex(),
      HammingIndex.fromBuffer(fold),
    );
  }
}

/** A view's full-scale shape signature as int8 (stored as base64). */
export function fullScaleSignature(v: Pick<ImageFingerprint['views'][number], 'sig'>): Int8Array {
  return signatureFromBase64(v.sig[0] ?? '');
}
