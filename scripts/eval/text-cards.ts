/** Asset cards built from fortune texts for the generated eval: neutral names, a generic tag vocabulary, a type. */
import type { AssetCard } from '../../shared/asset.ts';
import { NameGenerator } from './names.ts';
import type { Rng } from './rng.ts';

export const CARD_TYPES = ['character', 'location', 'item', 'quest_hook'] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** Tags are shared across unrelated cards on purpose: real cards reuse the same few dozen tags. */
export const TAGS = [
  'fantasy',
  'sci-fi',
  'horror',
  'comedy',
  'mystery',
  'tavern',
  'forest',
  'city',
  'ruins',
  'dungeon',
  'sea',
  'mountain',
  'desert',
  'winter',
  'magic',
  'merchant',
  'villain',
  'hero',
  'noble',
  'thief',
  'scholar',
  'festival',
  'undead',
  'dragon',
  'heist',
  'romance',
  'politics',
  'travel',
  'secret',
  'relic',
  'potion',
  'weapon',
  'companion',
  'rival',
  'guild',
  'prophecy',
  'curse',
  'trade',
  'war',
  'peace',
] as const;

export function drawTags(rng: Rng): string[] {
  return rng.sample(TAGS, rng.int(3, 6));
}

/** A card holding `text` as its description, with a fresh neutral name. */
export function makeCard(rng: Rng, text: string): AssetCard {
  return {
    asset_type: rng.pick(CARD_TYPES),
    name: new NameGenerator(rng.fork('name')).next(),
    description: text,
    tags: drawTags(rng.fork('tags')),
  };
}
