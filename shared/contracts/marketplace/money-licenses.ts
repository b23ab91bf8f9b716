/** Marketplace contract, money: license offers, buying a license, license keys, validity and usage. */
import { z } from 'zod';
import {
  CheckoutInput,
  KeyQuery,
  KeyVerification,
  LicenseOfferInput,
  LicenseOfferView,
  LicenseValidity,
  PurchaseView,
  UsageInput,
  UsageResult,
} from '../../payments.ts';
import { defineRoute } from './route.ts';
import { OfferPurchaseLine } from './schemas.ts';

export const licenseOffers = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/licenses',
  summary: 'License offers of an asset (its creator also sees withdrawn and sold-out offers)',
  tag: 'licenses',
  output: z.array(LicenseOfferView),
});

export const createLicenseOffer = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/licenses',
  summary: 'Create a license offer (type, usage rights, territory, duration, impressions, royalty %, attribution, AI training)',
  tag: 'licenses',
  body: LicenseOfferInput,
  output: LicenseOfferView,
  status: 201,
});

export const updateLicenseOffer = defineRoute({
  method: 'post',
  path: '/v1/licenses/{id}',
  summary: 'Change a license offer nobody has bought yet (terms are immutable once bought)',
  tag: 'licenses',
  body: LicenseOfferInput,
  output: LicenseOfferView,
});

export const withdrawLicenseOffer = defineRoute({
  method: 'post',
  path: '/v1/licenses/{id}/withdraw',
  summary: 'Stop offering a license (licenses already sold stay valid)',
  tag: 'licenses',
  output: LicenseOfferView,
});

export const licenseOfferPurchases = defineRoute({
  method: 'get',
  path: '/v1/licenses/{id}/purchases',
  summary: 'Who bought a license (the creator’s view)',
  tag: 'licenses',
  output: z.array(OfferPurchaseLine),
});

export const buyLicense = defineRoute({
  method: 'post',
  path: '/v1/licenses/{id}/purchase',
  summary: 'Buy a license: returns a Checkout URL (an exclusive license is held for one buyer while they pay)',
  tag: 'licenses',
  body: CheckoutInput,
  output: PurchaseView,
  status: 201,
});

export const verifyLicenseKey = defineRoute({
  method: 'get',
  path: '/v1/licenses/verify',
  summary: 'Verify a license key: the marketplace’s signature and whether the license is still valid',
  tag: 'licenses',
  query: KeyQuery,
  output: KeyVerification,
});

export const licenseValidity = defineRoute({
  method: 'get',
  path: '/v1/purchases/{id}/validity',
  summary: 'is_license_valid: expiry and impression limits',
  tag: 'licenses',
  output: LicenseValidity,
});

export const recordLicenseUsage = defineRoute({
  method: 'post',
  path: '/v1/purchases/{id}/usage',
  summary: 'record_license_usage: impressions, downloads, embeds; rights-managed licenses owe base rate × royalty %',
  tag: 'licenses',
  body: UsageInput,
  output: UsageResult,
});
