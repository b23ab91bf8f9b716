/**
 * The money API's schemas (zod): pricing, license offers (the licensing spec's fields), purchases
 * and license keys, prepaid balances, usage, refunds, disputes, payouts and earnings. The server
 * validates with them and publishes them in /openapi.json; the studio uses the same types.
 */
import { z } from 'zod';
import { MONEY_POLICY, PRICING_MODELS, REFUND_REASONS } from './policy/money.ts';

const Cents = z.number().int('must be a whole number of cents ($0.01 steps)').nonnegative();

export const LICENSE_TYPES = ['royalty_free', 'rights_managed', 'editorial', 'commercial', 'exclusive'] as const;
export const USAGE_RIGHTS = [
  'web',
  'social',
  'broadcast',
  'print',
  'merchandise',
  'nft',
  'ai_training',
  'games',
  'interactive_stories',
] as const;
export const USAGE_TYPES = ['impression', 'download', 'embed'] as const;

export const ASSET_PRICING_MODELS = ['one_time', 'subscription', 'per_use'] as const;
export const PricingInput = z
  .object({
    model: z.enum(ASSET_PRICING_MODELS),
    priceCents: Cents,
    interval: z.enum(['month', 'year']).optional().describe('subscriptions: monthly or yearly billing (the price is per month)'),
  })
  .refine((v) => v.model !== 'subscription' || v.interval !== undefined, {
    message: 'choose monthly or yearly billing',
    path: ['interval'],
  });
export type PricingInput = z.infer<typeof PricingInput>;

export const PricingView = z.object({
  model: z.enum(ASSET_PRICING_MODELS).nullable(),
  priceCents: z.number().nullable(),
  interval: z.enum(['month', 'year']).nullable(),
  /** What one sale pays, everything in micro-dollars. */
  breakdown: z
    .object({
      gross: z.number(),
      processorFee: z.number(),
      platformFee: z.number(),
      platformNet: z.number(),
      creatorShare: z.number(),
      parentRoyalty: z.number(),
      creatorNet: z.number(),
    })
    .nullable(),
});

export const RecommendationQuery = z.object({ model: z.enum(PRICING_MODELS).optional() });
export const Recommendation = z.object({
  model: z.enum(PRICING_MODELS),
  recommendedCents: z.number(),
  range: z.object({ minCents: z.number(), maxCents: z.number() }),
  reasoning: z.array(z.string()),
});

/** ISO 3166-1 alpha-2 country codes (every assigned one), for a license's territory. */
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG ' +
    'CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL ' +
    'GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA ' +
    'LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP ' +
    'NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);
/**
 * A license's territory (the licensing spec's `territory TEXT[]`, default ["worldwide"]):
 * "worldwide", or regions as ISO 3166-1 alpha-2 country codes ("US", "DE"), or "EU" (the code ISO
 * reserves for the European Union).
 */
export const isTerritory = (t: string): boolean => t === 'worldwide' || t === 'EU' || COUNTRY_CODES.has(t);
export const TERRITORY_RULE = 'Territory must be “worldwide” or two-letter country codes (ISO 3166-1, such as US, DE or FR)';

export const LicenseTerms = z.object({
  usageRights: z.array(z.enum(USAGE_RIGHTS)).min(1, 'name at least one allowed use'),
  territory: z.array(z.string().trim().min(2).max(60)).min(1).default(['worldwide']),
  durationDays: z.number().int().positive().max(36_500).nullable().default(null).describe('null = perpetual'),
  maxImpressions: z.number().int().positive().nullable().default(null).describe('null = unlimited'),
  royaltyPercent: z
    .number()
    .int('a whole percentage')
    .min(0)
    .max(MONEY_POLICY.licenseRoyaltyMaxPercent)
    .default(0)
    .describe('rights-managed only: the share of the usage base rates owed per use'),
  requiresAttribution: z.boolean().default(false),
  allowsAiTraining: z.boolean().default(false),
});
export type LicenseTerms = z.infer<typeof LicenseTerms>;

/** The terms of a new or changed offer: as LicenseTerms, with the territory checked (offers stored before keep theirs). */
export const LicenseTermsInput = LicenseTerms.extend({
  territory: z
    .array(z.string().trim().refine(isTerritory, TERRITORY_RULE))
    .min(1)
    .refine((t) => !t.includes('worldwide') || t.length === 1, '“worldwide” already covers every country: give it alone')
    .default(['worldwide']),
});

export const LicenseOfferInput = z
  .object({ licenseType: z.enum(LICENSE_TYPES), priceCents: Cents, terms: LicenseTermsInput })
  .refine((v) => v.licenseType === 'rights_managed' || v.terms.royaltyPercent === 0, {
    message: 'a royalty percentage applies to rights-managed licenses only',
    path: ['terms', 'royaltyPercent'],
  })
  .refine((v) => v.licenseType !== 'editorial' || !v.terms.usageRights.includes('merchandise'), {
    message: 'editorial licenses are non-commercial: merchandise is not allowed',
    path: ['terms', 'usageRights'],
  })
  // The spec has both the "ai_training" usage right and `allows_ai_training`: one fact, so they must agree.
  .refine((v) => v.terms.allowsAiTraining === v.terms.usageRights.includes('ai_training'), {
    message: 'AI training is allowed exactly when “ai training” is one of the usage rights: tick both or neither',
    path: ['terms', 'allowsAiTraining'],
  });
export type LicenseOfferInput = z.infer<typeof LicenseOfferInput>;

export const LicenseOfferView = z
  .object({
    id: z.string(),
    assetId: z.string(),
    assetName: z.string(),
    licenseType: z.enum(LICENSE_TYPES),
    priceCents: z.number(),
    terms: LicenseTerms,
    active: z.boolean(),
    soldOut: z.boolean(),
    purchases: z.number(),
    revenueCents: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'LicenseOffer' });
export type LicenseOfferView = z.infer<typeof LicenseOfferView>;

export const CheckoutInput = z.object({
  returnUrl: z.string().url().max(2000).optional().describe('where the buyer returns after paying'),
  companyName: z.string().trim().max(200).optional(),
});
export const TopUpInput = z.object({
  amountCents: z
    .number()
    .int('a whole number of cents')
    .min(MONEY_POLICY.topUp.minCents, `top-ups start at $${MONEY_POLICY.topUp.minCents / 100}`)
    .max(MONEY_POLICY.topUp.maxCents, `top-ups are limited to $${MONEY_POLICY.topUp.maxCents / 100}`),
  returnUrl: z.string().url().max(2000).optional(),
});

export const PURCHASE_STATUSES = ['pending', 'paid', 'refunded', 'expired', 'failed', 'unfulfilled'] as const;
export const PurchaseView = z
  .object({
    id: z.string(),
    kind: z.enum(['one_time', 'license', 'subscription', 'top_up']),
    status: z.enum(PURCHASE_STATUSES),
    assetId: z.string().nullable(),
    assetName: z.string().nullable(),
    version: z.number().nullable(),
    amountCents: z.number(),
    checkoutUrl: z.string().nullable(),
    processor: z.enum(['stripe', 'local_test']),
    licenseType: z.enum(LICENSE_TYPES).nullable(),
    licenseKey: z.string().nullable(),
    terms: LicenseTerms.nullable(),
    licenseExpiresAt: z.string().nullable(),
    impressionsUsed: z.number(),
    subscription: z
      .object({ id: z.string(), status: z.string(), interval: z.string(), currentPeriodEnd: z.string().nullable() })
      .nullable(),
    refundableUntil: z.string().nullable(),
    refundReason: z.string().nullable(),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
    refundedAt: z.string().nullable(),
  })
  .meta({ id: 'Purchase' });
export type PurchaseView = z.infer<typeof PurchaseView>;

export const RefundInput = z.object({
  reason: z.enum(REFUND_REASONS.filter((r) => r !== 'copyright_takedown' && r !== 'dispute_resolution') as [string, ...string[]]),
  details: z.string().trim().max(2000).optional(),
});

export const UsageInput = z.object({
  usageType: z.enum(USAGE_TYPES),
  count: z.number().int().min(1).max(1_000_000).default(1),
});
export const UseInput = z.object({
  context: z.string().trim().max(200).optional().describe('where it was used (story or room id)'),
  idempotencyKey: z.string().trim().min(8).max(100).optional().describe('the same key never charges twice'),
});

export const LicenseValidity = z.object({
  purchaseId: z.string(),
  valid: z.boolean(),
  reasons: z.array(z.string()),
  licenseType: z.enum(LICENSE_TYPES).nullable(),
  expiresAt: z.string().nullable(),
  impressionsUsed: z.number(),
  maxImpressions: z.number().nullable(),
});
export const UsageResult = LicenseValidity.extend({ recorded: z.number(), royaltyMicros: z.number() });
export const KeyQuery = z.object({ key: z.string().min(10).max(2000) });
export const KeyVerification = LicenseValidity.extend({
  assetId: z.string().nullable(),
  assetName: z.string().nullable(),
  terms: LicenseTerms.nullable(),
  issuedAt: z.string().nullable(),
  signatureValid: z.boolean(),
});

export const BalanceView = z.object({ availableMicros: z.number(), availableCents: z.number() });

export const PERIODS = ['7d', '30d', '90d', 'all'] as const;
export const EarningsQuery = z.object({ period: z.enum(PERIODS).default('30d') });
export const EarningsSummary = z
  .object({
    period: z.enum(PERIODS),
    since: z.string().nullable(),
    /** Everything in micro-dollars (1e-6 USD). */
    totals: z.object({
      grossSales: z.number(),
      creatorShare: z.number(),
      parentRoyaltiesPaid: z.number(),
      derivativeRoyaltiesEarned: z.number(),
      refunds: z.number(),
      net: z.number(),
      payouts: z.number(),
      sales: z.number(),
      refundCount: z.number(),
      uniqueBuyers: z.number(),
    }),
    balanceMicros: z.number(),
    payableCents: z.number(),
    /** Whether a payout account is connected (payouts need one; without it earnings stay in the balance). */
    payoutAccount: z.boolean().default(false),
    perAsset: z.array(
      z.object({ assetId: z.string(), name: z.string(), sales: z.number(), refunds: z.number(), grossSales: z.number(), net: z.number() }),
    ),
    daily: z.array(z.object({ day: z.string(), net: z.number(), sales: z.number() })),
  })
  .meta({ id: 'EarningsSummary' });
export type EarningsSummary = z.infer<typeof EarningsSummary>;

export const SaleLine = z.object({
  txId: z.number(),
  at: z.string(),
  kind: z.string(),
  assetId: z.string().nullable(),
  assetName: z.string().nullable(),
  purchaseId: z.string().nullable(),
  /** The purchase behind the line: an asset sale (one_time), a license, a subscription; null for a line without one. */
  purchaseKind: z.enum(['one_time', 'license', 'subscription', 'top_up']).nullable().default(null),
  licenseType: z.enum(LICENSE_TYPES).nullable().default(null),
  /** A refund's reason code (REFUND_REASONS); null for sales. */
  refundReason: z.string().nullable().default(null),
  role: z.enum(['creator', 'parent']),
  gross: z.number(),
  processorFee: z.number(),
  platformFee: z.number(),
  parentRoyalty: z.number(),
  amount: z.number(),
});
export type SaleLine = z.infer<typeof SaleLine>;
export const SalesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const CsvQuery = z.object({ kind: z.enum(['sales', 'payouts']).default('sales') });

export const PayoutView = z.object({
  id: z.string(),
  amountCents: z.number(),
  reversedCents: z.number(),
  status: z.string(),
  transferId: z.string().nullable(),
  transferGroup: z.string().nullable(),
  createdAt: z.string(),
});
export type PayoutView = z.infer<typeof PayoutView>;

export const DisputeInput = z.object({ reason: z.string().trim().min(10, 'describe the problem (10 characters or more)').max(4000) });
export const DisputeResolution = z.object({
  outcome: z.enum(['refund', 'no_refund']),
  resolution: z.string().trim().min(3, 'explain the decision to both parties').max(4000),
});
export const DisputeView = z
  .object({
    id: z.number(),
    purchaseId: z.string(),
    assetId: z.string().nullable(),
    assetName: z.string().nullable(),
    source: z.enum(['buyer', 'creator', 'processor']),
    reason: z.string(),
    state: z.enum(['open', 'resolved']),
    outcome: z.enum(['refund', 'no_refund']).nullable(),
    resolution: z.string().nullable(),
    amountCents: z.number(),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .meta({ id: 'Dispute' });
export type DisputeView = z.infer<typeof DisputeView>;

export const PayoutAccountView = z.object({ accountId: z.string(), onboardingUrl: z.string().nullable() });
