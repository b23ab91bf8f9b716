/** Review routes: the human review queue, claiming an item, deciding it. */
import * as contract from '../../shared/contracts/marketplace/review.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function reviewRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(contract.reviewQueue, { action: 'moderation.queue', handler: ({ user, query }) => mp.queue(signedIn(user), query.limit) }),
    serve(contract.claimReviewItem, {
      action: 'moderation.queue',
      handler: ({ user, params }) => mp.claim(signedIn(user), Number(params.itemId)),
    }),
    serve(contract.decideReviewItem, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => mp.decide(signedIn(user), Number(params.itemId), body),
    }),
  ];
}
