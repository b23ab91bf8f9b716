/**
 * Compact binary form of a PassageFingerprint for a SQLite BLOB: a 3-byte header (format version,
 * k, window), varint counts, kept-hash positions as varint deltas, kept hashes as raw little-endian
 * u32, term hashes as varint deltas (they are sorted) and term counts as varints.
 */
import type { PassageFingerprint, PassageParams } from './winnow.ts';

export const PASSAGE_FORMAT = 1;

class Writer {
  private buf = Buffer.allocUnsafe(256);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  varint(v: number): void {
    this.room(5);
    while (v >= 0x80) {
      this.buf[this.len++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.len++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
  }
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

export function encodePassageFingerprint(fp: PassageFingerprint, params: PassageParams): Buffer {
  const w = new Writer();
  w.byte(PASSAGE_FORMAT);
  w.byte(params.k);
  w.byte(params.window);
  w.varint(fp.words);
  w.varint(fp.hashes.length);
  w.varint(fp.terms.length);
  let prev = 0;
  for (const p of fp.positions) {
    w.varint(p - prev);
    prev = p;
  }
  for (const h of fp.hashes) w.u32(h);
  prev = 0;
  for (const t of fp.terms) {
    w.varint(t - prev);
    prev = t;
  }
  for (const c of fp.counts) w.varint(c);
  return w.done();
}

export interface DecodedPassageFingerprint {
  params: PassageParams;
  fp: PassageFingerprint;
}

export function decodePassageFingerprint(buf: Uint8Array): DecodedPassageFingerprint {
  const b = buf;
  const n = b.length;
  let i = 0;
  // Hot path (a library load decodes every card): plain loops, no per-byte calls.
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let c = 0; c < 5; c++) {
      if (i >= n) throw new Error('passage fingerprint: truncated');
      const x = b[i++] as number;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
    throw new Error('passage fingerprint: bad varint');
  };
  if (n < 3) throw new Error('passage fingerprint: truncated');
  if (b[0] !== PASSAGE_FORMAT) throw new Error(`passage fingerprint: unknown format ${b[0]}`);
  const params = { k: b[1] as number, window: b[2] as number };
  i = 3;
  const words = varint();
  const nh = varint();
  const nt = varint();
  if (nh * 5 + nt * 2 > n) throw new Error('passage fingerprint: bad counts');
  const positions = new Uint32Array(nh);
  let prev = 0;
  for (let j = 0; j < nh; j++) positions[j] = prev += varint();
  if (i + 4 * nh > n) throw new Error('passage fingerprint: truncated');
  const hashes = new Uint32Array(nh);
  for (let j = 0; j < nh; j++, i += 4)
    hashes[j] = ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;
  const terms = new Uint32Array(nt);
  prev = 0;
  for (let j = 0; j < nt; j++) terms[j] = prev += varint();
  const counts = new Uint16Array(nt);
  for (let j = 0; j < nt; j++) counts[j] = varint();
  if (i !== n) throw new Error('passage fingerprint: trailing bytes');
  return { params, fp: { words, hashes, positions, terms, counts } };
}
