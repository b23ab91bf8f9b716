/**
 * Metadata text and metadata hash, as the anti-duplication spec defines them.
 *
 * The hash reproduces the spec's `generate_metadata_hash` byte for byte: the same normalised object
 * serialised the way Python's `json.dumps(obj, sort_keys=True)` does (", " and ": " separators,
 * non-ASCII escaped as \uXXXX), then SHA-256. A card hashed here and by the reference code agree.
 */
import { createHash } from 'node:crypto';
import type { AssetCard } from '../../shared/asset.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python `json.dumps(v, sort_keys=True)` for JSON values (integers only for numbers). */
export function pythonJsonDumps(v: Json): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('non-finite number');
    return Number.isInteger(v) ? String(v) : String(v);
  }
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v)) return `[${v.map(pythonJsonDumps).join(', ')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${pyString(k)}: ${pythonJsonDumps(v[k] as Json)}`).join(', ')}}`;
}

const sortedStrings = (a: readonly string[] | undefined): string[] => [...(a ?? [])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

export function metadataHash(card: AssetCard): string {
  const normalized: { [k: string]: Json } = {
    asset_type: card.asset_type,
    name: card.name,
    description: card.description ?? null,
    tags: sortedStrings(card.tags),
  };
  if (card.asset_type === 'character') {
    const c = card.character ?? {};
    normalized.character = {
      race: c.race ?? null,
      class: c.class ?? null,
      personality_traits: sortedStrings(c.personality_traits),
      backstory_summary: c.backstory_summary ?? null,
    };
  }
  return createHash('sha256').update(pythonJsonDumps(normalized), 'utf8').digest('hex');
}

function flattenStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) flattenStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) flattenStrings(x, out);
}

/** The searchable text of a card: the spec's fields, plus the type-specific descriptive fields. */
export function metadataText(card: AssetCard): string {
  const parts: string[] = [card.name, card.description ?? '', (card.tags ?? []).join(' ')];
  if (card.character) {
    const c = card.character;
    parts.push(c.race ?? '', c.class ?? '', (c.personality_traits ?? []).join(' '), c.backstory_summary ?? '');
  }
  for (const extra of [card.location, card.item, card.quest_hook]) if (extra) flattenStrings(extra, parts);
  return parts.filter(Boolean).join(' ');
}

/** Field-level differences between two cards (for "flagged differences"). */
export function changedFields(a: AssetCard, b: AssetCard): string[] {
  const out: string[] = [];
  const norm = (v: unknown) => JSON.stringify(v ?? null);
  if (a.asset_type !== b.asset_type) out.push('asset_type');
  if (a.name.trim().toLowerCase() !== b.name.trim().toLowerCase()) out.push('name');
  const [da, db] = [(a.description ?? '').trim(), (b.description ?? '').trim()];
  // One side without a description is said as such, not as "another description".
  if (da !== db) out.push(!da ? 'description (none here)' : !db ? 'description (none there)' : 'description');
  if (norm(a.tags) !== norm(b.tags)) {
    out.push(norm(sortedStrings(a.tags)) === norm(sortedStrings(b.tags)) ? 'tags (order only)' : 'tags');
  }
  for (const k of ['character', 'location', 'item', 'quest_hook', 'room_template', 'custom_module', 'media'] as const) {
    if (norm(a[k]) !== norm(b[k])) out.push(k);
  }
  return out;
}
