/**
 * Evidence in plain words and in context: shared passages with the text around them in both
 * cards, so the studio and the review screen can highlight them side by side.
 */
import type { AssetCard } from '../shared/asset.ts';
import type { SharedPassage } from '../shared/check.ts';
import { cardTextFields } from './text/fields.ts';

const CONTEXT = 60;

function around(text: string | undefined, [s, e]: [number, number]): [string, string] {
  if (!text) return ['', ''];
  const before = text.slice(Math.max(0, s - CONTEXT), s);
  const after = text.slice(e, e + CONTEXT);
  return [before, after];
}

/** Adds the surrounding text of each passage in both cards (and the passage as the other card has it). */
export function withContext(passages: SharedPassage[], query: AssetCard, match: AssetCard): SharedPassage[] {
  const q = new Map(cardTextFields(query).map((f) => [f.field, f.text]));
  const m = new Map(cardTextFields(match).map((f) => [f.field, f.text]));
  return passages.map((p) => {
    const mt = m.get(p.matchField);
    return {
      ...p,
      context: {
        query: around(q.get(p.queryField), p.query),
        match: around(mt, p.match),
        matchText: mt ? mt.slice(p.match[0], p.match[1]) : p.text,
      },
    };
  });
}
