// @vitest-environment jsdom
/**
 * The new-license-offer form and the rules behind it: the whole offer is checked at once, each
 * problem next to its field (aria-invalid, aria-describedby) and nothing is sent; the help text
 * speaks to the creator; "AI training" is one control (the usage right sets allowsAiTraining, and the
 * schema refuses the two disagreeing); a territory is “worldwide” or ISO country codes (the messages
 * quote it with curly quotes, like every quoted name in the studio); once an
 * offer is queued the form starts over and waits for a change (no duplicate on a second click).
 * Also: a card's tags keep one of each ("frog" twice, any case).
 */
import { act, createElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { AssetCard } from '../../shared/asset.ts';
import { LicenseOfferInput } from '../../shared/payments.ts';
import { reactRoot } from '../helpers/react-root.ts';

const calls = vi.hoisted(() => ({ created: [] as unknown[] }));
vi.mock('../../renderer/src/data/market.ts', () => ({
  useOffers: () => ({ data: [], error: null, reload: () => {} }),
  useOfferPurchases: () => ({ data: [], error: null, reload: () => {} }),
  withdrawOffer: async () => ({}),
  createOffer: async (input: unknown) => {
    calls.created.push(input);
    return {};
  },
}));
const { LicensingEditor, readOffer } = await import('../../renderer/src/components/market/LicensingEditor.tsx');

const dom = reactRoot();
const offer = (terms: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  LicenseOfferInput.safeParse({ licenseType: 'commercial', priceCents: 999, terms: { usageRights: ['web'], ...terms }, ...over });
const base = {
  type: 'rights_managed' as const,
  price: '9.99',
  rights: ['web' as const],
  territory: 'worldwide',
  duration: '',
  impressions: '',
  royalty: '0',
  attribution: false,
};

describe('license offer rules', () => {
  it('a territory is "worldwide" or ISO country codes (and "EU"), never free text', () => {
    expect(offer({ territory: ['worldwide'] }).success).toBe(true);
    expect(offer({ territory: ['US', 'DE', 'EU'] }).success).toBe(true);
    for (const bad of [['🐸🐸'], ['XX'], ['us'], ['North America'], ['worldwide', 'US']])
      expect(offer({ territory: bad }).success).toBe(false);
  });

  it('AI training: the usage right and allowsAiTraining must agree, both ways', () => {
    expect(offer({ usageRights: ['web', 'ai_training'], allowsAiTraining: true }).success).toBe(true);
    expect(offer({ usageRights: ['web'], allowsAiTraining: true }).success).toBe(false);
    expect(offer({ usageRights: ['ai_training'], allowsAiTraining: false }).success).toBe(false);
  });

  it('the rules quote a value to enter with curly quotes, as the rest of the studio quotes names', () => {
    const messages = (r: ReturnType<typeof offer>) => (r.success ? [] : r.error.issues.map((i) => i.message));
    expect(messages(offer({ territory: ['XX'] }))).toContain(
      'Territory must be “worldwide” or two-letter country codes (ISO 3166-1, such as US, DE or FR)',
    );
    expect(messages(offer({ territory: ['worldwide', 'US'] }))).toContain('“worldwide” already covers every country: give it alone');
    expect(messages(offer({ usageRights: ['web'], allowsAiTraining: true }))).toContain(
      'AI training is allowed exactly when “ai training” is one of the usage rights: tick both or neither',
    );
  });

  it('a card keeps one of each tag, case-insensitively, as first written', () => {
    const card = AssetCard.parse({ asset_type: 'item', name: 'Frog charm', tags: ['frog', 'Frog', ' FROG ', 'pond'], item: {} });
    expect(card.tags).toEqual(['frog', 'pond']);
  });
});

describe('reading the offer form', () => {
  it('every field with a problem at once, in the form’s words', () => {
    const { offer: o, errors } = readOffer({ ...base, price: '-5', duration: '0', impressions: '1.5', royalty: '60', territory: '🐸🐸' });
    expect(o).toBeNull();
    expect(errors).toEqual({
      price: 'License prices range from $0.99 to $999.99',
      territory: 'Territory must be “worldwide” or two-letter country codes (ISO 3166-1, such as US, DE or FR)',
      duration: 'Duration must be a whole number from 1 to 36\u00a0500',
      impressions: 'Max impressions must be a whole number of 1 or more',
      royalty: 'Royalty must be a whole number from 0 to 50',
    });
  });

  it('"ai training" as a usage right is what allows AI training; country codes are read in any case', () => {
    const { offer: o } = readOffer({ ...base, rights: ['web', 'ai_training'], territory: 'us, de' });
    expect(o?.terms).toMatchObject({ usageRights: ['web', 'ai_training'], allowsAiTraining: true, territory: ['US', 'DE'] });
  });
});

describe('the new-offer form (jsdom)', () => {
  const byLabel = (text: string) => {
    const label = [...dom.host.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
    return document.getElementById(label?.htmlFor ?? '') as HTMLInputElement;
  };
  const type = (input: HTMLInputElement, value: string) =>
    act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  const submit = () => act(async () => dom.host.querySelector('form')?.requestSubmit());

  it('shows every problem next to its field, sends nothing, then sends once and starts over', async () => {
    calls.created = [];
    await dom.render(createElement(LicensingEditor, { assetId: 'a1', ops: [] }));
    // Speaks to the creator, not the buyer.
    const typeBox = byLabel('Type');
    const hint = document.getElementById(typeBox.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toMatch(/^Buyers pay once/);
    const territoryHint = document.getElementById(byLabel('Territory').getAttribute('aria-describedby') ?? '');
    expect(territoryHint?.textContent).toBe('“worldwide”, or country codes separated by commas (US, DE, FR)');
    expect(dom.host.textContent).not.toContain('Allows AI training');

    await type(byLabel('Price (USD)'), '1000000');
    await type(byLabel('Duration in days (empty = perpetual)'), '0');
    await type(byLabel('Max impressions (empty = unlimited)'), 'lots');
    await type(byLabel('Territory'), '🐸🐸');
    await submit();
    expect(calls.created).toEqual([]);
    for (const [label, message] of [
      ['Price (USD)', 'License prices range from $0.99 to $999.99'],
      ['Duration in days (empty = perpetual)', 'Duration must be a whole number from 1 to 36\u00a0500'],
      ['Max impressions (empty = unlimited)', 'Max impressions must be a whole number of 1 or more'],
      ['Territory', 'Territory must be “worldwide” or two-letter country codes (ISO 3166-1, such as US, DE or FR)'],
    ] as const) {
      const box = byLabel(label);
      expect(box.getAttribute('aria-invalid')).toBe('true');
      const described = (box.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
      expect(described).toContain(message);
    }
    expect(dom.host.querySelector('.banner.error')).toBeNull();

    await type(byLabel('Price (USD)'), '19.99');
    await type(byLabel('Duration in days (empty = perpetual)'), '365');
    await type(byLabel('Max impressions (empty = unlimited)'), '');
    await type(byLabel('Territory'), 'worldwide');
    expect(byLabel('Price (USD)').getAttribute('aria-invalid')).toBe('false');
    await submit();
    expect(calls.created).toHaveLength(1);
    expect(calls.created[0]).toMatchObject({
      assetId: 'a1',
      offer: { priceCents: 1999, terms: { durationDays: 365, territory: ['worldwide'] } },
    });
    // Started over, and a second click sends nothing until the form changes.
    expect(byLabel('Price (USD)').value).toBe('9.99');
    const button = [...dom.host.querySelectorAll('button')].find((b) => b.textContent === 'Create offer') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await submit();
    expect(calls.created).toHaveLength(1);
  });
});
