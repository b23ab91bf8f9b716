/** The marketplace through the studio process: browse, buy, publish, price, license, earn, review (data calls and loaders). */
import type { ApiInput } from '@shared/api.ts';
import type { PricingModel } from '@shared/policy/money.ts';
import { api, onPush } from '../api.ts';
import { useLoad } from './load.ts';

// Browse and buy.
export const useSearch = (query: ApiInput<'market.search'>) => useLoad(() => api.call('market.search', query), [JSON.stringify(query)]);
export const useListing = (remoteId: string) => useLoad(() => api.call('market.listing', { remoteId }), [remoteId]);
export const buy = (remoteId: string) => api.call('market.buy', { remoteId });
export const buyLicense = (offerId: string) => api.call('market.buyLicense', { offerId });
export const getPurchase = (id: string) => api.call('market.purchase', { id });
export const usePurchases = () => useLoad(() => api.call('market.purchases', {}), []);
export const useBalance = (deps: unknown[]) => useLoad(() => api.call('market.balance', {}), deps);
export const topUp = (amountCents: number) => api.call('market.topUp', { amountCents });
export const refund = (input: ApiInput<'market.refund'>) => api.call('market.refund', input);
export const dispute = (id: string, reason: string) => api.call('market.dispute', { id, reason });

// What a purchase delivers: its files saved in the studio's data folder, and the card added to the library.
export const downloadPurchase = (purchaseId: string) => api.call('market.download', { purchaseId });
export const useDownloads = (deps: unknown[]) => useLoad(() => api.call('market.downloads', {}), deps);
export const addToLibrary = (purchaseId: string) => api.call('market.addToLibrary', { purchaseId });
/** The link that downloads one saved file of a purchase (the studio serves it). */
/** Calls back whenever a checkout started in this studio settles (paid, failed, expired); returns the unsubscribe. */
export const onPurchaseSettled = (fn: () => void) => onPush('market.purchaseSettled', fn);
export const purchaseFileUrl = (purchaseId: string, name: string) => api.purchaseFileUrl({ purchaseId, name });

// Publish: submission, its progress, appeal.
export const submit = (assetId: string) => api.call('market.submit', { assetId });
export const track = (assetId: string) => api.call('market.track', { assetId });
export const appeal = (assetId: string, reason: string) => api.call('market.appeal', { assetId, reason });

// Pricing and licenses.
export const usePricing = (assetId: string, version: number) => useLoad(() => api.call('market.pricing', { assetId }), [assetId, version]);
export const setPricing = (input: ApiInput<'market.setPricing'>) => api.call('market.setPricing', input);
export const recommend = (assetId: string, model: PricingModel) => api.call('market.recommend', { assetId, model });
export const usePolicy = () => useLoad(() => api.call('market.policy', {}), []);
export const useOffers = (assetId: string, version: number) => useLoad(() => api.call('market.offers', { assetId }), [assetId, version]);
export const createOffer = (input: ApiInput<'market.createOffer'>) => api.call('market.createOffer', input);
export const withdrawOffer = (offerId: string) => api.call('market.withdrawOffer', { offerId });
export const useOfferPurchases = (offerId: string) => useLoad(() => api.call('market.offerPurchases', { offerId }), [offerId]);

// Earnings.
export const useEarnings = (period: ApiInput<'market.earnings'>['period']) =>
  useLoad(() => api.call('market.earnings', { period }), [period]);
export const useSales = () => useLoad(() => api.call('market.sales', {}), []);
export const usePayouts = () => useLoad(() => api.call('market.payouts', {}), []);
export const exportCsv = (kind: 'sales' | 'payouts') => api.call('market.csv', { kind });
export const connectPayoutAccount = () => api.call('market.payoutAccount', {});
export const payoutNow = () => api.call('market.payoutNow', {});

// Review queue (moderators).
export const useQueue = () => useLoad(() => api.call('market.queue', {}), []);
export async function decide(itemId: number, decision: ApiInput<'market.decide'>['decision']) {
  await api.call('market.claim', { itemId });
  return api.call('market.decide', { itemId, decision });
}

/** A marketplace image through the main process (the page never talks to the marketplace); cached per path. */
const imageCache = new Map<string, Promise<string>>();
export function marketImage(path: string | null): Promise<string> | null {
  if (!path) return null;
  const clean = path.replace(/^https?:\/\/[^/]+/, '');
  let p = imageCache.get(clean);
  if (!p) {
    p = api.call('market.image', { path: clean }).then((r) => r.dataUrl);
    imageCache.set(clean, p);
  }
  return p;
}
