import { describe, expect, it } from 'vitest';
import { computeReputation, levelFor } from '../../shared/policy/reputation.ts';

const base = {
  ratings: { count: 0, sum: 0 },
  sales: { count: 0, refunds: 0 },
  community: { reviewsWritten: 0, derivativesAcknowledged: 0, helpfulReports: 0 },
  behavior: { violations: 0, upheldReportsAgainst: 0 },
};

describe('creator reputation (worked examples)', () => {
  it('a brand-new creator: only clean behaviour counts — 0.1, level new', () => {
    const r = computeReputation(base);
    expect(r.total).toBe(0.1);
    expect(r.level).toBe('new');
    expect(r.components.assetQuality.explanation).toBe('no verified ratings yet');
  });

  it('an established creator: 10 ratings averaging 4.5★, 20 sales with 1 refund, 4 reviews written', () => {
    const r = computeReputation({
      ...base,
      ratings: { count: 10, sum: 45 },
      sales: { count: 20, refunds: 1 },
      community: { reviewsWritten: 4, derivativesAcknowledged: 0, helpfulReports: 0 },
    });
    // quality: (45 + 15) / 15 = 4.0★ → 0.75; sales: (1 − e^−0.8) × 0.95 = 0.523; community 0.2; behaviour 1.
    expect(r.components.assetQuality.score).toBe(0.75);
    expect(r.components.salesPerformance.score).toBe(0.523);
    expect(r.components.communityContribution.score).toBe(0.2);
    expect(r.total).toBe(0.597); // 0.3 + 0.1569 + 0.04 + 0.1
    expect(r.level).toBe('established');
  });

  it('a featured creator, and what strikes and refunds do', () => {
    const star = computeReputation({
      ratings: { count: 200, sum: 960 },
      sales: { count: 400, refunds: 4 },
      community: { reviewsWritten: 10, derivativesAcknowledged: 3, helpfulReports: 2 },
      behavior: { violations: 0, upheldReportsAgainst: 0 },
    });
    expect(star.level).toBe('featured');
    expect(star.total).toBeGreaterThanOrEqual(0.7);
    const struck = computeReputation({ ...base, behavior: { violations: 3, upheldReportsAgainst: 0 } });
    expect(struck.components.behavior.score).toBe(0);
    const refunder = computeReputation({ ...base, sales: { count: 50, refunds: 25 } });
    expect(refunder.components.salesPerformance.toRaise).toMatch(/fewer refunds/);
  });

  it('levels switch at 0.3, 0.5 and 0.7', () => {
    expect([0.299, 0.3, 0.499, 0.5, 0.699, 0.7, 1].map(levelFor)).toEqual([
      'new',
      'rising',
      'rising',
      'established',
      'established',
      'featured',
      'featured',
    ]);
  });
});
