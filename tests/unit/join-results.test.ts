/** joinResults: a check over published assets joined with one over submissions in review — one ranking, the verdict decided again. */
import { describe, expect, it } from 'vitest';
import { joinResults } from '../../engine/library.ts';
import type { CheckResult, Match } from '../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const match = (over: Partial<Match>): Match =>
  ({
    assetId: 'a',
    name: 'A',
    creatorId: 'other',
    assetType: 'item',
    imageSha: null,
    metadata: 0.2,
    visualScore: null,
    combined: 0.4,
    layers: {},
    copySignals: [],
    differences: { fields: [], transform: [] },
    ...over,
  }) as Match;

const result = (matches: Match[], status: CheckResult['status'] = 'approved'): CheckResult =>
  ({
    status,
    reason: 'r',
    action: 'a',
    layers: {},
    matches,
    metadataHash: 'h',
    policyVersion: 1,
    elapsedMs: 2,
    compared: 10,
  }) as unknown as CheckResult;

describe('joinResults', () => {
  it('a copy found only among submissions in review decides the verdict and leads the ranking', () => {
    const published = result([match({ assetId: 'p', name: 'Near', combined: 0.5 })]);
    const pending = result([
      match({ assetId: 'q', name: 'Copied', creatorId: 'me', combined: 0.6, copySignals: ['visual copy'], pending: true }),
    ]);
    const r = joinResults(published, pending, 'me', UNIQUENESS_POLICY);
    expect(r.status).toBe('duplicate_self');
    expect(r.reason).toContain('“Copied”');
    expect(r.matches.map((m) => m.assetId)).toEqual(['q', 'p']);
    expect(r.matches[0]?.pending).toBe(true);
    expect(r.compared).toBe(20);
    expect(r.elapsedMs).toBe(4);
  });

  it('an asset matched in both keeps its published match; only the best topK remain', () => {
    const published = result([match({ assetId: 'x', combined: 0.45 })]);
    const many = Array.from({ length: UNIQUENESS_POLICY.topK + 2 }, (_, i) =>
      match({ assetId: `n${i}`, combined: 0.3 + i * 0.01, pending: true }),
    );
    const r = joinResults(
      published,
      result([match({ assetId: 'x', combined: 0.9, copySignals: ['visual copy'], pending: true }), ...many]),
      'me',
      UNIQUENESS_POLICY,
    );
    expect(r.matches).toHaveLength(UNIQUENESS_POLICY.topK);
    expect(r.matches.find((m) => m.assetId === 'x')).toMatchObject({ combined: 0.45 });
    expect(r.matches.find((m) => m.assetId === 'x')?.pending).toBeUndefined();
    expect(r.status).toBe('approved');
  });

  it('another creator’s copy in review flags the submission', () => {
    const r = joinResults(
      result([]),
      result([match({ assetId: 'q', copySignals: ['visual copy'], pending: true })]),
      'me',
      UNIQUENESS_POLICY,
    );
    expect(r.status).toBe('flagged_plagiarism');
  });
});
