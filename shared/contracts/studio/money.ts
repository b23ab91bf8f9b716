/**
 * The studio's contract, money domain: an asset's price and license offers, the creator's earnings,
 * sales and payouts, and the buyer's purchases, balance, refunds and disputes. Every output the
 * marketplace answers with is the type of the schema it answers with (shared/payments.ts).
 */
import { z } from 'zod';
import {
  BalanceView,
  type DisputeView,
  type EarningsSummary,
  LicenseOfferInput,
  type LicenseOfferView,
  PERIODS,
  PayoutAccountView,
  PayoutView,
  PricingInput,
  PricingView,
  type PurchaseView,
  Recommendation,
  RefundInput,
  SaleLine,
  TopUpInput,
} from '../../payments.ts';
import { PRICING_MODELS } from '../../policy/money.ts';
import { OfferPurchaseLine } from '../marketplace/schemas.ts';
import { type HandlerMap, id } from './common.ts';
import type { OutboxOpView } from './sync.ts';

export type PricingView = z.infer<typeof PricingView>;
export type SaleLineView = z.infer<typeof SaleLine>;
export type PayoutLineView = z.infer<typeof PayoutView>;

/** Who bought a license offer, as its creator sees it (the marketplace contract's schema). */
export type OfferPurchaseView = z.infer<typeof OfferPurchaseLine>;

export const moneyInputs = {
  'market.pricing': z.object({ assetId: id }),
  'market.setPricing': z.object({ assetId: id, pricing: PricingInput }),
  'market.recommend': z.object({ assetId: id, model: z.enum(PRICING_MODELS).optional() }),
  'market.offers': z.object({ assetId: id }),
  'market.createOffer': z.object({ assetId: id, offer: LicenseOfferInput }),
  'market.withdrawOffer': z.object({ offerId: z.string().uuid() }),
  'market.offerPurchases': z.object({ offerId: z.string().uuid() }),
  'market.earnings': z.object({ period: z.enum(PERIODS).default('30d') }),
  'market.sales': z.object({}),
  'market.payouts': z.object({}),
  'market.csv': z.object({ kind: z.enum(['sales', 'payouts']) }),
  'market.payoutAccount': z.object({}),
  'market.payoutNow': z.object({}),
  'market.buy': z.object({ remoteId: z.string().uuid() }),
  'market.buyLicense': z.object({ offerId: z.string().uuid() }),
  'market.purchases': z.object({}),
  'market.balance': z.object({}),
  'market.topUp': TopUpInput.pick({ amountCents: true }),
  'market.purchase': z.object({ id: z.string().uuid() }),
  'market.refund': z.object({ id: z.string().uuid() }).extend(RefundInput.shape),
  'market.dispute': z.object({
    id: z.string().uuid(),
    reason: z.string().trim().min(10, 'describe the problem (10 characters or more)').max(4000),
  }),
  'market.disputes': z.object({}),
} as const;

export interface MoneyOutputs {
  'market.pricing': PricingView;
  'market.setPricing': OutboxOpView;
  'market.recommend': z.infer<typeof Recommendation>;
  'market.offers': LicenseOfferView[];
  'market.createOffer': OutboxOpView;
  'market.withdrawOffer': LicenseOfferView;
  'market.offerPurchases': OfferPurchaseView[];
  /** cachedAt: when the studio is offline, the time of the figures it last pulled. */
  'market.earnings': EarningsSummary & { cachedAt?: string | null };
  'market.sales': SaleLineView[];
  'market.payouts': PayoutLineView[];
  'market.csv': { fileName: string; csv: string };
  'market.payoutAccount': z.infer<typeof PayoutAccountView>;
  /** null: nothing to pay out. */
  'market.payoutNow': PayoutLineView | null;
  'market.buy': PurchaseView;
  'market.buyLicense': PurchaseView;
  'market.purchases': PurchaseView[];
  'market.balance': z.infer<typeof BalanceView>;
  'market.topUp': PurchaseView;
  'market.purchase': PurchaseView;
  'market.refund': PurchaseView;
  'market.dispute': DisputeView;
  'market.disputes': DisputeView[];
}

export type MoneyHandlers = HandlerMap<typeof moneyInputs, MoneyOutputs>;
