/**
 * The check's text layers: near-copies of the whole text and code (MinHash LSH, then the exact
 * estimate from the stored signatures) and shared passages (winnowed k-grams or many rare words,
 * aligned word by word and reported with their context in both cards).
 */
import { withContext } from '../explain.ts';
import { lexicalScore } from '../fingerprints.ts';
import type { Evidence } from '../scoring.ts';
import { passageVerdict } from '../text/passage-layer.ts';
import { minhashJaccard } from '../text/shingles.ts';
import type { CheckContext } from './context.ts';

/**
 * A text or code score below this opens no candidate on its own: with the combined score's
 * weights it cannot reach the 0.3 a match needs to be reported.
 */
export const WEAK_SCORE = 0.2;

/**
 * Text and code near-copy scores per candidate. LSH may return many weak candidates in a library
 * of similar short cards: their signatures are read alone (no card, no image), and only scores
 * that could matter are kept (see applyLexical).
 */
export function lexicalScores(ctx: CheckContext): { text: Map<number, number>; code: Map<number, number> } {
  const { fp, excluded } = ctx;
  const minC = ctx.policy.text.minShinglesForContainment;
  const maxRatio = ctx.policy.text.maxContainmentRatio;
  const text = new Map<number, number>();
  for (const r of ctx.indexes.text.candidates(fp.text.sig, ctx.policy.text.lshCandidates)) {
    const row = excluded.has(r) ? null : ctx.rows.lexical(r);
    if (row) text.set(r, lexicalScore(fp.text, row.text, minC, maxRatio));
  }
  const code = new Map<number, number>();
  if (fp.code) {
    for (const r of ctx.indexes.code.candidates(fp.code.sig, ctx.policy.text.lshCandidates)) {
      const row = excluded.has(r) ? null : ctx.rows.lexical(r);
      if (row?.code) code.set(r, minhashJaccard(fp.code.sig, row.code.sig));
    }
  }
  return { text, code };
}

/** Records the lexical scores on candidates other layers opened, and opens those strong enough on their own. */
export function applyLexical(ctx: CheckContext, scores: { text: Map<number, number>; code: Map<number, number> }): void {
  for (const [r, score] of scores.text) if (score >= WEAK_SCORE || ctx.evidence.has(r)) (ctx.acc(r) as Evidence).text = score;
  for (const [r, score] of scores.code) if (score >= WEAK_SCORE || ctx.evidence.has(r)) (ctx.acc(r) as Evidence).code = score;
}

/** Passage layer: cards sharing a winnowed passage or many rare words, aligned word by word. */
export function passageLayer(ctx: CheckContext): void {
  const { fp, card, policy: pol, excluded } = ctx;
  const passages = ctx.indexes.passages;
  for (const c of passages.candidates(fp.passages, { limit: pol.passage.candidates + excluded.size })) {
    if (excluded.has(c.rowid)) continue;
    const stored = ctx.rows.passages(c.rowid);
    const other = stored && ctx.entryOf(c.rowid)?.card;
    if (!stored || !other) continue;
    const v = passageVerdict(card, fp.passages, other, stored, passages.terms.stats, pol);
    if (v.signals.length || v.cosine >= WEAK_SCORE || v.passages.length) {
      (ctx.acc(c.rowid) as Evidence).passage = { ...v, passages: withContext(v.passages, card, other) };
    }
  }
}
