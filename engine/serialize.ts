/**
 * Fingerprints as JSON (for the marketplace database and the index feed) and back. MinHash
 * signatures and vectors travel as base64 of their little-endian bytes.
 */
import type { ImageFingerprint } from './image/fingerprint.ts';
import type { AssetFingerprints, LexicalSig } from './fingerprints.ts';
import type { VectorSpace } from './semantic/types.ts';

export interface FingerprintsJson {
  metadataHash: string;
  text: { sig: string; size: number };
  code: { sig: string; size: number } | null;
  image: ImageFingerprint | null;
  vectors: Partial<Record<VectorSpace, string>>;
}

const u32 = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromB64<T extends Uint32Array | Float32Array>(s: string, make: (buf: ArrayBuffer) => T): T {
  const b = Buffer.from(s, 'base64');
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return make(copy);
}

const lex = (l: LexicalSig) => ({ sig: u32(l.sig), size: l.size });
const unlex = (l: { sig: string; size: number }): LexicalSig => ({ sig: fromB64(l.sig, (b) => new Uint32Array(b)), size: l.size });

export function fingerprintsToJson(fp: AssetFingerprints, withVectors = true): FingerprintsJson {
  const vectors: FingerprintsJson['vectors'] = {};
  if (withVectors) for (const [k, v] of Object.entries(fp.vectors) as [VectorSpace, Float32Array][]) vectors[k] = f32(v);
  return { metadataHash: fp.metadataHash, text: lex(fp.text), code: fp.code ? lex(fp.code) : null, image: fp.image, vectors };
}

export function fingerprintsFromJson(j: FingerprintsJson): AssetFingerprints {
  const vectors: AssetFingerprints['vectors'] = {};
  for (const [k, v] of Object.entries(j.vectors ?? {}) as [VectorSpace, string][]) vectors[k] = fromB64(v, (b) => new Float32Array(b));
  return { metadataHash: j.metadataHash, text: unlex(j.text), code: j.code ? unlex(j.code) : null, image: j.image, vectors, semantic: {} };
}
