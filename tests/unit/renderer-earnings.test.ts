// @vitest-environment jsdom
/**
 * The Earnings screen's pieces in a real React tree (jsdom): the negative-balance notice says why
 * (which refunds) and how it is recovered; "Pay out" without a payout account explains in plain
 * words what is needed (no route, no error code) without calling the marketplace; the payouts list
 * has column headers; a sale line is labelled and its details row shows the exact amounts and the
 * rounding rule; the chart of an empty period names its first and last day.
 */
import { act, createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { SaleLine } from '../../shared/payments.ts';
import { BalanceNotice } from '../../renderer/src/components/market/earnings/BalanceNotice.tsx';
import { EarningsChart } from '../../renderer/src/components/market/earnings/EarningsChart.tsx';
import { PayoutsPanel } from '../../renderer/src/components/market/earnings/PayoutsPanel.tsx';
import { PerAssetTable } from '../../renderer/src/components/market/earnings/PerAssetTable.tsx';
import { SalesTable } from '../../renderer/src/components/market/earnings/SalesTable.tsx';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();
const render = (el: ReturnType<typeof createElement>) => act(async () => dom.root.render(el));

const sale = (over: Partial<SaleLine>): SaleLine => ({
  txId: 1,
  at: '2026-11-20T10:00:00Z',
  kind: 'sale',
  assetId: 'a1',
  assetName: 'Vesna of the Salt Marsh',
  purchaseId: 'p1',
  purchaseKind: 'license',
  licenseType: 'commercial',
  refundReason: null,
  role: 'creator',
  gross: 19_990_000,
  processorFee: 879_710,
  platformFee: 5_997_000,
  parentRoyalty: 0,
  amount: 13_993_000,
  ...over,
});

describe('earnings pieces (jsdom)', () => {
  it('a negative balance says which refunds caused it and how it is recovered', async () => {
    const refund = sale({ txId: 2, kind: 'refund', purchaseKind: 'one_time', refundReason: 'not_as_described', amount: -6_993_000 });
    await render(createElement(BalanceNotice, { balanceMicros: -6_993_000, lines: [refund, sale({})] }));
    const notice = dom.host.querySelector('[data-testid="negative-balance"]');
    expect(notice?.textContent).toContain('Your balance is −$6.99.');
    expect([...dom.host.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      `${new Date(refund.at).toLocaleDateString()}: Vesna of the Salt Marsh, refund: not as described, −$6.99`,
    ]);
    expect(notice?.textContent).toContain('your next sales first bring the balance back to zero; payouts resume once it is above zero');
    await render(createElement(BalanceNotice, { balanceMicros: 0, lines: [refund] }));
    expect(dom.host.querySelector('[data-testid="negative-balance"]')).toBeNull();
  });

  it('"Pay out" without a payout account explains what is needed, in plain words; the payouts list has headers', async () => {
    let reloads = 0;
    await render(createElement(PayoutsPanel, { payableCents: 2098, payoutAccount: false, payouts: [], reload: () => void reloads++ }));
    // Without an account too, it says the payout is whole cents (the rounded net per sale can show a cent more).
    expect(dom.host.querySelector('[data-testid="payout-help"]')?.textContent).toContain(
      'a fraction of a cent stays in your balance for the next payout',
    );
    const payOut = [...dom.host.querySelectorAll('button')].find((b) => b.textContent === 'Pay out $20.98 now') as HTMLButtonElement;
    expect(payOut.disabled).toBe(false);
    await act(async () => payOut.click());
    const text = dom.host.querySelector('[data-testid="payout-explanation"]')?.textContent ?? '';
    expect(text).toContain('To be paid you need a payout account');
    expect(text).toContain('Set up payout account');
    expect(text).not.toMatch(/\/v1\/|no_payout_account|POST|409/);
    expect(reloads).toBe(0); // nothing was sent
    expect([...dom.host.querySelectorAll('table[aria-label="Payouts"] th')].map((th) => th.textContent)).toEqual([
      'Date',
      'Amount',
      'Status',
      'Reference',
    ]);
    expect(dom.host.querySelector('table[aria-label="Payouts"] tbody')?.textContent).toBe('No payouts yet.');
  });

  it('a license sale is labelled as one; its details row shows the exact amounts and the rounding rule', async () => {
    await render(createElement(SalesTable, { lines: [sale({})] }));
    const cells = [...dom.host.querySelectorAll('tbody tr:first-child td')].map((td) => td.textContent);
    expect(cells.slice(1, 7)).toEqual(['Vesna of the Salt Marsh', 'License sale (commercial)', '$19.99', '$6.00', '$0.00', '$13.99']);
    const toggle = dom.host.querySelector('button[aria-expanded]') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await act(async () => toggle.click());
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const details = dom.host.querySelector('.details-row')?.textContent ?? '';
    expect(details).toContain('$13.993 (13,993,000 millionths of a dollar)');
    expect(details).toContain('$5.997');
    expect(details).toContain('rounded to the nearest cent (half a cent rounds away from zero)');
  });

  it('an empty period names its first and last day, not a count of days under "Last 30 days"', async () => {
    const totals = {
      grossSales: 0,
      creatorShare: 0,
      parentRoyaltiesPaid: 0,
      derivativeRoyaltiesEarned: 0,
      refunds: 0,
      net: 0,
      payouts: 0,
      sales: 0,
      refundCount: 0,
      uniqueBuyers: 0,
    };
    const since = new Date(Date.now() - 30 * 86_400_000);
    const summary = {
      period: '30d' as const,
      since: since.toISOString(),
      totals,
      balanceMicros: 0,
      payableCents: 0,
      payoutAccount: false,
      perAsset: [],
      daily: [],
    };
    await render(createElement(EarningsChart, { summary, lines: [] }));
    const label = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
    expect(dom.host.querySelector('figcaption')?.textContent).toBe(`No earnings from ${label(since)} to ${label(new Date())}.`);
  });

  it('with no sales yet, the Sales and Per-asset tables say so instead of showing empty', async () => {
    await render(createElement(SalesTable, { lines: [] }));
    expect(dom.host.querySelector('table[aria-label="Sales"] tbody')?.textContent).toContain('No sales yet');
    await render(createElement(PerAssetTable, { rows: [] }));
    expect(dom.host.querySelector('table[aria-label="Per asset"] tbody')?.textContent).toContain('No sales yet');
    await render(
      createElement(PerAssetTable, {
        rows: [{ assetId: 'a1', name: 'Vesna', sales: 2, refunds: 0, grossSales: 2_000_000, net: 1_400_000 }],
      }),
    );
    expect(dom.host.textContent).not.toContain('No sales yet');
    expect(dom.host.querySelectorAll('tbody tr')).toHaveLength(1);
  });
});
