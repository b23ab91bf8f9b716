// @vitest-environment jsdom
/**
 * The listing's price screen: what one sale pays is shown in whole cents that add up to the price
 * (what you receive rounded down, as the ledger pays it; the fee is the rest), a deduction keeps its
 * minus sign with its amount, every out-of-range price says the range, the empty box is not red
 * before it was touched, a price set while the asset is in review says it applies once published,
 * an asset never submitted is priced the same way, its price (whole cents) kept for its first submission, and
 * a disabled "Save price" says why beside it.
 */
import { act, createElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { splitSale, saleInCents } from '../../shared/policy/money.ts';
import { checkPriceText } from '../../renderer/src/market.ts';
import { reactRoot } from '../helpers/react-root.ts';

const pricing = vi.hoisted(() => ({ data: null as null | { model: string; priceCents: number; interval: null } }));
vi.mock('../../renderer/src/data/market.ts', () => ({
  usePricing: () => ({ data: pricing.data, error: null, reload: () => {} }),
  usePolicy: () => ({ data: null, error: null, reload: () => {} }),
  recommend: () => new Promise(() => {}),
  setPricing: vi.fn(async () => ({})),
}));
const data = await import('../../renderer/src/data/market.ts');
const { PricingEditor } = await import('../../renderer/src/components/market/PricingEditor.tsx');

const dom = reactRoot();
const type = async (input: HTMLInputElement, value: string) =>
  act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });

describe('a sale in whole cents', () => {
  const cents = (price: number, hasParent = false) => saleInCents(splitSale(price * 10_000, { hasParent, cardCharge: true }));

  it('the parts add up to the price exactly; what the creator receives is rounded down, as payouts are', () => {
    expect(cents(499)).toMatchObject({ gross: 499, platformFee: 150, creatorNet: 349, parentRoyalty: 0 });
    // 70 % of $4.95 is $3.465: paid as $3.46 (the half cent is carried in the ledger), fee $1.49.
    expect(cents(495)).toMatchObject({ platformFee: 149, creatorNet: 346 });
    for (const price of [99, 101, 495, 499, 999, 1999, 9999]) {
      for (const parent of [false, true]) {
        const c = cents(price, parent);
        expect(c.platformFee + c.parentRoyalty + c.creatorNet).toBe(price);
        expect(Number.isInteger(c.platformFee) && Number.isInteger(c.creatorNet) && Number.isInteger(c.parentRoyalty)).toBe(true);
      }
    }
  });
});

describe('a typed price', () => {
  it('any out-of-range amount says the range; only text that is no amount asks for dollars and cents', () => {
    for (const text of ['-5', '−5', '1000000', '100000', '0.50', '100']) {
      expect(checkPriceText('one_time', text)).toEqual({ ok: false, message: 'One-time prices range from $0.99 to $99.99' });
    }
    expect(checkPriceText('one_time', '0')).toMatchObject({ ok: false, message: expect.stringContaining('$0.99 to $99.99') });
    expect(checkPriceText('one_time', 'frog')).toEqual({ ok: false, message: 'Enter a price in dollars and cents, e.g. 4.99' });
    expect(checkPriceText('one_time', '4.999')).toMatchObject({ ok: false, message: expect.stringContaining('two digits') });
    expect(checkPriceText('one_time', '$4.99')).toEqual({ ok: true, cents: 499 });
  });
});

describe('the price screen (jsdom)', () => {
  it('shows cents, keeps the minus with its amount, and is not red before it is touched', async () => {
    pricing.data = null;
    await dom.render(createElement(PricingEditor, { assetId: 'a1', hasParent: false, listed: true, published: false, ops: [] }));
    const input = dom.host.querySelector('#pricing-price') as HTMLInputElement;
    expect(dom.host.querySelector('.has-error')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBe('false');

    await type(input, '4.99');
    const row = (name: string) =>
      [...dom.host.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent?.startsWith(name))?.querySelector('td');
    expect(row('Buyer pays')?.textContent).toBe('$4.99');
    expect(row('Platform fee')?.textContent).toBe('−$1.50');
    expect(row('Platform fee')?.querySelector('.amount')?.textContent).toBe('−$1.50');
    expect(dom.host.querySelector('[data-testid="creator-net"]')?.textContent).toBe('$3.49');

    for (const bad of ['-5', '1000000', '100000']) {
      await type(input, bad);
      const error = dom.host.querySelector('.field-error');
      expect(error?.textContent).toBe('One-time prices range from $0.99 to $99.99');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toBe(error?.id);
    }
  });

  it('a disabled "Save price" says why, next to it, tied to the button by aria-describedby', async () => {
    pricing.data = null;
    await dom.render(createElement(PricingEditor, { assetId: 'a1', hasParent: false, listed: true, published: false, ops: [] }));
    const input = dom.host.querySelector('#pricing-price') as HTMLInputElement;
    const button = [...dom.host.querySelectorAll('button')].find((b) => b.textContent === 'Save price') as HTMLButtonElement;
    const reason = () => {
      const ids = button.getAttribute('aria-describedby')?.split(' ') ?? [];
      return ids.map((id) => document.getElementById(id)?.textContent).join(' | ');
    };

    // Empty: disabled, and the hint asks for a price (the box itself is not red yet).
    expect(button.disabled).toBe(true);
    expect(reason()).toBe('Enter a price to save it');
    expect(dom.host.querySelector('.save-hint')?.textContent).toBe('Enter a price to save it');
    expect(dom.host.querySelector('.has-error')).toBeNull();

    // Invalid: still disabled; the hint names the field and the button is described by the validation message too.
    await type(input, '0.50');
    expect(button.disabled).toBe(true);
    expect(reason()).toBe('Correct the price to save it | One-time prices range from $0.99 to $99.99');

    // Valid: enabled, no hint and nothing describing the button.
    await type(input, '4.99');
    expect(button.disabled).toBe(false);
    expect(dom.host.querySelector('.save-hint')).toBeNull();
    expect(button.hasAttribute('aria-describedby')).toBe(false);
  });

  it('a price set while in review says it applies once published', async () => {
    pricing.data = { model: 'one_time', priceCents: 499, interval: null };
    await dom.render(createElement(PricingEditor, { assetId: 'a1', hasParent: false, listed: true, published: false, ops: [] }));
    expect(dom.host.querySelector('[data-testid="current-price"]')?.textContent).toBe(
      'Price set: One-time purchase at $4.99 — buyers see it once the asset is published',
    );
    await dom.render(createElement(PricingEditor, { assetId: 'a1', hasParent: false, listed: true, published: true, ops: [] }));
    expect(dom.host.querySelector('[data-testid="current-price"]')?.textContent).toBe('On the marketplace: One-time purchase at $4.99');
  });

  it('an asset never submitted is priced too: whole cents, kept for its first submission', async () => {
    pricing.data = null;
    vi.mocked(data.setPricing).mockClear();
    await dom.render(createElement(PricingEditor, { assetId: 'a1', hasParent: false, listed: false, published: false, ops: [] }));
    expect(dom.host.textContent).toContain('Set the price now if you like: the first submission takes it to the marketplace.');
    await type(dom.host.querySelector('#pricing-price') as HTMLInputElement, '12.30');
    expect(dom.host.querySelector('[data-testid="creator-net"]')?.textContent).toBe('$8.61');
    const form = dom.host.querySelector('form[aria-label="Pricing"]') as HTMLFormElement;
    await act(async () => form.requestSubmit());
    expect(data.setPricing).toHaveBeenCalledWith({ assetId: 'a1', pricing: { model: 'one_time', priceCents: 1230 } });

    pricing.data = { model: 'one_time', priceCents: 1230, interval: null };
    await dom.render(createElement(PricingEditor, { assetId: 'a1', hasParent: false, listed: false, published: false, ops: [] }));
    expect(dom.host.querySelector('[data-testid="current-price"]')?.textContent).toBe(
      'Price set: One-time purchase at $12.30 — the first submission takes it to the marketplace',
    );
  });
});
