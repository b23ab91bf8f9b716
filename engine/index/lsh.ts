/**
 * Locality-sensitive hashing of MinHash signatures: 16 bands of 2 rows, so pairs with Jaccard
 * around 0.3 and above usually share a band. Used for whole-text and module-code candidates.
 *
 * Persistence: `toBuffer()` writes, per band, the (key, owner) pairs sorted by key; `fromBuffer()`
 * keeps them as frozen typed arrays searched by binary search, so opening a large library costs a
 * copy, not a re-insertion. Owners added later go to ordinary maps; owners removed after loading
 * are tombstoned in the frozen part.
 */
import { pushAt } from '../multimap.ts';

export const LSH_BANDS = 16;
export const LSH_ROWS = 2;

export function lshBandKeys(sig: Uint32Array): number[] {
  if (sig[0] === 0xffffffff && sig[1] === 0xffffffff) return [];
  const keys: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < LSH_ROWS; r++) h = Math.imul(h ^ (sig[b * LSH_ROWS + r] as number), 0x01000193);
    keys.push(h >>> 0);
  }
  return keys;
}

interface FrozenBand {
  keys: Uint32Array;
  owners: Uint32Array;
}

const MAGIC = 0x4c534831; // "LSH1"

function lowerBound(a: Uint32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class LshIndex {
  private readonly bands: Map<number, number[]>[] = Array.from({ length: LSH_BANDS }, () => new Map());
  private readonly keysOf = new Map<number, number[]>();
  private frozen: FrozenBand[] | null = null;
  private readonly frozenOwners = new Set<number>();
  private readonly dead = new Set<number>();

  add(rowid: number, sig: Uint32Array): void {
    this.remove(rowid);
    const keys = lshBandKeys(sig);
    this.keysOf.set(rowid, keys);
    keys.forEach((k, b) => {
      pushAt(this.bands[b] as Map<number, number[]>, k, rowid);
    });
  }

  remove(rowid: number): void {
    if (this.frozenOwners.has(rowid)) this.dead.add(rowid);
    const keys = this.keysOf.get(rowid);
    if (!keys) return;
    this.keysOf.delete(rowid);
    keys.forEach((k, b) => {
      const m = this.bands[b] as Map<number, number[]>;
      const l = m.get(k);
      if (!l) return;
      const i = l.indexOf(rowid);
      if (i >= 0) l.splice(i, 1);
      if (!l.length) m.delete(k);
    });
  }

  /**
   * Owners sharing at least one band with `sig`. With `limit`, only the `limit` sharing the most
   * bands (each band is shared with probability Jaccard², so more bands means a closer text; ties
   * by rowid): a library of many similar short cards — a bulk import of one template — would
   * otherwise hand every check the whole library to score.
   */
  candidates(sig: Uint32Array, limit = Number.POSITIVE_INFINITY): Set<number> {
    const shared = new Map<number, number>();
    const hit = (o: number) => shared.set(o, (shared.get(o) ?? 0) + 1);
    lshBandKeys(sig).forEach((k, b) => {
      for (const r of this.bands[b]?.get(k) ?? []) hit(r);
      const f = this.frozen?.[b];
      if (!f) return;
      for (let i = lowerBound(f.keys, k); i < f.keys.length && f.keys[i] === k; i++) {
        const o = f.owners[i] as number;
        if (!this.dead.has(o)) hit(o);
      }
    });
    if (shared.size <= limit) return new Set(shared.keys());
    const ranked = [...shared].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    return new Set(ranked.slice(0, limit).map(([o]) => o));
  }

  /** Every live (band, key, owner) triple, sorted by key within each band. */
  toBuffer(): Buffer {
    const perBand: [number, number][][] = Array.from({ length: LSH_BANDS }, () => []);
    this.frozen?.forEach((f, b) => {
      for (let i = 0; i < f.keys.length; i++)
        if (!this.dead.has(f.owners[i] as number)) perBand[b]?.push([f.keys[i] as number, f.owners[i] as number]);
    });
    for (const [owner, keys] of this.keysOf) keys.forEach((k, b) => perBand[b]?.push([k, owner]));
    const total = perBand.reduce((n, l) => n + l.length, 0);
    const out = Buffer.alloc(4 + 4 * LSH_BANDS + total * 8);
    out.writeUInt32LE(MAGIC, 0);
    let o = 4 + 4 * LSH_BANDS;
    perBand.forEach((l, b) => {
      l.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      out.writeUInt32LE(l.length, 4 + 4 * b);
      for (const [k] of l) o = out.writeUInt32LE(k, o);
      for (const [, ow] of l) o = out.writeUInt32LE(ow, o);
    });
    return out;
  }

  static fromBuffer(buf: Uint8Array): LshIndex {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (b.byteLength < 4 + 4 * LSH_BANDS || b.readUInt32LE(0) !== MAGIC) throw new Error('not an LSH snapshot');
    const idx = new LshIndex();
    idx.frozen = [];
    let o = 4 + 4 * LSH_BANDS;
    for (let band = 0; band < LSH_BANDS; band++) {
      const n = b.readUInt32LE(4 + 4 * band);
      if (o + n * 8 > b.byteLength) throw new Error('truncated LSH snapshot');
      const keys = new Uint32Array(n);
      const owners = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = b.readUInt32LE(o + i * 4);
      for (let i = 0; i < n; i++) owners[i] = b.readUInt32LE(o + n * 4 + i * 4);
      o += n * 8;
      for (let i = 0; i < n; i++) idx.frozenOwners.add(owners[i] as number);
      idx.frozen.push({ keys, owners });
    }
    return idx;
  }
}
