/**
 * The handlers of the marketplace domain: submitting through the outbox, tracking and appealing a
 * listing, search and listings, their images and media files, the review queue and notifications.
 * Direct calls fail with `offline` while the marketplace is unreachable.
 */
import type { MarketHandlers, MarketOutputs } from '../../../shared/contracts/studio/market.ts';
import { Listings } from '../services/listings.ts';
import { purchaseHandlers } from './purchases.ts';
import type { Remote } from './remote.ts';

const EMPTY_PRICING: MarketOutputs['market.listing']['pricing'] = { model: null, priceCents: null, interval: null, breakdown: null };

/** The image type of a marketplace image, from its first bytes. */
function imageType(bytes: Buffer): string {
  if (bytes[0] === 0x89) return 'image/png';
  if (bytes[0] === 0xff) return 'image/jpeg';
  return bytes.subarray(8, 12).toString() === 'WEBP' ? 'image/webp' : 'application/octet-stream';
}

/** The listing and version a marketplace image path names (`market.image`'s input, checked by its schema). */
function imageRef(path: string): { id: string; version: number | undefined } {
  const u = new URL(path, 'http://marketplace.invalid');
  const version = u.searchParams.get('version');
  return { id: u.pathname.split('/')[3] ?? '', version: version ? Number(version) : undefined };
}

export function marketHandlers({ studio, conn, sync, purchaseFiles }: Remote): MarketHandlers {
  const { client } = conn;
  const listings = new Listings(studio, conn, sync);
  return {
    ...purchaseHandlers(purchaseFiles),
    'market.submit': (i) => {
      // A card added from a purchase whose license allows derivatives declares that listing as its parent.
      const parentAssetId = i.parentAssetId ?? purchaseFiles.declaredParent(i.assetId);
      return sync.enqueue('submit', i.assetId, parentAssetId ? { parentAssetId } : {});
    },
    'market.track': (i) => sync.tracking(i.assetId),
    'market.listings': () => listings.summaries(),
    'market.appeal': async (i) => {
      await client.submissions.appealRejection({ params: { id: sync.remoteId(i.assetId) }, body: { reason: i.reason } });
      await sync.syncNow();
      return { ok: true };
    },
    'market.policy': () => client.discovery.policy({ auth: false }),
    'market.search': (i) =>
      client.discovery.search({
        query: { ...i, sort: i.sort ?? (i.q ? 'relevance' : 'newest'), q: i.q || undefined },
        auth: conn.signedIn,
      }),
    'market.listing': async (i) => {
      const auth = conn.signedIn;
      const params = { id: i.remoteId };
      const [asset, pricing, offers, mine] = await Promise.all([
        client.discovery.getAsset({ params, auth }),
        // A listing that was taken down has no price or offers to show any more.
        client.pricing.getPricing({ params, auth }).catch(() => EMPTY_PRICING),
        client.licenses.licenseOffers({ params, auth }).catch(() => []),
        auth ? client.purchases.myPurchases().catch(() => []) : Promise.resolve([]),
      ]);
      const p = mine.find((x) => x.assetId === i.remoteId && x.status === 'paid' && x.kind !== 'top_up');
      return {
        asset,
        pricing,
        offers,
        owned: p ? { purchaseId: p.id, kind: p.kind, licenseType: p.licenseType } : null,
        localAssetId: sync.localIdOf(i.remoteId),
      };
    },
    'market.queue': () => client.review.reviewQueue(),
    'market.claim': async (i) => {
      await client.review.claimReviewItem({ params: { itemId: String(i.itemId) } });
      return { ok: true };
    },
    'market.decide': async (i) => {
      await client.review.decideReviewItem({ params: { itemId: String(i.itemId) }, body: i.decision });
      return { ok: true };
    },
    'market.notifications': async () => {
      if (conn.signedIn) await sync.syncNow().catch(() => undefined);
      return sync.notifications();
    },
    'market.markRead': async (i) => {
      await client.notifications.markNotificationRead({ params: { id: String(i.id) } });
      await sync.syncNow();
      return { ok: true };
    },
    'market.mediaSource': (i) => conn.mediaSource(i.assetId, i.version),
    'market.image': async (i) => {
      const { id, version } = imageRef(i.path);
      const raw = await client.media.assetImage({ params: { id }, query: { version }, auth: conn.signedIn });
      const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      return { dataUrl: `data:${imageType(bytes)};base64,${bytes.toString('base64')}` };
    },
  };
}
