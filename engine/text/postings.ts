/**
 * An inverted index from 32-bit keys to postings (row id, value), built for 100k+ documents with
 * millions of postings: a frozen base in flat typed arrays (bucketed by key, counting-sorted, so a
 * build is two linear passes and a load is a few array views), plus a small map of postings added
 * since, plus tombstones for removed rows. A row removed and added again (an edited card) gets a new
 * generation, so its old postings stay dead without rebuilding anything. When the additions or
 * tombstones grow past a quarter of the base, everything is folded into a new base.
 */
import { fmix32 } from './winnow.ts';

const MAGIC = 0x31585050; // "PPX1"

export class PostingsTable {
  private mask = 0;
  private bucketStart: Uint32Array = new Uint32Array(2);
  private keys: Uint32Array = new Uint32Array(0);
  private rows: Uint32Array = new Uint32Array(0);
  private vals: Uint32Array = new Uint32Array(0);
  /** Postings added since the base was built: key → [row, value, generation, row, value, generation, …]. */
  private delta = new Map<number, number[]>();
  private deltaEntries = 0;
  /** Rows removed now. */
  private readonly removed = new Set<number>();
  /** Generation of a row's live postings, for rows re-added since the base was built (absent: 0, the base). */
  private readonly generation = new Map<number, number>();
  private removedEntries = 0;

  private alive(row: number, gen: number): boolean {
    return !this.removed.has(row) && (this.generation.get(row) ?? 0) === gen;
  }

  /** Postings currently stored (base + added, minus none of the removed until compaction). */
  get entries(): number {
    return this.keys.length + this.deltaEntries;
  }

  /** A table built in one pass from parallel arrays of (key, row, value). */
  static build(keys: Uint32Array, rows: Uint32Array, vals: Uint32Array): PostingsTable {
    const t = new PostingsTable();
    t.setBase(keys, rows, vals);
    return t;
  }

  private setBase(keys: Uint32Array, rows: Uint32Array, vals: Uint32Array): void {
    const n = keys.length;
    let nb = 1;
    while (nb < n) nb <<= 1;
    const mask = nb - 1;
    const start = new Uint32Array(nb + 1);
    const bucketOf = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const b = fmix32(keys[i] as number) & mask;
      bucketOf[i] = b;
      start[b + 1] = (start[b + 1] as number) + 1;
    }
    for (let b = 0; b < nb; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
    const fill = start.slice(0, nb);
    const k2 = new Uint32Array(n);
    const r2 = new Uint32Array(n);
    const v2 = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const b = bucketOf[i] as number;
      const j = fill[b] as number;
      fill[b] = j + 1;
      k2[j] = keys[i] as number;
      r2[j] = rows[i] as number;
      v2[j] = vals[i] as number;
    }
    this.mask = mask;
    this.bucketStart = start;
    this.keys = k2;
    this.rows = r2;
    this.vals = v2;
  }

  /** Adds a row's postings; a row that was removed before comes back as a new generation. */
  add(row: number, keys: ArrayLike<number>, vals: ArrayLike<number>): void {
    let gen = this.generation.get(row) ?? 0;
    if (this.removed.has(row)) {
      gen++;
      this.generation.set(row, gen);
      this.removed.delete(row);
    }
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      const l = this.delta.get(k);
      if (l) l.push(row, vals[i] as number, gen);
      else this.delta.set(k, [row, vals[i] as number, gen]);
    }
    this.deltaEntries += keys.length;
    if (this.deltaEntries > Math.max(1 << 16, this.keys.length / 4)) this.compact();
  }

  /** Marks a row removed; `entries` is how many postings it has (for deciding when to compact). */
  remove(row: number, entries: number): void {
    if (this.removed.has(row)) return;
    this.removed.add(row);
    this.removedEntries += entries;
    if (this.removedEntries > Math.max(1 << 14, this.keys.length / 4)) this.compact();
  }

  /** Calls fn for every live posting of key; returns how many postings the key has (live or not). */
  forEach(key: number, fn: (row: number, val: number) => void): number {
    let n = 0;
    const b = fmix32(key) & this.mask;
    const end = this.bucketStart[b + 1] as number;
    for (let i = this.bucketStart[b] as number; i < end; i++) {
      if (this.keys[i] !== key) continue;
      n++;
      const r = this.rows[i] as number;
      if (this.alive(r, 0)) fn(r, this.vals[i] as number);
    }
    const l = this.delta.get(key);
    if (l) {
      n += l.length / 3;
      for (let i = 0; i < l.length; i += 3) if (this.alive(l[i] as number, l[i + 2] as number)) fn(l[i] as number, l[i + 1] as number);
    }
    return n;
  }

  /** Number of postings of key (removed rows included until the next compaction). */
  count(key: number): number {
    let n = 0;
    const b = fmix32(key) & this.mask;
    const end = this.bucketStart[b + 1] as number;
    for (let i = this.bucketStart[b] as number; i < end; i++) if (this.keys[i] === key) n++;
    return n + (this.delta.get(key)?.length ?? 0) / 3;
  }

  /** Folds added postings into the base and drops removed rows. */
  compact(): void {
    if (this.deltaEntries === 0 && this.removed.size === 0 && this.generation.size === 0) return;
    const n = this.keys.length + this.deltaEntries;
    const k = new Uint32Array(n);
    const r = new Uint32Array(n);
    const v = new Uint32Array(n);
    let j = 0;
    for (let i = 0; i < this.keys.length; i++) {
      if (!this.alive(this.rows[i] as number, 0)) continue;
      k[j] = this.keys[i] as number;
      r[j] = this.rows[i] as number;
      v[j++] = this.vals[i] as number;
    }
    for (const [key, l] of this.delta) {
      for (let i = 0; i < l.length; i += 3) {
        if (!this.alive(l[i] as number, l[i + 2] as number)) continue;
        k[j] = key;
        r[j] = l[i] as number;
        v[j++] = l[i + 1] as number;
      }
    }
    this.delta = new Map();
    this.deltaEntries = 0;
    this.removed.clear();
    this.generation.clear();
    this.removedEntries = 0;
    this.setBase(k.subarray(0, j), r.subarray(0, j), v.subarray(0, j));
  }

  /** The table as bytes (compacted first): header, bucket offsets, keys, rows, values. */
  toBuffer(): Buffer {
    this.compact();
    const nb = this.mask + 1;
    const n = this.keys.length;
    const out = Buffer.alloc(12 + 4 * (nb + 1) + 12 * n);
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(nb, 4);
    out.writeUInt32LE(n, 8);
    let o = 12;
    for (const a of [this.bucketStart, this.keys, this.rows, this.vals]) {
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, o);
      o += a.byteLength;
    }
    return out;
  }

  static fromBuffer(buf: Uint8Array): PostingsTable {
    if (buf.byteLength < 12) throw new Error('postings: truncated');
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (dv.getUint32(0, true) !== MAGIC) throw new Error('postings: not a postings table');
    const nb = dv.getUint32(4, true);
    const n = dv.getUint32(8, true);
    if ((nb & (nb - 1)) !== 0 || buf.byteLength !== 12 + 4 * (nb + 1) + 12 * n) throw new Error('postings: bad size');
    // Typed-array views need 4-byte alignment; copy once when the buffer is not aligned.
    const body = (buf.byteOffset + 12) % 4 === 0 ? buf.subarray(12) : new Uint8Array(buf.subarray(12));
    const view = (off: number, len: number) => new Uint32Array(body.buffer, body.byteOffset + off, len);
    const t = new PostingsTable();
    t.mask = nb - 1;
    t.bucketStart = view(0, nb + 1);
    t.keys = view(4 * (nb + 1), n);
    t.rows = view(4 * (nb + 1 + n), n);
    t.vals = view(4 * (nb + 1 + 2 * n), n);
    if (t.bucketStart[nb] !== n) throw new Error('postings: bad offsets');
    return t;
  }
}
