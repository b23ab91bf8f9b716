/** Wires the money services to each other (one direction: webhooks → fulfilment → subscriptions/refunds → payouts → repos). */
import type { MoneyContext } from './context.ts';
import { BalanceService } from './balance.ts';
import { CheckoutService } from './checkout.ts';
import { type DisputeModeration, DisputesService } from './disputes.ts';
import { EarningsService } from './earnings.ts';
import { FulfilmentService } from './fulfilment.ts';
import { type KeySigner, LicensesService } from './licenses.ts';
import { OffersService } from './offers.ts';
import { PayoutsService } from './payouts.ts';
import { PricingService } from './pricing.ts';
import { PurchasesService } from './purchases.ts';
import { RefundsService } from './refunds.ts';
import { SubscriptionsService } from './subscriptions.ts';
import { WebhooksService } from './webhooks.ts';

export function moneyServices(ctx: MoneyContext, outside: { signer: () => KeySigner; moderation: () => DisputeModeration }) {
  const pricing = new PricingService(ctx);
  const offers = new OffersService(ctx);
  const licenses = new LicensesService(ctx, outside.signer);
  const payouts = new PayoutsService(ctx);
  const balance = new BalanceService(ctx);
  // Purchases re-read a pending checkout through fulfilment, which is built below.
  const late: { fulfilment?: FulfilmentService } = {};
  const purchases = new PurchasesService(ctx, (sessionId) => (late.fulfilment as FulfilmentService).syncCheckout(sessionId));
  const refunds = new RefundsService(ctx, purchases, payouts);
  const subscriptions = new SubscriptionsService(ctx, purchases, payouts);
  const fulfilment = new FulfilmentService(ctx, { licenses, payouts, refunds, subscriptions });
  late.fulfilment = fulfilment;
  const checkout = new CheckoutService(ctx, purchases, fulfilment);
  const webhooks = new WebhooksService(ctx, { fulfilment, subscriptions, refunds });
  const disputes = new DisputesService(ctx, refunds, outside.moderation);
  const earnings = new EarningsService(ctx, payouts);
  return {
    pricing,
    offers,
    licenses,
    payouts,
    balance,
    purchases,
    refunds,
    subscriptions,
    fulfilment,
    checkout,
    webhooks,
    disputes,
    earnings,
  };
}

export type MoneyServices = ReturnType<typeof moneyServices>;
