/**
 * PassageIndex: finds library cards that share passages with a query card, in both directions (a
 * passage of a library card inside a longer query, or a passage of the query inside a longer
 * library card), from winnowed word k-gram hashes. A hash held by more cards than the
 * document-frequency cap is boilerplate ("roll a d20 and add …") and is ignored.
 *
 * Candidates come with the number of shared hashes and an estimate of the shared words: each
 * shared hash covers its k words, and shared hashes at most one window apart are counted as one
 * run (winnowing keeps at least one hash per window of a shared run). Confirm with sharedPassages.
 */
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { pushAt } from '../multimap.ts';
import { PostingsTable } from './postings.ts';
import { DEFAULT_PASSAGE_PARAMS, type PassageFingerprint, type PassageParams } from './winnow.ts';

export interface PassageCandidate {
  rowid: number;
  /** Kept hashes the two cards share (after the df cap). */
  shared: number;
  /** Estimated words in shared passages. */
  sharedWords: number;
  /** sharedWords / words of the query. */
  queryCoverage: number;
  /** sharedWords / words of the library card. */
  matchCoverage: number;
}

export interface DfCap {
  /** A hash in more cards than max(min, fraction × cards) is ignored. */
  min: number;
  fraction: number;
}

const MAGIC = 0x31584950; // "PIX1"

/** Estimated words covered by hashes at sorted positions: runs of k-grams at most `window` apart. */
export function coveredWords(sorted: number[], params: PassageParams): number {
  let total = 0;
  let runStart = -1;
  let runEnd = -1;
  let prev = -Infinity;
  for (const p of sorted) {
    if (p - prev > params.window) {
      total += runEnd - runStart;
      runStart = p;
    }
    runEnd = p + params.k;
    prev = p;
  }
  return total + runEnd - runStart;
}

export class PassageIndex {
  private table = new PostingsTable();
  /** rowid → [words, kept hashes]. */
  private readonly docs = new Map<number, [number, number]>();

  constructor(
    readonly params: PassageParams = DEFAULT_PASSAGE_PARAMS,
    readonly dfCap: DfCap = UNIQUENESS_POLICY.passage.dfCap,
  ) {}

  get size(): number {
    return this.docs.size;
  }

  has(rowid: number): boolean {
    return this.docs.has(rowid);
  }

  /** Bulk build (much faster than add() one by one). */
  static build(items: Iterable<[number, PassageFingerprint]>, params?: PassageParams, dfCap?: DfCap): PassageIndex {
    const idx = new PassageIndex(params, dfCap);
    const list: [number, PassageFingerprint][] = [];
    let n = 0;
    for (const [rowid, fp] of items) {
      if (idx.docs.has(rowid)) throw new Error(`PassageIndex: duplicate rowid ${rowid}`);
      idx.docs.set(rowid, [fp.words, fp.hashes.length]);
      list.push([rowid, fp]);
      n += fp.hashes.length;
    }
    const keys = new Uint32Array(n);
    const rows = new Uint32Array(n);
    const vals = new Uint32Array(n);
    let j = 0;
    for (const [rowid, fp] of list) {
      keys.set(fp.hashes, j);
      vals.set(fp.positions, j);
      rows.fill(rowid, j, j + fp.hashes.length);
      j += fp.hashes.length;
    }
    idx.table = PostingsTable.build(keys, rows, vals);
    return idx;
  }

  add(rowid: number, fp: PassageFingerprint): void {
    if (this.docs.has(rowid)) this.remove(rowid);
    this.docs.set(rowid, [fp.words, fp.hashes.length]);
    this.table.add(rowid, fp.hashes, fp.positions);
  }

  remove(rowid: number): boolean {
    const d = this.docs.get(rowid);
    if (!d) return false;
    this.docs.delete(rowid);
    this.table.remove(rowid, d[1]);
    return true;
  }

  /** Postings above this count are boilerplate. */
  cap(): number {
    return Math.max(this.dfCap.min, Math.floor(this.dfCap.fraction * this.docs.size));
  }

  /** Library cards sharing passages with the query, most shared words first. */
  candidates(query: PassageFingerprint, opts: { limit?: number; excludeRowid?: number } = {}): PassageCandidate[] {
    const cap = this.cap();
    const hits = new Map<number, number[]>();
    for (let i = 0; i < query.hashes.length; i++) {
      const h = query.hashes[i] as number;
      if (this.table.count(h) > cap) continue;
      const qp = query.positions[i] as number;
      this.table.forEach(h, (row) => {
        if (row === opts.excludeRowid) return;
        pushAt(hits, row, qp);
      });
    }
    const out: PassageCandidate[] = [];
    for (const [rowid, qps] of hits) {
      qps.sort((a, b) => a - b);
      const words = Math.min(coveredWords(qps, this.params), query.words);
      const mWords = this.docs.get(rowid)?.[0] ?? words;
      out.push({
        rowid,
        shared: qps.length,
        sharedWords: words,
        queryCoverage: query.words ? words / query.words : 0,
        matchCoverage: mWords ? Math.min(1, words / mWords) : 0,
      });
    }
    out.sort((a, b) => b.sharedWords - a.sharedWords || b.shared - a.shared || a.rowid - b.rowid);
    return out.slice(0, opts.limit ?? 50);
  }

  /** The index as bytes: parameters, per-card word counts and the postings table. */
  toBuffer(): Buffer {
    const table = this.table.toBuffer();
    const head = Buffer.alloc(24 + 12 * this.docs.size);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(this.params.k, 4);
    head.writeUInt32LE(this.params.window, 8);
    head.writeUInt32LE(this.docs.size, 12);
    head.writeFloatLE(this.dfCap.fraction, 16);
    head.writeUInt32LE(this.dfCap.min, 20);
    let o = 24;
    for (const [rowid, [words, n]] of this.docs) {
      head.writeUInt32LE(rowid, o);
      head.writeUInt32LE(words, o + 4);
      head.writeUInt32LE(n, o + 8);
      o += 12;
    }
    return Buffer.concat([head, table]);
  }

  static fromBuffer(buf: Buffer): PassageIndex {
    if (buf.length < 24 || buf.readUInt32LE(0) !== MAGIC) throw new Error('PassageIndex: not a passage index');
    const params = { k: buf.readUInt32LE(4), window: buf.readUInt32LE(8) };
    const n = buf.readUInt32LE(12);
    const dfCap = { fraction: buf.readFloatLE(16), min: buf.readUInt32LE(20) };
    if (buf.length < 24 + 12 * n) throw new Error('PassageIndex: truncated');
    const idx = new PassageIndex(params, dfCap);
    for (let i = 0, o = 24; i < n; i++, o += 12) idx.docs.set(buf.readUInt32LE(o), [buf.readUInt32LE(o + 4), buf.readUInt32LE(o + 8)]);
    idx.table = PostingsTable.fromBuffer(buf.subarray(24 + 12 * n));
    return idx;
  }
}
