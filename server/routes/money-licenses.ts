/** Money routes: license offers, buying a license, license keys, validity and usage. */
import * as contract from '../../shared/contracts/marketplace/money-licenses.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { CheckoutService } from '../services/money/checkout.ts';
import type { LicensesService } from '../services/money/licenses.ts';
import type { OffersService } from '../services/money/offers.ts';

export function licenseRoutes(s: { offers: OffersService; checkout: CheckoutService; licenses: LicensesService }): ServedRoute[] {
  const { offers, checkout, licenses } = s;
  return [
    serve(contract.licenseOffers, { action: 'public.read', handler: ({ user, params }) => offers.offers(user, params.id) }),
    serve(contract.createLicenseOffer, {
      action: 'account.self',
      handler: ({ user, params, body }) => offers.createOffer(signedIn(user), params.id, body),
    }),
    serve(contract.updateLicenseOffer, {
      action: 'account.self',
      handler: ({ user, params, body }) => offers.updateOffer(signedIn(user), params.id, body),
    }),
    serve(contract.withdrawLicenseOffer, {
      action: 'account.self',
      handler: ({ user, params }) => offers.withdrawOffer(signedIn(user), params.id),
    }),
    serve(contract.licenseOfferPurchases, {
      action: 'account.self',
      handler: ({ user, params }) => offers.offerPurchases(signedIn(user), params.id),
    }),
    serve(contract.buyLicense, {
      action: 'account.self',
      handler: ({ user, params, body }) => checkout.buyLicense(signedIn(user), params.id, body),
    }),
    serve(contract.verifyLicenseKey, { action: 'public.read', handler: ({ query }) => licenses.verifyKey(query.key) }),
    serve(contract.licenseValidity, {
      action: 'account.self',
      handler: ({ user, params }) => licenses.isLicenseValid(signedIn(user), params.id),
    }),
    serve(contract.recordLicenseUsage, {
      action: 'account.self',
      handler: ({ user, params, body }) => licenses.recordUsage(signedIn(user), params.id, body),
    }),
  ];
}
