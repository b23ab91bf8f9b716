/** Review routes: the human review queue, claiming an item, deciding it. */
import * as contract from '../../shared/contracts/marketplace/review.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { ReviewService } from '../services/review/review.ts';

export function reviewRoutes({ review }: { review: ReviewService }): ServedRoute[] {
  return [
    serve(contract.reviewQueue, { action: 'moderation.queue', handler: ({ user, query }) => review.queue(signedIn(user), query.limit) }),
    serve(contract.claimReviewItem, {
      action: 'moderation.queue',
      handler: ({ user, params }) => review.claim(signedIn(user), Number(params.itemId)),
    }),
    serve(contract.decideReviewItem, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => review.decide(signedIn(user), Number(params.itemId), body),
    }),
  ];
}
