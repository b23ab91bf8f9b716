/**
 * The earnings chart's pure aggregation (renderer/src/components/market/earnings/chart-data.ts):
 * every day of a period including empty ones, the server's daily nets placed on them, per-kind and
 * per-asset breakdowns whose parts add up to each day's total, and the labels of sale lines.
 */
import { describe, expect, it } from 'vitest';
import type { SaleLine } from '../../shared/payments.ts';
import {
  MAX_ASSET_SERIES,
  breakdown,
  everyDay,
  fillDays,
  periodDays,
  saleKind,
  saleLabel,
} from '../../renderer/src/components/market/earnings/chart-data.ts';
import { chartModel } from '../../renderer/src/components/market/earnings/EarningsChart.tsx';

let tx = 0;
function line(at: string, amount: number, over: Partial<SaleLine> = {}): SaleLine {
  tx += 1;
  return {
    txId: tx,
    at,
    kind: 'sale',
    assetId: 'a1',
    assetName: 'Vesna',
    purchaseId: `p${tx}`,
    purchaseKind: 'one_time',
    licenseType: null,
    refundReason: null,
    role: 'creator',
    gross: amount,
    processorFee: 0,
    platformFee: 0,
    parentRoyalty: 0,
    amount,
    ...over,
  };
}

describe('every day of the period', () => {
  it('lists each UTC day from start to end, both included, across a month end', () => {
    expect(everyDay('2026-02-26', '2026-03-02')).toEqual(['2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(everyDay('2026-03-02', '2026-03-02')).toEqual(['2026-03-02']);
    expect(everyDay('2026-03-05', '2026-03-02')).toEqual(['2026-03-02']);
    expect(everyDay('2020-01-01', '2026-03-02', 10)).toHaveLength(10);
    expect(() => everyDay('yesterday', '2026-03-02')).toThrow(/YYYY-MM-DD/);
  });

  it('a 30-day period is 31 calendar days (the server counts 30 × 24 h back from now); all time starts at the first data day', () => {
    const today = new Date('2026-11-22T15:00:00Z');
    const since = new Date(today.getTime() - 30 * 86_400_000).toISOString();
    const days = periodDays(since, today, []);
    expect(days[0]).toBe('2026-10-23');
    expect(days.at(-1)).toBe('2026-11-22');
    expect(days).toHaveLength(31);
    expect(periodDays(null, today, ['2026-11-20', '2026-11-18'])).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    expect(periodDays(null, today, [])).toEqual(['2026-11-22']);
  });

  it('places the daily nets on their days and fills the others with zero', () => {
    const days = everyDay('2026-11-01', '2026-11-05');
    const filled = fillDays([{ day: '2026-11-03', net: 6_993_000, sales: 1 }], days);
    expect(filled.map((d) => d.net)).toEqual([0, 0, 6_993_000, 0, 0]);
    expect(filled.map((d) => d.day)).toEqual(days);
  });
});

describe('breakdowns', () => {
  const days = everyDay('2026-11-01', '2026-11-04');
  const lines = [
    line('2026-11-01T10:00:00Z', 6_993_000),
    line('2026-11-01T11:00:00Z', 13_993_000, { purchaseKind: 'license', licenseType: 'commercial' }),
    line('2026-11-03T09:00:00Z', -6_993_000, { kind: 'refund', refundReason: 'accidental_purchase', gross: -9_990_000 }),
    line('2026-11-03T09:30:00Z', 69_930, { role: 'parent', assetId: 'a2', assetName: 'Child', purchaseKind: 'one_time' }),
    line('2026-10-20T09:30:00Z', 1_000_000), // outside the period: left out
  ];

  it('per kind: one series per kind present, parts adding up to each day, empty days zero', () => {
    const b = breakdown(lines, days, 'kind');
    expect(b.series.map((s) => s.label)).toEqual(['Asset sales', 'License sales', 'Royalties from derivatives', 'Refunds']);
    expect(b.rows.map((r) => r.day)).toEqual(days);
    expect(b.rows[0]?.values).toEqual({ asset_sale: 6_993_000, license: 13_993_000, royalty: 0, refund: 0 });
    expect(b.rows[1]?.total).toBe(0);
    expect(b.rows[2]?.values).toMatchObject({ refund: -6_993_000, royalty: 69_930 });
    for (const r of b.rows) expect(Object.values(r.values).reduce((a, v) => a + v, 0)).toBe(r.total);
    expect(b.rows.reduce((a, r) => a + r.total, 0)).toBe(6_993_000 + 13_993_000 - 6_993_000 + 69_930);
  });

  it('per asset: the largest assets by amount, the rest merged into "Other assets"', () => {
    const many = Array.from({ length: MAX_ASSET_SERIES + 2 }, (_, i) =>
      line('2026-11-02T10:00:00Z', (i + 1) * 1_000_000, { assetId: `x${i}`, assetName: `Asset ${i}` }),
    );
    const b = breakdown(many, days, 'asset');
    expect(b.series).toHaveLength(MAX_ASSET_SERIES + 1);
    expect(b.series[0]?.label).toBe(`Asset ${MAX_ASSET_SERIES + 1}`); // the biggest first
    expect(b.series.at(-1)?.label).toBe('Other assets');
    expect(b.rows[1]?.values.other).toBe(1_000_000 + 2_000_000);
    expect(b.rows[1]?.total).toBe(many.reduce((a, l) => a + l.amount, 0));
  });

  it('the chart model has a bar slot for every day of the period, whatever the view', () => {
    const today = new Date('2026-11-04T12:00:00Z');
    const summary = { since: '2026-11-01T12:00:00Z', daily: [{ day: '2026-11-01', net: 20_986_000, sales: 2 }] };
    for (const view of ['total', 'asset', 'kind'] as const) expect(chartModel(summary, lines, view, today).rows).toHaveLength(4);
    expect(chartModel(summary, lines, 'total', today).rows.map((r) => r.total)).toEqual([20_986_000, 0, 0, 0]);
  });
});

describe('sale labels', () => {
  it('says license sale (with its type), asset sale, royalty, per use, subscription and refund (with its reason)', () => {
    expect(saleLabel(line('2026-11-01T00:00:00Z', 1, { purchaseKind: 'license', licenseType: 'rights_managed' }))).toBe(
      'License sale (rights-managed)',
    );
    expect(saleLabel(line('2026-11-01T00:00:00Z', 1))).toBe('Asset sale');
    expect(saleLabel(line('2026-11-01T00:00:00Z', 1, { role: 'parent' }))).toBe('Royalty from a derivative');
    expect(saleLabel(line('2026-11-01T00:00:00Z', 1, { kind: 'usage', purchaseKind: null }))).toBe('Per-use charge');
    expect(saleLabel(line('2026-11-01T00:00:00Z', 1, { purchaseKind: 'subscription' }))).toBe('Subscription');
    expect(saleLabel(line('2026-11-01T00:00:00Z', -1, { kind: 'refund', refundReason: 'accidental_purchase' }))).toBe(
      'Refund: accidental purchase',
    );
    expect(saleKind(line('2026-11-01T00:00:00Z', -1, { kind: 'refund', purchaseKind: 'license' }))).toBe('refund');
  });
});
