/** Money routes: buying and subscribing, per-use charges, purchases, refunds, cancellations, the prepaid balance. */
import * as contract from '../../shared/contracts/marketplace/money-purchases.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function purchaseRoutes(mp: Marketplace): ServedRoute[] {
  const money = mp.money;
  return [
    serve(contract.buyAsset, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.buyAsset(signedIn(user), params.id, body),
    }),
    serve(contract.useAsset, { action: 'account.self', handler: ({ user, params, body }) => money.use(signedIn(user), params.id, body) }),
    serve(contract.myPurchases, { action: 'account.self', handler: ({ user }) => money.myPurchases(signedIn(user)) }),
    serve(contract.getPurchase, { action: 'account.self', handler: ({ user, params }) => money.purchase(signedIn(user), params.id) }),
    serve(contract.refundPurchase, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.requestRefund(signedIn(user), params.id, body),
    }),
    serve(contract.cancelSubscription, {
      action: 'account.self',
      handler: ({ user, params }) => money.cancelSubscription(signedIn(user), params.id),
    }),
    serve(contract.balance, { action: 'account.self', handler: ({ user }) => money.balanceOf(signedIn(user).id) }),
    serve(contract.topUp, { action: 'account.self', handler: ({ user, body }) => money.topUp(signedIn(user), body) }),
  ];
}
