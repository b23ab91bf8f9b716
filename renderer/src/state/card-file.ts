/** Reading a dropped card file: its JSON, a card bundle's entries, and a refused card's problems, in people's words. */
import { CardBundle, type CardBundleEntry } from '@shared/card-bundle.ts';
import { plural } from '../words.ts';
import { asFieldError } from './types.ts';

/**
 * A card file's JSON, or an error in people's words saying where it stops being JSON (line and
 * column; the parser's own message counts characters from the start of the file).
 */
export function readCardJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    if (!text.trim()) throw new Error('the file is empty, not an asset card');
    if (!at) throw new Error('this is not an asset card: its JSON ends before it is complete');
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new Error(`this is not an asset card: its JSON is broken at line ${line}, column ${column}`);
  }
}

/** A refused card's message: every field's problem in people's words where the studio gave them, else its message. */
export function cardRefusal(err: unknown): string {
  const e = asFieldError(err);
  return e.issues?.length ? e.issues.map((i) => i.message).join('; ') : e.message;
}

/** The value at `path` inside `x` (undefined where the path leaves it). */
function at(x: unknown, path: readonly PropertyKey[]): unknown {
  let v = x;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const FIELD_WORDS: Record<string, string> = {
  fileName: 'file name',
  card: 'card',
  image: 'image',
  imageFileName: 'image file name',
  version: 'version',
  exported_at: 'export date',
  cards: 'list of cards',
};

/** One problem of a damaged bundle, in people's words: which entry, which field, what is wrong with it. */
function bundleProblem(bundle: unknown, issue: { path: readonly PropertyKey[]; code: string }): string {
  const [, key, n, field] = issue.path;
  const value = at(bundle, issue.path);
  const what = value === undefined ? 'is missing' : issue.code === 'too_big' ? 'is too long' : 'is not what a card bundle holds there';
  if (key === undefined)
    return value === undefined ? 'it has no “originals_card_bundle” in it' : 'its “originals_card_bundle” is not an object';
  if (key === 'version')
    return value === undefined ? 'its version is missing' : `it is version ${JSON.stringify(value)}; this studio reads version 1`;
  if (key === 'cards' && n === undefined) {
    if (issue.code === 'too_small') return 'it holds no cards';
    if (issue.code === 'too_big') return 'it holds more than 10,000 cards; split it';
    return `its list of cards ${what}`;
  }
  if (key !== 'cards') return `its ${FIELD_WORDS[String(key)] ?? String(key)} ${what}`;
  const entry = `card ${Number(n) + 1}`;
  return field === undefined ? `${entry} is not a card entry` : `${entry}'s ${FIELD_WORDS[String(field)] ?? String(field)} ${what}`;
}

/**
 * A card bundle's entries, or an error in people's words naming what is damaged (the first three
 * problems: which entry, which field) — never the schema's own messages.
 */
export function readCardBundle(parsed: unknown): CardBundleEntry[] {
  const r = CardBundle.safeParse(parsed);
  if (r.success) return r.data.originals_card_bundle.cards;
  const problems = [...new Set(r.error.issues.map((i) => bundleProblem(parsed, i)))];
  throw new Error(`this card bundle is damaged: ${firstThree(problems, (n) => ` (and ${n} more)`)}; nothing was imported`);
}

/** The first three of `items` joined for a toast (not a report), then `rest` of how many are left out. */
function firstThree(items: readonly string[], rest: (left: number) => string): string {
  return items.slice(0, 3).join('; ') + (items.length > 3 ? rest(items.length - 3) : '');
}

/** The toast after importing a bundle: how many of its cards came in, and the refused cards' reasons. */
export function bundleOutcome(file: string, total: number, refused: { entry: number; fileName: string; reason: string }[]): string {
  if (refused.length === 0) return `Imported ${plural(total, 'card')} from ${file}`;
  const why = firstThree(
    refused.map((r) => `card ${r.entry} (${r.fileName}): ${r.reason}`),
    (n) => `; and ${n} more refused`,
  );
  return `${file}: imported ${total - refused.length} of ${plural(total, 'card')}; ${why}`;
}
