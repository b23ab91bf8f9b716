/**
 * Multi-index hashing (Norouzi et al.) for 64-bit hashes: each hash is split into four 16-bit
 * chunks, each chunk indexed in its own 65 536-bucket table. By pigeonhole, two hashes within
 * Hamming distance r agree within floor(r/4) bits on at least one chunk, so a search probes only
 * the buckets within that small radius of each chunk instead of scanning every stored hash.
 *
 * Persistence: `toBuffer()` writes the live hashes as flat typed arrays; `fromBuffer()` loads them
 * into compact bucket arrays (CSR: offsets + entry ids per chunk) in one counting pass, so a
 * library of 100k images opens in milliseconds rather than re-inserting every hash. Hashes added
 * after loading go to ordinary growable buckets beside the compact ones.
 */
import { pushAt } from '../multimap.ts';
import { type Hash64, popcount32 } from './bits.ts';

const CHUNKS = 4;
const BUCKETS = 1 << 16;

/** 16-bit masks grouped by popcount (0..16). */
const MASKS_BY_WEIGHT: number[][] = (() => {
  const out: number[][] = Array.from({ length: 17 }, () => []);
  for (let m = 0; m < BUCKETS; m++) out[popcount32(m)]?.push(m);
  return out;
})();

function chunk(h: Hash64, c: number): number {
  return c < 2 ? (h.hi >>> (16 * (1 - c))) & 0xffff : (h.lo >>> (16 * (3 - c))) & 0xffff;
}

export interface HammingHit {
  /** Caller's owner id of the stored hash. */
  owner: number;
  /** Caller's tag of the stored hash (e.g. which view/scale it came from). */
  tag: number;
  distance: number;
}

/**
 * Frozen buckets of one chunk: entries of bucket k are ids[offsets[k]..offsets[k+1]), and their
 * hashes are copied alongside in the same order (hi, lo), so a search reads each probed bucket
 * sequentially and touches an entry's own arrays only when it is within the radius.
 */
interface Csr {
  offsets: Uint32Array;
  ids: Uint32Array;
  hi: Uint32Array;
  lo: Uint32Array;
}

/** searchMasked scans instead of walking buckets past buckets × this > live hashes (measured, see there). */
const SCAN_OVER_WALK = 32;

const MAGIC = 0x4d494831; // "MIH1"

/** Bulk build, counting pass of chunk c over entries from..to-1: offsets[k + 1] counts bucket k. */
function countChunk(hi: Uint32Array, lo: Uint32Array, c: number, offsets: Uint32Array, from: number, to: number): void {
  for (let e = from; e < to; e++) {
    const k = chunk({ hi: hi[e] as number, lo: lo[e] as number }, c);
    offsets[k + 1] = (offsets[k + 1] as number) + 1;
  }
}

/** The compact buckets of a chunk whose counts are in `offsets` (turned into offsets here), to be filled. */
function csrOf(offsets: Uint32Array, n: number): Csr {
  for (let k = 0; k < BUCKETS; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  return { offsets, ids: new Uint32Array(n), hi: new Uint32Array(n), lo: new Uint32Array(n) };
}

/** Bulk build, fill pass of chunk c over entries from..to-1 (`fill`: each bucket's next free place). */
function fillChunk(hi: Uint32Array, lo: Uint32Array, c: number, fill: Uint32Array, csr: Csr, from: number, to: number): void {
  for (let e = from; e < to; e++) {
    const h = hi[e] as number;
    const l = lo[e] as number;
    const at = (fill[chunk({ hi: h, lo: l }, c)] as number)++;
    csr.ids[at] = e;
    csr.hi[at] = h;
    csr.lo[at] = l;
  }
}

export class HammingIndex {
  private readonly tables: (number[] | undefined)[][] = Array.from({ length: CHUNKS }, () => new Array(BUCKETS));
  private frozen: Csr[] | null = null;
  private count = 0;
  private hi: Uint32Array = new Uint32Array(1024);
  private lo: Uint32Array = new Uint32Array(1024);
  private owners: Int32Array = new Int32Array(1024);
  private tags: Uint8Array = new Uint8Array(1024);
  private alive: Uint8Array = new Uint8Array(1024);
  private seen: Uint32Array = new Uint32Array(1024);
  private stamp = 0;
  private live = 0;
  private readonly byOwner = new Map<number, number[]>();
  /** The masked scan's input: the live entries a tag filter marks, flat; dropped when the index changes. */
  private scanSet: { tags: Uint8Array | undefined; ids: Uint32Array; hi: Uint32Array; lo: Uint32Array } | null = null;

  get size(): number {
    return this.live;
  }

  private grow(): void {
    const n = this.hi.length * 2;
    const g = <T extends Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.hi = g(this.hi, (k) => new Uint32Array(k));
    this.lo = g(this.lo, (k) => new Uint32Array(k));
    this.owners = g(this.owners, (k) => new Int32Array(k));
    this.tags = g(this.tags, (k) => new Uint8Array(k));
    this.alive = g(this.alive, (k) => new Uint8Array(k));
    this.seen = new Uint32Array(n);
    this.stamp = 0;
  }

  /** Stores a hash for an owner; `tag` (0..255) tells the caller which of the owner's hashes it is. */
  add(owner: number, h: Hash64, tag = 0): void {
    this.scanSet = null;
    const e = this.count++;
    if (e >= this.hi.length) this.grow();
    this.hi[e] = h.hi;
    this.lo[e] = h.lo;
    this.owners[e] = owner;
    this.tags[e] = tag;
    this.alive[e] = 1;
    this.live++;
    for (let c = 0; c < CHUNKS; c++) {
      const t = this.tables[c] as (number[] | undefined)[];
      const k = chunk(h, c);
      const b = t[k];
      if (b) b.push(e);
      else t[k] = [e];
    }
    pushAt(this.byOwner, owner, e);
  }

  /** Removes every hash of an owner (entries are tombstoned; buckets skip them). */
  remove(owner: number): void {
    this.scanSet = null;
    for (const e of this.byOwner.get(owner) ?? []) {
      if (this.alive[e]) {
        this.alive[e] = 0;
        this.live--;
      }
    }
    this.byOwner.delete(owner);
  }

  /** The live hashes as one buffer (see fromBuffer). */
  toBuffer(): Buffer {
    const live: number[] = [];
    for (let e = 0; e < this.count; e++) if (this.alive[e]) live.push(e);
    const n = live.length;
    const out = Buffer.alloc(8 + n * 13);
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(n, 4);
    let o = 8;
    for (const e of live) out.writeUInt32LE(this.hi[e] as number, (o += 4) - 4);
    for (const e of live) out.writeUInt32LE(this.lo[e] as number, (o += 4) - 4);
    for (const e of live) out.writeInt32LE(this.owners[e] as number, (o += 4) - 4);
    for (const e of live) out.writeUInt8(this.tags[e] as number, o++);
    return out;
  }

  static fromBuffer(buf: Uint8Array): HammingIndex {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (b.byteLength < 8 || b.readUInt32LE(0) !== MAGIC) throw new Error('not a Hamming index snapshot');
    const n = b.readUInt32LE(4);
    if (b.byteLength !== 8 + n * 13) throw new Error('truncated Hamming index snapshot');
    const u32 = (from: number) => {
      const a = new Uint32Array(n);
      for (let i = 0; i < n; i++) a[i] = b.readUInt32LE(from + i * 4);
      return a;
    };
    return HammingIndex.fromArrays(u32(8), u32(8 + n * 4), Int32Array.from(u32(8 + n * 8)), b.subarray(8 + n * 12, 8 + n * 13));
  }

  /**
   * Builds an index of many hashes at once (entry e: hash hi[e]:lo[e], owner, tag) into the compact
   * bucket arrays, in one counting pass per chunk instead of one insertion per hash.
   */
  static fromArrays(hi: Uint32Array, lo: Uint32Array, owners: Int32Array, tags: Uint8Array): HammingIndex {
    const idx = HammingIndex.bulkStart(hi, lo, owners, tags);
    const n = idx.count;
    idx.indexOwners(0, n);
    const frozen: Csr[] = [];
    for (let c = 0; c < CHUNKS; c++) {
      const offsets = new Uint32Array(BUCKETS + 1);
      countChunk(idx.hi, idx.lo, c, offsets, 0, n);
      const csr = csrOf(offsets, n);
      const fill = offsets.slice(0, BUCKETS);
      fillChunk(idx.hi, idx.lo, c, fill, csr, 0, n);
      frozen.push(csr);
    }
    idx.frozen = frozen;
    return idx;
  }

  /**
   * fromArrays in slices of about `sliceMs`, awaiting `pause()` between them, so a caller's event
   * loop is not held for the whole build (about half a second at a million hashes). Same passes,
   * same index.
   */
  static async fromArraysSliced(
    hi: Uint32Array,
    lo: Uint32Array,
    owners: Int32Array,
    tags: Uint8Array,
    pause: () => Promise<void>,
    sliceMs = 15,
  ): Promise<HammingIndex> {
    const idx = HammingIndex.bulkStart(hi, lo, owners, tags);
    const n = idx.count;
    const STEP = 1 << 13;
    let slice = performance.now();
    /** Runs `pass` over every entry, a step at a time, pausing once a slice is used up. */
    const over = async (pass: (from: number, to: number) => void) => {
      for (let from = 0; from < n; from += STEP) {
        pass(from, Math.min(n, from + STEP));
        if (performance.now() - slice > sliceMs) {
          await pause();
          slice = performance.now();
        }
      }
    };
    await over((from, to) => idx.indexOwners(from, to));
    const frozen: Csr[] = [];
    for (let c = 0; c < CHUNKS; c++) {
      const offsets = new Uint32Array(BUCKETS + 1);
      await over((from, to) => countChunk(idx.hi, idx.lo, c, offsets, from, to));
      const csr = csrOf(offsets, n);
      const fill = offsets.slice(0, BUCKETS);
      await over((from, to) => fillChunk(idx.hi, idx.lo, c, fill, csr, from, to));
      frozen.push(csr);
    }
    // Set last: the compact buckets are complete before anything can search them.
    idx.frozen = frozen;
    return idx;
  }

  /** An index holding copies of the bulk arrays, not yet bucketed (see fromArrays). */
  private static bulkStart(hi: Uint32Array, lo: Uint32Array, owners: Int32Array, tags: Uint8Array): HammingIndex {
    const n = hi.length;
    if (lo.length !== n || owners.length !== n || tags.length !== n) throw new Error('Hamming index arrays differ in length');
    const idx = new HammingIndex();
    const cap = Math.max(1024, n);
    idx.hi = new Uint32Array(cap);
    idx.hi.set(hi);
    idx.lo = new Uint32Array(cap);
    idx.lo.set(lo);
    idx.owners = new Int32Array(cap);
    idx.owners.set(owners);
    idx.tags = new Uint8Array(cap);
    idx.tags.set(tags);
    idx.alive = new Uint8Array(cap);
    idx.alive.fill(1, 0, n);
    idx.seen = new Uint32Array(cap);
    idx.count = n;
    idx.live = n;
    return idx;
  }

  /** Lists entries from..to-1 under their owners (bulk build). */
  private indexOwners(from: number, to: number): void {
    for (let e = from; e < to; e++) pushAt(this.byOwner, this.owners[e] as number, e);
  }

  /**
   * Every stored hash within `radius` of `h` counting only the bits set in `mask` (the query's
   * reliable bits; the others match anything). By pigeonhole, with radius < 4 a hash that differs
   * in at most `radius` masked bits agrees exactly on the masked bits of at least one chunk, so each
   * chunk's probes are its masked bits as given and every setting of its other bits: 2^(unmasked
   * bits) buckets per chunk. When that comes to more buckets than a 32nd of the stored hashes, the
   * hashes the tags mark are scanned one by one instead (the same answer). `distance` is the masked distance.
   * `tags`, when given, keeps only stored hashes whose tag it marks (tags[tag] = 1).
   * Its own loop, beside search's: one loop for both (the mask applied to every distance, the
   * probed buckets listed first) made the unmasked search, run some 30 times per check,
   * 1.25× slower on 300k clustered hashes (README, session 38).
   */
  searchMasked(h: Hash64, mask: Hash64, radius: number, tags?: Uint8Array): HammingHit[] {
    if (radius >= CHUNKS) throw new Error(`masked search radius must be below ${CHUNKS}`);
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const out: HammingHit[] = [];
    const { seen, alive, hi, lo, owners, stamp } = this;
    const tagOf = this.tags;
    const keep = (e: number) => alive[e] === 1 && (!tags || tags[tagOf[e] as number] === 1);
    const qhi = h.hi >>> 0;
    const qlo = h.lo >>> 0;
    const mhi = mask.hi >>> 0;
    const mlo = mask.lo >>> 0;
    const dist = (ehi: number, elo: number) => popcount32(((ehi ^ qhi) & mhi) >>> 0) + popcount32(((elo ^ qlo) & mlo) >>> 0);
    const visit = (e: number) => {
      if (seen[e] === stamp) return;
      seen[e] = stamp;
      if (!keep(e)) return;
      const d = dist(hi[e] as number, lo[e] as number);
      if (d <= radius) out.push({ owner: owners[e] as number, tag: tagOf[e] as number, distance: d });
    };
    const free = Array.from({ length: CHUNKS }, (_, c) => ~chunk(mask, c) & 0xffff);
    const buckets = free.reduce((n, f) => n + 2 ** popcount32(f), 0);
    // A bucket visited costs about what scanning 16–20 hashes does (600k hashes of the 100k bench
    // library: 16k buckets 2.1 ms, a flat scan of 200k 1.3 ms), and a tag filter keeps about a third
    // of them: past `buckets × 32 > live` the flat scan of the live hashes the tags mark
    // (scanSetOf), each once, no stamps. (The walk up to buckets × 4 made the bench's p95 check
    // spend 41 ms here; 12 ms with this.)
    if (buckets * SCAN_OVER_WALK > this.live) {
      const set = this.scanSetOf(tags);
      const { ids, hi: sh, lo: sl } = set;
      for (let i = 0, n = ids.length; i < n; i++) {
        const d = popcount32((((sh[i] as number) ^ qhi) & mhi) >>> 0) + popcount32((((sl[i] as number) ^ qlo) & mlo) >>> 0);
        if (d > radius) continue;
        const e = ids[i] as number;
        out.push({ owner: owners[e] as number, tag: tagOf[e] as number, distance: d });
      }
      return out;
    }
    for (let c = 0; c < CHUNKS; c++) {
      const t = this.tables[c] as (number[] | undefined)[];
      const f = this.frozen?.[c];
      const fixed = chunk(h, c) & ~(free[c] as number) & 0xffff;
      // Every subset of the chunk's free bits (the standard sub-mask walk), from all of them to none.
      for (let sub = free[c] as number; ; sub = (sub - 1) & (free[c] as number)) {
        const k = fixed | sub;
        if (f) {
          const { ids, hi: fh, lo: fl, offsets } = f;
          for (let i = offsets[k] as number, end = offsets[k + 1] as number; i < end; i++) {
            const d = dist(fh[i] as number, fl[i] as number);
            if (d > radius) continue;
            const e = ids[i] as number;
            if (seen[e] === stamp) continue;
            seen[e] = stamp;
            if (keep(e)) out.push({ owner: owners[e] as number, tag: tagOf[e] as number, distance: d });
          }
        }
        const b = t[k];
        if (b !== undefined) for (let bi = 0; bi < b.length; bi++) visit(b[bi] as number);
        if (sub === 0) break;
      }
    }
    return out;
  }

  /** The live entries whose tag `tags` marks (every live entry without it) as flat arrays, built once per state of the index and filter. */
  private scanSetOf(tags: Uint8Array | undefined): { ids: Uint32Array; hi: Uint32Array; lo: Uint32Array } {
    const s = this.scanSet;
    const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
      a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));
    if (s && same(s.tags, tags)) return s;
    const ids: number[] = [];
    for (let e = 0; e < this.count; e++) if (this.alive[e] === 1 && (!tags || tags[this.tags[e] as number] === 1)) ids.push(e);
    const set = {
      tags: tags?.slice(),
      ids: Uint32Array.from(ids),
      hi: Uint32Array.from(ids, (e) => this.hi[e] as number),
      lo: Uint32Array.from(ids, (e) => this.lo[e] as number),
    };
    this.scanSet = set;
    return set;
  }

  /** Every stored hash within `radius` of `h` (radius ≤ 4·chunkRadius+3; 15 by default). */
  search(h: Hash64, radius = 15): HammingHit[] {
    const perChunk = Math.floor(radius / CHUNKS);
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const out: HammingHit[] = [];
    const { seen, alive, hi, lo, stamp } = this;
    const qhi = h.hi >>> 0;
    const qlo = h.lo >>> 0;
    const visit = (e: number) => {
      if (seen[e] === stamp) return;
      seen[e] = stamp;
      if (!alive[e]) return;
      const d = popcount32(((hi[e] as number) ^ qhi) >>> 0) + popcount32(((lo[e] as number) ^ qlo) >>> 0);
      if (d <= radius) out.push({ owner: this.owners[e] as number, tag: this.tags[e] as number, distance: d });
    };
    const owners = this.owners;
    const tags = this.tags;
    for (let c = 0; c < CHUNKS; c++) {
      const t = this.tables[c] as (number[] | undefined)[];
      const f = this.frozen?.[c];
      const q = chunk(h, c);
      for (let w = 0; w <= perChunk; w++) {
        const masks = MASKS_BY_WEIGHT[w] as number[];
        for (let mi = 0; mi < masks.length; mi++) {
          const k = q ^ (masks[mi] as number);
          if (f) {
            // Sequential over the bucket's copied hashes; an entry's own arrays only for a hit.
            const { ids, hi: fh, lo: fl, offsets } = f;
            for (let i = offsets[k] as number, end = offsets[k + 1] as number; i < end; i++) {
              const d = popcount32(((fh[i] as number) ^ qhi) >>> 0) + popcount32(((fl[i] as number) ^ qlo) >>> 0);
              if (d > radius) continue;
              const e = ids[i] as number;
              if (seen[e] === stamp) continue;
              seen[e] = stamp;
              if (alive[e]) out.push({ owner: owners[e] as number, tag: tags[e] as number, distance: d });
            }
          }
          const b = t[k];
          if (b !== undefined) for (let bi = 0; bi < b.length; bi++) visit(b[bi] as number);
        }
      }
    }
    return out;
  }
}
