/** Money routes: disputes about purchases, opened by either party and resolved by a moderator. */
import * as contract from '../../shared/contracts/marketplace/money-disputes.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function disputeRoutes(mp: Marketplace): ServedRoute[] {
  const money = mp.money;
  return [
    serve(contract.openDispute, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.openDispute(signedIn(user), params.id, body.reason),
    }),
    serve(contract.disputes, { action: 'account.self', handler: ({ user }) => money.disputes(signedIn(user)) }),
    serve(contract.resolveDispute, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => money.resolveDispute(signedIn(user), Number(params.id), body),
    }),
  ];
}
