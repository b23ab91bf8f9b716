/** MinHash signatures as little-endian SQLite blobs and back. */
import { MINHASH_SIZE } from '../text/shingles.ts';

export function sigToBlob(sig: Uint32Array): Buffer {
  const b = Buffer.alloc(sig.length * 4);
  sig.forEach((v, i) => b.writeUInt32LE(v, i * 4));
  return b;
}

export function blobToSig(b: Buffer): Uint32Array {
  if (b.byteLength !== MINHASH_SIZE * 4) throw new Error('corrupt MinHash blob');
  const out = new Uint32Array(MINHASH_SIZE);
  for (let i = 0; i < MINHASH_SIZE; i++) out[i] = b.readUInt32LE(i * 4);
  return out;
}
