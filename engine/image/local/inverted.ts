/**
 * LocalIndex: an inverted file from visual words to indexed images, for finding which library images
 * share parts with a query without touching every image. Works in both directions (the query is a
 * crop of a library image, or contains one): an image is ranked by how far the idf-weighted words it
 * shares with the query exceed what an image of its size shares with that query by chance (a
 * significance score, see scoreView). Words held by more than maxWordShare of the images carry no
 * evidence and are skipped. Mirrored queries score with their mirror view too; each image keeps its
 * better view.
 *
 * Persistence (toBuffer/fromBuffer): "OLX1", u32 words, u32 images, f64 rowids, u32 word counts,
 * then each image's distinct words (u16); postings are rebuilt with one counting pass on load.
 */
import type { LocalFeatureSet, LocalView } from './types.ts';

const MAGIC = 0x31584c4f; // "OLX1"

export interface Candidate {
  rowid: number;
  /** Significance of the shared words (standard deviations above chance for the image's size; better view). */
  score: number;
  /** Distinct words shared with the query (better view). */
  shared: number;
}

export interface LocalIndexOptions {
  /** Number of visual words of the vocabulary. */
  words: number;
  maxWordShare: number;
  /**
   * A word held by at most this many entries is never skipped, whatever the share (default 2). An
   * index of video keyframes sets it above the keyframes of two videos: in a small library one
   * video's keyframes alone would otherwise make its own words look common.
   */
  minDf?: number;
  /** Postings read per query view at most (rarest words first). */
  postingBudget: number;
  /**
   * Entries with fewer distinct words than this are never candidates (default 0: all are). Set to
   * the fewest words verification can accept (`minVerifiableWords`): an entry below it is refused by
   * verify() whatever it shares, so it would only take a place on the shortlist.
   */
  minWords?: number;
}

/**
 * The fewest distinct visual words a library image needs for verification to accept anything on
 * it: information is the smallest of its measures, effective words ≤ distinct words, and below
 * `infoFloor` nothing is verified (verify.ts), so fewer than infoFloor × infoFull.effectiveWords
 * distinct words can never pass.
 */
export function minVerifiableWords(policy: { infoFloor: number; infoFull: { effectiveWords: number } }): number {
  return Math.ceil(policy.infoFloor * policy.infoFull.effectiveWords);
}

function distinct(words: Uint32Array): Uint32Array {
  return Uint32Array.from(new Set(words)).sort();
}

export class LocalIndex {
  private postings: Uint32Array[];
  private lengths: Uint32Array;
  private slotRowid: number[] = [];
  private slotWords: (Uint16Array | null)[] = [];
  /** Distinct words per slot, 0 once removed (scoring reads this, not the word lists). */
  private slotCount = new Uint32Array(1024);
  private readonly slotOf = new Map<number, number>();
  private dead = 0;
  /** Distinct words over the live entries (for the expected chance share of an entry's size). */
  private totalWords = 0;
  private acc = new Float32Array(0);
  private hits = new Uint16Array(0);
  private touched = new Int32Array(0);

  constructor(private readonly opts: LocalIndexOptions) {
    this.postings = Array.from({ length: opts.words }, () => new Uint32Array(0));
    this.lengths = new Uint32Array(opts.words);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(rowid: number): boolean {
    return this.slotOf.has(rowid);
  }

  add(rowid: number, set: LocalFeatureSet): void {
    this.addWords(rowid, distinct(set.primary.words));
  }

  private addWords(rowid: number, words: Uint32Array | Uint16Array): void {
    // Checked before anything is added: a refused entry leaves the index as it was.
    for (const w of words) if (w >= this.opts.words) throw new Error(`visual word ${w} outside the vocabulary`);
    if (this.slotOf.has(rowid)) this.remove(rowid);
    const slot = this.slotRowid.length;
    const own = new Uint16Array(words.length);
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as number;
      own[i] = w;
      this.push(w, slot);
    }
    this.slotRowid.push(rowid);
    this.slotWords.push(own);
    this.setCount(slot, own.length);
    this.totalWords += own.length;
    this.slotOf.set(rowid, slot);
  }

  private setCount(slot: number, n: number): void {
    if (slot >= this.slotCount.length) {
      const grown = new Uint32Array(Math.max(slot + 1, this.slotCount.length * 2));
      grown.set(this.slotCount);
      this.slotCount = grown;
    }
    this.slotCount[slot] = n;
  }

  private push(w: number, slot: number): void {
    let p = this.postings[w] as Uint32Array;
    const n = this.lengths[w] as number;
    if (n === p.length) {
      const grown = new Uint32Array(Math.max(8, p.length * 2));
      grown.set(p);
      this.postings[w] = p = grown;
    }
    p[n] = slot;
    this.lengths[w] = n + 1;
  }

  /** Removes an image; its postings are dropped lazily (compaction once a fifth of slots are dead). */
  remove(rowid: number): boolean {
    const slot = this.slotOf.get(rowid);
    if (slot === undefined) return false;
    this.slotOf.delete(rowid);
    this.slotWords[slot] = null;
    this.totalWords -= this.slotCount[slot] as number;
    this.slotCount[slot] = 0;
    this.dead++;
    if (this.dead > 64 && this.dead * 5 > this.slotRowid.length) this.compact();
    return true;
  }

  private compact(): void {
    const live = [...this.slotOf.entries()].sort((a, b) => a[1] - b[1]);
    const words = live.map(([, s]) => this.slotWords[s] as Uint16Array);
    this.reset();
    live.forEach(([rowid], i) => this.addWords(rowid, words[i] as Uint16Array));
  }

  private reset(): void {
    this.postings = Array.from({ length: this.opts.words }, () => new Uint32Array(0));
    this.lengths = new Uint32Array(this.opts.words);
    this.slotRowid = [];
    this.slotWords = [];
    this.slotCount = new Uint32Array(1024);
    this.totalWords = 0;
    this.slotOf.clear();
    this.dead = 0;
  }

  /** The k best images for a query (both of its views), most significant first. */
  candidates(query: LocalFeatureSet, k: number): Candidate[] {
    if (k <= 0) return [];
    const views = query.mirror ? [query.primary, query.mirror] : [query.primary];
    const best = new Map<number, Candidate>();
    for (const v of views) {
      for (const c of this.scoreView(v, k)) {
        const prev = best.get(c.rowid);
        if (!prev || prev.score < c.score) best.set(c.rowid, c);
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.rowid - b.rowid).slice(0, k);
  }

  /**
   * One view's k best images. An image of m distinct words (the library's mean m̄) holds a query
   * word w of document frequency df_w by chance with probability about (m / m̄) · df_w / N, so the
   * idf mass it shares with the query by chance has mean (m / m̄) · S1 and variance about
   * (m / m̄) · S2, with S1 = Σ idf·df/N and S2 = Σ idf²·df/N over the query words read. The score is
   * the shared idf mass in standard deviations above that mean: a large image must share many
   * words, a small one few — where dividing the shared mass by the smaller word count let small
   * images sharing a few rare words by chance fill the list of a large library (README, "Ranking by
   * significance").
   */
  private scoreView(view: LocalView, k: number): Candidate[] {
    const slots = this.slotRowid.length;
    const live = this.slotOf.size;
    if (!live || !view.words.length) return [];
    if (this.acc.length < slots) {
      const n = Math.max(slots, this.acc.length * 2);
      this.acc = new Float32Array(n);
      this.hits = new Uint16Array(n);
      this.touched = new Int32Array(n);
    }
    const acc = this.acc;
    const hits = this.hits;
    const touched = this.touched;
    let nTouched = 0;
    const qWords = distinct(view.words);
    const maxDf = Math.max(this.opts.minDf ?? 2, this.opts.maxWordShare * live);
    // Rarest words first (they carry the most evidence), until the posting budget is spent: the
    // cost of a query stays bounded however large the library grows.
    const lengths = this.lengths;
    const order = Array.from(qWords).filter((w) => {
      const n = lengths[w] as number;
      return n > 0 && n <= maxDf;
    });
    order.sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
    let budget = this.opts.postingBudget;
    let s1 = 0;
    let s2 = 0;
    for (const w of order) {
      const n = lengths[w] as number;
      if (n > budget) break;
      budget -= n;
      const idf = Math.log((live + 1) / n);
      s1 += (idf * n) / live;
      s2 += (idf * idf * n) / live;
      const p = this.postings[w] as Uint32Array;
      for (let i = 0; i < n; i++) {
        const s = p[i] as number;
        const h = hits[s] as number;
        if (h === 0) touched[nTouched++] = s;
        acc[s] = (acc[s] as number) + idf;
        hits[s] = h + 1;
      }
    }
    // Scores and a running top k (ties keep the earlier slot in touched order, as the final stable
    // sort does). Only typed arrays are read per touched slot.
    const counts = this.slotCount;
    const minWords = this.opts.minWords ?? 0;
    const meanWords = Math.max(1, this.totalWords / live);
    const top: Candidate[] = [];
    let floor = -Infinity;
    for (let t = 0; t < nTouched; t++) {
      const s = touched[t] as number;
      const raw = acc[s] as number;
      const shared = hits[s] as number;
      acc[s] = 0;
      hits[s] = 0;
      const words = counts[s] as number;
      if (words === 0 || words < minWords) continue;
      const f = words / meanWords;
      const score = (raw - f * s1) / Math.sqrt(Math.max(1e-9, f * s2));
      if (top.length >= k && score <= floor) continue;
      top.push({ rowid: this.slotRowid[s] as number, score, shared });
      if (top.length > k * 4) {
        top.sort((a, b) => b.score - a.score);
        top.length = k;
        floor = (top[k - 1] as Candidate).score;
      }
    }
    return top.sort((a, b) => b.score - a.score).slice(0, k);
  }

  toBuffer(): Buffer {
    const live = [...this.slotOf.entries()].sort((a, b) => a[1] - b[1]);
    const total = live.reduce((a, [, s]) => a + (this.slotWords[s] as Uint16Array).length, 0);
    const buf = Buffer.alloc(12 + live.length * 12 + total * 2);
    buf.writeUInt32LE(MAGIC, 0);
    buf.writeUInt32LE(this.opts.words, 4);
    buf.writeUInt32LE(live.length, 8);
    let o = 12;
    for (const [rowid] of live) o = buf.writeDoubleLE(rowid, o);
    for (const [, s] of live) o = buf.writeUInt32LE((this.slotWords[s] as Uint16Array).length, o);
    for (const [, s] of live) {
      const w = this.slotWords[s] as Uint16Array;
      o += Buffer.from(w.buffer, w.byteOffset, w.byteLength).copy(buf, o);
    }
    return buf;
  }

  static fromBuffer(data: Uint8Array, opts: Omit<LocalIndexOptions, 'words'>): LocalIndex {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (buf.length < 12 || buf.readUInt32LE(0) !== MAGIC) throw new Error('not a local index buffer');
    const vocabWords = buf.readUInt32LE(4);
    const n = buf.readUInt32LE(8);
    const index = new LocalIndex({ ...opts, words: vocabWords });
    let o = 12;
    if (buf.length < o + n * 12) throw new Error('local index buffer truncated');
    const rowids = new Float64Array(n);
    for (let i = 0; i < n; i++, o += 8) rowids[i] = buf.readDoubleLE(o);
    const counts = new Uint32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++, o += 4) total += counts[i] = buf.readUInt32LE(o);
    if (buf.length !== o + total * 2) throw new Error('local index buffer has the wrong size');
    // The entries' words are read in place (no copy of the largest part of the snapshot) when the
    // buffer lets them be viewed as 16-bit words, else from an aligned copy; the entries keep views of it.
    const at = buf.byteOffset + o;
    const all = at % 2 === 0 ? new Uint16Array(buf.buffer, at, total) : new Uint16Array(buf.buffer.slice(at, at + total * 2));
    // Counting pass: exact-size postings, then one fill pass.
    const df = new Uint32Array(vocabWords);
    for (let i = 0; i < total; i++) {
      const w = all[i] as number;
      if (w >= vocabWords) throw new Error('local index buffer names a word outside the vocabulary');
      df[w] = (df[w] as number) + 1;
    }
    // One flat array cut into per-word views (exact size; a later add() regrows a list on its own).
    const flat = new Uint32Array(total);
    const offset = new Uint32Array(vocabWords + 1);
    for (let w = 0; w < vocabWords; w++) offset[w + 1] = (offset[w] as number) + (df[w] as number);
    const fill = offset.slice(0, vocabWords);
    let start = 0;
    for (let s = 0; s < n; s++) {
      const end = start + (counts[s] as number);
      for (let i = start; i < end; i++) {
        const w = all[i] as number;
        flat[fill[w] as number] = s;
        fill[w] = (fill[w] as number) + 1;
      }
      start = end;
    }
    index.postings = Array.from({ length: vocabWords }, (_, w) => flat.subarray(offset[w] as number, offset[w + 1] as number));
    index.lengths = df;
    start = 0;
    const slotWords: Uint16Array[] = new Array(n);
    for (let s = 0; s < n; s++) {
      const c = counts[s] as number;
      slotWords[s] = all.subarray(start, start + c);
      start += c;
      index.slotOf.set(rowids[s] as number, s);
    }
    index.slotRowid = Array.from(rowids);
    index.slotWords = slotWords;
    index.slotCount = new Uint32Array(Math.max(1024, n));
    index.slotCount.set(counts);
    index.totalWords = total;
    return index;
  }
}
