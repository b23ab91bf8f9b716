/**
 * The text fields of an asset card that the passage layer compares, each with its raw text, so a
 * shared passage can be reported as character offsets in a named field ("description",
 * "character.backstory_summary", "quest_hook.objective", …). Lists (tags, traits, equipment) are
 * one field each, their items joined with ", ". Code, media and generation settings are left out:
 * other layers compare those.
 */
import type { AssetCard } from '../../shared/asset.ts';

export interface TextField {
  /** Field path: name, description, tags, or a type-specific path such as character.backstory_summary. */
  field: string;
  /** The field's text as the creator wrote it (list items joined with ", "). */
  text: string;
  /** A list of short items (tags, traits, equipment) joined into one text, not prose. */
  list?: true;
}

const MAX_DEPTH = 6;

function pushLeaves(v: unknown, path: string, out: TextField[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof v === 'string') {
    if (v.trim()) out.push({ field: path, text: v });
  } else if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) {
      const text = (v as string[]).filter((s) => s.trim()).join(', ');
      if (text) out.push({ field: path, text, list: true });
    } else v.forEach((x, i) => pushLeaves(x, `${path}[${i}]`, out, depth + 1));
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) pushLeaves(x, `${path}.${k}`, out, depth + 1);
  }
}

/** The card's text fields in a fixed order (name, description, tags, then type-specific fields). */
export function cardTextFields(card: AssetCard): TextField[] {
  const out: TextField[] = [];
  pushLeaves(card.name, 'name', out, 0);
  pushLeaves(card.description ?? '', 'description', out, 0);
  pushLeaves(card.tags ?? [], 'tags', out, 0);
  const c = card.character;
  if (c) {
    for (const k of ['race', 'class', 'alignment', 'personality_traits', 'backstory_summary', 'equipment', 'special_abilities'] as const) {
      pushLeaves(c[k], `character.${k}`, out, 1);
    }
  }
  for (const k of ['location', 'item', 'quest_hook'] as const) if (card[k]) pushLeaves(card[k], k, out, 0);
  return out;
}
