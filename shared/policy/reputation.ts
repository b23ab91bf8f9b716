/**
 * Creator reputation per marketplace-creator-economy.md: asset quality 0.4, sales performance
 * 0.3, community contribution 0.2, behaviour 0.1; levels new < 0.3 ≤ rising < 0.5 ≤ established
 * < 0.7 ≤ featured. Every component is a documented function of visible inputs, and the result
 * says what would raise each one — no hidden score.
 */

export const REPUTATION_WEIGHTS = { assetQuality: 0.4, salesPerformance: 0.3, communityContribution: 0.2, behavior: 0.1 } as const;
export const REPUTATION_LEVELS = [
  ['new', 0],
  ['rising', 0.3],
  ['established', 0.5],
  ['featured', 0.7],
] as const;
export type ReputationLevel = (typeof REPUTATION_LEVELS)[number][0];

export interface ReputationInputs {
  /** Verified-purchase ratings (1–5) across the creator's assets. */
  ratings: { count: number; sum: number };
  /** refunds: the refunds that count against the creator; excusedRefunds: those the policy leaves out (REPUTATION_POLICY). */
  sales: { count: number; refunds: number; excusedRefunds?: number };
  community: { reviewsWritten: number; derivativesAcknowledged: number; helpfulReports: number };
  behavior: { violations: number; upheldReportsAgainst: number };
}

export interface ReputationComponent {
  score: number;
  weight: number;
  explanation: string;
  toRaise: string;
}

export interface Reputation {
  total: number;
  level: ReputationLevel;
  components: Record<keyof typeof REPUTATION_WEIGHTS, ReputationComponent>;
}

/** Ratings are shrunk towards 3★ by this many imaginary ratings, so two 5★ ratings are not "perfect". */
export const RATING_PRIOR_COUNT = 5;
/** Sales volume saturates: 1 − e^(−sales/25) (25 sales → 0.63, 100 → 0.98). */
export const SALES_SCALE = 25;

/**
 * Which refunds count against a creator. A refund whose reason is in `refundReasonsNotCounted` is
 * the buyer's own mistake (bought the wrong thing, clicked twice), not a sign that the asset was
 * misdescribed: it is left out of the refund rate, and its sale still counts as a sale, so such a
 * refund leaves the reputation where the sale put it.
 */
export const REPUTATION_POLICY = {
  refundReasonsNotCounted: ['accidental_purchase'] as readonly string[],
};
export type ReputationPolicy = typeof REPUTATION_POLICY;

/** Splits refund counts per reason code into those that count against the creator and those the policy excuses. */
export function countRefunds(
  byReason: Readonly<Record<string, number>>,
  policy: ReputationPolicy = REPUTATION_POLICY,
): { counted: number; excused: number } {
  let counted = 0;
  let excused = 0;
  for (const [reason, n] of Object.entries(byReason)) {
    if (policy.refundReasonsNotCounted.includes(reason)) excused += n;
    else counted += n;
  }
  return { counted, excused };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function levelFor(total: number): ReputationLevel {
  let level: ReputationLevel = 'new';
  for (const [name, min] of REPUTATION_LEVELS) if (total >= min) level = name;
  return level;
}

export function computeReputation(i: ReputationInputs): Reputation {
  const n = i.ratings.count;
  const mean = n ? i.ratings.sum / n : 0;
  const shrunk = n ? (i.ratings.sum + 3 * RATING_PRIOR_COUNT) / (n + RATING_PRIOR_COUNT) : 0;
  const assetQuality = n ? (shrunk - 1) / 4 : 0;

  const refundRate = i.sales.count ? Math.min(1, i.sales.refunds / i.sales.count) : 0;
  const volume = 1 - Math.exp(-i.sales.count / SALES_SCALE);
  const salesPerformance = volume * (1 - refundRate);

  const c = i.community;
  const communityContribution = Math.min(1, 0.05 * c.reviewsWritten + 0.1 * c.derivativesAcknowledged + 0.1 * c.helpfulReports);

  const behavior = Math.max(0, 1 - (1 / 3) * i.behavior.violations - 0.1 * i.behavior.upheldReportsAgainst);

  const components: Reputation['components'] = {
    assetQuality: {
      score: r3(assetQuality),
      weight: REPUTATION_WEIGHTS.assetQuality,
      explanation: n
        ? `${n} verified rating${n > 1 ? 's' : ''} averaging ${mean.toFixed(2)}★ (weighted towards 3★ by ${RATING_PRIOR_COUNT} neutral ratings: ${shrunk.toFixed(2)}★)`
        : 'no verified ratings yet',
      toRaise: 'more buyers rating your assets highly: each 5★ rating moves the average up',
    },
    salesPerformance: {
      score: r3(salesPerformance),
      weight: REPUTATION_WEIGHTS.salesPerformance,
      explanation:
        `${i.sales.count} sale${i.sales.count === 1 ? '' : 's'}, ${i.sales.refunds} refunded (${(refundRate * 100).toFixed(0)} %)` +
        (i.sales.excusedRefunds
          ? `; ${i.sales.excusedRefunds} accidental-purchase refund${i.sales.excusedRefunds === 1 ? '' : 's'} not counted against you`
          : ''),
      toRaise:
        refundRate > 0.1
          ? 'fewer refunds: describe assets accurately so buyers get what they expect'
          : 'more sales (the score saturates: 25 sales give 0.63, 100 give 0.98)',
    },
    communityContribution: {
      score: r3(communityContribution),
      weight: REPUTATION_WEIGHTS.communityContribution,
      explanation: `${c.reviewsWritten} reviews written, ${c.derivativesAcknowledged} derivatives acknowledged, ${c.helpfulReports} helpful reports`,
      toRaise:
        'review assets you bought (+0.05 each), declare the parents of your derivatives (+0.1 each), report real problems (+0.1 per upheld report)',
    },
    behavior: {
      score: r3(behavior),
      weight: REPUTATION_WEIGHTS.behavior,
      explanation: `${i.behavior.violations} upheld violation${i.behavior.violations === 1 ? '' : 's'}, ${i.behavior.upheldReportsAgainst} upheld reports against you`,
      toRaise: i.behavior.violations ? 'a successful appeal restores the score of an overturned strike' : 'nothing: keep it clean',
    },
  };
  const total = r3(
    components.assetQuality.score * REPUTATION_WEIGHTS.assetQuality +
      components.salesPerformance.score * REPUTATION_WEIGHTS.salesPerformance +
      components.communityContribution.score * REPUTATION_WEIGHTS.communityContribution +
      components.behavior.score * REPUTATION_WEIGHTS.behavior,
  );
  return { total, level: levelFor(total), components };
}
