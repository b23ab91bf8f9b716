/** The pricing service on fake repositories (no server, no database): who sees and sets a price, the policy's bounds and split, the recommendation's inputs. */
import { describe, expect, it } from 'vitest';
import { MICROS_PER_CENT, MONEY_POLICY, SPLIT_PRESETS, recommendPrice, splitSale } from '../../shared/policy/money.ts';
import { PricingService } from '../../server/services/money/pricing.ts';
import { FakeMoneyStore, RecordingProcessor, asset, fakeContext, user } from '../helpers/money-fakes.ts';

const microUse = { ...MONEY_POLICY, preset: 'micro_use' as const, split: SPLIT_PRESETS.micro_use };

function world(policy = MONEY_POLICY) {
  const store = new FakeMoneyStore();
  store.assets.set(
    'listed',
    asset('listed', 'ann', { pricing_model: 'one_time', price_cents: 1299, parent_asset_id: 'p', parent_creator_id: 'pat' }),
  );
  store.assets.set('draft', asset('draft', 'ann', { status: 'pending_review', published_version: null }));
  store.assets.set('down', asset('down', 'ann', { status: 'taken_down' }));
  const { ctx } = fakeContext(store, new RecordingProcessor(), policy);
  return { store, pricing: new PricingService(ctx) };
}

describe('pricing service (fake repositories)', () => {
  it('shows a listed asset’s price to anyone, split by the context’s policy', async () => {
    const { pricing } = world(microUse);
    const view = await pricing.pricing(null, 'listed');
    expect(view).toMatchObject({ model: 'one_time', priceCents: 1299, interval: null });
    expect(view.breakdown).toEqual(splitSale(1299 * MICROS_PER_CENT, { hasParent: true, cardCharge: true }, microUse));
    expect(view.breakdown).not.toEqual(splitSale(1299 * MICROS_PER_CENT, { hasParent: true, cardCharge: true }, MONEY_POLICY));
  });

  it('shows an unlisted asset’s price only to its creator', async () => {
    const { pricing } = world();
    await expect(pricing.pricing(null, 'draft')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    await expect(pricing.pricing(user('bob'), 'draft')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await pricing.pricing(user('ann'), 'draft')).toEqual({ model: null, priceCents: null, interval: null, breakdown: null });
    await expect(pricing.pricing(null, 'nope')).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('stores a valid price with the right interval, and nothing else', async () => {
    const { pricing, store } = world();
    const sub = await pricing.setPricing(user('ann'), 'draft', { model: 'subscription', priceCents: 500 });
    expect(sub).toMatchObject({ model: 'subscription', priceCents: 500, interval: 'month' });
    expect(store.assets.get('draft')).toMatchObject({ pricing_model: 'subscription', price_cents: 500, billing_interval: 'month' });
    await pricing.setPricing(user('ann'), 'draft', { model: 'one_time', priceCents: 999, interval: 'year' });
    expect(store.assets.get('draft')).toMatchObject({ pricing_model: 'one_time', price_cents: 999, billing_interval: null });

    await expect(pricing.setPricing(user('ann'), 'draft', { model: 'one_time', priceCents: 5 })).rejects.toMatchObject({
      code: 'invalid_price',
      status: 400,
    });
    await expect(pricing.setPricing(user('bob'), 'draft', { model: 'one_time', priceCents: 999 })).rejects.toMatchObject({ status: 403 });
    await expect(pricing.setPricing(user('ann'), 'down', { model: 'one_time', priceCents: 999 })).rejects.toMatchObject({
      code: 'taken_down',
      status: 409,
    });
    expect(store.assets.get('draft')).toMatchObject({ pricing_model: 'one_time', price_cents: 999 });
    expect(store.assets.get('down')?.price_cents).toBeNull();
  });

  it('recommends from the reviews’ average only when there are reviews', async () => {
    const { pricing, store } = world();
    const ann = { ...user('ann'), reputation: 40 };
    const none = await pricing.recommendation(ann, 'listed');
    expect(none).toEqual(recommendPrice({ assetType: 'item', model: 'one_time', quality: null, reputation: 40 }));
    store.reviews.push({ assetId: 'listed', rating: 5 }, { assetId: 'listed', rating: 4 });
    const rated = await pricing.recommendation(ann, 'listed', 'subscription');
    expect(rated).toEqual(recommendPrice({ assetType: 'item', model: 'subscription', quality: 4.5, reputation: 40 }));
    await expect(pricing.recommendation(user('bob'), 'listed')).rejects.toMatchObject({ status: 403 });
  });
});
