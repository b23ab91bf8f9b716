/**
 * The studio's contract, marketplace domain: publishing a local asset (submit, track, appeal),
 * browsing listings (search, a listing, its image and media file), the review queue, notifications
 * and the marketplace's policy. Outputs the marketplace answers with are the types of its schemas.
 */
import { z } from 'zod';
import { MarketMediaRequest } from '../../media-files.ts';
import type { ListingSummary } from '../../listings.ts';
import { type AssetView, Decision, type NotificationView, type QueueItem, SearchQuery, type SearchResult } from '../../marketplace.ts';
import type { LicenseOfferView, PurchaseView } from '../../payments.ts';
import { PolicyView } from '../marketplace/schemas.ts';
import { type HandlerMap, id } from './common.ts';
import type { PricingView } from './money.ts';
import { type PurchaseOutputs, purchaseInputs } from './purchases.ts';
import type { OutboxOpView, Tracking } from './sync.ts';

export const marketInputs = {
  'market.submit': z.object({ assetId: id, parentAssetId: z.string().uuid().optional() }),
  'market.track': z.object({ assetId: id }),
  /** Every library asset's marketplace state, price and sales, as last synced (works offline). */
  'market.listings': z.object({}),
  'market.appeal': z.object({ assetId: id, reason: z.string().trim().min(3, 'give the moderator a reason').max(2000) }),
  'market.policy': z.object({}),
  'market.search': SearchQuery.partial(),
  'market.listing': z.object({ remoteId: z.string().uuid() }),
  'market.queue': z.object({}),
  'market.claim': z.object({ itemId: z.number().int().min(1) }),
  'market.decide': z.object({ itemId: z.number().int().min(1), decision: Decision }),
  'market.notifications': z.object({}),
  'market.markRead': z.object({ id: z.number().int().min(1) }),
  // Internal: the main process (Electron's app:// protocol, browser mode's file route) streams a
  // marketplace media file with this; the page only ever gets the studio-relative URL.
  'market.mediaSource': MarketMediaRequest,
  ...purchaseInputs,
  'market.image': z.object({
    path: z.string().regex(/^\/v1\/assets\/[0-9a-f-]{36}\/image(\?[\w=&.-]*)?$/, 'must be a marketplace image path'),
  }),
} as const;

export interface MarketOutputs extends PurchaseOutputs {
  'market.submit': OutboxOpView;
  'market.track': Tracking;
  'market.listings': ListingSummary[];
  'market.appeal': { ok: true };
  'market.policy': z.infer<typeof PolicyView>;
  'market.search': SearchResult;
  /** owned: the signed-in buyer's paid purchase of this listing (a license, the asset, a subscription), if any. */
  'market.listing': {
    asset: AssetView;
    pricing: PricingView;
    offers: LicenseOfferView[];
    owned: { purchaseId: string; kind: PurchaseView['kind']; licenseType: PurchaseView['licenseType'] } | null;
    /** The creator's own local asset this listing was published from, when it is in this studio. */
    localAssetId: string | null;
  };
  'market.queue': QueueItem[];
  'market.claim': { ok: true };
  'market.decide': { ok: true };
  'market.notifications': NotificationView[];
  'market.markRead': { ok: true };
  'market.mediaSource': { url: string; authorization: string | null };
  'market.image': { dataUrl: string };
}

export type MarketHandlers = HandlerMap<typeof marketInputs, MarketOutputs>;
