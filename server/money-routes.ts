/** The money routes of the marketplace API (same route table as app.ts: validation, authorization, OpenAPI). */
import { z } from 'zod';
import {
  BalanceView,
  CheckoutInput,
  CsvQuery,
  DisputeInput,
  DisputeResolution,
  DisputeView,
  EarningsQuery,
  EarningsSummary,
  KeyQuery,
  KeyVerification,
  LicenseOfferInput,
  LicenseOfferView,
  LicenseValidity,
  PayoutAccountView,
  PayoutView,
  PricingInput,
  PricingView,
  PurchaseView,
  Recommendation,
  RecommendationQuery,
  RefundInput,
  SaleLine,
  SalesQuery,
  TopUpInput,
  UsageInput,
  UsageResult,
  UseInput,
} from '../shared/payments.ts';
import type { UserRow } from './auth.ts';
import type { RouteDef } from './app.ts';
import type { Marketplace } from './marketplace.ts';
import { IntId, positiveId } from './params.ts';

type Route = <B extends z.ZodType, Q extends z.ZodType>(r: RouteDef<B, Q>) => void;

const me = (u: UserRow | null) => u as UserRow;
const id = (params: Record<string, string>) => params.id as string;

export function moneyRoutes(route: Route, mp: Marketplace): void {
  const money = mp.money;

  // ---------------------------------------------------------------- pricing
  route({
    method: 'get',
    path: '/v1/assets/{id}/pricing',
    summary: 'An asset’s pricing model and price, with what one sale pays each party (micro-dollars)',
    tag: 'money',
    action: 'public.read',
    response: PricingView,
    handler: ({ user, params }) => money.pricing(user, id(params)),
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/pricing',
    summary: 'Set the pricing model and price (validated on integers against the policy)',
    tag: 'money',
    action: 'account.self',
    body: PricingInput,
    response: PricingView,
    handler: ({ user, params, body }) => money.setPricing(me(user), id(params), body),
  });
  route({
    method: 'get',
    path: '/v1/assets/{id}/pricing/recommendation',
    summary: 'Recommended price: base per type × quality × reputation, clamped to the model’s range, with its reasoning',
    tag: 'money',
    action: 'account.self',
    query: RecommendationQuery,
    response: Recommendation,
    handler: ({ user, params, query }) => money.recommendation(me(user), id(params), query.model),
  });

  // ---------------------------------------------------------------- license offers
  route({
    method: 'get',
    path: '/v1/assets/{id}/licenses',
    summary: 'License offers of an asset (its creator also sees withdrawn and sold-out offers)',
    tag: 'licenses',
    action: 'public.read',
    response: z.array(LicenseOfferView),
    handler: ({ user, params }) => money.offers(user, id(params)),
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/licenses',
    summary: 'Create a license offer (type, usage rights, territory, duration, impressions, royalty %, attribution, AI training)',
    tag: 'licenses',
    action: 'account.self',
    body: LicenseOfferInput,
    response: LicenseOfferView,
    status: 201,
    handler: ({ user, params, body }) => money.createOffer(me(user), id(params), body),
  });
  route({
    method: 'post',
    path: '/v1/licenses/{id}',
    summary: 'Change a license offer nobody has bought yet (terms are immutable once bought)',
    tag: 'licenses',
    action: 'account.self',
    body: LicenseOfferInput,
    response: LicenseOfferView,
    handler: ({ user, params, body }) => money.updateOffer(me(user), id(params), body),
  });
  route({
    method: 'post',
    path: '/v1/licenses/{id}/withdraw',
    summary: 'Stop offering a license (licenses already sold stay valid)',
    tag: 'licenses',
    action: 'account.self',
    response: LicenseOfferView,
    handler: ({ user, params }) => money.withdrawOffer(me(user), id(params)),
  });
  route({
    method: 'get',
    path: '/v1/licenses/{id}/purchases',
    summary: 'Who bought a license (the creator’s view)',
    tag: 'licenses',
    action: 'account.self',
    response: z.array(z.record(z.string(), z.unknown())),
    handler: ({ user, params }) => money.offerPurchases(me(user), id(params)),
  });
  route({
    method: 'post',
    path: '/v1/licenses/{id}/purchase',
    summary: 'Buy a license: returns a Checkout URL (an exclusive license is held for one buyer while they pay)',
    tag: 'licenses',
    action: 'account.self',
    body: CheckoutInput,
    response: PurchaseView,
    status: 201,
    handler: ({ user, params, body }) => money.buyLicense(me(user), id(params), body),
  });
  route({
    method: 'get',
    path: '/v1/licenses/verify',
    summary: 'Verify a license key: the marketplace’s signature and whether the license is still valid',
    tag: 'licenses',
    action: 'public.read',
    query: KeyQuery,
    response: KeyVerification,
    handler: ({ query }) => money.verifyKey(query.key),
  });
  route({
    method: 'get',
    path: '/v1/purchases/{id}/validity',
    summary: 'is_license_valid: expiry and impression limits',
    tag: 'licenses',
    action: 'account.self',
    response: LicenseValidity,
    handler: ({ user, params }) => money.isLicenseValid(me(user), id(params)),
  });
  route({
    method: 'post',
    path: '/v1/purchases/{id}/usage',
    summary: 'record_license_usage: impressions, downloads, embeds; rights-managed licenses owe base rate × royalty %',
    tag: 'licenses',
    action: 'account.self',
    body: UsageInput,
    response: UsageResult,
    handler: ({ user, params, body }) => money.recordUsage(me(user), id(params), body),
  });

  // ---------------------------------------------------------------- purchases
  route({
    method: 'post',
    path: '/v1/assets/{id}/purchase',
    summary: 'Buy an asset (one-time) or subscribe to it: returns a Checkout URL',
    tag: 'purchases',
    action: 'account.self',
    body: CheckoutInput,
    response: PurchaseView,
    status: 201,
    handler: ({ user, params, body }) => money.buyAsset(me(user), id(params), body),
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/use',
    summary: 'Use a per-use asset, paid from the prepaid balance',
    tag: 'purchases',
    action: 'account.self',
    body: UseInput,
    response: z.object({
      assetId: z.string(),
      version: z.number(),
      chargedMicros: z.number(),
      duplicate: z.boolean(),
      balance: BalanceView,
    }),
    handler: ({ user, params, body }) => money.use(me(user), id(params), body),
  });
  route({
    method: 'get',
    path: '/v1/me/purchases',
    summary: 'What I bought: licenses with keys, validity and usage, subscriptions, refund windows',
    tag: 'purchases',
    action: 'account.self',
    response: z.array(PurchaseView),
    handler: ({ user }) => money.myPurchases(me(user)),
  });
  route({
    method: 'get',
    path: '/v1/purchases/{id}',
    summary: 'One purchase (a pending one is re-read from the processor)',
    tag: 'purchases',
    action: 'account.self',
    response: PurchaseView,
    handler: ({ user, params }) => money.purchase(me(user), id(params)),
  });
  route({
    method: 'post',
    path: '/v1/purchases/{id}/refund',
    summary: 'Refund within the 7-day window, with a reason code (transfers to creators are reversed)',
    tag: 'purchases',
    action: 'account.self',
    body: RefundInput,
    response: PurchaseView,
    handler: ({ user, params, body }) => money.requestRefund(me(user), id(params), body),
  });
  route({
    method: 'post',
    path: '/v1/purchases/{id}/cancel',
    summary: 'Cancel a subscription at the end of its period',
    tag: 'purchases',
    action: 'account.self',
    response: PurchaseView,
    handler: ({ user, params }) => money.cancelSubscription(me(user), id(params)),
  });
  route({
    method: 'get',
    path: '/v1/me/balance',
    summary: 'Prepaid balance for per-use assets and license royalties',
    tag: 'purchases',
    action: 'account.self',
    response: BalanceView,
    handler: ({ user }) => money.balanceOf(me(user).id),
  });
  route({
    method: 'post',
    path: '/v1/me/balance/top-up',
    summary: 'Top the prepaid balance up through Checkout',
    tag: 'purchases',
    action: 'account.self',
    body: TopUpInput,
    response: PurchaseView,
    status: 201,
    handler: ({ user, body }) => money.topUp(me(user), body),
  });

  // ---------------------------------------------------------------- disputes
  route({
    method: 'post',
    path: '/v1/purchases/{id}/disputes',
    summary: 'Open a dispute about a purchase (its buyer or the asset’s creator); a moderator resolves it',
    tag: 'disputes',
    action: 'account.self',
    body: DisputeInput,
    response: DisputeView,
    status: 201,
    handler: ({ user, params, body }) => money.openDispute(me(user), id(params), body.reason),
  });
  route({
    method: 'get',
    path: '/v1/disputes',
    summary: 'My disputes (as buyer or creator); moderators see all',
    tag: 'disputes',
    action: 'account.self',
    response: z.array(DisputeView),
    handler: ({ user }) => money.disputes(me(user)),
  });
  route({
    method: 'post',
    path: '/v1/disputes/{id}/resolve',
    params: z.object({ id: IntId }),
    summary: 'Resolve a dispute (refund or not); both parties are notified',
    tag: 'disputes',
    action: 'moderation.queue',
    body: DisputeResolution,
    response: DisputeView,
    handler: ({ user, params, body }) => {
      return money.resolveDispute(me(user), positiveId(params.id, 'id'), body);
    },
  });

  // ---------------------------------------------------------------- earnings and payouts
  route({
    method: 'get',
    path: '/v1/me/earnings',
    summary: 'get_creator_earnings_summary: totals, per asset, per day, royalties, refunds, payouts, balance (from the ledger)',
    tag: 'earnings',
    action: 'account.self',
    query: EarningsQuery,
    response: EarningsSummary,
    handler: ({ user, query }) => money.earnings(me(user).id, query.period),
  });
  route({
    method: 'get',
    path: '/v1/me/sales',
    summary: 'Every sale credited to me with its breakdown (gross, processor fee, platform fee, parent royalty)',
    tag: 'earnings',
    action: 'account.self',
    query: SalesQuery,
    response: z.array(SaleLine),
    handler: ({ user, query }) => money.sales(me(user).id, query.limit),
  });
  route({
    method: 'get',
    path: '/v1/me/earnings.csv',
    summary: 'CSV export of every sale or every payout, with its fee breakdown',
    tag: 'earnings',
    action: 'account.self',
    query: CsvQuery,
    response: 'csv',
    handler: async ({ user, query, c }) =>
      c.body(await money.csv(me(user), query.kind), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="originals-${query.kind}.csv"`,
      }),
  });
  route({
    method: 'get',
    path: '/v1/me/payouts',
    summary: 'Transfers to my payout account',
    tag: 'earnings',
    action: 'account.self',
    response: z.array(PayoutView),
    handler: ({ user }) => money.payouts(me(user)),
  });
  route({
    method: 'post',
    path: '/v1/me/payouts',
    summary: 'Pay my balance out now (whole cents; the sub-cent remainder is carried)',
    tag: 'earnings',
    action: 'account.self',
    response: PayoutView,
    handler: ({ user }) => money.requestPayout(me(user)),
  });
  route({
    method: 'post',
    path: '/v1/me/payout-account',
    summary: 'Connect a payout account (Stripe Connect Express); returns the onboarding link',
    tag: 'earnings',
    action: 'account.self',
    body: z.object({ returnUrl: z.string().url().max(2000).optional() }),
    response: PayoutAccountView,
    handler: ({ user, body }) => money.connectPayoutAccount(me(user), body.returnUrl),
  });

  // ---------------------------------------------------------------- processor
  route({
    method: 'post',
    path: '/v1/webhooks/stripe',
    summary: 'Stripe webhook endpoint: signature checked on the raw body; each event handled once',
    tag: 'processor',
    action: 'public.read',
    rawBody: z.object({ id: z.string(), type: z.string(), data: z.object({ object: z.record(z.string(), z.unknown()) }) }),
    response: z.object({ received: z.literal(true), duplicate: z.boolean(), type: z.string() }),
    handler: ({ body, c }) => money.webhook(body as string, c.req.header('stripe-signature')),
  });
  route({
    method: 'post',
    path: '/v1/admin/payouts/reconcile',
    summary: 'Re-send transfers left pending by an interruption (same idempotency keys)',
    tag: 'admin',
    action: 'admin.users',
    response: z.object({ resent: z.number() }),
    handler: async () => ({ resent: await money.reconcilePayouts() }),
  });
}
