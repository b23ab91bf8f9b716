/**
 * Word-level similarity that survives heavy deletion, insertion and sentence reordering: cosine of
 * BM25-idf-weighted word counts (stop words left out), with document frequencies kept current as
 * cards are added and removed (TermStats). Candidates are found through the postings of the
 * query's rarest terms, then re-scored exactly — never a scan of the library.
 */
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { PostingsTable } from './postings.ts';

/** The word-count part of a PassageFingerprint. */
export interface TermVector {
  terms: Uint32Array;
  counts: Uint16Array;
}

const STATS_MAGIC = 0x31535454; // "TTS1"
const INDEX_MAGIC = 0x31585954; // "TYX1"

/** Library-wide document frequencies. */
export class TermStats {
  docs = 0;
  readonly df = new Map<number, number>();

  add(terms: ArrayLike<number>): void {
    this.docs++;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as number;
      this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
  }

  remove(terms: ArrayLike<number>): void {
    this.docs = Math.max(0, this.docs - 1);
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as number;
      const n = (this.df.get(t) ?? 0) - 1;
      if (n > 0) this.df.set(t, n);
      else this.df.delete(t);
    }
  }

  /** BM25's idf, floored at a small positive value so terms in most cards still count a little. */
  idf(term: number): number {
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  toBuffer(): Buffer {
    const out = Buffer.alloc(8 + 8 * this.df.size);
    out.writeUInt32LE(STATS_MAGIC, 0);
    out.writeUInt32LE(this.docs, 4);
    let o = 8;
    for (const [t, n] of this.df) {
      out.writeUInt32LE(t, o);
      out.writeUInt32LE(n, o + 4);
      o += 8;
    }
    return out;
  }

  static fromBuffer(buf: Buffer): TermStats {
    if (buf.length < 8 || buf.readUInt32LE(0) !== STATS_MAGIC || (buf.length - 8) % 8 !== 0) throw new Error('TermStats: bad buffer');
    const s = new TermStats();
    s.docs = buf.readUInt32LE(4);
    for (let o = 8; o < buf.length; o += 8) s.df.set(buf.readUInt32LE(o), buf.readUInt32LE(o + 4));
    return s;
  }
}

/** Total content words of a vector. */
export function contentWords(v: TermVector): number {
  let n = 0;
  for (const c of v.counts) n += c;
  return n;
}

const weight = (tf: number, idf: number) => (1 + Math.log(tf)) * idf;

function norm(v: TermVector, stats: TermStats): number {
  let s = 0;
  for (let i = 0; i < v.terms.length; i++) s += weight(v.counts[i] as number, stats.idf(v.terms[i] as number)) ** 2;
  return Math.sqrt(s);
}

export interface TermSimilarity {
  /** Weighted cosine. */
  cosine: number;
  /**
   * Share of the shorter text's squared weight (fewer content words) found in the other: about 1
   * when one text is the other with words deleted, or with words inserted.
   */
  containment: number;
}

/** Weighted cosine and containment of two word-count vectors under the library's document frequencies. */
export function termSimilarity(a: TermVector, b: TermVector, stats: TermStats): TermSimilarity {
  let dot = 0;
  let sharedA = 0;
  let sharedB = 0;
  let i = 0;
  let j = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const x = a.terms[i] as number;
    const y = b.terms[j] as number;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      const idf = stats.idf(x);
      const wa = weight(a.counts[i] as number, idf);
      const wb = weight(b.counts[j] as number, idf);
      dot += wa * wb;
      sharedA += wa * wa;
      sharedB += wb * wb;
      i++;
      j++;
    }
  }
  const na = norm(a, stats);
  const nb = norm(b, stats);
  if (na === 0 || nb === 0) return { cosine: 0, containment: 0 };
  const aShorter = contentWords(a) <= contentWords(b);
  return { cosine: Math.min(1, dot / (na * nb)), containment: Math.min(1, aShorter ? sharedA / (na * na) : sharedB / (nb * nb)) };
}

/** Weighted cosine of two word-count vectors under the library's document frequencies. */
export function termCosine(a: TermVector, b: TermVector, stats: TermStats): number {
  return termSimilarity(a, b, stats).cosine;
}

export interface WordCandidate extends TermSimilarity {
  rowid: number;
}

export class TermIndex {
  constructor(readonly stats: TermStats = new TermStats()) {}
  private postings = new PostingsTable();
  private readonly docs = new Map<number, TermVector>();

  get size(): number {
    return this.docs.size;
  }

  /** Bulk build from stored fingerprints. */
  static build(items: Iterable<[number, TermVector]>): TermIndex {
    const idx = new TermIndex();
    let n = 0;
    for (const [rowid, v] of items) {
      if (idx.docs.has(rowid)) throw new Error(`TermIndex: duplicate rowid ${rowid}`);
      idx.docs.set(rowid, { terms: v.terms, counts: v.counts });
      n += v.terms.length;
    }
    const keys = new Uint32Array(n);
    const rows = new Uint32Array(n);
    const vals = new Uint32Array(n);
    let j = 0;
    for (const [rowid, v] of idx.docs) {
      keys.set(v.terms, j);
      vals.set(v.counts, j);
      rows.fill(rowid, j, j + v.terms.length);
      j += v.terms.length;
    }
    idx.postings = PostingsTable.build(keys, rows, vals);
    // Document frequencies from the sorted terms: one map write per distinct term.
    keys.sort();
    idx.stats.docs = idx.docs.size;
    for (let i = 0; i < n;) {
      let e = i + 1;
      while (e < n && keys[e] === keys[i]) e++;
      idx.stats.df.set(keys[i] as number, e - i);
      i = e;
    }
    return idx;
  }

  add(rowid: number, v: TermVector): void {
    if (this.docs.has(rowid)) this.remove(rowid);
    this.docs.set(rowid, { terms: v.terms, counts: v.counts });
    this.stats.add(v.terms);
    this.postings.add(rowid, v.terms, v.counts);
  }

  remove(rowid: number): boolean {
    const v = this.docs.get(rowid);
    if (!v) return false;
    this.docs.delete(rowid);
    this.stats.remove(v.terms);
    this.postings.remove(rowid, v.terms.length);
    return true;
  }

  vector(rowid: number): TermVector | undefined {
    return this.docs.get(rowid);
  }

  cosine(a: TermVector, b: TermVector): number {
    return termCosine(a, b, this.stats);
  }

  /**
   * Library cards with the highest weighted cosine to the query: the postings of its `probeTerms`
   * rarest terms give a partial dot product, the best `rescore` are scored exactly.
   */
  similar(
    q: TermVector,
    opts: { limit?: number; probeTerms?: number; rescore?: number; excludeRowid?: number; minCosine?: number } = {},
  ): WordCandidate[] {
    const pol = UNIQUENESS_POLICY.passage;
    // Terms in more than maxProbeDf cards add cost, not selectivity: probe them only when the
    // query has fewer than 3 rarer terms.
    const maxProbeDf = Math.max(100, 0.005 * this.stats.docs);
    const ranked = Array.from(q.terms.keys())
      .map((i) => ({ i, df: this.stats.df.get(q.terms[i] as number) ?? 0 }))
      .filter((x) => x.df > 0)
      .sort((a, b) => a.df - b.df);
    const rare = ranked.filter((x) => x.df <= maxProbeDf);
    const order = (rare.length >= 3 ? rare : ranked.slice(0, 3)).slice(0, opts.probeTerms ?? pol.probeTerms);
    const acc = new Map<number, number>();
    for (const { i } of order) {
      const t = q.terms[i] as number;
      const idf = this.stats.idf(t);
      const wq = weight(q.counts[i] as number, idf);
      this.postings.forEach(t, (row, tf) => {
        if (row !== opts.excludeRowid) acc.set(row, (acc.get(row) ?? 0) + wq * weight(tf, idf));
      });
    }
    const top = [...acc].sort((a, b) => b[1] - a[1]).slice(0, opts.rescore ?? pol.rescore);
    const out: WordCandidate[] = [];
    for (const [rowid] of top) {
      const v = this.docs.get(rowid);
      if (!v) continue;
      const sim = termSimilarity(q, v, this.stats);
      if (sim.cosine >= (opts.minCosine ?? 0)) out.push({ rowid, ...sim });
    }
    out.sort((a, b) => b.cosine - a.cosine || a.rowid - b.rowid);
    return out.slice(0, opts.limit ?? 20);
  }

  /**
   * The index as bytes (document frequencies, postings, every card's term vector in flat arrays),
   * so a library loads with array views instead of re-adding every card.
   */
  toBuffer(): Buffer {
    const stats = this.stats.toBuffer();
    const postings = this.postings.toBuffer();
    const n = this.docs.size;
    let total = 0;
    for (const v of this.docs.values()) total += v.terms.length;
    const head = Buffer.alloc(16);
    head.writeUInt32LE(INDEX_MAGIC, 0);
    head.writeUInt32LE(n, 4);
    head.writeUInt32LE(stats.length, 8);
    head.writeUInt32LE(postings.length, 12);
    const rows = new Uint32Array(n);
    const offsets = new Uint32Array(n + 1);
    const terms = new Uint32Array(total);
    const counts = new Uint16Array(total + (total % 2));
    let i = 0;
    let o = 0;
    for (const [rowid, v] of this.docs) {
      rows[i] = rowid;
      terms.set(v.terms, o);
      counts.set(v.counts, o);
      o += v.terms.length;
      offsets[++i] = o;
    }
    const b = (a: Uint32Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return Buffer.concat([head, stats, postings, b(rows), b(offsets), b(terms), b(counts)]);
  }

  static fromBuffer(buf: Buffer): TermIndex {
    if (buf.length < 16 || buf.readUInt32LE(0) !== INDEX_MAGIC) throw new Error('TermIndex: not a term index');
    const n = buf.readUInt32LE(4);
    const sl = buf.readUInt32LE(8);
    const pl = buf.readUInt32LE(12);
    const idx = new TermIndex(TermStats.fromBuffer(buf.subarray(16, 16 + sl)));
    idx.postings = PostingsTable.fromBuffer(buf.subarray(16 + sl, 16 + sl + pl));
    let o = 16 + sl + pl;
    const body = o % 4 === 0 && buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
    if (body.length < o + 8 * n + 4) throw new Error('TermIndex: truncated');
    const rows = new Uint32Array(body.buffer, body.byteOffset + o, n);
    const offsets = new Uint32Array(body.buffer, body.byteOffset + o + 4 * n, n + 1);
    o += 8 * n + 4;
    const total = offsets[n] as number;
    if (body.length !== o + 4 * total + 2 * (total + (total % 2))) throw new Error('TermIndex: bad size');
    const terms = new Uint32Array(body.buffer, body.byteOffset + o, total);
    const counts = new Uint16Array(body.buffer, body.byteOffset + o + 4 * total, total);
    for (let i = 0; i < n; i++) {
      const a = offsets[i] as number;
      const z = offsets[i + 1] as number;
      idx.docs.set(rows[i] as number, { terms: terms.subarray(a, z), counts: counts.subarray(a, z) });
    }
    return idx;
  }
}
