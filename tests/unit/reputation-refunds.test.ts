/**
 * The reputation policy's refund rule (shared/policy/reputation.ts REPUTATION_POLICY): a refund for
 * an accidental purchase does not count against the creator — the reputation after it equals the
 * reputation before it — while other refunds lower it; the rule is a policy setting.
 */
import { describe, expect, it } from 'vitest';
import { REFUND_REASONS } from '../../shared/policy/money.ts';
import { REPUTATION_POLICY, computeReputation, countRefunds } from '../../shared/policy/reputation.ts';

const base = {
  ratings: { count: 4, sum: 18 },
  community: { reviewsWritten: 1, derivativesAcknowledged: 0, helpfulReports: 0 },
  behavior: { violations: 0, upheldReportsAgainst: 0 },
};
/** Reputation of a creator with `sales` sales (refunded ones included) and these refunds per reason. */
const after = (sales: number, byReason: Record<string, number>) => {
  const r = countRefunds(byReason);
  return computeReputation({ ...base, sales: { count: sales, refunds: r.counted, excusedRefunds: r.excused } });
};

describe('refunds and reputation', () => {
  it('an accidental-purchase refund leaves the reputation where the sale put it', () => {
    const beforeRefund = after(10, {});
    const accidental = after(10, { accidental_purchase: 1 });
    expect(accidental.total).toBe(beforeRefund.total);
    expect(accidental.components.salesPerformance.score).toBe(beforeRefund.components.salesPerformance.score);
    expect(accidental.components.salesPerformance.explanation).toBe(
      '10 sales, 0 refunded (0 %); 1 accidental-purchase refund not counted against you',
    );
  });

  it('a refund for a misdescribed asset does lower it', () => {
    const beforeRefund = after(10, {});
    const misdescribed = after(10, { not_as_described: 1 });
    expect(misdescribed.total).toBeLessThan(beforeRefund.total);
    expect(misdescribed.components.salesPerformance.explanation).toBe('10 sales, 1 refunded (10 %)');
  });

  it('counts per reason: only the reasons the policy names are excused', () => {
    expect(countRefunds({ accidental_purchase: 2, not_as_described: 1, copyright_takedown: 3, other: 1 })).toEqual({
      counted: 5,
      excused: 2,
    });
    expect(countRefunds({})).toEqual({ counted: 0, excused: 0 });
    // The setting is the policy's: a stricter marketplace can count every refund.
    expect(countRefunds({ accidental_purchase: 2 }, { refundReasonsNotCounted: [] })).toEqual({ counted: 2, excused: 0 });
  });

  it('the excused reasons are refund reasons the money policy knows', () => {
    expect(REPUTATION_POLICY.refundReasonsNotCounted).toEqual(['accidental_purchase']);
    for (const r of REPUTATION_POLICY.refundReasonsNotCounted) expect(REFUND_REASONS).toContain(r);
  });
});
