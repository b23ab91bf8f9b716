/** Money routes: buying and subscribing, per-use charges, purchases, refunds, cancellations, the prepaid balance. */
import * as contract from '../../shared/contracts/marketplace/money-purchases.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { BalanceService } from '../services/money/balance.ts';
import type { CheckoutService } from '../services/money/checkout.ts';
import type { DeliveryService } from '../services/money/delivery.ts';
import type { PurchasesService } from '../services/money/purchases.ts';
import type { RefundsService } from '../services/money/refunds.ts';
import type { SubscriptionsService } from '../services/money/subscriptions.ts';

export function purchaseRoutes(s: {
  checkout: CheckoutService;
  balance: BalanceService;
  purchases: PurchasesService;
  refunds: RefundsService;
  subscriptions: SubscriptionsService;
  delivery: DeliveryService;
}): ServedRoute[] {
  const { checkout, balance, purchases, refunds, subscriptions, delivery } = s;
  return [
    serve(contract.buyAsset, {
      action: 'account.self',
      handler: ({ user, params, body }) => checkout.buyAsset(signedIn(user), params.id, body),
    }),
    serve(contract.useAsset, { action: 'account.self', handler: ({ user, params, body }) => balance.use(signedIn(user), params.id, body) }),
    serve(contract.myPurchases, { action: 'account.self', handler: ({ user }) => purchases.myPurchases(signedIn(user)) }),
    serve(contract.getPurchase, { action: 'account.self', handler: ({ user, params }) => purchases.purchase(signedIn(user), params.id) }),
    serve(contract.refundPurchase, {
      action: 'account.self',
      handler: ({ user, params, body }) => refunds.requestRefund(signedIn(user), params.id, body),
    }),
    serve(contract.cancelSubscription, {
      action: 'account.self',
      handler: ({ user, params }) => subscriptions.cancelSubscription(signedIn(user), params.id),
    }),
    serve(contract.purchaseDelivery, {
      action: 'account.self',
      handler: ({ user, params }) => delivery.delivery(signedIn(user), params.id),
    }),
    serve(contract.balance, { action: 'account.self', handler: ({ user }) => balance.balanceOf(signedIn(user).id) }),
    serve(contract.topUp, { action: 'account.self', handler: ({ user, body }) => checkout.topUp(signedIn(user), body) }),
  ];
}
