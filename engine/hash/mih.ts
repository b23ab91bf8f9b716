/**
 * Multi-index hashing (Norouzi et al.) for 64-bit hashes: each hash is split into four 16-bit
 * chunks, each chunk indexed in its own 65 536-bucket table. By pigeonhole, two hashes within
 * Hamming distance r agree within floor(r/4) bits on at least one chunk, so a search probes only
 * the buckets within that small radius of each chunk instead of scanning every stored hash.
 */
import { type Hash64, hamming, popcount32 } from './bits.ts';

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
  private hi: number[] = [];
  private lo: number[] = [];
  private owners: number[] = [];
  private tags: number[] = [];
  private alive: Uint8Array = new Uint8Array(1024);
  private seen: Uint32Array = new Uint32Array(1024);
  private stamp = 0;
  private live = 0;
  private readonly byOwner = new Map<number, number[]>();

  get size(): number {
    return this.live;
  }

  add(owner: number, h: Hash64, tag = 0): void {
    const e = this.hi.length;
    this.hi.push(h.hi);
    this.lo.push(h.lo);
    this.owners.push(owner);
    this.tags.push(tag);
    if (e >= this.alive.length) {
      const a = new Uint8Array(this.alive.length * 2);
      a.set(this.alive);
      this.alive = a;
      this.seen = new Uint32Array(this.alive.length);
      this.stamp = 0;
    }
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
    for (let c = 0; c < CHUNKS; c++) {
      const t = this.tables[c] as (number[] | undefined)[];
      const q = chunk(h, c);
      for (let w = 0; w <= perChunk; w++) {
        for (const m of MASKS_BY_WEIGHT[w] as number[]) {
          const b = t[q ^ m];
          if (!b) continue;
          for (const e of b) {
            if (this.seen[e] === this.stamp || !this.alive[e]) continue;
            this.seen[e] = this.stamp;
            const d = hamming(h, { hi: this.hi[e] as number, lo: this.lo[e] as number });
            if (d <= radius) out.push({ owner: this.owners[e] as number, tag: this.tags[e] as number, distance: d });
          }
        }
      }
    }
    return out;
  }
}
