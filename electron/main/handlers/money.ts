/**
 * The handlers of the money domain: prices and license offers (written through the outbox),
 * earnings (the last figures pulled when offline), sales, payouts, purchases, balance, refunds
 * and disputes.
 */
import type { MoneyHandlers, MoneyOutputs } from '../../../shared/contracts/studio/money.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import type { Remote } from './remote.ts';

export function moneyHandlers({ conn, sync, get, postJson }: Remote): MoneyHandlers {
  // Checkouts started here are watched until they settle (pushed as market.purchaseSettled).
  const checkout = (p: Promise<PurchaseView>) => p.then((v) => sync.purchases.watch(v));
  return {
    'market.pricing': (i) => get(`/v1/assets/${sync.remoteId(i.assetId)}/pricing`),
    'market.setPricing': (i) => sync.enqueue('pricing', i.assetId, i.pricing as unknown as Record<string, unknown>),
    'market.recommend': (i) => get(`/v1/assets/${sync.remoteId(i.assetId)}/pricing/recommendation${i.model ? `?model=${i.model}` : ''}`),
    'market.offers': (i) => get(`/v1/assets/${sync.remoteId(i.assetId)}/licenses`),
    'market.createOffer': (i) => sync.enqueue('offer', i.assetId, i.offer as unknown as Record<string, unknown>),
    'market.withdrawOffer': (i) => postJson(`/v1/licenses/${i.offerId}/withdraw`),
    'market.offerPurchases': (i) => get(`/v1/licenses/${i.offerId}/purchases`),
    'market.earnings': async (i) => {
      try {
        const live = await get<MoneyOutputs['market.earnings']>(`/v1/me/earnings?period=${i.period}`);
        sync.cacheEarnings(i.period, live);
        return { ...live, cachedAt: null };
      } catch (e) {
        // Offline: the last figures pulled, saying from when.
        const cached = e instanceof ApiError && e.code === 'offline' ? sync.cachedEarnings(i.period) : null;
        if (!cached) throw e;
        return { ...(cached.summary as MoneyOutputs['market.earnings']), cachedAt: cached.at };
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
        return await postJson<MoneyOutputs['market.payoutNow']>('/v1/me/payouts');
      } catch (e) {
        if (e instanceof ApiError && e.code === 'nothing_to_pay') return null;
        throw e;
      }
    },
    'market.buy': (i) => checkout(postJson(`/v1/assets/${i.remoteId}/purchase`)),
    'market.buyLicense': (i) => checkout(postJson(`/v1/licenses/${i.offerId}/purchase`)),
    'market.purchases': () => get('/v1/me/purchases'),
    'market.balance': () => get('/v1/me/balance'),
    'market.topUp': (i) => checkout(postJson('/v1/me/balance/top-up', { amountCents: i.amountCents })),
    'market.purchase': (i) => get<PurchaseView>(`/v1/purchases/${i.id}`).then((p) => sync.purchases.seen(p)),
    'market.refund': (i) => postJson(`/v1/purchases/${i.id}/refund`, { reason: i.reason, ...(i.details ? { details: i.details } : {}) }),
    'market.dispute': (i) => postJson(`/v1/purchases/${i.id}/disputes`, { reason: i.reason }),
    'market.disputes': () => get('/v1/disputes'),
  };
}
