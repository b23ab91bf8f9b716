/**
 * Little-endian byte writer and bounds-checked reader for the engine's compact blobs (media and
 * passage fingerprints): bytes, u32, f64, unsigned LEB128 varints and nested raw blobs. The reader throws the error
 * its owner builds for a blob that ends early or holds a malformed varint, so a damaged blob is
 * refused, never misread.
 */

/** Appends values to a growing buffer. */
export class ByteWriter {
  private buf: Buffer;
  private n = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initial));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.n;
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }

  byte(v: number): void {
    this.room(1);
    this.buf[this.n++] = v & 0xff;
  }

  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.n);
    this.n += 4;
  }

  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.n);
    this.n += 8;
  }

  /** An unsigned integer below 2³² in 1–5 bytes (7 bits each, high bit = more follow). */
  varint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`varint out of range: ${v}`);
    this.room(5);
    let x = v >>> 0;
    while (x >= 0x80) {
      this.buf[this.n++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    this.buf[this.n++] = x;
  }

  /** Appends raw bytes (a nested blob; write its length first). */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /** A copy of the bytes written (the writer's own buffer is larger and reused). */
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.n));
  }
}

/** Why a read failed: the blob ends early, or a varint runs past five bytes. */
export type ReadFailure = 'truncated' | 'bad varint';

/** Reads values in order from a blob; every read is bounds-checked. */
export class ByteReader {
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    private readonly fail: (why: ReadFailure) => Error,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Bytes left after the current position. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(k: number): void {
    if (this.pos + k > this.buf.length) throw this.fail('truncated');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;
  }

  f64(): number {
    this.need(8);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** The next `k` bytes (a view into the blob, not a copy). */
  take(k: number): Uint8Array {
    this.need(k);
    const out = this.buf.subarray(this.pos, this.pos + k);
    this.pos += k;
    return out;
  }

  varint(): number {
    let v = 0;
    let mul = 1;
    for (let c = 0; c < 5; c++) {
      this.need(1);
      const x = this.buf[this.pos++] as number;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
    throw this.fail('bad varint');
  }
}
