/**
 * The passage layer as one unit for the engine: both indexes (winnowed passages, word cosine) kept
 * in step, one persisted blob for both, candidate retrieval that merges them, and the verdict for
 * one library card (aligned passages, copy signals by the policy, a plain-words summary).
 *
 * Flow for a check: fp = passageFingerprint(card); layer.candidates(fp) → rowids; for each, load the
 * library card and call passageVerdict(card, fp, libraryCard, libraryFp, candidate).
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { SharedPassage } from '../../shared/check.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { sharedPassagesOfFields } from './align.ts';
import { type TextField, cardTextFields } from './fields.ts';
import { PassageIndex } from './passage-index.ts';
import { orderedOverlap } from './ordered.ts';
import { describePassages } from './passage-summary.ts';
import { TermIndex, contentWords, termSimilarity } from './term-index.ts';
import type { PassageFingerprint } from './winnow.ts';

export interface LayerCandidate {
  rowid: number;
  /** Estimated shared words from the passage index (0 when found by words only). */
  sharedWords: number;
  /** Word cosine and containment (0 when found by passages only and not re-scored). */
  cosine: number;
  containment: number;
}

export interface PassageVerdict {
  passages: SharedPassage[];
  /** Words in the longest shared passage. */
  longest: number;
  cosine: number;
  containment: number;
  /** Content words shared in dense ordered segments (see ordered.ts). */
  ordered: number;
  /** Copy signals by the policy: "copied passage", "reworked passage", "reworded copy". */
  signals: string[];
  /**
   * No copy signal, but a short card's wording kept in order (policy passage.orderedShort): too
   * little to tell a kept passage from a remix of the same premise, so a derivative, not a copy.
   */
  reworksPart: boolean;
  /** Plain words, e.g. `reuses 2 sentences (38 words) of “X”’s description`. */
  summary: string;
}

const MAGIC = 0x31594c50; // "PLY1"

export class PassageLayer {
  constructor(
    readonly passages: PassageIndex = new PassageIndex(),
    readonly terms: TermIndex = new TermIndex(),
  ) {}

  static build(items: [number, PassageFingerprint][]): PassageLayer {
    return new PassageLayer(PassageIndex.build(items), TermIndex.build(items));
  }

  get size(): number {
    return this.passages.size;
  }

  add(rowid: number, fp: PassageFingerprint): void {
    this.passages.add(rowid, fp);
    this.terms.add(rowid, fp);
  }

  remove(rowid: number): void {
    this.passages.remove(rowid);
    this.terms.remove(rowid);
  }

  /** Library cards worth verifying: passage candidates, then word-similarity candidates. */
  candidates(fp: PassageFingerprint, opts: { excludeRowid?: number; limit?: number } = {}): LayerCandidate[] {
    const limit = opts.limit ?? 10;
    const out = new Map<number, LayerCandidate>();
    for (const c of this.passages.candidates(fp, { limit, excludeRowid: opts.excludeRowid })) {
      const v = this.terms.vector(c.rowid);
      const sim = v ? termSimilarity(fp, v, this.terms.stats) : { cosine: 0, containment: 0 };
      out.set(c.rowid, { rowid: c.rowid, sharedWords: c.sharedWords, ...sim });
    }
    for (const c of this.terms.similar(fp, { limit, excludeRowid: opts.excludeRowid })) {
      if (!out.has(c.rowid)) out.set(c.rowid, { rowid: c.rowid, sharedWords: 0, cosine: c.cosine, containment: c.containment });
    }
    return [...out.values()].sort((a, b) => b.sharedWords - a.sharedWords || b.cosine - a.cosine);
  }

  /** Both indexes in one blob (see PassageIndex/TermIndex.toBuffer). */
  toBuffer(): Buffer {
    const p = this.passages.toBuffer();
    const t = this.terms.toBuffer();
    const head = Buffer.alloc(8);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(p.length, 4);
    return Buffer.concat([head, p, t]);
  }

  static fromBuffer(buf: Buffer): PassageLayer {
    if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) throw new Error('PassageLayer: bad buffer');
    const pl = buf.readUInt32LE(4);
    if (8 + pl > buf.length) throw new Error('PassageLayer: truncated');
    return new PassageLayer(PassageIndex.fromBuffer(buf.subarray(8, 8 + pl)), TermIndex.fromBuffer(buf.subarray(8 + pl)));
  }
}

/** Aligns a query with one library card and applies the policy's passage thresholds. */
export function passageVerdict(
  query: AssetCard,
  queryFp: PassageFingerprint,
  library: AssetCard,
  libraryFp: PassageFingerprint,
  stats: TermIndex['stats'],
  policy: UniquenessPolicy = UNIQUENESS_POLICY,
): PassageVerdict {
  const pol = policy.passage;
  const fields = { query: cardTextFields(query), library: cardTextFields(library) };
  const found = sharedPassagesOfFields(fields.query, fields.library, {
    minWords: Math.min(pol.minPartWords, pol.minReportWords),
    gapWords: pol.gapWords,
  });
  const passages = found.filter((p) => p.words >= pol.minReportWords);
  const longest = passages.reduce((m, p) => Math.max(m, p.words), 0);
  const { cosine, containment } = termSimilarity(queryFp, libraryFp, stats);
  const enough = Math.min(contentWords(queryFp), contentWords(libraryFp));
  const signals: string[] = [];
  // A passage cut by an edit or split by moved sentences leaves shorter verbatim parts: together
  // they count like one passage (policy passage.minPartWords).
  const parts = longest >= pol.minSharedWords ? [] : proseParts(found, [...fields.query, ...fields.library], pol.minPartWords);
  const partWords = parts.reduce((n, p) => n + p.words, 0);
  if (longest >= pol.minSharedWords || partWords >= pol.minSharedWords) signals.push('copied passage');
  const copied = partWords >= pol.minSharedWords ? parts : passages;
  // A passage kept with words inserted or deleted every few words leaves no verbatim run: its
  // content words still follow each other closely, in order, in both texts.
  const ordered = orderedOverlap(query, library, { maxGap: pol.orderedMaxGap, minSegment: pol.orderedMinSegment });
  if (!signals.length && ordered.words >= pol.orderedMinWords) signals.push('reworked passage');
  if (enough >= pol.minCosineWords && cosine >= pol.copyCosine) signals.push('reworded copy');
  // A short card's passage kept that way has fewer words than orderedMinWords: its longer dense
  // segments, when they are a large share of the shorter card, mark a derivative (policy
  // passage.orderedShort) — a remix of a one-sentence premise keeps as much of its wording.
  const S = pol.orderedShort;
  const kept = ordered.segments.filter((x) => x.words >= S.minSegment).reduce((n, x) => n + x.words, 0);
  const reworksPart = !signals.length && kept >= S.minWords && kept >= S.minShare * ordered.smaller;
  const shown = copied.length ? copied : signals.includes('reworked passage') || reworksPart ? ordered.segments : [];
  const summary = copied.length
    ? describePassages(copied, library)
    : shown.length
      ? `keeps ${ordered.words} content words of “${library.name}” in the same order, with words changed between them`
      : '';
  return { passages: shown, longest, cosine, containment, ordered: ordered.words, signals, reworksPart, summary };
}

/**
 * Verbatim parts of at least `minWords` words in prose fields (not the name, not a list such as
 * tags, among both cards' `fields`), each from a different place in the library card (a query
 * that repeats a run counts it once), longest first.
 */
export function proseParts(found: SharedPassage[], fields: TextField[], minWords: number): SharedPassage[] {
  const skip = new Set(['name', ...fields.filter((f) => f.list).map((f) => f.field)]);
  const out: SharedPassage[] = [];
  for (const p of [...found].sort((a, b) => b.words - a.words)) {
    if (p.words < minWords || skip.has(p.queryField) || skip.has(p.matchField)) continue;
    if (out.some((o) => o.matchField === p.matchField && o.match[0] < p.match[1] && p.match[0] < o.match[1])) continue;
    out.push(p);
  }
  return out;
}
