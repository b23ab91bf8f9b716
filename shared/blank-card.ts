/**
 * The asset types' labels and the blank card each type starts from: the editor opens new cards
 * with it, and shared/verdict.ts isBlankCard compares a card with it (the studio's library calls a
 * card that still holds nothing else "Not checked", never "Original").
 */
import type { AssetType } from './asset.ts';

/** The editor works on a loosely typed card; the main process validates it on every call. */
export type DraftCard = Record<string, unknown> & { asset_type: AssetType; name: string; description: string; tags: string[] };

export const TYPE_LABELS: Record<AssetType, string> = {
  character: 'Character',
  location: 'Location',
  item: 'Item',
  quest_hook: 'Quest hook',
  room_template: 'Room template',
  custom_module: 'Custom module',
  media: 'Media',
};

export function blankCard(type: AssetType, n: number): DraftCard {
  const card: DraftCard = { asset_type: type, name: `Untitled ${TYPE_LABELS[type].toLowerCase()} ${n}`, description: '', tags: [] };
  if (type === 'custom_module') card.custom_module = { code: '.module {\n  padding: 1rem;\n}\n', config: {} };
  if (type === 'room_template') card.room_template = { layout: { columns: 3 }, modules: [], customization: {} };
  if (type === 'media') card.media = { type: 'image', format: 'webp', size: 0 };
  return card;
}
