/**
 * Asset cards: the unit a creator builds, checks, shares and submits. Field names follow the asset
 * card of `asset-marketplace-anti-duplication.md`; the room-template, custom-module and media types
 * come from `marketplace-creator-economy.md`.
 */
import { z } from 'zod';
import { fieldLabel } from './card-fields.ts';
import { fieldErrors } from './form-errors.ts';

export const ASSET_TYPES = ['character', 'location', 'item', 'quest_hook', 'room_template', 'custom_module', 'media'] as const;
export const AssetType = z.enum(ASSET_TYPES);
export type AssetType = z.infer<typeof AssetType>;

export const AGE_RATINGS = ['all', '13+', '16+', '18+'] as const;

const shortText = z.string().trim().max(200);
const longText = z.string().max(20_000);
const list = z.array(z.string().trim().min(1).max(100)).max(50);
/** Tags: a tag given twice ("frog", "Frog") is kept once, as first written. */
const tagList = z
  .array(z.string().trim().min(1).max(100))
  .overwrite((tags) => tags.filter((t, i) => tags.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i))
  .max(50);

export const CharacterFields = z.object({
  race: shortText.optional(),
  class: shortText.optional(),
  level: z.number().int().min(0).max(1000).optional(),
  alignment: shortText.optional(),
  personality_traits: list.optional(),
  backstory_summary: longText.optional(),
  equipment: list.optional(),
  special_abilities: list.optional(),
});

/**
 * The location, item and quest hook sections: the fields the editor shows have their limits here;
 * other keys an imported card brings along are kept as they are.
 */
export const LocationFields = z.looseObject({ region: shortText.optional(), climate: shortText.optional(), history: longText.optional() });
export const ItemFields = z.looseObject({ item_type: shortText.optional(), rarity: shortText.optional(), lore: longText.optional() });
export const QuestHookFields = z.looseObject({ hook: longText.optional(), level_range: shortText.optional() });

export const VisualGeneration = z.object({
  model: shortText.optional(),
  prompt: z.string().max(10_000).optional(),
  negative_prompt: z.string().max(10_000).optional(),
  seed: z.number().int().optional(),
  steps: z.number().int().min(0).max(10_000).optional(),
  guidance_scale: z.number().min(0).max(100).optional(),
  style_loras: list.optional(),
});

export const RoomTemplateFields = z.object({
  layout: z.record(z.string(), z.unknown()).default({}),
  modules: z.array(z.record(z.string(), z.unknown())).max(200).default([]),
  customization: z.record(z.string(), z.unknown()).default({}),
});

export const CustomModuleFields = z.object({
  code: z
    .string()
    .max(500_000, 'custom module code is limited to 500 000 characters')
    .describe('CSS or an HTML fragment, checked against the module allowlist (engine/text/module-safety.ts)'),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const MEDIA_KINDS = ['image', 'video', 'audio'] as const;
export const MediaFields = z.object({
  type: z.enum(MEDIA_KINDS),
  format: z.string().trim().min(1).max(20),
  size: z.number().int().min(0),
  /** SHA-256 of the stored audio/video file (the studio's media store key); absent for images. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest')
    .optional(),
});

export const AssetCard = z.object({
  asset_type: AssetType,
  name: z.string().trim().min(1, 'name is required').max(255),
  description: longText.default(''),
  tags: tagList.default([]),
  category: shortText.optional(),
  age_rating: z.enum(AGE_RATINGS).optional(),
  character: CharacterFields.optional(),
  location: LocationFields.optional(),
  item: ItemFields.optional(),
  quest_hook: QuestHookFields.optional(),
  room_template: RoomTemplateFields.optional(),
  custom_module: CustomModuleFields.optional(),
  media: MediaFields.optional(),
  visual_generation: VisualGeneration.optional(),
});
export type AssetCard = z.infer<typeof AssetCard>;

/** The schema under a wrapper (optional, default, nullable…), or the schema itself. */
function unwrapSchema(t: z.ZodType): z.ZodType {
  let cur = t;
  while ('unwrap' in cur && typeof cur.unwrap === 'function' && !(cur instanceof z.ZodArray)) cur = (cur.unwrap as () => z.ZodType)();
  return cur;
}

/**
 * The most characters a card's text field may hold (`description`, `character.backstory_summary`),
 * read off AssetCard itself: the one source of truth for the editor's `maxLength` and counters and
 * for the check's own refusal. Undefined for a path that is not a text field with a limit.
 */
export function textLimit(path: string): number | undefined {
  let t: z.ZodType = AssetCard;
  for (const key of path.split('.')) {
    const obj = unwrapSchema(t);
    if (!(obj instanceof z.ZodObject)) return undefined;
    const next = (obj.shape as Record<string, z.ZodType | undefined>)[key];
    if (!next) return undefined;
    t = next;
  }
  const str = unwrapSchema(t);
  return str instanceof z.ZodString && typeof str.maxLength === 'number' ? str.maxLength : undefined;
}

/** Text fields the editor shows, by dotted path (the ones `tooLongText` measures). */
const TEXT_PATHS = [
  'name',
  'description',
  'category',
  'character.race',
  'character.class',
  'character.alignment',
  'character.backstory_summary',
  'location.region',
  'location.climate',
  'location.history',
  'item.item_type',
  'item.rarity',
  'item.lore',
  'quest_hook.hook',
  'quest_hook.level_range',
  'visual_generation.model',
  'visual_generation.prompt',
  'visual_generation.negative_prompt',
  'custom_module.code',
] as const;

/**
 * The first text field of a card that is longer than its schema allows, in the check's words
 * (`field` as the studio names it: `card.description`), or null. Measures lengths only: cheap on
 * any card, so a card holding a huge pasted text is refused here and never sent to be checked.
 */
export function tooLongText(card: Record<string, unknown>): { field: string; message: string } | null {
  for (const path of TEXT_PATHS) {
    const [a, b] = path.split('.') as [string, string | undefined];
    const v = b === undefined ? card[a] : (card[a] as Record<string, unknown> | undefined)?.[b];
    const max = textLimit(path);
    if (typeof v === 'string' && max !== undefined && v.length > max)
      return {
        field: `card.${path}`,
        message: `${fieldLabel(path)} is ${v.length.toLocaleString('en-US')} characters long; at most ${max.toLocaleString('en-US')} fit`,
      };
  }
  return null;
}

/** Accepts a bare card or the spec's `{ "luna_asset_card": { ... } }` wrapper. */
export function unwrapCard(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && 'luna_asset_card' in raw) return (raw as Record<string, unknown>).luna_asset_card;
  return raw;
}

/**
 * A card without `asset_type` is told so, not that its type must be one of a list (zod's enum
 * says that of a missing value too); one that says `type` or `assetType` instead is told the name.
 */
function missingType(card: unknown): string | undefined {
  if (!card || typeof card !== 'object' || Array.isArray(card) || 'asset_type' in card) return undefined;
  const other = ['type', 'assetType', 'asset-type', 'kind'].find((k) => k in card);
  return other ? `Asset type is missing: this card has “${other}”, which asset cards call “asset_type”` : 'Asset type is required';
}

/** A readable one-line message naming the first offending field of a zod error. */
export function describeZodError(err: z.ZodError): { field: string; message: string } {
  const issue = err.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(root)';
  return { field, message: `${field}: ${issue?.message ?? 'invalid'}` };
}

/** A refused card: the first offending field and zod's message naming it (for programs), and every field's problem in people's words. */
export type ParsedCard =
  { ok: true; card: AssetCard } | { ok: false; field: string; message: string; issues?: { field: string; message: string }[] };

/**
 * Validates an asset card's shape (zod). Untrusted cards go through engine/cards.ts `parseAssetCard`,
 * which adds the custom-module allowlist check (it needs Node: jsdom, DOMPurify, css-tree).
 */
export function parseCardShape(raw: unknown): ParsedCard {
  const card = unwrapCard(raw);
  const r = AssetCard.safeParse(card);
  if (!r.success) {
    const issues = Object.entries(fieldErrors(r.error.issues, { schema: AssetCard })).map(([field, message]) => ({
      field,
      message: field === 'asset_type' ? (missingType(card) ?? message) : message,
    }));
    return { ok: false, ...describeZodError(r.error), issues };
  }
  if (r.data.asset_type === 'custom_module' && !r.data.custom_module) {
    return { ok: false, field: 'custom_module', message: 'custom_module: a custom module needs its code' };
  }
  return { ok: true, card: r.data };
}
