/**
 * The handlers of the marketplace domain: submitting through the outbox, tracking and appealing a
 * listing, search and listings, their images and media files, the review queue and notifications.
 * Direct calls fail with `offline` while the marketplace is unreachable.
 */
import type { MarketHandlers, MarketOutputs } from '../../../shared/contracts/studio/market.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import type { Remote } from './remote.ts';

const EMPTY_PRICING: MarketOutputs['market.listing']['pricing'] = { model: null, priceCents: null, interval: null, breakdown: null };

/** The image type of a marketplace image, from its first bytes. */
function imageType(bytes: Buffer): string {
  if (bytes[0] === 0x89) return 'image/png';
  if (bytes[0] === 0xff) return 'image/jpeg';
  return bytes.subarray(8, 12).toString() === 'WEBP' ? 'image/webp' : 'application/octet-stream';
}

export function marketHandlers({ conn, sync, postJson, get }: Remote): MarketHandlers {
  return {
    'market.submit': (i) => sync.enqueue('submit', i.assetId, i.parentAssetId ? { parentAssetId: i.parentAssetId } : {}),
    'market.track': (i) => sync.tracking(i.assetId),
    'market.appeal': async (i) => {
      await postJson(`/v1/assets/${sync.remoteId(i.assetId)}/appeal`, { reason: i.reason });
      await sync.syncNow();
      return { ok: true };
    },
    'market.policy': () => conn.request('GET', '/v1/policy', { auth: false }),
    'market.search': (i) =>
      conn.request('GET', `/v1/search?sort=${i.q ? 'relevance' : 'newest'}${i.q ? `&q=${encodeURIComponent(i.q)}` : ''}`, {
        auth: conn.signedIn,
      }),
    'market.listing': async (i) => {
      const auth = conn.signedIn;
      const [asset, pricing, offers] = await Promise.all([
        conn.request<AssetView>('GET', `/v1/assets/${i.remoteId}`, { auth }),
        // A listing that was taken down has no price or offers to show any more.
        conn
          .request<MarketOutputs['market.listing']['pricing']>('GET', `/v1/assets/${i.remoteId}/pricing`, { auth })
          .catch(() => EMPTY_PRICING),
        conn.request<MarketOutputs['market.listing']['offers']>('GET', `/v1/assets/${i.remoteId}/licenses`, { auth }).catch(() => []),
      ]);
      return { asset, pricing, offers };
    },
    'market.queue': () => get('/v1/moderation/queue'),
    'market.claim': async (i) => {
      await postJson(`/v1/moderation/items/${i.itemId}/claim`);
      return { ok: true };
    },
    'market.decide': async (i) => {
      await postJson(`/v1/moderation/items/${i.itemId}/decision`, i.decision);
      return { ok: true };
    },
    'market.notifications': async () => {
      if (conn.signedIn) await sync.syncNow().catch(() => undefined);
      return sync.notifications();
    },
    'market.markRead': async (i) => {
      await postJson(`/v1/notifications/${i.id}/read`);
      await sync.syncNow();
      return { ok: true };
    },
    'market.mediaSource': (i) => conn.source(`/v1/assets/${i.assetId}/media${i.version !== undefined ? `?version=${i.version}` : ''}`),
    'market.image': async (i) => {
      const bytes = await conn.request<Buffer>('GET', i.path, { auth: conn.signedIn, bytes: true });
      return { dataUrl: `data:${imageType(bytes)};base64,${bytes.toString('base64')}` };
    },
  };
}
