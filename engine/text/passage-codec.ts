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

class Reader {
  i = 0;
  constructor(private readonly b: Uint8Array) {}
  byte(): number {
    if (this.i >= this.b.length) throw new Error('passage fingerprint: truncated');
    return this.b[this.i++] as number;
  }
  varint(): number {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const c = this.byte();
      v += (c & 0x7f) * 2 ** shift;
      if (c < 0x80) return v;
    }
    throw new Error('passage fingerprint: bad varint');
  }
  u32(): number {
    const v = (this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24)) >>> 0;
    return v;
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
  const r = new Reader(buf);
  const version = r.byte();
  if (version !== PASSAGE_FORMAT) throw new Error(`passage fingerprint: unknown format ${version}`);
  const params = { k: r.byte(), window: r.byte() };
  const words = r.varint();
  const nh = r.varint();
  const nt = r.varint();
  if (nh > buf.length || nt > buf.length) throw new Error('passage fingerprint: bad counts');
  const positions = new Uint32Array(nh);
  let prev = 0;
  for (let i = 0; i < nh; i++) positions[i] = prev += r.varint();
  const hashes = new Uint32Array(nh);
  for (let i = 0; i < nh; i++) hashes[i] = r.u32();
  const terms = new Uint32Array(nt);
  prev = 0;
  for (let i = 0; i < nt; i++) terms[i] = prev += r.varint();
  const counts = new Uint16Array(nt);
  for (let i = 0; i < nt; i++) counts[i] = r.varint();
  if (r.i !== buf.length) throw new Error('passage fingerprint: trailing bytes');
  return { params, fp: { words, hashes, positions, terms, counts } };
}
