/**
 * Locality-sensitive hashing of MinHash signatures: 16 bands of 2 rows, so pairs with Jaccard
 * around 0.3 and above usually share a band. Used for whole-text and module-code candidates.
 */
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

export class LshIndex {
  private readonly bands: Map<number, number[]>[] = Array.from({ length: LSH_BANDS }, () => new Map());
  add(rowid: number, sig: Uint32Array): void {
    lshBandKeys(sig).forEach((k, b) => {
      const m = this.bands[b] as Map<number, number[]>;
      const l = m.get(k);
      if (l) l.push(rowid);
      else m.set(k, [rowid]);
    });
  }
  remove(rowid: number, sig: Uint32Array): void {
    lshBandKeys(sig).forEach((k, b) => {
      const l = this.bands[b]?.get(k);
      if (!l) return;
      const i = l.indexOf(rowid);
      if (i >= 0) l.splice(i, 1);
    });
  }
  candidates(sig: Uint32Array): Set<number> {
    const out = new Set<number>();
    lshBandKeys(sig).forEach((k, b) => {
      for (const r of this.bands[b]?.get(k) ?? []) out.add(r);
    });
    return out;
  }
}
