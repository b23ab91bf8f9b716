/** The money repositories as one object, so services take them as a dependency (unit tests give in-memory fakes). */
import { balance, creatorBalance, payableCents, post, refundEntries } from '../ledger.ts';
import * as assets from './assets.ts';
import * as disputes from './disputes.ts';
import * as entitlements from './entitlements.ts';
import * as ledgerReads from './ledger-reads.ts';
import * as offers from './offers.ts';
import * as payouts from './payouts.ts';
import * as processorEvents from './processor-events.ts';
import * as purchases from './purchases.ts';
import * as subscriptions from './subscriptions.ts';
import * as usages from './usages.ts';

export const moneyRepos = {
  assets,
  disputes,
  entitlements,
  /** Postings and balances (server/repos/ledger.ts) and the money code's own ledger reads. */
  ledger: { post, refundEntries, balance, creatorBalance, payableCents, ...ledgerReads },
  offers,
  payouts,
  processorEvents,
  purchases,
  subscriptions,
  usages,
};

export type MoneyRepos = typeof moneyRepos;
