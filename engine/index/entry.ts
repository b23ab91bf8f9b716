/** What the in-memory indexes keep per indexed asset (the rest stays in SQLite until needed). */
import type { ImageFingerprint } from '../image/fingerprint.ts';
import type { AssetCard } from '../../shared/asset.ts';
import type { LexicalSig } from '../fingerprints.ts';

export interface Entry {
  rowid: number;
  id: string;
  creatorId: string;
  /** The stored card (passage alignment and the changed-fields list need it). */
  card: AssetCard;
  name: string;
  assetType: string;
  metadataHash: string;
  text: LexicalSig;
  code: LexicalSig | null;
  /** Shape signatures by tag = view * SCALES.length + scale. */
  sigs: Int8Array[] | null;
  /** Information carried by each view (ViewHashes.quality); undefined where not stored. */
  quality: (number | undefined)[] | null;
  /** The folded view's shape signature and quality (ImageFingerprint.fold); null where not stored. */
  fold: { sig: Int8Array; quality: number } | null;
  color: ImageFingerprint['color'] | null;
  bytes: string | null;
  pixels: string | null;
}
