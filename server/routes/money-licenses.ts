/** Money routes: license offers, buying a license, license keys, validity and usage. */
import * as contract from '../../shared/contracts/marketplace/money-licenses.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function licenseRoutes(mp: Marketplace): ServedRoute[] {
  const money = mp.money;
  return [
    serve(contract.licenseOffers, { action: 'public.read', handler: ({ user, params }) => money.offers(user, params.id) }),
    serve(contract.createLicenseOffer, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.createOffer(signedIn(user), params.id, body),
    }),
    serve(contract.updateLicenseOffer, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.updateOffer(signedIn(user), params.id, body),
    }),
    serve(contract.withdrawLicenseOffer, {
      action: 'account.self',
      handler: ({ user, params }) => money.withdrawOffer(signedIn(user), params.id),
    }),
    serve(contract.licenseOfferPurchases, {
      action: 'account.self',
      handler: ({ user, params }) => money.offerPurchases(signedIn(user), params.id),
    }),
    serve(contract.buyLicense, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.buyLicense(signedIn(user), params.id, body),
    }),
    serve(contract.verifyLicenseKey, { action: 'public.read', handler: ({ query }) => money.verifyKey(query.key) }),
    serve(contract.licenseValidity, {
      action: 'account.self',
      handler: ({ user, params }) => money.isLicenseValid(signedIn(user), params.id),
    }),
    serve(contract.recordLicenseUsage, {
      action: 'account.self',
      handler: ({ user, params, body }) => money.recordUsage(signedIn(user), params.id, body),
    }),
  ];
}
