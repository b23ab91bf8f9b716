/** Money routes: an asset's pricing and the recommended price. */
import * as contract from '../../shared/contracts/marketplace/money-pricing.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function pricingRoutes(mp: Marketplace): ServedRoute[] {
  const money = mp.money;
  return [
    serve(contract.getPricing, { action: 'public.read', handler: ({ user, params }) => money.pricing(user, params.id) }),
    serve(contract.setPricing, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.setPricing(signedIn(user), params.id, body),
    }),
    serve(contract.pricingRecommendation, {
      action: 'account.self',
      handler: ({ user, params, query }) => money.recommendation(signedIn(user), params.id, query.model),
    }),
  ];
}
