/**
 * The earnings chart (recharts): one bar per day of the period, empty days included, with labelled
 * axes, tooltips and a legend; tabs switch between the net per day and stacked breakdowns per
 * asset or per kind of sale. A table of the same figures follows for screen readers and keyboards.
 */
import { useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { EarningsSummary, SaleLine } from '@shared/payments.ts';
import { MICROS_PER_CENT } from '@shared/policy/money.ts';
import { centsFromMicros, usd } from '@shared/format.ts';
import { type Breakdown, breakdown, fillDays, periodDays, utcDay } from './chart-data.ts';

const VIEWS = [
  ['total', 'Net per day'],
  ['asset', 'By asset'],
  ['kind', 'By kind'],
] as const;
type View = (typeof VIEWS)[number][0];
/** Colour-blind-safe palette (Okabe–Ito), dark enough for 3:1 contrast against white. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8a6d00', '#56606b', '#6a3d9a'];

/** Dollars to draw (rounded to the cent, the rule people read everywhere). */
const dollars = (micros: number) => (centsFromMicros(micros) * MICROS_PER_CENT) / 1_000_000;
const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const axisDollars = (v: number) =>
  Math.abs(v) >= 1000 ? `$${(v / 1000).toFixed(1)}k` : `$${v.toFixed(Math.abs(v) < 10 && v % 1 ? 2 : 0)}`;

/** The chart's data for a view: the total, or one series per asset or kind, every day of the period. */
export function chartModel(
  summary: Pick<EarningsSummary, 'since' | 'daily'>,
  lines: readonly SaleLine[],
  view: View,
  today = new Date(),
): Breakdown {
  const days = periodDays(summary.since, today, [...summary.daily.map((d) => d.day), ...lines.map((l) => utcDay(l.at))]);
  if (view !== 'total') return breakdown(lines, days, view);
  return {
    series: [{ key: 'net', label: 'Net earnings' }],
    rows: fillDays(summary.daily, days).map((d) => ({ day: d.day, total: d.net, values: { net: d.net } })),
  };
}

export function EarningsChart({ summary, lines }: { summary: EarningsSummary; lines: readonly SaleLine[] }) {
  const [view, setView] = useState<View>('total');
  const id = useId();
  const model = useMemo(() => chartModel(summary, lines, view), [summary, lines, view]);
  const data = model.rows.map((r) => ({
    day: r.day,
    ...Object.fromEntries(model.series.map((s) => [s.key, dollars(r.values[s.key] ?? 0)])),
  }));
  const active = model.rows.filter((r) => model.series.some((s) => r.values[s.key] !== 0));
  const today = utcDay(new Date());
  const [from, to] = [dayLabel(model.rows[0]?.day ?? today), dayLabel(model.rows.at(-1)?.day ?? today)];
  const title = `${VIEWS.find(([v]) => v === view)?.[1]}, ${model.rows.length} days from ${from}`;
  return (
    <section className="earnings-chart" aria-labelledby={`${id}-title`}>
      <div className="row">
        <h2 id={`${id}-title`}>Earnings per day</h2>
        <div className="tabs" role="tablist" aria-label="Chart breakdown">
          {VIEWS.map(([v, label]) => (
            <button key={v} type="button" role="tab" aria-selected={v === view} aria-controls={`${id}-panel`} onClick={() => setView(v)}>
              {label}
            </button>
          ))}
        </div>
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-label={title}>
        <figure className="chart-figure" data-testid="earnings-chart" data-days={model.rows.length}>
          <BarChart
            responsive
            style={{ width: '100%', height: 280 }}
            data={data}
            stackOffset="sign"
            margin={{ top: 8, right: 12, bottom: 28, left: 12 }}
            accessibilityLayer
            title={title}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#dcdde2" />
            <XAxis
              dataKey="day"
              tickFormatter={dayLabel}
              minTickGap={16}
              tick={{ fill: '#474d59', fontSize: 11 }}
              label={{ value: 'Day (UTC)', position: 'insideBottom', offset: -18, fill: '#474d59', fontSize: 12 }}
            />
            <YAxis
              tickFormatter={axisDollars}
              width={64}
              tick={{ fill: '#474d59', fontSize: 11 }}
              label={{ value: 'Net to you (USD)', angle: -90, position: 'insideLeft', offset: 4, fill: '#474d59', fontSize: 12, dy: 50 }}
            />
            <ReferenceLine y={0} stroke="#8a8f99" />
            <Tooltip
              labelFormatter={(d) => dayLabel(String(d))}
              formatter={(v) => `$${Number(v).toFixed(2)}`}
              contentStyle={{ fontSize: 12 }}
            />
            {model.series.length > 1 && <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />}
            {model.series.map((s, i) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="day"
                fill={view === 'total' ? '#3446c8' : COLOURS[i % COLOURS.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
          <figcaption className="hint">
            {active.length
              ? `${active.length} of ${model.rows.length} days with earnings or refunds; days without any are drawn empty.`
              : `No earnings from ${from} to ${to}.`}
          </figcaption>
        </figure>
        <details className="chart-table">
          <summary>Show the figures as a table</summary>
          <table className="table" aria-label={`Figures: ${title}`}>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {model.series.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.label}
                  </th>
                ))}
                {model.series.length > 1 && <th scope="col">Total</th>}
              </tr>
            </thead>
            <tbody>
              {active.map((r) => (
                <tr key={r.day}>
                  <th scope="row">{dayLabel(r.day)}</th>
                  {model.series.map((s) => (
                    <td key={s.key}>{usd(r.values[s.key] ?? 0)}</td>
                  ))}
                  {model.series.length > 1 && <td>{usd(r.total)}</td>}
                </tr>
              ))}
              {!active.length && (
                <tr>
                  <td colSpan={model.series.length + 1}>No earnings in this period.</td>
                </tr>
              )}
            </tbody>
          </table>
        </details>
      </div>
    </section>
  );
}
