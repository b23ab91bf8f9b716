/**
 * LocalIndex: an inverted file from visual words to indexed images, for finding which library images
 * share parts with a query without touching every image. Works in both directions (the query is a
 * crop of a library image, or contains one): an image is ranked by how far the idf-weighted words it
 * shares with the query exceed what an image of its size shares with that query by chance (a
 * significance score, see scoreView). Words held by more than maxWordShare of the images carry no
 * evidence and are skipped. Mirrored queries score with their mirror view too; each image keeps its
 * better view.
 *
 * Postings hold the low 16 bits of each image's slot, in ascending slot order, cut into segments of
 * 65 536 slots (a word's segment ends are kept per word): half the memory of 32-bit slot numbers,
 * and a snapshot is the postings themselves, so loading one is a view of its bytes, not a build.
 *
 * Persistence (toBuffer/fromBuffer): "OLX2", u32 vocabulary words V, u32 images n, u32 segments S,
 * f64 rowids[n], u32 distinct words per image[n], u32 segment ends[V × (S − 1)], u32 postings per
 * word[V], then each word's postings (u16). "OLX1" snapshots (each image's distinct words) are still
 * read, with one counting pass (fromOlderFormat tells the owner to save the new layout).
 */
import type { LocalFeatureSet, LocalView } from './types.ts';

const MAGIC = 0x32584c4f; // "OLX2"
const MAGIC_V1 = 0x31584c4f; // "OLX1"
/** Slots per posting segment: a posting stores a slot's low 16 bits. */
const SEG_BITS = 16;
const SEG = 1 << SEG_BITS;
const EMPTY = new Uint16Array(0);

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
  /** Per word: the low 16 bits of the slots holding it, ascending (exact-size views until an add regrows one). */
  private postings: Uint16Array[];
  private lengths: Uint32Array;
  /** Slot segments in use (slot >>> 16 < segments); at least 1. */
  private segments = 1;
  /** Per word, the end of each of its segments but the last (whose end is its length): V × (segments − 1). */
  private ends: Uint32Array = new Uint32Array(0);
  private slotRowid: number[] = [];
  /** Distinct words per slot, 0 once removed (scoring reads this). */
  private slotCount = new Uint32Array(1024);
  private readonly slotOf = new Map<number, number>();
  private dead = 0;
  /** Distinct words over the live entries (for the expected chance share of an entry's size). */
  private totalWords = 0;
  private acc = new Float32Array(0);
  private hits = new Uint16Array(0);
  private touched = new Int32Array(0);
  /** Read from an "OLX1" snapshot: its owner should save this index again (in the current layout). */
  fromOlderFormat = false;

  constructor(private readonly opts: LocalIndexOptions) {
    this.postings = new Array<Uint16Array>(opts.words).fill(EMPTY);
    this.lengths = new Uint32Array(opts.words);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(rowid: number): boolean {
    return this.slotOf.has(rowid);
  }

  add(rowid: number, set: LocalFeatureSet): void {
    const words = distinct(set.primary.words);
    // Checked before anything is added: a refused entry leaves the index as it was.
    for (const w of words) if (w >= this.opts.words) throw new Error(`visual word ${w} outside the vocabulary`);
    if (this.slotOf.has(rowid)) this.remove(rowid);
    const slot = this.slotRowid.length;
    if (slot >>> SEG_BITS >= this.segments) this.growSegments((slot >>> SEG_BITS) + 1);
    const low = slot & (SEG - 1);
    for (const w of words) this.push(w, low);
    this.slotRowid.push(rowid);
    this.setCount(slot, words.length);
    this.totalWords += words.length;
    this.slotOf.set(rowid, slot);
  }

  /** A new slot segment: every word's current length ends its previous last segment. */
  private growSegments(segments: number): void {
    const V = this.opts.words;
    const was = this.segments - 1;
    const now = segments - 1;
    const ends = new Uint32Array(V * now);
    for (let w = 0; w < V; w++) {
      for (let h = 0; h < was; h++) ends[w * now + h] = this.ends[w * was + h] as number;
      for (let h = was; h < now; h++) ends[w * now + h] = this.lengths[w] as number;
    }
    this.ends = ends;
    this.segments = segments;
  }

  private setCount(slot: number, n: number): void {
    if (slot >= this.slotCount.length) {
      const grown = new Uint32Array(Math.max(slot + 1, this.slotCount.length * 2));
      grown.set(this.slotCount);
      this.slotCount = grown;
    }
    this.slotCount[slot] = n;
  }

  private push(w: number, low: number): void {
    let p = this.postings[w] as Uint16Array;
    const n = this.lengths[w] as number;
    if (n === p.length) {
      // A fresh array (never a write past a view's end, which is the next word's list or a snapshot's bytes).
      const grown = new Uint16Array(Math.max(8, p.length * 2));
      grown.set(p);
      this.postings[w] = p = grown;
    }
    p[n] = low;
    this.lengths[w] = n + 1;
  }

  /** Removes an image; its postings are dropped lazily (compaction once a fifth of slots are dead). */
  remove(rowid: number): boolean {
    const slot = this.slotOf.get(rowid);
    if (slot === undefined) return false;
    this.slotOf.delete(rowid);
    this.totalWords -= this.slotCount[slot] as number;
    this.slotCount[slot] = 0;
    this.dead++;
    if (this.dead > 64 && this.dead * 5 > this.slotRowid.length) this.compact();
    return true;
  }

  /**
   * Drops the removed slots and renumbers the live ones in their order (so answers, ties included,
   * stay the same): one pass over the postings into one flat array cut into exact-size views.
   */
  private compact(): void {
    const n = this.slotRowid.length;
    const V = this.opts.words;
    const renum = new Int32Array(n).fill(-1);
    const rowids: number[] = [];
    const counts = new Uint32Array(Math.max(1024, this.slotOf.size));
    for (const [rowid, s] of [...this.slotOf.entries()].sort((a, b) => a[1] - b[1])) {
      counts[rowids.length] = this.slotCount[s] as number;
      renum[s] = rowids.length;
      rowids.push(rowid);
    }
    const m = rowids.length;
    const segments = Math.max(1, Math.ceil(m / SEG));
    const flat = new Uint16Array(this.totalWords);
    const lengths = new Uint32Array(V);
    const ends = new Uint32Array(V * (segments - 1));
    const postings = new Array<Uint16Array>(V);
    let o = 0;
    for (let w = 0; w < V; w++) {
      const start = o;
      let seg = 0;
      this.forEachSlot(w, (s) => {
        const t = renum[s] as number;
        if (t < 0) return;
        while (t >>> SEG_BITS > seg) ends[w * (segments - 1) + seg++] = o - start;
        flat[o++] = t & (SEG - 1);
      });
      while (seg < segments - 1) ends[w * (segments - 1) + seg++] = o - start;
      lengths[w] = o - start;
      postings[w] = flat.subarray(start, o);
    }
    this.postings = postings;
    this.lengths = lengths;
    this.ends = ends;
    this.segments = segments;
    this.slotRowid = rowids;
    this.slotCount = counts;
    this.slotOf.clear();
    rowids.forEach((r, s) => this.slotOf.set(r, s));
    this.dead = 0;
  }

  /** Calls `f` with every slot in word w's postings, ascending (removed slots included). */
  private forEachSlot(w: number, f: (slot: number) => void): void {
    const p = this.postings[w] as Uint16Array;
    const n = this.lengths[w] as number;
    const S = this.segments;
    let i = 0;
    for (let h = 0; h < S; h++) {
      const end = h < S - 1 ? (this.ends[w * (S - 1) + h] as number) : n;
      const base = h * SEG;
      for (; i < end; i++) f(base + (p[i] as number));
    }
  }

  /** The k best images for a query (both of its views), most significant first. */
  candidates(query: LocalFeatureSet, k: number): Candidate[] {
    if (k <= 0) return [];
    const views = query.mirror ? [query.primary, query.mirror] : [query.primary];
    // A query whose backdrop was whitened is also ranked by the whitened frame's words alone: a
    // textured backdrop gives the plain frame hundreds of words that no library drawing holds, and
    // against those its own drawing's few stand out less than chance among a large library's.
    for (const v of [...views]) {
      const end = v.sharp ?? v.words.length;
      if (v.flat !== undefined && v.flat < end) views.push({ ...v, words: v.words.subarray(v.flat, end) });
    }
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
    const S = this.segments;
    const ends = this.ends;
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
      const p = this.postings[w] as Uint16Array;
      let i = 0;
      for (let seg = 0; seg < S; seg++) {
        const end = seg < S - 1 ? (ends[w * (S - 1) + seg] as number) : n;
        const base = seg * SEG;
        for (; i < end; i++) {
          const s = base + (p[i] as number);
          const h = hits[s] as number;
          if (h === 0) touched[nTouched++] = s;
          acc[s] = (acc[s] as number) + idf;
          hits[s] = h + 1;
        }
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

  /** The snapshot ("OLX2", see the file's comment); removed slots are compacted away first. */
  toBuffer(): Buffer {
    if (this.dead > 0) this.compact();
    const V = this.opts.words;
    const n = this.slotRowid.length;
    const S = this.segments;
    const total = this.lengths.reduce((a, b) => a + b, 0);
    const head = 16 + n * 12 + V * (S - 1) * 4 + V * 4;
    const buf = Buffer.alloc(head + total * 2);
    buf.writeUInt32LE(MAGIC, 0);
    buf.writeUInt32LE(V, 4);
    buf.writeUInt32LE(n, 8);
    buf.writeUInt32LE(S, 12);
    let o = 16;
    for (const rowid of this.slotRowid) o = buf.writeDoubleLE(rowid, o);
    for (let s = 0; s < n; s++) o = buf.writeUInt32LE(this.slotCount[s] as number, o);
    for (const e of this.ends) o = buf.writeUInt32LE(e, o);
    for (const l of this.lengths) o = buf.writeUInt32LE(l, o);
    for (let w = 0; w < V; w++) {
      const p = (this.postings[w] as Uint16Array).subarray(0, this.lengths[w] as number);
      o += Buffer.from(p.buffer, p.byteOffset, p.byteLength).copy(buf, o);
    }
    return buf;
  }

  /**
   * Reads a snapshot. The postings are viewed in place (nothing built, nothing copied) when the
   * buffer lets them be read as 16-bit words, else from an aligned copy; later adds never write into
   * the buffer (a list that grows is copied first). Throws on a damaged or truncated snapshot.
   */
  static fromBuffer(data: Uint8Array, opts: Omit<LocalIndexOptions, 'words'>): LocalIndex {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const magic = buf.length >= 12 ? buf.readUInt32LE(0) : 0;
    if (magic === MAGIC_V1) return LocalIndex.fromOlderBuffer(buf, opts);
    if (buf.length < 16 || magic !== MAGIC) throw new Error('not a local index buffer');
    const V = buf.readUInt32LE(4);
    const n = buf.readUInt32LE(8);
    const S = buf.readUInt32LE(12);
    if (S !== Math.max(1, Math.ceil(n / SEG))) throw new Error('local index buffer has the wrong number of segments');
    const head = 16 + n * 12 + V * (S - 1) * 4 + V * 4;
    if (buf.length < head) throw new Error('local index buffer truncated');
    const { rowids, counts, total } = readSlots(buf, 16, n);
    let o = 16 + n * 12;
    const ends = new Uint32Array(V * (S - 1));
    for (let i = 0; i < ends.length; i++, o += 4) ends[i] = buf.readUInt32LE(o);
    const lengths = new Uint32Array(V);
    let postingsTotal = 0;
    for (let w = 0; w < V; w++, o += 4) postingsTotal += lengths[w] = buf.readUInt32LE(o);
    if (postingsTotal !== total || buf.length !== head + total * 2) throw new Error('local index buffer has the wrong size');
    const all = u16At(buf, head, total);
    // Only the last segment can name a slot past the end; segment ends must rise within each list.
    const lastLimit = n - (S - 1) * SEG;
    const postings = new Array<Uint16Array>(V);
    let start = 0;
    for (let w = 0; w < V; w++) {
      const len = lengths[w] as number;
      let prev = 0;
      for (let h = 0; h < S - 1; h++) {
        const e = ends[w * (S - 1) + h] as number;
        if (e < prev || e > len) throw new Error('local index buffer has a damaged segment table');
        prev = e;
      }
      for (let i = start + prev; i < start + len; i++)
        if ((all[i] as number) >= lastLimit) throw new Error('local index buffer names a slot past its images');
      postings[w] = all.subarray(start, start + len);
      start += len;
    }
    return LocalIndex.assembled({ ...opts, words: V }, { postings, lengths, ends, segments: S, rowids, counts, total });
  }

  /** An index over postings already laid out (both snapshot readers). */
  private static assembled(
    opts: LocalIndexOptions,
    p: {
      postings: Uint16Array[];
      lengths: Uint32Array;
      ends: Uint32Array;
      segments: number;
      rowids: Float64Array;
      counts: Uint32Array;
      total: number;
    },
  ): LocalIndex {
    const index = new LocalIndex(opts);
    index.postings = p.postings;
    index.lengths = p.lengths;
    index.ends = p.ends;
    index.segments = p.segments;
    index.slotRowid = Array.from(p.rowids);
    p.rowids.forEach((rowid, s) => index.slotOf.set(rowid, s));
    index.slotCount = new Uint32Array(Math.max(1024, p.rowids.length));
    index.slotCount.set(p.counts);
    index.totalWords = p.total;
    return index;
  }

  /** An "OLX1" snapshot (each image's distinct words, u16): postings built with one counting pass. */
  private static fromOlderBuffer(buf: Buffer, opts: Omit<LocalIndexOptions, 'words'>): LocalIndex {
    const V = buf.readUInt32LE(4);
    const n = buf.readUInt32LE(8);
    if (buf.length < 12 + n * 12) throw new Error('local index buffer truncated');
    const { rowids, counts, total } = readSlots(buf, 12, n);
    const o = 12 + n * 12;
    if (buf.length !== o + total * 2) throw new Error('local index buffer has the wrong size');
    const all = u16At(buf, o, total);
    // Counting pass (postings per word and segment), then one fill pass into exact-size lists.
    const S = Math.max(1, Math.ceil(n / SEG));
    const perSeg = new Uint32Array(V * S);
    let start = 0;
    for (let s = 0; s < n; s++) {
      const end = start + (counts[s] as number);
      const h = s >>> SEG_BITS;
      for (let i = start; i < end; i++) {
        const w = all[i] as number;
        if (w >= V) throw new Error('local index buffer names a word outside the vocabulary');
        perSeg[w * S + h] = (perSeg[w * S + h] as number) + 1;
      }
      start = end;
    }
    const lengths = new Uint32Array(V);
    const ends = new Uint32Array(V * (S - 1));
    const cursor = new Uint32Array(V);
    let offset = 0;
    for (let w = 0; w < V; w++) {
      let len = 0;
      for (let h = 0; h < S; h++) {
        len += perSeg[w * S + h] as number;
        if (h < S - 1) ends[w * (S - 1) + h] = len;
      }
      lengths[w] = len;
      cursor[w] = offset;
      offset += len;
    }
    const flat = new Uint16Array(total);
    const postings = new Array<Uint16Array>(V);
    for (let w = 0; w < V; w++) postings[w] = flat.subarray(cursor[w] as number, (cursor[w] as number) + (lengths[w] as number));
    start = 0;
    for (let s = 0; s < n; s++) {
      const end = start + (counts[s] as number);
      const low = s & (SEG - 1);
      for (let i = start; i < end; i++) {
        const w = all[i] as number;
        flat[cursor[w] as number] = low;
        cursor[w] = (cursor[w] as number) + 1;
      }
      start = end;
    }
    const index = LocalIndex.assembled(
      { ...opts, words: V },
      {
        postings,
        lengths,
        ends,
        segments: S,
        rowids,
        counts,
        total,
      },
    );
    index.fromOlderFormat = true;
    return index;
  }
}

/** The images' rowids (f64) and distinct-word counts (u32) of a snapshot, read from byte `o` on. */
function readSlots(buf: Buffer, o: number, n: number): { rowids: Float64Array; counts: Uint32Array; total: number } {
  const rowids = new Float64Array(n);
  for (let i = 0; i < n; i++, o += 8) rowids[i] = buf.readDoubleLE(o);
  const counts = new Uint32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++, o += 4) total += counts[i] = buf.readUInt32LE(o);
  return { rowids, counts, total };
}

/**
 * `count` 16-bit words at byte `o` of a snapshot: viewed in place when aligned (nothing copied; the
 * index never writes into them), else from an aligned copy.
 */
function u16At(buf: Buffer, o: number, count: number): Uint16Array {
  const at = buf.byteOffset + o;
  return at % 2 === 0 ? new Uint16Array(buf.buffer, at, count) : new Uint16Array(buf.buffer.slice(at, at + count * 2));
}
