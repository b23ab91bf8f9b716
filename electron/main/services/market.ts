/**
 * The connected studio's handlers: account, settings, sync, and the marketplace screens (submit,
 * pricing, licensing, earnings, purchases, review queue, notifications). Writes that must not be
 * lost (submissions, prices, license offers) go through the outbox; the rest are direct calls,
 * which fail with `offline` while the marketplace is unreachable.
 */
import { ApiError, type ApiOutput, type ApiParsedInput } from '../../../shared/api.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import { type ProvenanceProof, type TrustedKey, verifyProof } from '../../../shared/provenance.ts';
import type { Handlers } from '../handlers.ts';
import type { Connection } from './connection.ts';
import type { Studio } from './studio.ts';
import type { SyncEngine } from './sync.ts';

type MarketMethod = Extract<
  keyof Handlers,
  `settings.${string}` | `account.${string}` | `sync.${string}` | `market.${string}` | `trust.${string}`
>;

export function marketHandlers(studio: Studio, conn: Connection, sync: SyncEngine): Pick<Handlers, MarketMethod> {
  const get = <T>(path: string) => conn.request<T>('GET', path);
  const postJson = <T>(path: string, json: unknown = {}) => conn.request<T>('POST', path, { json });
  const tracking = (assetId: string): ApiOutput<'market.track'> => sync.tracking(assetId);
  // Checkouts started here are watched until they settle (pushed as market.purchaseSettled).
  const checkout = (p: Promise<PurchaseView>) => p.then((v) => sync.purchases.watch(v));
  const afterAccountChange = async () => {
    await sync.syncNow();
    return conn.status();
  };
  return {
    'settings.get': () => ({ marketplaceUrl: conn.settings.marketplaceUrl }),
    'settings.set': async (i) => {
      const r = await conn.setSettings({ marketplaceUrl: i.marketplaceUrl });
      if (r.changed) void sync.syncNow();
      return { marketplaceUrl: conn.settings.marketplaceUrl, changed: r.changed };
    },
    'account.status': () => conn.status(),
    'account.signUp': async (i) => {
      await conn.signUp(i);
      return afterAccountChange();
    },
    'account.signIn': async (i) => {
      await conn.signIn(i);
      return afterAccountChange();
    },
    'account.signOut': () => conn.signOut(),
    'sync.status': () => sync.status(),
    'sync.now': async () => {
      await sync.syncNow({ retryNow: true });
      return sync.status();
    },
    'sync.retry': (i) => sync.retry(i.opId, i.parentAssetId ? { parentAssetId: i.parentAssetId } : {}),
    'sync.discard': (i) => sync.discard(i.opId),
    'sync.resolve': async (i) => {
      await sync.resolve(i.assetId, i.keep);
      return tracking(i.assetId);
    },
    'market.submit': (i) => sync.enqueue('submit', i.assetId, i.parentAssetId ? { parentAssetId: i.parentAssetId } : {}),
    'market.track': (i) => tracking(i.assetId),
    'market.appeal': async (i) => {
      await postJson(`/v1/assets/${sync.remoteId(i.assetId)}/appeal`, { reason: i.reason });
      await sync.syncNow();
      return { ok: true };
    },
    'market.pricing': (i) => get(`/v1/assets/${sync.remoteId(i.assetId)}/pricing`),
    'market.setPricing': (i) => sync.enqueue('pricing', i.assetId, i.pricing as unknown as Record<string, unknown>),
    'market.recommend': (i) => get(`/v1/assets/${sync.remoteId(i.assetId)}/pricing/recommendation${i.model ? `?model=${i.model}` : ''}`),
    'market.offers': (i) => get(`/v1/assets/${sync.remoteId(i.assetId)}/licenses`),
    'market.createOffer': (i) => sync.enqueue('offer', i.assetId, i.offer as unknown as Record<string, unknown>),
    'market.withdrawOffer': (i) => postJson(`/v1/licenses/${i.offerId}/withdraw`),
    'market.offerPurchases': (i) => get(`/v1/licenses/${i.offerId}/purchases`),
    'market.policy': () => conn.request('GET', '/v1/policy', { auth: false }),
    'market.earnings': async (i) => {
      try {
        const live = await get<ApiOutput<'market.earnings'>>(`/v1/me/earnings?period=${i.period}`);
        sync.cacheEarnings(i.period, live);
        return { ...live, cachedAt: null };
      } catch (e) {
        // Offline: the last figures pulled, saying from when.
        const cached = e instanceof ApiError && e.code === 'offline' ? sync.cachedEarnings(i.period) : null;
        if (!cached) throw e;
        return { ...(cached.summary as ApiOutput<'market.earnings'>), cachedAt: cached.at };
      }
    },
    'market.sales': () => get('/v1/me/sales?limit=500'),
    'market.payouts': () => get('/v1/me/payouts'),
    'market.csv': async (i) => ({
      fileName: `originals-${i.kind}.csv`,
      csv: await conn.request<string>('GET', `/v1/me/earnings.csv?kind=${i.kind}`, { text: true }),
    }),
    'market.payoutAccount': () => postJson('/v1/me/payout-account'),
    'market.payoutNow': async () => {
      try {
        return await postJson<{ id: string; amountCents: number }>('/v1/me/payouts');
      } catch (e) {
        if (e instanceof ApiError && e.code === 'nothing_to_pay') return null;
        throw e;
      }
    },
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
          .request<ApiOutput<'market.pricing'>>('GET', `/v1/assets/${i.remoteId}/pricing`, { auth })
          .catch(() => ({ model: null, priceCents: null, interval: null, breakdown: null })),
        conn.request<ApiOutput<'market.offers'>>('GET', `/v1/assets/${i.remoteId}/licenses`, { auth }).catch(() => []),
      ]);
      return { asset, pricing, offers };
    },
    'market.buy': (i) => checkout(postJson(`/v1/assets/${i.remoteId}/purchase`)),
    'market.buyLicense': (i) => checkout(postJson(`/v1/licenses/${i.offerId}/purchase`)),
    'market.purchases': () => get('/v1/me/purchases'),
    'market.balance': () => get('/v1/me/balance'),
    'market.topUp': (i) => checkout(postJson('/v1/me/balance/top-up', { amountCents: i.amountCents })),
    'market.purchase': (i) => get<PurchaseView>(`/v1/purchases/${i.id}`).then((p) => sync.purchases.seen(p)),
    'market.refund': (i: ApiParsedInput<'market.refund'>) =>
      postJson(`/v1/purchases/${i.id}/refund`, { reason: i.reason, ...(i.details ? { details: i.details } : {}) }),
    'market.dispute': (i) => postJson(`/v1/purchases/${i.id}/disputes`, { reason: i.reason }),
    'market.disputes': () => get('/v1/disputes'),
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
    'market.mediaSource': (i) => conn.source(`/v1/assets/${i.assetId}/media${i.version !== undefined ? `?version=${i.version}` : ''}`),
    'market.image': async (i) => {
      const bytes = await conn.request<Buffer>('GET', i.path, { auth: conn.signedIn, bytes: true });
      const type =
        bytes[0] === 0x89
          ? 'image/png'
          : bytes[0] === 0xff
            ? 'image/jpeg'
            : bytes.subarray(8, 12).toString() === 'WEBP'
              ? 'image/webp'
              : 'application/octet-stream';
      return { dataUrl: `data:${type};base64,${bytes.toString('base64')}` };
    },
    'trust.reputation': (i) => {
      const id = i.creatorId ?? conn.user?.id;
      if (!id) throw new ApiError('signed_out', 'sign in to see your reputation', undefined, 401);
      return conn.request('GET', `/v1/creators/${id}/reputation`, { auth: false });
    },
    'trust.report': (i) => conn.request('POST', `/v1/assets/${i.remoteId}/reports`, { json: { kind: i.kind, details: i.details } }),
    'trust.myCases': () => get('/v1/me/cases'),
    'trust.appeal': (i) => postJson(`/v1/moderation/cases/${i.caseId}/appeal`, { reason: i.reason }),
    'trust.cases': (i) => get(`/v1/moderation/cases?state=${i.state}`),
    'trust.decideCase': (i) =>
      postJson(`/v1/moderation/cases/${i.caseId}/decision`, {
        action: i.action,
        reason: i.reason,
        ...(i.strike !== undefined ? { strike: i.strike } : {}),
      }),
    'trust.decideAppeal': (i) => postJson(`/v1/moderation/cases/${i.caseId}/appeal-decision`, { decision: i.decision, reason: i.reason }),
    'trust.provenance': async (i) => {
      // Verified here against the keys pinned for this marketplace on first use — never the key the proof carries.
      const proof = await conn.request<ProvenanceProof>('GET', `/v1/assets/${i.remoteId}/provenance`, { auth: conn.signedIn });
      const listed = await conn
        .request<{ keys: TrustedKey[] }>('GET', '/v1/provenance/keys', { auth: false })
        .then((r) => r.keys)
        .catch(() => null);
      const pins = conn.keyPins.resolve(conn.server ?? 'none', listed);
      const r = await verifyProof(proof, pins.keys);
      return { proof, verified: r.ok, problem: r.ok ? null : r.reason, keyWarning: pins.warning };
    },
    'trust.badges': (i) => conn.request('GET', `/v1/assets/${i.remoteId}/badges`, { auth: false }),
    'market.markRead': async (i) => {
      await postJson(`/v1/notifications/${i.id}/read`);
      await sync.syncNow();
      return { ok: true };
    },
  };
}
