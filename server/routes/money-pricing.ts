/** Money routes: an asset's pricing and the recommended price. */
import * as contract from '../../shared/contracts/marketplace/money-pricing.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { PricingService } from '../services/money/pricing.ts';

export function pricingRoutes({ pricing }: { pricing: PricingService }): ServedRoute[] {
  return [
    serve(contract.getPricing, { action: 'public.read', handler: ({ user, params }) => pricing.pricing(user, params.id) }),
    serve(contract.setPricing, {
      action: 'account.self',
      handler: ({ user, params, body }) => pricing.setPricing(signedIn(user), params.id, body),
    }),
    serve(contract.pricingRecommendation, {
      action: 'account.self',
      handler: ({ user, params, query }) => pricing.recommendation(signedIn(user), params.id, query.model),
    }),
  ];
}
