// Eval statistics: Wilson score intervals against values worked out by hand, nearest-rank percentiles, summaries, where a copy's source ranks, copies found below a library drawing their own artwork or their host picture shares, and the verified geometry a record keeps.
import { describe, expect, it } from 'vitest';
import { auditReason, withIdenticalCopies } from '../../scripts/eval/audit.ts';
import { breakdowns } from '../../scripts/eval/breakdown.ts';
import type { QueryRecord } from '../../scripts/eval/results.ts';
import { generatedRecord, hostFiles, sourceRank, summarise } from '../../scripts/eval/results.ts';
import type { CheckResult } from '../../shared/check.ts';
import { formatProportion, percentile, wilson } from '../../scripts/eval/stats.ts';

describe('wilson', () => {
  it('matches closed forms at the edges', () => {
    // k = 0: the upper bound is z²/(n + z²); k = n: the lower bound is n/(n + z²).
    const z2 = 1.959963984540054 ** 2;
    const none = wilson(0, 10);
    expect(none.p).toBe(0);
    expect(none.lo).toBeCloseTo(0, 12);
    expect(none.hi).toBeCloseTo(z2 / (10 + z2), 10);
    expect(none.hi).toBeCloseTo(0.2775, 4);
    const all = wilson(10, 10);
    expect(all.lo).toBeCloseTo(10 / (10 + z2), 10);
    expect(all.lo).toBeCloseTo(0.7225, 4);
    expect(all.hi).toBeCloseTo(1, 12);
  });

  it('matches published values', () => {
    // 5/10: 0.2366–0.7634; 81/263: 0.2553–0.3662 (the usual textbook example).
    const half = wilson(5, 10);
    expect(half.lo).toBeCloseTo(0.2366, 4);
    expect(half.hi).toBeCloseTo(0.7634, 4);
    const r = wilson(81, 263);
    expect(r.p).toBeCloseTo(0.308, 3);
    expect(r.lo).toBeCloseTo(0.2553, 3);
    expect(r.hi).toBeCloseTo(0.3662, 3);
  });

  it('is symmetric, contains p and narrows with n', () => {
    const a = wilson(3, 20);
    const b = wilson(17, 20);
    expect(a.lo).toBeCloseTo(1 - b.hi, 12);
    expect(a.hi).toBeCloseTo(1 - b.lo, 12);
    expect(a.lo).toBeLessThan(a.p);
    expect(a.hi).toBeGreaterThan(a.p);
    expect(wilson(30, 200).hi - wilson(30, 200).lo).toBeLessThan(a.hi - a.lo);
  });

  it('handles n = 0 and refuses impossible counts', () => {
    expect(wilson(0, 0)).toEqual({ k: 0, n: 0, p: 0, lo: 0, hi: 1 });
    expect(() => wilson(3, 2)).toThrow(/0 ≤ k ≤ n/);
    expect(() => wilson(-1, 2)).toThrow();
    expect(() => wilson(1.5, 2)).toThrow();
  });

  it('formats', () => {
    expect(formatProportion(wilson(5, 10))).toBe('0.500 [0.237, 0.763] (5/10)');
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const v = [15, 20, 35, 40, 50];
    expect(percentile(v, 0.05)).toBe(15);
    expect(percentile(v, 0.3)).toBe(20);
    expect(percentile(v, 0.4)).toBe(20);
    expect(percentile(v, 0.5)).toBe(35);
    expect(percentile(v, 1)).toBe(50);
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

const rec = (
  id: string,
  family: string,
  params: Record<string, number | string>,
  expect: string | null,
  hit: boolean,
  flagged = hit,
  audited?: string,
  sourceRank: number | null = hit ? 1 : null,
): QueryRecord => ({
  id,
  family,
  steps: family === 'unrelated' ? [] : [{ family, params }],
  expect,
  source: id,
  status: flagged ? 'flagged_plagiarism' : 'approved',
  flagged,
  top: flagged ? 'lib' : null,
  topSource: flagged ? 'lib.png' : null,
  signals: [],
  hit,
  sourceRank,
  checkMs: 10,
  ...(audited !== undefined ? { audited } : {}),
});

describe('summaries', () => {
  const records = [
    rec('c1', 'crop', { area: 0.45 }, 'lib', true),
    rec('c2', 'crop', { area: 0.6 }, 'lib', false),
    rec('c3', 'crop', { area: 0.9 }, 'lib', true),
    rec('c4', 'crop', { area: 0.5 }, 'lib', false, true, undefined, 2),
    rec('c5', 'crop', { area: 0.5 }, 'lib', false, true),
    rec('u1', 'unrelated', {}, null, false, true, 'same drawing'),
    rec('u2', 'unrelated', {}, null, false, true, undefined),
    rec('u3', 'unrelated', {}, null, false),
  ];

  it('groups recall by parameter bins, the last bin closed', () => {
    const crop = breakdowns(records).find((b) => b.family === 'crop');
    expect(crop?.groups).toEqual([
      { group: '0.4–0.55', k: 1, n: 3 },
      { group: '0.55–0.7', k: 0, n: 1 },
      { group: '0.7–0.9', k: 1, n: 1 },
    ]);
  });

  it('counts recall, wrong top matches and audited false positives', () => {
    const s = summarise(records, ['crop'], 4);
    expect(s.families[0]).toMatchObject({ family: 'crop', k: 2, n: 5, wrongTop: 2, sourceBelowTop: 1 });
    expect(s.falsePositives).toMatchObject({ k: 2, n: 3 });
    expect(s.falsePositivesUnexplained).toMatchObject({ k: 1, n: 2 });
    expect(s.latencyMs).toEqual({ p50: 10, p95: 10 });
  });
});

describe('where the source sits among the matches', () => {
  const match = (assetId: string, copySignals: string[]) => ({ assetId, copySignals });
  const result = (status: string, matches: ReturnType<typeof match>[]) => ({ status, matches }) as unknown as CheckResult;

  it('counts only matches with a copy signal, 1-based', () => {
    const r = result('flagged_plagiarism', [match('host', ['partial copy']), match('near', []), match('lib', ['partial copy'])]);
    expect(sourceRank('lib', r)).toBe(2);
    expect(sourceRank('host', r)).toBe(1);
    expect(sourceRank('near', r)).toBeNull();
  });

  it('is null for an approved check or an unrelated query', () => {
    expect(sourceRank('lib', result('approved', [match('lib', ['partial copy'])]))).toBeNull();
    expect(sourceRank(null, result('flagged_plagiarism', [match('lib', ['visual copy'])]))).toBeNull();
  });
});

describe('a copy found below a library drawing the query also holds', () => {
  const match = (assetId: string, copySignals: string[]) => ({ assetId, copySignals });
  const result = (matches: ReturnType<typeof match>[]) => ({ status: 'flagged_plagiarism', matches }) as unknown as CheckResult;
  const bySource = new Map([
    ['img1', 'food/bus.png'],
    ['img2', 'food/cone_b.png'],
    ['img3', 'food/pear.png'],
  ]);
  const audit = { 'generated-images': [{ query: 'food/cone_b.png', library: 'food/cone_a.png', why: 'one scoop drawing' }] };
  const paste = (hostFile: string) => [{ family: 'paste', params: { scale: 0.4, host: 'clipart', hostFile } }];
  const record = (steps: ReturnType<typeof paste>, r: CheckResult, expect: string | null = 'img1', source = 'food/bus.png') =>
    generatedRecord({ id: 'q', family: 'paste', steps, expect, source }, r, 5, bySource, audit, 'generated-images');

  it('is a hit when every match above the source is a drawing the audit says the host holds', () => {
    const rec = record(paste('food/cone_a.png'), result([match('img2', ['partial copy']), match('img1', ['partial copy'])]));
    expect(rec.hit).toBe(true);
    expect(rec.top).toBe('img2');
    expect(rec.sourceRank).toBe(2);
    expect(rec.heldAbove).toContain('one scoop drawing');
    expect(summarise([rec], ['paste'], 3).families[0]).toMatchObject({ k: 1, n: 1, wrongTop: 0, belowHeld: 1 });
  });

  it('is not a hit when the host is not audited, or another match outranks the source', () => {
    const plain = record(paste('food/other.png'), result([match('img2', ['partial copy']), match('img1', ['partial copy'])]));
    expect(plain.hit).toBe(false);
    expect(plain.heldAbove).toBeUndefined();
    const third = record(
      paste('food/cone_a.png'),
      result([match('img2', ['partial copy']), match('img3', ['partial copy']), match('img1', ['partial copy'])]),
    );
    expect(third.hit).toBe(false);
    // A generated scene holds no library drawing; nor does a source found without a copy signal count.
    const scene = record(
      [{ family: 'paste', params: { scale: 0.4, host: 'scene' } }] as never,
      result([match('img2', ['partial copy']), match('img1', ['partial copy'])]),
    );
    expect(scene.hit).toBe(false);
    const weak = record(paste('food/cone_a.png'), result([match('img2', ['partial copy']), match('img1', [])]));
    expect(weak.hit).toBe(false);
    expect(hostFiles(paste('food/cone_a.png'))).toEqual(['food/cone_a.png']);
  });

  it('is a hit when the match above is a drawing the audit says the source artwork shares', () => {
    const sibling = { 'generated-images': [{ query: 'food/cone_b.png', library: 'food/bus.png', why: 'the same waffle cone' }] };
    const r = result([match('img2', ['partial copy']), match('img1', ['partial copy'])]);
    const q = { id: 'q', family: 'crop', steps: [], expect: 'img1', source: 'food/bus.png' };
    const rec = generatedRecord(q, r, 5, bySource, sibling, 'generated-images');
    expect(rec.hit).toBe(true);
    expect(rec.heldAbove).toBe('the same waffle cone');
    expect(generatedRecord(q, r, 5, bySource, {}, 'generated-images').hit).toBe(false);
  });

  it('explains an unrelated query flagged for what its host picture holds', () => {
    const rec = record(paste('food/cone_a.png'), result([match('img2', ['partial copy'])]), null, 'food/penguin.png');
    expect(rec.hit).toBe(false);
    expect(rec.audited).toContain('the host picture food/cone_a.png holds food/cone_b.png');
    const bare = record(paste('food/other.png'), result([match('img2', ['partial copy'])]), null, 'food/penguin.png');
    expect(bare.audited).toBeNull();
  });
});

describe('the label audit across byte-identical copies', () => {
  const audit = {
    'generated-images': [{ query: 'food/crawfish_bw.png', library: 'animals/crawfish.png', why: 'one crawfish drawing' }],
    'generated-texts': [{ query: 't1', library: 't2', why: 'same fortune' }],
  };
  const bytes: Record<string, string> = {
    'food/crawfish_bw.png': 'A',
    'animals/crawfish_bw.png': 'A',
    'animals/fish/crawfish_bw.png': 'A',
    'animals/crawfish.png': 'B',
    'food/crawfish.png': 'B',
    'animals/crawfish_red.png': 'C',
  };
  const files = Object.keys(bytes);
  const expanded = withIdenticalCopies(audit, 'generated-images', files, (f) => bytes[f] ?? null);

  it("carries a pair's reason to every pair of identical copies, in either order, naming the copy", () => {
    const why = auditReason(expanded, 'generated-images', 'food/crawfish.png', 'animals/fish/crawfish_bw.png');
    expect(why).toContain('one crawfish drawing');
    expect(why).toContain('animals/fish/crawfish_bw.png = food/crawfish_bw.png');
    expect(why).toContain('food/crawfish.png = animals/crawfish.png');
    // 3 copies of one side × 2 of the other: the audited pair and five more, none twice.
    expect(expanded['generated-images']).toHaveLength(6);
    expect(auditReason(expanded, 'generated-images', 'food/crawfish_bw.png', 'animals/crawfish.png')).toBe('one crawfish drawing');
  });

  it('adds nothing for files whose bytes differ, and leaves other keys alone', () => {
    expect(auditReason(expanded, 'generated-images', 'animals/crawfish_red.png', 'food/crawfish_bw.png')).toBeNull();
    expect(auditReason(audit, 'generated-images', 'food/crawfish.png', 'animals/fish/crawfish_bw.png')).toBeNull();
    expect(expanded['generated-texts']).toEqual(audit['generated-texts']);
    const unreadable = withIdenticalCopies(audit, 'generated-images', files, () => null);
    expect(unreadable['generated-images']).toEqual(audit['generated-images']);
  });
});

describe("a record keeps its top match's verified geometry and what it is named", () => {
  const bySource = new Map([['img1', 'food/bus.png']]);
  const q = { id: 'q', family: 'shear', steps: [], expect: 'img1', source: 'food/bus.png' };
  const region = {
    query: { x: 0, y: 0, w: 1, h: 1 },
    match: { x: 0, y: 0, w: 1, h: 1 },
    outline: [],
    rotationDeg: 11.23456,
    scale: 0.98765,
    stretch: 1.49876,
    mirrored: false,
    inliers: 23,
    matchCoverage: 0.81234,
    queryCoverage: 0.7,
  };
  const r = (withRegion: boolean) =>
    ({
      status: 'flagged_plagiarism',
      matches: [{ assetId: 'img1', copySignals: ['partial copy'], ...(withRegion ? { region } : {}) }],
    }) as unknown as CheckResult;

  it('rounds inliers, scale, turn, stretch and coverage into the record', () => {
    expect(generatedRecord(q, r(true), 5, bySource, {}, 'generated-images').region).toEqual({
      inliers: 23,
      scale: 0.988,
      rotationDeg: 11.235,
      stretch: 1.499,
      matchCoverage: 0.812,
      queryCoverage: 0.7,
      named: ['stretched'],
    });
  });

  it('reads a stretch under region.stretched as 1, and leaves the region out when the match has none', () => {
    const { stretch: _s, ...plain } = region;
    const plainResult = { status: 'flagged_plagiarism', matches: [{ assetId: 'img1', copySignals: ['visual copy'], region: plain }] };
    expect(generatedRecord(q, plainResult as unknown as CheckResult, 5, bySource, {}, 'generated-images').region).toMatchObject({
      stretch: 1,
      named: [],
    });
    expect(generatedRecord(q, r(false), 5, bySource, {}, 'generated-images').region).toBeUndefined();
  });
});
