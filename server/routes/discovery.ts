/** Discovery routes: search, creators, a listing, the buyer's library, the policy in force, the index feed. */
import * as contract from '../../shared/contracts/marketplace/discovery.ts';
import { indexFeed } from '../../shared/contracts/marketplace/index-feed.ts';
import { MARKETPLACE_POLICY } from '../../shared/policy/marketplace.ts';
import type { MoneyPolicy } from '../../shared/policy/money.ts';
import type { TrustPolicy } from '../../shared/policy/trust.ts';
import { type UniquenessPolicy, ownPartReuse } from '../../shared/policy/uniqueness.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { DiscoveryService } from '../services/discovery/discovery.ts';
import type { ListingsService } from '../services/listings/listings.ts';

export function discoveryRoutes(s: {
  listings: ListingsService;
  discovery: DiscoveryService;
  policies: { money: MoneyPolicy; trust: TrustPolicy; uniqueness: UniquenessPolicy };
}): ServedRoute[] {
  const { listings, discovery, policies } = s;
  return [
    serve(contract.myLibrary, { action: 'account.self', handler: ({ user }) => listings.myLibrary(signedIn(user)) }),
    serve(contract.getAsset, {
      action: 'asset.read',
      handler: ({ user, params, query }) => listings.getAsset(user, params.id, query.version),
    }),
    serve(contract.search, { action: 'public.read', handler: ({ query }) => discovery.search(query) }),
    serve(contract.creators, { action: 'public.read', handler: ({ query }) => discovery.creators(query.q) }),
    serve(indexFeed, { action: 'public.read', handler: ({ query }) => discovery.indexFeed(query.since, query.limit) }),
    serve(contract.policy, {
      action: 'public.read',
      handler: async () => ({
        ...MARKETPLACE_POLICY,
        money: policies.money,
        trust: policies.trust,
        // What the studio's pre-flight advice must follow to agree with this marketplace's gate.
        uniqueness: { ownPartReuse: ownPartReuse(policies.uniqueness) },
      }),
    }),
  ];
}
