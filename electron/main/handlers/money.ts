/**
 * The handlers of the money domain: prices and license offers (written through the outbox; an
 * asset not submitted yet reads its price from the outbox, where it waits for the first submission),
 * earnings (the last figures pulled when offline), sales, payouts, purchases, balance, refunds
 * and disputes — each a call of the generated marketplace client, answers parsed by the contract.
 */
import type { MoneyHandlers, PricingView } from '../../../shared/contracts/studio/money.ts';
import { ApiError } from '../../../shared/errors.ts';
import { PricingInput, type PurchaseView } from '../../../shared/payments.ts';
import { MONEY_POLICY, type MoneyPolicy, recommendPrice } from '../../../shared/policy/money.ts';
import type { OutboxOpView } from '../../../shared/api.ts';
import type { Remote } from './remote.ts';

/**
 * The price of an asset never submitted: the newest one set while preparing it, waiting in the
 * outbox for the first submission (read back with the schema it was queued with), or none.
 */
export function queuedPricing(ops: readonly OutboxOpView[]): PricingView {
  const op = [...ops].reverse().find((o) => o.kind === 'pricing' && o.state !== 'done');
  const p = op ? PricingInput.safeParse(op.payload) : null;
  if (!p?.success) return { model: null, priceCents: null, interval: null, breakdown: null };
  return {
    model: p.data.model,
    priceCents: p.data.priceCents,
    interval: p.data.model === 'subscription' ? (p.data.interval ?? 'month') : null,
    breakdown: null,
  };
}

export function moneyHandlers({ studio, conn, sync, purchaseFiles }: Remote): MoneyHandlers {
  const { client } = conn;
  // Checkouts started here are watched until they settle (pushed as market.purchaseSettled).
  const checkout = (p: Promise<PurchaseView>) => p.then((v) => sync.purchases.watch(v));
  const asset = (assetId: string) => ({ id: sync.remoteId(assetId) });
  // An asset not on the marketplace yet is priced and licensed here; its first submission takes both there.
  const listed = (assetId: string) => sync.link(assetId) !== null;
  return {
    'market.pricing': (i) =>
      listed(i.assetId) ? client.pricing.getPricing({ params: asset(i.assetId) }) : Promise.resolve(queuedPricing(sync.outbox(i.assetId))),
    'market.setPricing': (i) => sync.enqueue('pricing', i.assetId, i.pricing as unknown as Record<string, unknown>),
    'market.recommend': async (i) => {
      if (listed(i.assetId)) return client.pricing.pricingRecommendation({ params: asset(i.assetId), query: { model: i.model } });
      // Before the first submission: the marketplace's rule on this card's type, with no reviews yet.
      const policy = await client.discovery
        .policy({ auth: false })
        .then((p) => p.money as unknown as MoneyPolicy)
        .catch(() => MONEY_POLICY);
      const reputation = conn.user ? Number(conn.user.reputation) : null;
      return recommendPrice(
        { assetType: studio.get(i.assetId).card.asset_type, model: i.model ?? 'one_time', quality: null, reputation },
        policy,
      );
    },
    'market.offers': (i) => (listed(i.assetId) ? client.licenses.licenseOffers({ params: asset(i.assetId) }) : Promise.resolve([])),
    'market.createOffer': (i) => sync.enqueue('offer', i.assetId, i.offer as unknown as Record<string, unknown>),
    'market.withdrawOffer': (i) => client.licenses.withdrawLicenseOffer({ params: { id: i.offerId } }),
    'market.offerPurchases': (i) => client.licenses.licenseOfferPurchases({ params: { id: i.offerId } }),
    'market.earnings': async (i) => {
      try {
        const live = await client.earnings.earnings({ query: { period: i.period } });
        sync.cacheEarnings(i.period, live);
        return { ...live, cachedAt: null };
      } catch (e) {
        // Offline: the last figures pulled, saying from when.
        const cached = e instanceof ApiError && e.code === 'offline' ? sync.cachedEarnings(i.period) : null;
        if (!cached) throw e;
        return { ...cached.summary, cachedAt: cached.at };
      }
    },
    'market.sales': () => client.earnings.sales({ query: { limit: 500 } }),
    'market.payouts': () => client.earnings.payouts(),
    'market.csv': async (i) => ({
      fileName: `originals-${i.kind}.csv`,
      csv: await client.earnings.earningsCsv({ query: { kind: i.kind } }),
    }),
    'market.payoutAccount': () => client.earnings.connectPayoutAccount({ body: {} }),
    'market.payoutNow': async () => {
      try {
        return await client.earnings.requestPayout();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'nothing_to_pay') return null;
        // Said in plain words: what is missing and where to set it up (never the marketplace's route).
        if (e instanceof ApiError && e.code === 'no_payout_account')
          throw new ApiError(
            'no_payout_account',
            'You need a payout account to be paid: choose “Set up payout account” on the Earnings screen and enter your bank details on the payment provider’s page.',
            undefined,
            409,
          );
        throw e;
      }
    },
    'market.buy': (i) => checkout(client.purchases.buyAsset({ params: { id: i.remoteId }, body: {} })),
    'market.buyLicense': (i) => checkout(client.licenses.buyLicense({ params: { id: i.offerId }, body: {} })),
    'market.purchases': () => client.purchases.myPurchases(),
    'market.balance': () => client.purchases.balance(),
    'market.topUp': (i) => checkout(client.purchases.topUp({ body: { amountCents: i.amountCents } })),
    'market.purchase': (i) => client.purchases.getPurchase({ params: { id: i.id } }).then((p) => sync.purchases.seen(p)),
    'market.refund': async (i) => {
      const p = await client.purchases.refundPurchase({
        params: { id: i.id },
        body: { reason: i.reason, ...(i.details ? { details: i.details } : {}) },
      });
      // A refunded purchase's saved files go too (the marketplace no longer delivers them).
      if (p.status === 'refunded') purchaseFiles.forget(p.id);
      return p;
    },
    'market.dispute': (i) => client.disputes.openDispute({ params: { id: i.id }, body: { reason: i.reason } }),
    'market.disputes': () => client.disputes.disputes(),
  };
}
