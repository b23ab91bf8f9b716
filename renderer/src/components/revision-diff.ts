/**
 * The revision compare's model, pure: two cards → one row per named field with its text on both
 * sides and, where it changed, the word-level differences (jsdiff's diffWordsWithSpace), so the
 * screen marks the removed words on the old side and the added words on the new side.
 */
import { diffWordsWithSpace } from 'diff';
import { byCardOrder, fieldLabel, flattenCard } from '@shared/card-fields.ts';

/** A run of text on one side: kept on both, only in the old revision, or only in the new one. */
export interface DiffPart {
  text: string;
  kind: 'same' | 'removed' | 'added';
}

export interface FieldDiff {
  path: string;
  label: string;
  /** The field's text in the older / newer revision (null where the field is absent). */
  before: string | null;
  after: string | null;
  changed: boolean;
  /** The old side's runs (same + removed) and the new side's runs (same + added). */
  old: DiffPart[];
  new: DiffPart[];
}

/** Word-level runs of two texts, split into what each side shows. */
export function wordDiff(before: string, after: string): { old: DiffPart[]; new: DiffPart[] } {
  const old: DiffPart[] = [];
  const neu: DiffPart[] = [];
  for (const c of diffWordsWithSpace(before, after)) {
    if (c.added) neu.push({ text: c.value, kind: 'added' });
    else if (c.removed) old.push({ text: c.value, kind: 'removed' });
    else {
      old.push({ text: c.value, kind: 'same' });
      neu.push({ text: c.value, kind: 'same' });
    }
  }
  return { old, new: neu };
}

/** Every field of either card, in reading order, with its human name and its word-level differences. */
export function compareCards(a: unknown, b: unknown): FieldDiff[] {
  const fa = flattenCard(a);
  const fb = flattenCard(b);
  return [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort(byCardOrder).map((path) => {
    const before = fa[path] ?? null;
    const after = fb[path] ?? null;
    const changed = before !== after;
    const parts = changed
      ? wordDiff(before ?? '', after ?? '')
      : { old: [{ text: before ?? '', kind: 'same' as const }], new: [{ text: after ?? '', kind: 'same' as const }] };
    return { path, label: fieldLabel(path), before, after, changed, ...parts };
  });
}
