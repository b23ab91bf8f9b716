/**
 * Multi-index hashing (Norouzi et al.) for 64-bit hashes: each hash is split into four 16-bit
 * chunks, each chunk indexed in its own 65 536-bucket table. By pigeonhole, two hashes within
 * Hamming distance r agree within floor(r/4) bits on at least one chunk, so a search probes only
 * the buckets within that small radius of each chunk instead of scanning every stored hash.
 */
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

export class HammingIndex {
  private readonly tables: (number[] | undefined)[][] = Array.from({ length: CHUNKS }, () => new Array(BUCKETS));
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
    const list = this.byOwner.get(owner);
    if (list) list.push(e);
    else this.byOwner.set(owner, [e]);
  }

  /** Removes every hash of an owner (entries are tombstoned; buckets skip them). */
  remove(owner: number): void {
    for (const e of this.byOwner.get(owner) ?? []) {
      if (this.alive[e]) {
        this.alive[e] = 0;
        this.live--;
      }
    }
    this.byOwner.delete(owner);
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
    for (let c = 0; c < CHUNKS; c++) {
      const t = this.tables[c] as (number[] | undefined)[];
      const q = chunk(h, c);
      for (let w = 0; w <= perChunk; w++) {
        const masks = MASKS_BY_WEIGHT[w] as number[];
        for (let mi = 0; mi < masks.length; mi++) {
          const b = t[q ^ (masks[mi] as number)];
          if (b === undefined) continue;
          for (let bi = 0; bi < b.length; bi++) {
            const e = b[bi] as number;
            if (seen[e] === stamp) continue;
            seen[e] = stamp;
            if (!alive[e]) continue;
            const d = popcount32(((hi[e] as number) ^ qhi) >>> 0) + popcount32(((lo[e] as number) ^ qlo) >>> 0);
            if (d <= radius) out.push({ owner: this.owners[e] as number, tag: this.tags[e] as number, distance: d });
          }
        }
      }
    }
    return out;
  }
}
