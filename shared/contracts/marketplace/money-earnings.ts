/** Marketplace contract, money: a creator's earnings, sales, CSV export, payouts and payout account. */
import { z } from 'zod';
import { CsvQuery, EarningsQuery, EarningsSummary, PayoutAccountView, PayoutView, SaleLine, SalesQuery } from '../../payments.ts';
import { defineRoute } from './route.ts';

export const earnings = defineRoute({
  method: 'get',
  path: '/v1/me/earnings',
  summary: 'get_creator_earnings_summary: totals, per asset, per day, royalties, refunds, payouts, balance (from the ledger)',
  tag: 'earnings',
  query: EarningsQuery,
  output: EarningsSummary,
});

export const sales = defineRoute({
  method: 'get',
  path: '/v1/me/sales',
  summary: 'Every sale credited to me with its breakdown (gross, processor fee, platform fee, parent royalty)',
  tag: 'earnings',
  query: SalesQuery,
  output: z.array(SaleLine),
});

export const earningsCsv = defineRoute({
  method: 'get',
  path: '/v1/me/earnings.csv',
  summary: 'CSV export of every sale or every payout, with its fee breakdown',
  tag: 'earnings',
  query: CsvQuery,
  output: 'csv',
});

export const payouts = defineRoute({
  method: 'get',
  path: '/v1/me/payouts',
  summary: 'Transfers to my payout account',
  tag: 'earnings',
  output: z.array(PayoutView),
});

export const requestPayout = defineRoute({
  method: 'post',
  path: '/v1/me/payouts',
  summary: 'Pay my balance out now (whole cents; the sub-cent remainder is carried)',
  tag: 'earnings',
  output: PayoutView,
});

export const connectPayoutAccount = defineRoute({
  method: 'post',
  path: '/v1/me/payout-account',
  summary: 'Connect a payout account (Stripe Connect Express); returns the onboarding link',
  tag: 'earnings',
  body: z.object({ returnUrl: z.string().url().max(2000).optional() }),
  output: PayoutAccountView,
});
