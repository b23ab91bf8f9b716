/** Trust and safety routes: reviews, reports, reputation, badges, moderation cases, takedown appeals. */
import * as contract from '../../shared/contracts/marketplace/trust.ts';
import type { TrustPolicy } from '../../shared/policy/trust.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { CasesService } from '../services/moderation/cases.ts';
import type { TrustService } from '../services/trust/trust.ts';

export function trustRoutes({ trust, cases, policy }: { trust: TrustService; cases: CasesService; policy: TrustPolicy }): ServedRoute[] {
  return [
    serve(contract.addReview, {
      action: 'account.self',
      handler: ({ user, params, body }) => trust.addReview(signedIn(user), params.id, body.rating, body.body),
    }),
    serve(contract.reviews, { action: 'public.read', handler: ({ params }) => trust.reviews(params.id) }),
    serve(contract.report, {
      action: 'account.self',
      limit: 'reports',
      handler: ({ user, params, body }) => cases.report(signedIn(user), params.id, body.kind, body.details),
    }),
    serve(contract.reputation, { action: 'public.read', handler: ({ params }) => trust.reputation(params.id) }),
    serve(contract.assetBadges, {
      action: 'public.read',
      handler: async ({ params }) => ({ badges: await cases.assetBadges(params.id), rules: policy.badges }),
    }),
    serve(contract.moderationCases, { action: 'moderation.queue', handler: ({ user, query }) => cases.cases(signedIn(user), query.state) }),
    serve(contract.decideCase, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => cases.decide(signedIn(user), Number(params.id), body),
    }),
    serve(contract.appealCase, {
      action: 'account.self',
      handler: ({ user, params, body }) => cases.appeal(signedIn(user), Number(params.id), body.reason),
    }),
    serve(contract.decideCaseAppeal, {
      action: 'moderation.queue',
      handler: ({ user, params, body }) => cases.decideAppeal(signedIn(user), Number(params.id), body),
    }),
    serve(contract.myCases, { action: 'account.self', handler: ({ user }) => cases.myCases(signedIn(user)) }),
  ];
}
