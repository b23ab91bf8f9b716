/** Pricing: an asset's model and price with what one sale pays each party, setting it within the policy, and a recommended price. */
import { ApiError } from '../../../shared/api.ts';
import type { PricingInput } from '../../../shared/payments.ts';
import { MICROS_PER_CENT, type PricingModel, checkPrice, recommendPrice, splitSale } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import { authorize } from '../../authz.ts';
import type { AssetMoneyRow } from '../../repos/money/assets.ts';
import { type MoneyContext, listed, loadAsset } from './context.ts';

type Priced = Pick<AssetMoneyRow, 'pricing_model' | 'price_cents' | 'billing_interval' | 'parent_asset_id'>;

export class PricingService {
  constructor(private readonly ctx: MoneyContext) {}

  pricingView(a: Priced) {
    const model = a.pricing_model;
    const price = a.price_cents;
    return {
      model,
      priceCents: price,
      interval: a.billing_interval,
      breakdown:
        model && price !== null
          ? splitSale(price * MICROS_PER_CENT, { hasParent: Boolean(a.parent_asset_id), cardCharge: model !== 'per_use' }, this.ctx.policy)
          : null,
    };
  }

  async pricing(user: UserRow | null, assetId: string) {
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    if (!listed(a)) authorize(user, 'asset.owner', { ownerId: a.creator_id });
    return this.pricingView(a);
  }

  async setPricing(user: UserRow, assetId: string, input: PricingInput) {
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    if (a.status === 'taken_down') throw new ApiError('taken_down', 'this asset was taken down', 'id', 409);
    const check = checkPrice(input.model, input.priceCents, this.ctx.policy);
    if (!check.ok) throw new ApiError('invalid_price', check.message, check.field, 400);
    const interval = input.model === 'subscription' ? (input.interval ?? 'month') : null;
    await this.ctx.repos.assets.setPricing(this.ctx.db, assetId, input.model, input.priceCents, interval);
    return this.pricingView({ ...a, pricing_model: input.model, price_cents: input.priceCents, billing_interval: interval });
  }

  async recommendation(user: UserRow, assetId: string, model?: PricingModel) {
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    const q = await this.ctx.repos.assets.reviewStats(this.ctx.db, assetId);
    const type = await this.ctx.repos.assets.assetType(this.ctx.db, assetId);
    return recommendPrice(
      {
        assetType: type as Parameters<typeof recommendPrice>[0]['assetType'],
        model: model ?? a.pricing_model ?? 'one_time',
        quality: q.n > 0 ? q.avg : null,
        reputation: Number(user.reputation),
      },
      this.ctx.policy,
    );
  }
}
