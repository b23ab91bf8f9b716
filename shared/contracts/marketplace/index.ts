/**
 * The marketplace contract: every route of the marketplace API, one object per route, grouped by
 * domain. The server builds its routes and /openapi.json from it; the studio's client builds URLs
 * (route.ts buildPath) and parses responses with it.
 */
import * as accounts from './accounts.ts';
import * as admin from './admin.ts';
import * as discovery from './discovery.ts';
import * as indexFeed from './index-feed.ts';
import * as media from './media.ts';
import * as disputes from './money-disputes.ts';
import * as earnings from './money-earnings.ts';
import * as licenses from './money-licenses.ts';
import * as pricing from './money-pricing.ts';
import * as purchases from './money-purchases.ts';
import * as webhooks from './money-webhooks.ts';
import * as notifications from './notifications.ts';
import * as provenance from './provenance.ts';
import * as review from './review.ts';
import type { RouteContract } from './route.ts';
import * as submissions from './submissions.ts';
import * as trust from './trust.ts';

/** The routes per domain: `marketplaceContract.discovery.getAsset`. */
export const marketplaceContract = {
  accounts,
  notifications,
  submissions,
  discovery,
  indexFeed,
  media,
  provenance,
  review,
  trust,
  admin,
  pricing,
  licenses,
  purchases,
  disputes,
  earnings,
  webhooks,
} as const;

export type MarketplaceContract = typeof marketplaceContract;
export type MarketplaceDomain = keyof MarketplaceContract;

/** Every route, flat and named `domain.route` (the server checks it serves each one). */
export const marketplaceRoutes: { name: string; route: RouteContract }[] = Object.entries(marketplaceContract).flatMap(([domain, routes]) =>
  Object.entries(routes as Record<string, RouteContract>).map(([name, route]) => ({ name: `${domain}.${name}`, route })),
);

export * from './route.ts';
export * from './schemas.ts';
