/** Marketplace contract, money: buying and subscribing, per-use charges, purchases, refunds, the prepaid balance. */
import { z } from 'zod';
import { ASSET_TYPES } from '../../asset.ts';
import {
  BalanceView,
  CheckoutInput,
  LICENSE_TYPES,
  LicenseTerms,
  PurchaseView,
  RefundInput,
  TopUpInput,
  UseInput,
} from '../../payments.ts';
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

/** What a paid purchase delivers: the version's card, its files (marketplace paths), the license as text and whether derivatives are allowed. */
export const PurchaseDelivery = z
  .object({
    purchaseId: z.string(),
    kind: z.enum(['one_time', 'license', 'subscription']),
    asset: z.object({
      id: z.string(),
      name: z.string(),
      version: z.number().int(),
      assetType: z.enum(ASSET_TYPES),
      creatorName: z.string(),
      parentAssetId: z.string().nullable(),
      card: z.record(z.string(), z.unknown()),
    }),
    license: z.object({
      type: z.enum(LICENSE_TYPES).nullable(),
      title: z.string(),
      key: z.string().nullable(),
      terms: LicenseTerms.nullable(),
      expiresAt: z.string().nullable(),
      derivativesAllowed: z.boolean(),
      text: z.string().describe('the license as a plain-text document'),
    }),
    files: z.array(
      z.object({
        kind: z.enum(['image', 'media']),
        path: z.string().describe('the marketplace path that serves it (the image or the audio/video file of the version bought)'),
      }),
    ),
  })
  .meta({ id: 'PurchaseDelivery' });

export const purchaseDelivery = defineRoute({
  method: 'get',
  path: '/v1/purchases/{id}/delivery',
  summary:
    'What a paid purchase delivers (card, files, license text) — only to its buyer (403 for anyone else), never after a refund or once the license expired (403)',
  tag: 'purchases',
  output: PurchaseDelivery,
});
