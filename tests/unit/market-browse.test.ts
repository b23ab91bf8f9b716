/**
 * The buyer-side logic without a browser: the browse form read into a marketplace search (prices in
 * dollars to cents, a reversed range refused, relevance only with words), page counts, the card
 * facts a listing shows, and the license words (who may publish derivatives, terms as sentences).
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_BROWSE, PAGE_SIZE, browseQuery, cardFacts, pageCount } from '../../renderer/src/components/market/browse.ts';
import { LICENSE_WORDS, allowsDerivatives, licenseText, termsInWords } from '../../shared/license-words.ts';
import { LICENSE_TYPES, LicenseTerms } from '../../shared/payments.ts';
import { SearchQuery } from '../../shared/marketplace.ts';

describe('browse query', () => {
  it('reads every filter into a search the marketplace accepts', () => {
    const r = browseQuery(
      { q: ' knight ', type: 'character', minPrice: '1.50', maxPrice: '20', license: 'commercial', ageRating: '13+', sort: 'price' },
      3,
    );
    expect(r).toEqual({
      ok: true,
      query: {
        q: 'knight',
        type: 'character',
        minPrice: 150,
        maxPrice: 2000,
        license: 'commercial',
        ageRating: '13+',
        sort: 'price',
        page: 3,
        pageSize: PAGE_SIZE,
      },
    });
    if (r.ok) expect(SearchQuery.safeParse(r.query).success).toBe(true);
  });

  it('leaves empty filters out, and sorts by relevance only when there are words', () => {
    expect(browseQuery({ ...EMPTY_BROWSE, sort: 'relevance' }, 1)).toEqual({
      ok: true,
      query: { sort: 'newest', page: 1, pageSize: PAGE_SIZE },
    });
    const words = browseQuery({ ...EMPTY_BROWSE, q: 'elf', sort: 'relevance' }, 1);
    expect(words.ok && words.query.sort).toBe('relevance');
  });

  it('names the price field that cannot be read, and refuses a range whose top is below its bottom', () => {
    expect(browseQuery({ ...EMPTY_BROWSE, minPrice: 'cheap' }, 1)).toMatchObject({ ok: false, field: 'minPrice' });
    expect(browseQuery({ ...EMPTY_BROWSE, maxPrice: '1.999' }, 1)).toMatchObject({ ok: false, field: 'maxPrice' });
    expect(browseQuery({ ...EMPTY_BROWSE, minPrice: '5', maxPrice: '4.99' }, 1)).toMatchObject({
      ok: false,
      field: 'maxPrice',
      message: 'the highest price is below the lowest',
    });
  });

  it('counts pages', () => {
    expect([pageCount(0, 12), pageCount(12, 12), pageCount(13, 12), pageCount(100, 20)]).toEqual([1, 1, 2, 5]);
  });
});

describe('card facts', () => {
  it('shows the character sheet, tags and age rating in order, and skips what is empty', () => {
    const facts = cardFacts({
      name: 'Vesna',
      character: { race: 'Elf', class: 'Ranger', level: 7, alignment: '', equipment: [] },
      tags: ['marsh', 'archer'],
      age_rating: 'all',
    });
    expect(facts).toEqual([
      { label: 'Race', value: 'Elf' },
      { label: 'Class', value: 'Ranger' },
      { label: 'Level', value: '7' },
      { label: 'Tags', value: 'marsh, archer' },
      { label: 'Age rating', value: 'All ages' },
    ]);
    expect(cardFacts({ media: { type: 'audio', format: 'mp3' }, age_rating: '18+' })).toEqual([
      { label: 'Age rating', value: '18+' },
      { label: 'Media', value: 'audio · mp3' },
    ]);
  });
});

describe('license words', () => {
  it('explains every license type, and only editorial and rights-managed forbid derivatives', () => {
    for (const t of LICENSE_TYPES) expect(LICENSE_WORDS[t].summary.length).toBeGreaterThan(40);
    expect(LICENSE_TYPES.filter((t) => !allowsDerivatives('license', t))).toEqual(['rights_managed', 'editorial']);
    expect(allowsDerivatives('one_time', null)).toBe(true);
    expect(allowsDerivatives('subscription', null)).toBe(true);
  });

  it('writes terms and the license document as plain sentences', () => {
    const terms = LicenseTerms.parse({ usageRights: ['web', 'print'], durationDays: 90, maxImpressions: 5000, requiresAttribution: true });
    expect(termsInWords(terms)).toEqual([
      'You may use it for: websites, print.',
      'Where: worldwide.',
      'For 90 days from the purchase.',
      'Up to 5,000 impressions.',
      'You must credit the creator wherever you use it.',
      'It may not be used to train AI models.',
    ]);
    const text = licenseText({
      purchaseId: 'p1',
      kind: 'license',
      licenseType: 'editorial',
      licenseKey: 'OSL1.abc',
      terms,
      expiresAt: '2027-01-01T00:00:00.000Z',
      paidAt: null,
      asset: { id: 'a1', name: 'Bell', version: 2, creatorName: 'Cleo' },
      buyerName: 'Bo',
      marketplace: 'http://127.0.0.1:1',
    });
    expect(text.split('\n')[0]).toBe('Editorial license — Bell (version 2)');
    expect(text).toContain('- Derivatives: not allowed.');
    expect(text).toContain('Valid until: 2027-01-01T00:00:00.000Z');
    expect(text.trimEnd().endsWith('OSL1.abc')).toBe(true);
  });
});
