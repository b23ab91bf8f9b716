/**
 * Delivering a purchase: the card of the version bought, the marketplace paths of its files (image,
 * audio/video) and the license as a plain-text document — for the purchase's buyer only, and only
 * while the purchase holds (paid, not refunded, the license not expired, the subscription running). Anyone else is refused
 * with 403; an unknown purchase is a 404.
 */
import { ApiError } from '../../../shared/api.ts';
import type { PurchaseDelivery } from '../../../shared/purchase-delivery.ts';
import { licenseText, wordsFor } from '../../../shared/license-words.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import type { UserRow } from '../../auth.ts';
import type { PurchaseRow } from '../../repos/money/purchases.ts';
import { type MoneyContext, iso } from './context.ts';

export type PurchaseDeliveryView = PurchaseDelivery;

/** Reads a version of a listing as a given user sees it (the listings service). */
export interface DeliveryListings {
  getAsset(user: UserRow | null, id: string, version?: number): Promise<AssetView>;
}

/** Why a purchase delivers nothing now, or null when it does (exported for the tests of the rule). */
export function refusal(p: PurchaseRow, user: UserRow, now = new Date()): ApiError | null {
  if (p.buyer_id !== user.id) return new ApiError('forbidden', 'only the buyer of this purchase can download it', 'id', 403);
  if (p.kind === 'top_up' || !p.asset_id || p.version === null)
    return new ApiError('nothing_to_download', 'a balance top-up has no files', 'id', 409);
  if (p.status === 'refunded') return new ApiError('refunded', 'this purchase was refunded: its files are no longer yours', 'id', 403);
  if (p.status !== 'paid') return new ApiError('not_paid', `this purchase is ${p.status}, not paid`, 'id', 403);
  const expires = p.license_expires_at ? new Date(p.license_expires_at) : null;
  if (expires && expires.getTime() <= now.getTime()) return new ApiError('license_expired', 'this license has expired', 'id', 403);
  return null;
}

export class DeliveryService {
  constructor(
    private readonly ctx: Pick<MoneyContext, 'db' | 'repos' | 'publicUrl'>,
    private readonly listings: DeliveryListings,
  ) {}

  async delivery(user: UserRow, purchaseId: string): Promise<PurchaseDeliveryView> {
    const p = await this.ctx.repos.purchases.findPurchase(this.ctx.db, purchaseId);
    if (!p) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    const refused = refusal(p, user);
    if (refused) throw refused;
    if (p.kind === 'subscription') {
      // A subscription delivers while it runs ('canceling' runs to the end of its period).
      const sub = p.subscription_id ? await this.ctx.repos.subscriptions.findSubscription(this.ctx.db, p.subscription_id) : undefined;
      if (!sub || (sub.status !== 'active' && sub.status !== 'canceling'))
        throw new ApiError('subscription_ended', 'this subscription has ended: subscribe again to download', 'id', 403);
    }
    const assetId = p.asset_id as string;
    const version = p.version as number;
    const kind = p.kind as PurchaseDeliveryView['kind'];
    const a = await this.listings.getAsset(user, assetId, version);
    const words = wordsFor(kind, p.license_type);
    const q = `?version=${version}`;
    const mediaType = (a.card.media as { type?: string } | undefined)?.type;
    const files: PurchaseDeliveryView['files'] = [
      ...(a.imageUrl ? [{ kind: 'image' as const, path: `/v1/assets/${assetId}/image${q}` }] : []),
      ...(mediaType === 'audio' || mediaType === 'video' ? [{ kind: 'media' as const, path: `/v1/assets/${assetId}/media${q}` }] : []),
    ];
    const expiresAt = iso(p.license_expires_at);
    return {
      purchaseId: p.id,
      kind,
      asset: {
        id: assetId,
        name: a.name,
        version,
        assetType: a.assetType,
        creatorName: a.creatorName,
        parentAssetId: a.parentAssetId,
        card: a.card,
      },
      license: {
        type: p.license_type,
        title: words.title,
        key: p.license_key,
        terms: p.license_terms,
        expiresAt,
        derivativesAllowed: words.derivatives,
        text: licenseText({
          purchaseId: p.id,
          kind,
          licenseType: p.license_type,
          licenseKey: p.license_key,
          terms: p.license_terms,
          expiresAt,
          paidAt: iso(p.paid_at),
          asset: { id: assetId, name: a.name, version, creatorName: a.creatorName },
          buyerName: user.display_name,
          marketplace: this.ctx.publicUrl,
        }),
      },
      files,
    };
  }
}
