/**
 * The earnings chart's data, as pure functions: every UTC day of a period (empty days included),
 * the net of each day, and per-asset or per-kind breakdowns of the creator's sale lines (sales,
 * licenses, subscriptions, per-use charges, royalties from derivatives, refunds). Amounts stay in
 * micro-dollars; the chart converts to dollars only to draw.
 */
import type { SaleLine } from '@shared/payments.ts';

const DAY_MS = 86_400_000;

/** A UTC calendar day ("2026-11-22") of a timestamp, as the server's daily figures use. */
export const utcDay = (t: string | number | Date): string => new Date(t).toISOString().slice(0, 10);

/**
 * Every UTC day from `from` to `to`, both included, oldest first. `from` after `to` gives just
 * `to`; the span is capped at `maxDays` (the most recent ones), so "all time" stays drawable.
 */
export function everyDay(from: string, to: string, maxDays = 400): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error('days must be YYYY-MM-DD');
  const first = Math.max(Math.min(start, end), end - (maxDays - 1) * DAY_MS);
  const days: string[] = [];
  for (let t = first; t <= end; t += DAY_MS) days.push(utcDay(t));
  return days;
}

/** The days a period covers: from its start (`since`; for all time, the first day with data) to today. */
export function periodDays(since: string | null, today: Date, dataDays: readonly string[]): string[] {
  const to = utcDay(today);
  const from = since ? utcDay(since) : ([...dataDays].sort()[0] ?? to);
  return everyDay(from, to);
}

export interface DayNet {
  day: string;
  net: number;
  sales: number;
}

/** The server's daily figures on every day of the period: a day without any is zero. */
export function fillDays(daily: readonly DayNet[], days: readonly string[]): DayNet[] {
  const byDay = new Map(daily.map((d) => [d.day, d]));
  return days.map((day) => byDay.get(day) ?? { day, net: 0, sales: 0 });
}

export const SALE_KINDS = ['asset_sale', 'license', 'subscription', 'per_use', 'royalty', 'refund'] as const;
export type SaleKind = (typeof SALE_KINDS)[number];
export const KIND_LABELS: Record<SaleKind, string> = {
  asset_sale: 'Asset sales',
  license: 'License sales',
  subscription: 'Subscriptions',
  per_use: 'Per-use charges',
  royalty: 'Royalties from derivatives',
  refund: 'Refunds',
};

/** What kind of money a sale line is: a refund, a royalty from a derivative, or the purchase's kind. */
export function saleKind(l: Pick<SaleLine, 'kind' | 'role' | 'purchaseKind'>): SaleKind {
  if (l.kind === 'refund') return 'refund';
  if (l.role === 'parent') return 'royalty';
  if (l.purchaseKind === 'license') return 'license';
  if (l.purchaseKind === 'subscription') return 'subscription';
  if (l.kind === 'usage' || l.purchaseKind === 'top_up') return 'per_use';
  return 'asset_sale';
}

/** A line's label for people: "License sale (commercial)", "Asset sale", "Refund: accidental purchase"… */
export function saleLabel(l: Pick<SaleLine, 'kind' | 'role' | 'purchaseKind' | 'licenseType' | 'refundReason'>): string {
  const k = saleKind(l);
  if (k === 'refund') return l.refundReason ? `Refund: ${l.refundReason.replaceAll('_', ' ')}` : 'Refund';
  if (k === 'license') return l.licenseType ? `License sale (${l.licenseType.replaceAll('_', '-')})` : 'License sale';
  if (k === 'royalty') return 'Royalty from a derivative';
  if (k === 'subscription') return 'Subscription';
  if (k === 'per_use') return 'Per-use charge';
  return 'Asset sale';
}

export interface Series {
  key: string;
  label: string;
}

export interface Breakdown {
  series: Series[];
  /** One row per day of the period, in order: the amount of every series that day (micro-dollars, 0 when none) and the day's total. */
  rows: { day: string; total: number; values: Record<string, number> }[];
}

/** Series past this many (by total amount) are merged into one "Other assets" series, so the legend stays readable. */
export const MAX_ASSET_SERIES = 6;

/**
 * Splits the creator's sale lines of the period per asset or per kind, on every day of the period.
 * Lines outside the days are left out; the amounts of a day add up to its total.
 */
export function breakdown(lines: readonly SaleLine[], days: readonly string[], by: 'asset' | 'kind'): Breakdown {
  const inPeriod = new Set(days);
  const keyed = lines
    .filter((l) => inPeriod.has(utcDay(l.at)))
    .map((l) => ({
      day: utcDay(l.at),
      amount: l.amount,
      key: by === 'kind' ? saleKind(l) : (l.assetId ?? 'none'),
      label: by === 'kind' ? KIND_LABELS[saleKind(l)] : (l.assetName ?? 'Without an asset'),
    }));
  let series: Series[];
  if (by === 'kind') {
    const present = new Set(keyed.map((k) => k.key));
    series = SALE_KINDS.filter((k) => present.has(k)).map((k) => ({ key: k, label: KIND_LABELS[k] }));
  } else {
    const size = new Map<string, { label: string; abs: number }>();
    for (const k of keyed) {
      const s = size.get(k.key) ?? { label: k.label, abs: 0 };
      s.abs += Math.abs(k.amount);
      size.set(k.key, s);
    }
    const ranked = [...size.entries()].sort((a, b) => b[1].abs - a[1].abs || a[1].label.localeCompare(b[1].label));
    const kept = new Set(ranked.slice(0, MAX_ASSET_SERIES).map(([key]) => key));
    series = ranked.slice(0, MAX_ASSET_SERIES).map(([key, s]) => ({ key, label: s.label }));
    if (ranked.length > MAX_ASSET_SERIES) series.push({ key: 'other', label: 'Other assets' });
    for (const k of keyed) if (!kept.has(k.key)) k.key = 'other';
  }
  const rows = days.map((day) => ({ day, total: 0, values: Object.fromEntries(series.map((s) => [s.key, 0])) as Record<string, number> }));
  const rowOf = new Map(rows.map((r) => [r.day, r]));
  for (const k of keyed) {
    const r = rowOf.get(k.day) as Breakdown['rows'][number];
    r.values[k.key] = (r.values[k.key] ?? 0) + k.amount;
    r.total += k.amount;
  }
  return { series, rows };
}
