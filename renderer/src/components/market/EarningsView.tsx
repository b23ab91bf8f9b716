/**
 * The creator's earnings: totals rounded to the cent (exact amounts one click away), a notice when
 * the balance is negative, the chart per day, the labelled sale lines and the payouts — the
 * server's numbers, only rounded for reading. Pieces live in ./earnings/.
 */
import { useState } from 'react';
import { ROUNDING_RULE, isWholeCents, usd, usdFromMicros } from '@shared/format.ts';
import { exportCsv, useEarnings, usePayouts, useSales } from '../../data/market.ts';
import { download } from '../../market.ts';
import { Problem, Screen, useAction } from './common.tsx';
import { BalanceNotice } from './earnings/BalanceNotice.tsx';
import { EarningsChart } from './earnings/EarningsChart.tsx';
import { PayoutsPanel } from './earnings/PayoutsPanel.tsx';
import { PerAssetTable } from './earnings/PerAssetTable.tsx';
import { SalesTable } from './earnings/SalesTable.tsx';
import { TabPanel, Tabs } from '../Tabs.tsx';

const PERIODS = ['7d', '30d', '90d', 'all'] as const;

export function EarningsView() {
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('30d');
  const { run } = useAction();
  const e = useEarnings(period);
  const sales = useSales();
  const payouts = usePayouts();
  const t = e.data?.totals;
  const lines = sales.data ?? [];
  const csv = (kind: 'sales' | 'payouts') =>
    void run(async () => {
      const r = await exportCsv(kind);
      download(r.fileName, r.csv);
    });
  const totals: [string, number, string?][] = t
    ? [
        ['Net earnings', t.net, 'net'],
        ['Gross sales', t.grossSales, 'gross'],
        ['Derivative royalties earned', t.derivativeRoyaltiesEarned],
        ['Royalties paid to parents', t.parentRoyaltiesPaid],
        ['Refunds', t.refunds, 'refunds'],
        ['Paid out', t.payouts, 'paid-out'],
        ['Balance', e.data?.balanceMicros ?? 0, 'balance'],
      ]
    : [];
  return (
    <Screen
      title="Earnings"
      actions={
        <>
          <button type="button" onClick={() => csv('sales')}>
            Export sales CSV
          </button>
          <button type="button" onClick={() => csv('payouts')}>
            Export payouts CSV
          </button>
        </>
      }
    >
      <Tabs
        label="Period"
        idBase="earnings"
        value={period}
        onChange={setPeriod}
        tabs={PERIODS.map((p) => ({ id: p, label: p === 'all' ? 'All time' : `Last ${p.replace('d', ' days')}` }))}
      />
      <Problem error={e.error ?? sales.error ?? payouts.error} />
      {e.data?.cachedAt && (
        <p className="banner" role="status">
          The marketplace is unreachable: these are the figures from {new Date(e.data.cachedAt).toLocaleString()}.
        </p>
      )}
      {t && e.data && (
        <TabPanel idBase="earnings" value={period}>
          <BalanceNotice balanceMicros={e.data.balanceMicros} lines={lines} />
          <dl className="stats" aria-label="Totals">
            {totals.map(([label, micros, id]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd data-testid={id}>
                  {usd(micros)}
                  {label === 'Refunds' && ` (${t.refundCount})`}
                </dd>
              </div>
            ))}
            <div>
              <dt>Sales</dt>
              <dd data-testid="sales-count">{t.sales}</dd>
            </div>
            <div>
              <dt>Unique buyers</dt>
              <dd>{t.uniqueBuyers}</dd>
            </div>
          </dl>
          <details className="rounding" data-testid="rounding-details">
            <summary>How these amounts are rounded</summary>
            <p>{ROUNDING_RULE}</p>
            <ul aria-label="Exact totals">
              {totals.map(([label, micros]) => (
                <li key={label}>
                  {label}: {usdFromMicros(micros)}
                  {isWholeCents(micros) ? '' : ` exactly, shown as ${usd(micros)}`}
                </li>
              ))}
            </ul>
          </details>
          <EarningsChart summary={e.data} lines={lines} />
          <h2>Per asset</h2>
          <PerAssetTable rows={e.data.perAsset} />
          <PayoutsPanel
            payableCents={e.data.payableCents}
            payoutAccount={e.data.payoutAccount}
            payouts={payouts.data}
            reload={() => {
              e.reload();
              payouts.reload();
            }}
          />
        </TabPanel>
      )}
      <h2>Sales</h2>
      <SalesTable lines={lines.slice(0, 50)} />
    </Screen>
  );
}
