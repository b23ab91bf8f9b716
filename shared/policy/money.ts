/**
 * The money policy: one versioned object, shown to creators and applied by the server. Amounts
 * are integers — cents for prices, micro-dollars (1e-6 USD) for ledger amounts, basis points for
 * percentages — never floats.
 */
import type { AssetType } from '../asset.ts';
import { usdFromCents } from '../format.ts';

export const MICROS_PER_CENT = 10_000;
export const BASIS = 10_000;

export const PRICING_MODELS = ['one_time', 'subscription', 'per_use', 'license'] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];

export const SPLIT_PRESETS = {
  /** The creator-economy and licensing specs: 70 % creator, 30 % platform. The default. */
  standard: { creatorBasisPoints: 7000 },
  /** The anti-duplication spec's micro-use marketplace: 85 % creator, 15 % platform. */
  micro_use: { creatorBasisPoints: 8500 },
} as const;
export type SplitPreset = keyof typeof SPLIT_PRESETS;

export const REFUND_REASONS = [
  'not_as_described',
  'duplicate_purchase',
  'technical_problem',
  'accidental_purchase',
  'copyright_takedown',
  'dispute_resolution',
  'other',
] as const;

export const MONEY_POLICY = {
  version: 1,
  preset: 'standard' as SplitPreset,
  split: SPLIT_PRESETS.standard as { creatorBasisPoints: number },
  /** Price bounds in cents, inclusive; every price is a whole number of cents ($0.01 steps). */
  pricing: {
    one_time: { minCents: 99, maxCents: 9_999 },
    subscription: { minCents: 199, maxCents: 2_999, intervals: ['month', 'year'] as const },
    per_use: { minCents: 1, maxCents: 100 },
    license: { minCents: 99, maxCents: 99_999 },
  },
  /** Free listings are refused (spam control); this flag allows free licenses only. */
  allowFreeLicenses: false,
  /** The parent's creator receives this share of a derivative creator's revenue, per sale. */
  derivativeRoyaltyBasisPoints: 1000,
  refundWindowDays: 7,
  refundReasons: REFUND_REASONS,
  /** Card processing (Stripe's standard 2.9 % + 30¢), borne by the platform out of its share. */
  processorFee: { basisPoints: 290, fixedCents: 30, borneBy: 'platform' as const },
  /** Rights-managed usage base rates (licensing spec), in micro-dollars, × the license's royalty %. */
  usageBaseRatesMicros: { impression: 1_000, download: 10_000, embed: 5_000 },
  licenseRoyaltyMaxPercent: 50,
  /** Prepaid balance top-ups for per-use assets and license royalties (card charges of a cent make no sense). */
  topUp: { minCents: 500, maxCents: 50_000 },
  /** How long a buyer's open checkout holds an exclusive license (Checkout Sessions last at least 30 minutes). */
  exclusiveHoldMinutes: 30,
  /**
   * Creators are credited at sale time and paid by a Connect transfer right after each sale
   * ("instant payout"), whole cents, sub-cent remainders carried; balance-funded micro-earnings are
   * paid when the creator asks, or with the next sale.
   */
  instantPayout: true,
};
export type MoneyPolicy = typeof MONEY_POLICY;

export type PriceCheck = { ok: true } | { ok: false; field: string; message: string };

/** Validates a price on integers: whole cents inside the model's bounds (free only where allowed). */
export function checkPrice(model: PricingModel, cents: unknown, policy: MoneyPolicy = MONEY_POLICY): PriceCheck {
  if (typeof cents !== 'number' || !Number.isSafeInteger(cents))
    return { ok: false, field: 'priceCents', message: 'priceCents: must be a whole number of cents ($0.01 steps)' };
  if (cents === 0) {
    if (model === 'license' && policy.allowFreeLicenses) return { ok: true };
    return { ok: false, field: 'priceCents', message: 'priceCents: free listings are not allowed on this marketplace' };
  }
  const b = policy.pricing[model];
  if (cents < b.minCents || cents > b.maxCents) {
    return {
      ok: false,
      field: 'priceCents',
      message: `priceCents: ${model.replace('_', '-')} prices range from ${usdFromCents(b.minCents)} to ${usdFromCents(b.maxCents)}`,
    };
  }
  return { ok: true };
}

export interface SaleBreakdown {
  /** Everything in micro-dollars. */
  gross: number;
  processorFee: number;
  platformFee: number;
  platformNet: number;
  creatorShare: number;
  parentRoyalty: number;
  creatorNet: number;
}

/**
 * Splits one sale. creatorShare = ⌊gross × split⌋, the platform takes the rest; the parent of a
 * derivative receives ⌊creatorShare × royalty⌋ out of the creator's share; the processor fee
 * (for card charges; the processor's actual fee when known) comes out of the platform's share. Integer arithmetic only; the parts always
 * add up to the gross.
 */
export function splitSale(
  grossMicros: number,
  opts: { hasParent: boolean; cardCharge: boolean; processorFeeMicros?: number },
  policy: MoneyPolicy = MONEY_POLICY,
): SaleBreakdown {
  if (!Number.isSafeInteger(grossMicros) || grossMicros < 0) throw new Error('gross must be a non-negative integer of micro-dollars');
  const creatorShare = Math.floor((grossMicros * policy.split.creatorBasisPoints) / BASIS);
  const platformFee = grossMicros - creatorShare;
  const parentRoyalty = opts.hasParent ? Math.floor((creatorShare * policy.derivativeRoyaltyBasisPoints) / BASIS) : 0;
  const cents = Math.round(grossMicros / MICROS_PER_CENT);
  const processorFee =
    opts.processorFeeMicros !== undefined
      ? opts.processorFeeMicros
      : opts.cardCharge && grossMicros > 0
        ? (Math.round((cents * policy.processorFee.basisPoints) / BASIS) + policy.processorFee.fixedCents) * MICROS_PER_CENT
        : 0;
  return {
    gross: grossMicros,
    processorFee,
    platformFee,
    platformNet: platformFee - processorFee,
    creatorShare,
    parentRoyalty,
    creatorNet: creatorShare - parentRoyalty,
  };
}

/** One sale as people see it, in whole cents: the parts add up to the price exactly. */
export interface SaleInCents {
  gross: number;
  platformFee: number;
  processorFee: number;
  parentRoyalty: number;
  creatorNet: number;
}

/**
 * A sale's split in whole cents, the way the ledger pays it: the ledger keeps each share to the
 * micro-dollar and pays creators in whole cents, rounded DOWN, carrying the fraction of a cent to
 * their next payout (server/repos/ledger.ts `payableCents`). So what you receive (and the parent's
 * royalty) is shown rounded down, and the platform fee is the rest of the price — its exact share
 * rounded up plus the carried fractions — so fee + royalty + what you receive = the price, in
 * integer cents. The processor's fee is already whole cents (shown for information, out of the fee).
 */
export function saleInCents(b: SaleBreakdown): SaleInCents {
  const down = (micros: number) => Math.floor(micros / MICROS_PER_CENT);
  const gross = Math.round(b.gross / MICROS_PER_CENT);
  const creatorNet = down(b.creatorNet);
  const parentRoyalty = down(b.parentRoyalty);
  return {
    gross,
    platformFee: gross - creatorNet - parentRoyalty,
    processorFee: Math.round(b.processorFee / MICROS_PER_CENT),
    parentRoyalty,
    creatorNet,
  };
}

/** Royalty for one rights-managed usage event: base rate × the license's royalty percentage. */
export function usageRoyaltyMicros(
  kind: keyof MoneyPolicy['usageBaseRatesMicros'],
  royaltyPercent: number,
  policy: MoneyPolicy = MONEY_POLICY,
): number {
  if (!Number.isInteger(royaltyPercent) || royaltyPercent < 0 || royaltyPercent > policy.licenseRoyaltyMaxPercent)
    throw new Error('royalty percentage must be an integer 0–50');
  return Math.floor((policy.usageBaseRatesMicros[kind] * royaltyPercent) / 100);
}

const BASE_PRICE_CENTS: Record<AssetType, number> = {
  character: 499,
  location: 399,
  item: 199,
  quest_hook: 299,
  room_template: 999,
  custom_module: 699,
  media: 299,
};

export interface PriceRecommendation {
  model: PricingModel;
  recommendedCents: number;
  range: { minCents: number; maxCents: number };
  reasoning: string[];
}

/**
 * Base price per asset type × quality multiplier (0.8 at 1★ … 1.4 at 5★, 1.0 unrated) ×
 * reputation multiplier (0.9 at 0 … 1.3 at 1), clamped to the model's range. Multipliers are
 * applied in basis points and rounded to whole cents.
 */
export function recommendPrice(
  input: { assetType: AssetType; model?: PricingModel; quality?: number | null; reputation?: number | null },
  policy: MoneyPolicy = MONEY_POLICY,
): PriceRecommendation {
  const model = input.model ?? 'one_time';
  const range = { minCents: policy.pricing[model].minCents, maxCents: policy.pricing[model].maxCents };
  const base =
    model === 'per_use'
      ? Math.max(1, Math.round(BASE_PRICE_CENTS[input.assetType] / 20))
      : model === 'subscription'
        ? Math.max(199, Math.round(BASE_PRICE_CENTS[input.assetType] / 2))
        : BASE_PRICE_CENTS[input.assetType];
  const q = input.quality ?? null;
  const qualityBp = q === null ? BASIS : Math.round(BASIS * (0.8 + (0.6 * (Math.min(5, Math.max(1, q)) - 1)) / 4));
  const r = Math.min(1, Math.max(0, input.reputation ?? 0));
  const repBp = Math.round(BASIS * (0.9 + 0.4 * r));
  const raw = Math.round((((base * qualityBp) / BASIS) * repBp) / BASIS);
  const recommendedCents = Math.min(range.maxCents, Math.max(range.minCents, raw));
  const reasoning = [
    `base price for a ${input.assetType.replace('_', ' ')} (${model.replace('_', '-')}): ${usdFromCents(base)}`,
    q === null ? 'no ratings yet: quality multiplier ×1.00' : `quality ${q.toFixed(1)}★: multiplier ×${(qualityBp / BASIS).toFixed(2)}`,
    `creator reputation ${r.toFixed(2)}: multiplier ×${(repBp / BASIS).toFixed(2)}`,
    raw === recommendedCents
      ? `= ${usdFromCents(recommendedCents)}`
      : `= ${usdFromCents(raw)}, clamped to the ${usdFromCents(range.minCents)}–${usdFromCents(range.maxCents)} range: ${usdFromCents(recommendedCents)}`,
  ];
  return { model, recommendedCents, range, reasoning };
}
