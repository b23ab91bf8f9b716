/** Marketplace contract, money: buying and subscribing, per-use charges, purchases, refunds, the prepaid balance. */
import { z } from 'zod';
import { BalanceView, CheckoutInput, PurchaseView, RefundInput, TopUpInput, UseInput } from '../../payments.ts';
import { PurchaseDelivery } from '../../purchase-delivery.ts';
import { defineRoute } from './route.ts';

export const buyAsset = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/purchase',
  summary: 'Buy an asset (one-time) or subscribe to it: returns a Checkout URL',
  tag: 'purchases',
  body: CheckoutInput,
  output: PurchaseView,
  status: 201,
});

export const useAsset = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/use',
  summary: 'Use a per-use asset, paid from the prepaid balance',
  tag: 'purchases',
  body: UseInput,
  output: z.object({
    assetId: z.string(),
    version: z.number(),
    chargedMicros: z.number(),
    duplicate: z.boolean(),
    balance: BalanceView,
  }),
});

export const myPurchases = defineRoute({
  method: 'get',
  path: '/v1/me/purchases',
  summary: 'What I bought: licenses with keys, validity and usage, subscriptions, refund windows',
  tag: 'purchases',
  output: z.array(PurchaseView),
});

export const getPurchase = defineRoute({
  method: 'get',
  path: '/v1/purchases/{id}',
  summary: 'One purchase (a pending one is re-read from the processor)',
  tag: 'purchases',
  output: PurchaseView,
});

export const refundPurchase = defineRoute({
  method: 'post',
  path: '/v1/purchases/{id}/refund',
  summary: 'Refund within the 7-day window, with a reason code (transfers to creators are reversed)',
  tag: 'purchases',
  body: RefundInput,
  output: PurchaseView,
});

export const cancelSubscription = defineRoute({
  method: 'post',
  path: '/v1/purchases/{id}/cancel',
  summary: 'Cancel a subscription at the end of its period',
  tag: 'purchases',
  output: PurchaseView,
});

export const balance = defineRoute({
  method: 'get',
  path: '/v1/me/balance',
  summary: 'Prepaid balance for per-use assets and license royalties',
  tag: 'purchases',
  output: BalanceView,
});

export const topUp = defineRoute({
  method: 'post',
  path: '/v1/me/balance/top-up',
  summary: 'Top the prepaid balance up through Checkout',
  tag: 'purchases',
  body: TopUpInput,
  output: PurchaseView,
  status: 201,
});

export const purchaseDelivery = defineRoute({
  method: 'get',
  path: '/v1/purchases/{id}/delivery',
  summary:
    'What a paid purchase delivers (card, files, license text) — only to its buyer (403 for anyone else), never after a refund or once the license expired (403)',
  tag: 'purchases',
  output: PurchaseDelivery,
});
