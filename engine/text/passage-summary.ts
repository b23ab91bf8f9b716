/**
 * Plain-words summary of shared passages, e.g. `reuses 2 sentences (38 words) of "Old Map"'s
 * description` or `reuses 14 words of "Old Map"'s description, moved into the backstory summary`.
 * Sentences are counted in the library card's text: a sentence counts when passages cover at least
 * 80 % of its words.
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

export function describePassages(passages: SharedPassage[], libraryCard: AssetCard): string {
  if (!passages.length) return '';
  const words = passages.reduce((s, p) => s + p.words, 0);
  const sentences = coveredSentences(passages, libraryCard);
  const amount =
    sentences > 0
      ? `${sentences} sentence${sentences === 1 ? '' : 's'} (${words} words)`
      : passages.length === 1
        ? `a passage of ${words} words`
        : `${passages.length} passages (${words} words)`;
  const from = joinWords([...new Set(passages.map((p) => fieldLabel(p.matchField)))]);
  const moved = [...new Set(passages.filter((p) => p.queryField !== p.matchField).map((p) => fieldLabel(p.queryField)))];
  return `reuses ${amount} of "${libraryCard.name}"'s ${from}${moved.length ? `, moved into the ${joinWords(moved)}` : ''}`;
}
