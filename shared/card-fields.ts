/**
 * Asset-card fields in people's words, and a card flattened into named fields: used by the
 * revision list's "Changed" column (main process), the revision compare and the review queue's
 * whole-card view (renderer). Every leaf of every asset type's card gets a name; nested objects and
 * lists of objects are named in words ("Modules, item 2, width"), never as dotted paths.
 */

/** The card's fields in the order people read them, with their names (as the editor's labels say them). */
const LABELS: [string, string][] = [
  ['asset_type', 'Asset type'],
  ['name', 'Name'],
  ['description', 'Description'],
  ['tags', 'Tags'],
  ['category', 'Category'],
  ['age_rating', 'Age rating'],
  ['character', 'Character'],
  ['character.race', 'Race'],
  ['character.class', 'Class'],
  ['character.level', 'Level'],
  ['character.alignment', 'Alignment'],
  ['character.personality_traits', 'Personality traits'],
  ['character.backstory_summary', 'Backstory'],
  ['character.equipment', 'Equipment'],
  ['character.special_abilities', 'Abilities'],
  ['location', 'Location'],
  ['location.region', 'Region'],
  ['location.climate', 'Climate'],
  ['location.notable_features', 'Notable features'],
  ['location.history', 'Inhabitants and history'],
  ['item', 'Item'],
  ['item.item_type', 'Item type'],
  ['item.rarity', 'Rarity'],
  ['item.properties', 'Properties'],
  ['item.lore', 'Lore'],
  ['quest_hook', 'Quest hook'],
  ['quest_hook.hook', 'Hook'],
  ['quest_hook.objectives', 'Objectives'],
  ['quest_hook.rewards', 'Rewards'],
  ['quest_hook.level_range', 'Level range'],
  ['room_template', 'Room template'],
  ['room_template.layout', 'Layout'],
  ['room_template.modules', 'Modules'],
  ['room_template.customization', 'Customization'],
  ['custom_module', 'Custom module'],
  ['custom_module.code', 'Module code'],
  ['custom_module.config', 'Module settings'],
  ['media', 'Media file'],
  ['media.type', 'Media kind'],
  ['media.format', 'File format'],
  ['media.size', 'File size (bytes)'],
  ['media.sha256', 'File fingerprint (SHA-256)'],
  ['visual_generation', 'Image generation'],
  ['visual_generation.model', 'Image model'],
  ['visual_generation.prompt', 'Image prompt'],
  ['visual_generation.negative_prompt', 'Negative prompt'],
  ['visual_generation.seed', 'Seed'],
  ['visual_generation.steps', 'Steps'],
  ['visual_generation.guidance_scale', 'Guidance'],
  ['visual_generation.style_loras', 'LoRAs'],
  // Not card fields, but entries of a revision's "Changed" list.
  ['image', 'Image'],
  ['created', 'Created'],
];
const LABEL = new Map(LABELS);
const ORDER = new Map(LABELS.map(([k], i) => [k, i]));

/** "notable_features" → "notable features"; "maxWidth" → "max width". */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
const capital = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s);

/**
 * The human name of a field path (`character.backstory_summary` → "Backstory",
 * `room_template.modules.1.width` → "Modules, item 2, width", `location.secret_door` → "Location, secret door").
 */
export function fieldLabel(path: string): string {
  const known = LABEL.get(path);
  if (known) return known;
  const parts = path.split('.');
  // The longest known prefix names the start; the rest is said in words (list positions counted from 1).
  for (let n = parts.length - 1; n >= 1; n--) {
    const head = LABEL.get(parts.slice(0, n).join('.'));
    if (!head) continue;
    const rest = parts.slice(n).map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : words(p)));
    return [head, ...rest].join(', ');
  }
  return capital(parts.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : words(p))).join(', '));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * A card as named leaves: path → text. Lists of plain values are one field (items joined by ", ");
 * lists holding objects are walked item by item; empty objects and lists are left out, as absent.
 */
export function flattenCard(card: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (isPlainObject(card)) {
    for (const [k, v] of Object.entries(card)) flattenCard(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(card)) {
    if (card.every(isScalar)) {
      if (card.length) out[prefix] = card.map(String).join(', ');
    } else card.forEach((v, i) => flattenCard(v, `${prefix}.${i}`, out));
  } else if (card !== undefined && card !== null && card !== '') out[prefix] = String(card);
  return out;
}

/** Sorts field paths in the card's reading order (known fields first, in form order; then the rest by path). */
export function byCardOrder(a: string, b: string): number {
  const rank = (p: string) => {
    const parts = p.split('.');
    for (let n = parts.length; n >= 1; n--) {
      const r = ORDER.get(parts.slice(0, n).join('.'));
      if (r !== undefined) return r;
    }
    return LABELS.length;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Every field whose text differs between two cards (added, removed or changed), in reading order. */
export function changedCardFields(a: unknown, b: unknown): string[] {
  const fa = flattenCard(a);
  const fb = flattenCard(b);
  return [...new Set([...Object.keys(fa), ...Object.keys(fb)])].filter((k) => fa[k] !== fb[k]).sort(byCardOrder);
}
