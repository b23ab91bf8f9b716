/** The creator's earnings: revenue over time, per asset, royalties, refunds, payouts and balance — the server's numbers, exactly. */
import { useState } from 'react';
import type { EarningsSummary } from '@shared/payments.ts';
import { usdFromCents, usdFromMicros } from '@shared/format.ts';
import { connectPayoutAccount, exportCsv, payoutNow, useEarnings, usePayouts, useSales } from '../../data/market.ts';
import { download } from '../../market.ts';
import { Problem, Screen, useAction } from './common.tsx';
import { TabPanel, Tabs } from '../Tabs.tsx';
import { plural } from '../../words.ts';

const PERIODS = ['7d', '30d', '90d', 'all'] as const;

function Chart({ daily }: { daily: EarningsSummary['daily'] }) {
  if (!daily.length) return <p className="hint">No sales in this period.</p>;
  const max = Math.max(1, ...daily.map((d) => Math.abs(d.net)));
  const w = 640;
  const h = 160;
  const bw = Math.min(36, Math.max(4, Math.floor(w / daily.length) - 4));
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h + 20}`} role="img" aria-label="Net revenue per day">
      <line x1="0" x2={w} y1={h / 2} y2={h / 2} stroke="#dcdde2" />
      {daily.map((d, i) => {
        const bh = (Math.abs(d.net) / max) * (h / 2 - 4);
        const x = i * (bw + 4);
        return (
          <g key={d.day}>
            <rect x={x} y={d.net >= 0 ? h / 2 - bh : h / 2} width={bw} height={Math.max(1, bh)} fill={d.net >= 0 ? '#3446c8' : '#b42318'}>
              <title>{`${d.day}: ${usdFromMicros(d.net)} (${plural(d.sales, 'sale')})`}</title>
            </rect>
            {daily.length <= 14 && (
              <text x={x + bw / 2} y={h + 14} fontSize="10" textAnchor="middle" fill="#5b6170">
                {d.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function EarningsView() {
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('30d');
  const { busy, run } = useAction();
  const e = useEarnings(period);
  const sales = useSales();
  const payouts = usePayouts();
  const t = e.data?.totals;
  const csv = (kind: 'sales' | 'payouts') =>
    void run(async () => {
      const r = await exportCsv(kind);
      download(r.fileName, r.csv);
    });
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
      <Problem error={e.error} />
      {e.data?.cachedAt && (
        <p className="banner" role="status">
          The marketplace is unreachable: these are the figures from {new Date(e.data.cachedAt).toLocaleString()}.
        </p>
      )}
      {t && e.data && (
        <TabPanel idBase="earnings" value={period}>
          <dl className="stats" aria-label="Totals">
            <div>
              <dt>Net earnings</dt>
              <dd data-testid="net">{usdFromMicros(t.net)}</dd>
            </div>
            <div>
              <dt>Gross sales</dt>
              <dd data-testid="gross">{usdFromMicros(t.grossSales)}</dd>
            </div>
            <div>
              <dt>Sales</dt>
              <dd data-testid="sales-count">{t.sales}</dd>
            </div>
            <div>
              <dt>Unique buyers</dt>
              <dd>{t.uniqueBuyers}</dd>
            </div>
            <div>
              <dt>Derivative royalties earned</dt>
              <dd>{usdFromMicros(t.derivativeRoyaltiesEarned)}</dd>
            </div>
            <div>
              <dt>Royalties paid to parents</dt>
              <dd>{usdFromMicros(t.parentRoyaltiesPaid)}</dd>
            </div>
            <div>
              <dt>Refunds</dt>
              <dd data-testid="refunds">
                {usdFromMicros(t.refunds)} ({t.refundCount})
              </dd>
            </div>
            <div>
              <dt>Paid out</dt>
              <dd>{usdFromMicros(t.payouts)}</dd>
            </div>
            <div>
              <dt>Balance</dt>
              <dd data-testid="balance">{usdFromMicros(e.data.balanceMicros)}</dd>
            </div>
          </dl>
          <Chart daily={e.data.daily} />
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void run(() => connectPayoutAccount(), 'Payout account connected')}>
              Connect payout account
            </button>
            <button
              type="button"
              disabled={busy || e.data.payableCents < 1}
              onClick={() => void run(() => payoutNow().then(() => e.reload()), 'Payout sent')}
            >
              Pay out {usdFromCents(e.data.payableCents)} now
            </button>
          </div>
          <h2>Per asset</h2>
          <table className="table" aria-label="Per asset">
            <thead>
              <tr>
                <th>Asset</th>
                <th>Sales</th>
                <th>Refunds</th>
                <th>Gross</th>
                <th>Net to you</th>
              </tr>
            </thead>
            <tbody>
              {e.data.perAsset.map((a) => (
                <tr key={a.assetId}>
                  <td>{a.name}</td>
                  <td>{a.sales}</td>
                  <td>{a.refunds}</td>
                  <td>{usdFromMicros(a.grossSales)}</td>
                  <td>{usdFromMicros(a.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TabPanel>
      )}
      <h2>Sales</h2>
      <table className="table" aria-label="Sales">
        <thead>
          <tr>
            <th>When</th>
            <th>Asset</th>
            <th>Kind</th>
            <th>Gross</th>
            <th>Platform fee</th>
            <th>Card fee (platform)</th>
            <th>Parent royalty</th>
            <th>You</th>
          </tr>
        </thead>
        <tbody>
          {(sales.data ?? []).slice(0, 50).map((x) => (
            <tr key={`${x.txId}-${x.role}`}>
              <td>{new Date(x.at).toLocaleString()}</td>
              <td>{x.assetName}</td>
              <td>{x.role === 'parent' ? `${x.kind} (royalty from a derivative)` : x.kind}</td>
              <td>{usdFromMicros(x.gross)}</td>
              <td>{usdFromMicros(x.platformFee)}</td>
              <td className="hint">{usdFromMicros(x.processorFee)}</td>
              <td>{usdFromMicros(x.parentRoyalty)}</td>
              <td>{usdFromMicros(x.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Payouts</h2>
      <table className="table" aria-label="Payouts">
        <tbody>
          {(payouts.data ?? []).map((p) => (
            <tr key={p.id}>
              <td>{new Date(p.createdAt).toLocaleString()}</td>
              <td>{usdFromCents(p.amountCents)}</td>
              <td>{p.reversedCents ? `reversed ${usdFromCents(p.reversedCents)}` : p.status}</td>
              <td className="hint">{p.transferGroup ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Screen>
  );
}
