/** Checkout: buying an asset, a license or prepaid balance — a pending purchase (holding an exclusive license), then the processor's checkout session. */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/api.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import type { UserRow } from '../../auth.ts';
import { isUniqueViolation } from '../../db.ts';
import { type MoneyContext, forSale, loadAsset } from './context.ts';
import type { FulfilmentService } from './fulfilment.ts';
import { loadOffer } from './offers.ts';
import type { PurchasesService } from './purchases.ts';

interface CheckoutOrder {
  kind: PurchaseView['kind'];
  assetId?: string;
  version?: number;
  offerId?: string;
  exclusive?: boolean;
  amountCents: number;
  label: string;
  interval?: 'month' | 'year';
  returnUrl?: string | undefined;
  companyName?: string | undefined;
}

export class CheckoutService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly purchases: Pick<PurchasesService, 'purchaseView'>,
    private readonly fulfilment: Pick<FulfilmentService, 'fulfil'>,
  ) {}

  async buyAsset(user: UserRow, assetId: string, input: { returnUrl?: string | undefined }): Promise<PurchaseView> {
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    const version = forSale(a);
    if (a.creator_id === user.id) throw new ApiError('own_asset', 'you cannot buy your own asset', 'id', 409);
    if (!a.pricing_model || a.price_cents === null)
      throw new ApiError('not_for_sale', 'the creator has not priced this asset yet', 'id', 409);
    if (a.pricing_model === 'per_use')
      throw new ApiError('per_use', 'this asset is paid per use from your prepaid balance: POST /v1/assets/{id}/use', 'id', 409);
    if (await this.ctx.repos.purchases.ownsAsset(this.ctx.db, user.id, assetId, a.pricing_model))
      throw new ApiError(
        a.pricing_model === 'subscription' ? 'already_subscribed' : 'already_owned',
        'you already own this asset',
        'id',
        409,
      );
    const months = a.pricing_model === 'subscription' && a.billing_interval === 'year' ? 12 : 1;
    return this.startCheckout(user, {
      kind: a.pricing_model,
      assetId,
      version,
      amountCents: a.price_cents * months,
      label: a.name,
      interval: a.billing_interval ?? 'month',
      returnUrl: input.returnUrl,
    });
  }

  async buyLicense(user: UserRow, offerId: string, input: { returnUrl?: string | undefined; companyName?: string | undefined }) {
    const o = await loadOffer(this.ctx, this.ctx.db, offerId);
    const a = await loadAsset(this.ctx, this.ctx.db, o.asset_id);
    const version = forSale(a);
    if (o.creator_id === user.id) throw new ApiError('own_asset', 'you cannot license your own asset', 'id', 409);
    if (!o.active || o.sold_out_at)
      throw new ApiError('license_unavailable', 'this license is no longer offered (withdrawn or sold exclusively)', 'id', 409);
    return this.startCheckout(user, {
      kind: 'license',
      assetId: a.id,
      version,
      offerId,
      exclusive: o.license_type === 'exclusive',
      amountCents: o.price_cents,
      label: `${a.name} — ${o.license_type.replace('_', '-')} license`,
      returnUrl: input.returnUrl,
      companyName: input.companyName,
    });
  }

  async topUp(user: UserRow, input: { amountCents: number; returnUrl?: string | undefined }) {
    return this.startCheckout(user, {
      kind: 'top_up',
      amountCents: input.amountCents,
      label: 'Prepaid balance',
      returnUrl: input.returnUrl,
    });
  }

  private async startCheckout(user: UserRow, o: CheckoutOrder): Promise<PurchaseView> {
    const { purchases } = this.ctx.repos;
    const id = randomUUID();
    const holdMinutes = this.ctx.policy.exclusiveHoldMinutes;
    const holdUntil = new Date(Date.now() + holdMinutes * 60_000);
    let released: string[] = [];
    try {
      released = await this.ctx.db.tx(async (sql) => {
        const expired = o.exclusive ? await purchases.expireStaleHolds(sql, o.offerId) : [];
        await purchases.insertPurchase(sql, {
          id,
          buyerId: user.id,
          assetId: o.assetId ?? null,
          version: o.version ?? null,
          kind: o.kind,
          offerId: o.offerId ?? null,
          exclusive: Boolean(o.exclusive),
          amountCents: o.amountCents,
          reservedUntil: o.exclusive ? holdUntil : null,
          companyName: o.companyName ?? null,
        });
        return expired;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'purchases_exclusive_once'))
        throw new ApiError(
          'license_unavailable',
          `this exclusive license is sold, or another buyer is checking out (a checkout holds it up to ${holdMinutes} minutes)`,
          'id',
          409,
        );
      throw e;
    }
    for (const s of released) await this.ctx.processor.expireCheckout(s, `expire:${s}`).catch(() => undefined);
    if (o.amountCents === 0) {
      // A free license (only where the policy allows it): no processor involved.
      await this.fulfilment.fulfil(id, null);
      return this.purchases.purchaseView(id);
    }
    const ret = o.returnUrl ?? `${this.ctx.publicUrl}checkout/complete?purchase=${id}`;
    let session: { id: string; url: string | null };
    try {
      session = await this.ctx.processor.createCheckout(
        {
          purchaseId: id,
          kind: o.kind,
          subscription: o.kind === 'subscription',
          amountCents: o.amountCents,
          label: o.label,
          interval: o.interval ?? 'month',
          customerEmail: user.email,
          successUrl: ret,
          cancelUrl: `${ret}${ret.includes('?') ? '&' : '?'}cancelled=1`,
          expiresAt: o.exclusive ? holdUntil : null,
        },
        `checkout:${id}`,
      );
    } catch (e) {
      await purchases.markFailed(this.ctx.db, id);
      throw new ApiError('processor_error', `the payment processor refused the checkout: ${(e as Error).message}`, undefined, 502);
    }
    await purchases.setCheckout(this.ctx.db, id, session.id, session.url);
    return this.purchases.purchaseView(id);
  }
}
