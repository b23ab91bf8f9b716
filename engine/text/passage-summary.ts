/**
 * Plain-words summary of shared passages, e.g. `reuses 2 sentences (38 words) of “Old Map”’s
 * description` or `reuses 14 words of “Old Map”’s description, moved into the backstory summary`.
 * Sentences are counted in the library card's text: a sentence counts when passages cover at least
 * 80 % of its words. A later asset of the creator's own that reuses this one is told the other way
 * round (describeReusedBy).
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { SharedPassage } from '../../shared/check.ts';
import { cardTextFields } from './fields.ts';
import { tokenizeWords } from './words.ts';

const SENTENCE = /[^.!?\n]+(?:[.!?]+|\n|$)/g;

/** "character.backstory_summary" → "backstory summary", "quest_hook.objective" → "quest hook objective". */
export function fieldLabel(field: string): string {
  const parts = field.replace(/\[\d+\]/g, '').split('.');
  const last = parts[0] === 'character' ? parts.slice(1) : parts;
  return last.join(' ').replace(/_/g, ' ');
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Sentences of the library card mostly (≥ 80 % of words) covered by the passages' match ranges. */
export function coveredSentences(passages: SharedPassage[], libraryCard: AssetCard): number {
  const fields = new Map(cardTextFields(libraryCard).map((f) => [f.field, f.text]));
  let n = 0;
  for (const [field, text] of fields) {
    const ranges = passages.filter((p) => p.matchField === field).map((p) => p.match);
    if (!ranges.length) continue;
    for (const m of text.matchAll(SENTENCE)) {
      const words = tokenizeWords(m[0]);
      if (!words.words.length) continue;
      let inside = 0;
      words.start.forEach((s) => {
        const at = m.index + s;
        if (ranges.some(([a, b]) => at >= a && at < b)) inside++;
      });
      if (inside / words.words.length >= 0.8) n++;
    }
  }
  return n;
}

/** How much is shared ("2 sentences (38 words)"), counted in `card`'s text at the passages' `match` ranges. */
function amountOf(passages: SharedPassage[], card: AssetCard): string {
  const words = passages.reduce((s, p) => s + p.words, 0);
  const sentences = coveredSentences(passages, card);
  return sentences > 0
    ? `${sentences} sentence${sentences === 1 ? '' : 's'} (${words} words)`
    : passages.length === 1
      ? `a passage of ${words} words`
      : `${passages.length} passages (${words} words)`;
}

function fieldsOf(passages: SharedPassage[]): { from: string; moved: string } {
  const from = joinWords([...new Set(passages.map((p) => fieldLabel(p.matchField)))]);
  const moved = joinWords([...new Set(passages.filter((p) => p.queryField !== p.matchField).map((p) => fieldLabel(p.queryField)))]);
  return { from, moved };
}

export function describePassages(passages: SharedPassage[], libraryCard: AssetCard): string {
  if (!passages.length) return '';
  const { from, moved } = fieldsOf(passages);
  return `reuses ${amountOf(passages, libraryCard)} of “${libraryCard.name}”’s ${from}${moved ? `, moved into the ${moved}` : ''}`;
}

/**
 * The same passages told from the original's side: the creator's later asset `laterName` reuses
 * them from `own` (the card being checked), e.g. `“Old Map (copy)” reuses 2 sentences (38 words)
 * of this asset’s description, moved into its lore`.
 */
export function describeReusedBy(passages: SharedPassage[], own: AssetCard, laterName: string): string {
  if (!passages.length) return '';
  const flipped = passages.map((p) => ({ ...p, queryField: p.matchField, matchField: p.queryField, query: p.match, match: p.query }));
  const { from, moved } = fieldsOf(flipped);
  return `“${laterName}” reuses ${amountOf(flipped, own)} of this asset’s ${from}${moved ? `, moved into its ${moved}` : ''}`;
}
