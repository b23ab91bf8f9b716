/**
 * The browse screen's logic, without React: the filter form read into a marketplace search (prices
 * typed in dollars, read as cents; a minimum above the maximum is refused), how many pages there
 * are, and the facts of a card a listing shows (race, class, level, tags, age rating…).
 */
import type { ApiInput } from '@shared/api.ts';
import { AGE_RATINGS, ASSET_TYPES } from '@shared/asset.ts';
import { SEARCH_SORTS } from '@shared/marketplace.ts';
import { LICENSE_TYPES } from '@shared/payments.ts';
import { parseDollars } from '../../market.ts';

export interface BrowseForm {
  q: string;
  type: '' | (typeof ASSET_TYPES)[number];
  minPrice: string;
  maxPrice: string;
  license: '' | (typeof LICENSE_TYPES)[number];
  ageRating: '' | (typeof AGE_RATINGS)[number];
  sort: (typeof SEARCH_SORTS)[number];
}

export const EMPTY_BROWSE: BrowseForm = { q: '', type: '', minPrice: '', maxPrice: '', license: '', ageRating: '', sort: 'newest' };
export const PAGE_SIZE = 12;

export const SORT_LABELS: Record<BrowseForm['sort'], string> = {
  relevance: 'Best match',
  popularity: 'Most bought',
  price: 'Price, lowest first',
  newest: 'Newest',
};

export type BrowseQuery = { ok: true; query: ApiInput<'market.search'> } | { ok: false; field: 'minPrice' | 'maxPrice'; message: string };

/** The search the form asks for, page `page` (1-based); an unreadable price names its field. */
export function browseQuery(f: BrowseForm, page: number): BrowseQuery {
  const price = (field: 'minPrice' | 'maxPrice'): number | undefined | null => (f[field].trim() ? parseDollars(f[field]) : undefined);
  const min = price('minPrice');
  const max = price('maxPrice');
  if (min === null) return { ok: false, field: 'minPrice', message: 'enter dollars and cents, e.g. 2.50' };
  if (max === null) return { ok: false, field: 'maxPrice', message: 'enter dollars and cents, e.g. 20.00' };
  if (min !== undefined && max !== undefined && min > max)
    return { ok: false, field: 'maxPrice', message: 'the highest price is below the lowest' };
  const q = f.q.trim();
  return {
    ok: true,
    query: {
      ...(q ? { q } : {}),
      ...(f.type ? { type: f.type } : {}),
      ...(min !== undefined ? { minPrice: min } : {}),
      ...(max !== undefined ? { maxPrice: max } : {}),
      ...(f.license ? { license: f.license } : {}),
      ...(f.ageRating ? { ageRating: f.ageRating } : {}),
      // Relevance needs words to rank by; without them the newest come first.
      sort: f.sort === 'relevance' && !q ? 'newest' : f.sort,
      page: Math.max(1, Math.floor(page)),
      pageSize: PAGE_SIZE,
    },
  };
}

/** How many pages `total` results make (at least one). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

export interface CardFact {
  label: string;
  value: string;
}

const text = (v: unknown): string | null => {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) {
    const items = v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    return items.length ? items.join(', ') : null;
  }
  return null;
};

const CHARACTER: [string, string][] = [
  ['race', 'Race'],
  ['class', 'Class'],
  ['level', 'Level'],
  ['alignment', 'Alignment'],
  ['personality_traits', 'Personality'],
  ['equipment', 'Equipment'],
  ['special_abilities', 'Special abilities'],
];

/** What a listing shows of its card, in order: the character sheet, the category, tags, age rating, the media file. */
export function cardFacts(card: Record<string, unknown>): CardFact[] {
  const facts: CardFact[] = [];
  const add = (label: string, v: unknown) => {
    const t = text(v);
    if (t) facts.push({ label, value: t });
  };
  const ch = card.character;
  if (ch && typeof ch === 'object') for (const [k, label] of CHARACTER) add(label, (ch as Record<string, unknown>)[k]);
  add('Category', card.category);
  add('Tags', card.tags);
  add('Age rating', card.age_rating === 'all' ? 'All ages' : card.age_rating);
  const m = card.media;
  if (m && typeof m === 'object') {
    const mm = m as Record<string, unknown>;
    add('Media', [mm.type, mm.format].filter((x) => typeof x === 'string').join(' · '));
  }
  return facts;
}
