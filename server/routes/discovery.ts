/** Discovery routes: search, creators, a listing, the buyer's library, the policy in force, the index feed. */
import * as contract from '../../shared/contracts/marketplace/discovery.ts';
import { indexFeed } from '../../shared/contracts/marketplace/index-feed.ts';
import { MARKETPLACE_POLICY } from '../../shared/policy/marketplace.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function discoveryRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(contract.myLibrary, { action: 'account.self', handler: ({ user }) => mp.myLibrary(signedIn(user)) }),
    serve(contract.getAsset, { action: 'asset.read', handler: ({ user, params, query }) => mp.getAsset(user, params.id, query.version) }),
    serve(contract.search, { action: 'public.read', handler: ({ query }) => mp.search(query) }),
    serve(contract.creators, { action: 'public.read', handler: ({ query }) => mp.creators(query.q) }),
    serve(indexFeed, { action: 'public.read', handler: ({ query }) => mp.indexFeed(query.since, query.limit) }),
    serve(contract.policy, {
      action: 'public.read',
      handler: async () => ({ ...MARKETPLACE_POLICY, money: mp.money.policy, trust: mp.moderation.policy }),
    }),
  ];
}
