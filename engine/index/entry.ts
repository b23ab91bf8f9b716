/** What the in-memory indexes keep per indexed asset (the rest stays in SQLite until needed). */
import type { ImageFingerprint } from '../image/fingerprint.ts';
import type { LexicalSig } from '../fingerprints.ts';

export interface Entry {
  rowid: number;
  id: string;
  creatorId: string;
  name: string;
  assetType: string;
  metadataHash: string;
  text: LexicalSig;
  code: LexicalSig | null;
  /** Shape signatures by tag = view * SCALES.length + scale. */
  sigs: Int8Array[] | null;
  /** Information carried by each view (ViewHashes.quality); undefined where not stored. */
  quality: (number | undefined)[] | null;
  color: ImageFingerprint['color'] | null;
  bytes: string | null;
  pixels: string | null;
}
