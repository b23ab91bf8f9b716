/** Money routes: disputes about purchases, opened by either party and resolved by a moderator. */
import * as contract from '../../shared/contracts/marketplace/money-disputes.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { DisputesService } from '../services/money/disputes.ts';

export function disputeRoutes({ disputes }: { disputes: DisputesService }): ServedRoute[] {
  return [
    serve(contract.openDispute, {
      action: 'account.self',
      handler: ({ user, params, body }) => disputes.openDispute(signedIn(user), params.id, body.reason),
    }),
    serve(contract.disputes, { action: 'account.self', handler: ({ user }) => disputes.disputes(signedIn(user)) }),
    serve(contract.resolveDispute, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => disputes.resolveDispute(signedIn(user), Number(params.id), body),
    }),
  ];
}
