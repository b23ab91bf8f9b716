/** License offers: a creator's priced licenses on an asset (create, change until first sold, withdraw), who sees them, who bought them. */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/api.ts';
import type { LicenseOfferInput, LicenseOfferView } from '../../../shared/payments.ts';
import { checkPrice } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import { authorize } from '../../authz.ts';
import type { Sql } from '../../db.ts';
import type { OfferRow } from '../../repos/money/offers.ts';
import { type MoneyContext, iso, listed, loadAsset } from './context.ts';

/** One offer with its sales; 404 when there is none. */
export async function loadOffer(ctx: Pick<MoneyContext, 'repos'>, sql: Sql, id: string): Promise<OfferRow> {
  const o = await ctx.repos.offers.findOffer(sql, id);
  if (!o) throw new ApiError('not_found', 'no such license offer', 'id', 404);
  return o;
}

function offerView(o: OfferRow): LicenseOfferView {
  return {
    id: o.id,
    assetId: o.asset_id,
    assetName: o.asset_name,
    licenseType: o.license_type,
    priceCents: o.price_cents,
    terms: o.terms,
    active: o.active,
    soldOut: o.sold_out_at !== null,
    purchases: Number(o.purchases),
    revenueCents: Number(o.revenue ?? 0),
    createdAt: iso(o.created_at) as string,
  };
}

export class OffersService {
  constructor(private readonly ctx: MoneyContext) {}

  private view(id: string) {
    return loadOffer(this.ctx, this.ctx.db, id).then(offerView);
  }

  private checkOfferPrice(input: LicenseOfferInput) {
    const check = checkPrice('license', input.priceCents, this.ctx.policy);
    if (!check.ok) throw new ApiError('invalid_price', check.message, check.field, 400);
  }

  async createOffer(user: UserRow, assetId: string, input: LicenseOfferInput): Promise<LicenseOfferView> {
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    if (a.status === 'taken_down') throw new ApiError('taken_down', 'this asset was taken down', 'id', 409);
    this.checkOfferPrice(input);
    const id = randomUUID();
    await this.ctx.repos.offers.insertOffer(this.ctx.db, { id, assetId, ...input });
    return this.view(id);
  }

  async updateOffer(user: UserRow, offerId: string, input: LicenseOfferInput): Promise<LicenseOfferView> {
    const o = await loadOffer(this.ctx, this.ctx.db, offerId);
    authorize(user, 'asset.owner', { ownerId: o.creator_id });
    this.checkOfferPrice(input);
    const immutable = () =>
      new ApiError(
        'terms_immutable',
        'someone has bought this license: its terms can no longer change. Withdraw it and create a new offer instead',
        'id',
        409,
      );
    if (Number(o.purchases) > 0 || o.sold_out_at) throw immutable();
    try {
      await this.ctx.repos.offers.updateOffer(this.ctx.db, offerId, input);
    } catch (e) {
      // The database's trigger is the last word (a purchase may have completed since the read).
      if ((e as { code?: string }).code === '23514') throw immutable();
      throw e;
    }
    return this.view(offerId);
  }

  async withdrawOffer(user: UserRow, offerId: string): Promise<LicenseOfferView> {
    const o = await loadOffer(this.ctx, this.ctx.db, offerId);
    authorize(user, 'asset.owner', { ownerId: o.creator_id });
    await this.ctx.repos.offers.withdrawOffer(this.ctx.db, offerId);
    return this.view(offerId);
  }

  /** Anyone sees the active offers of a published asset; its creator sees all of them, with sales. */
  async offers(user: UserRow | null, assetId: string): Promise<LicenseOfferView[]> {
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    const owner = user?.id === a.creator_id;
    if (!owner && !listed(a)) throw new ApiError('not_found', 'no such asset', 'id', 404);
    const ids = await this.ctx.repos.offers.offerIdsOf(this.ctx.db, assetId, !owner);
    return Promise.all(ids.map((id) => this.view(id)));
  }

  /** The creator sees who bought each license (display name, company, status), never payment details. */
  async offerPurchases(user: UserRow, offerId: string) {
    const o = await loadOffer(this.ctx, this.ctx.db, offerId);
    authorize(user, 'asset.owner', { ownerId: o.creator_id });
    const rows = await this.ctx.repos.offers.offerBuyers(this.ctx.db, offerId);
    return rows.map((p) => ({
      purchaseId: p.id,
      buyer: p.display_name,
      companyName: p.company_name,
      status: p.status,
      paidAt: iso(p.paid_at),
      impressionsUsed: Number(p.impressions_used),
    }));
  }
}
