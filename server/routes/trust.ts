/** Trust and safety routes: reviews, reports, reputation, badges, moderation cases, takedown appeals. */
import * as contract from '../../shared/contracts/marketplace/trust.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';
import { addReview, reputationView, reviewsOf } from '../trust.ts';

export function trustRoutes(mp: Marketplace): ServedRoute[] {
  const m = mp.moderation;
  return [
    serve(contract.addReview, {
      action: 'account.self',
      handler: ({ user, params, body }) => mp.db.tx((sql) => addReview(sql, signedIn(user), params.id, body.rating, body.body)),
    }),
    serve(contract.reviews, { action: 'public.read', handler: ({ params }) => reviewsOf(mp.db, params.id) }),
    serve(contract.report, {
      action: 'account.self',
      limit: 'reports',
      handler: ({ user, params, body }) => m.report(signedIn(user), params.id, body.kind, body.details),
    }),
    serve(contract.reputation, { action: 'public.read', handler: ({ params }) => reputationView(mp.db, params.id) }),
    serve(contract.assetBadges, {
      action: 'public.read',
      handler: async ({ params }) => ({ badges: await m.assetBadges(params.id), rules: m.policy.badges }),
    }),
    serve(contract.moderationCases, { action: 'moderation.queue', handler: ({ user, query }) => m.cases(signedIn(user), query.state) }),
    serve(contract.decideCase, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => m.decide(signedIn(user), Number(params.id), body),
    }),
    serve(contract.appealCase, {
      action: 'account.self',
      handler: ({ user, params, body }) => m.appeal(signedIn(user), Number(params.id), body.reason),
    }),
    serve(contract.decideCaseAppeal, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => m.decideAppeal(signedIn(user), Number(params.id), body),
    }),
    serve(contract.myCases, { action: 'account.self', handler: ({ user }) => m.myCases(signedIn(user)) }),
  ];
}
