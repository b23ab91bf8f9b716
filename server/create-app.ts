/**
 * Composes the marketplace HTTP app: each route module (server/routes/<domain>.ts) is given only the
 * services it calls (wired in server/container.ts), and the router (server/http) mounts the routes
 * over the container's database. Imported by server.ts (and tests that need the app).
 */
import type { Hono } from 'hono';
import { TRUST_POLICY, type TrustPolicy } from '../shared/policy/trust.ts';
import type { Container } from './container.ts';
import { createRouter } from './http/router.ts';
import type { ServedRoute } from './http/route.ts';
import { accountRoutes } from './routes/accounts.ts';
import { adminRoutes } from './routes/admin.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { mediaRoutes } from './routes/media.ts';
import { disputeRoutes } from './routes/money-disputes.ts';
import { earningsRoutes } from './routes/money-earnings.ts';
import { licenseRoutes } from './routes/money-licenses.ts';
import { pricingRoutes } from './routes/money-pricing.ts';
import { purchaseRoutes } from './routes/money-purchases.ts';
import { webhookRoutes } from './routes/money-webhooks.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { provenanceRoutes } from './routes/provenance.ts';
import { reviewRoutes } from './routes/review.ts';
import { submissionRoutes } from './routes/submissions.ts';
import { trustRoutes } from './routes/trust.ts';
import type { UploadLimits } from './http/submission.ts';

export interface AppOptions {
  /** Rate limits (default: shared/policy/trust.ts); false turns them off (benchmarks). */
  rateLimits?: TrustPolicy['rateLimits'] | false;
  /** How many trusted proxies stand in front of the server (0: use the socket address; X-Forwarded-For is ignored). */
  trustProxyHops?: number;
  /**
   * Parse every JSON response with its contract's output schema; a mismatch answers 500
   * `response_contract` and is logged. Default: on under the test runner (VITEST), off otherwise.
   */
  checkResponses?: boolean;
  /** Largest media file and image per submission (default: the media and marketplace policies). */
  uploads?: UploadLimits | undefined;
}

/** Every served route of the marketplace API (shared/contracts/marketplace), each module with the services it needs. */
export function marketplaceRoutes(c: Container, opts: Pick<AppOptions, 'uploads'> = {}): ServedRoute[] {
  const s = c.services;
  const m = c.money.services;
  return [
    ...accountRoutes({ accounts: s.accounts }),
    ...adminRoutes({ accounts: s.accounts, audit: s.audit, blocklists: s.blocklists, payouts: m.payouts }),
    ...notificationRoutes({ notifications: s.notifications }),
    ...submissionRoutes({ submissions: s.submissions, review: s.review, listings: s.listings, uploads: opts.uploads }),
    ...discoveryRoutes({ listings: s.listings, discovery: s.discovery, policies: c.policies }),
    ...mediaRoutes({ media: s.media }),
    ...provenanceRoutes({ provenance: s.provenance }),
    ...reviewRoutes({ review: s.review }),
    ...trustRoutes({ trust: s.trust, cases: s.cases, policy: c.policies.trust }),
    ...pricingRoutes({ pricing: m.pricing }),
    ...licenseRoutes({ offers: m.offers, checkout: m.checkout, licenses: m.licenses }),
    ...purchaseRoutes({
      checkout: m.checkout,
      balance: m.balance,
      purchases: m.purchases,
      refunds: m.refunds,
      subscriptions: m.subscriptions,
      delivery: s.delivery,
    }),
    ...disputeRoutes({ disputes: m.disputes }),
    ...earningsRoutes({ earnings: m.earnings, payouts: m.payouts }),
    ...webhookRoutes({ webhooks: m.webhooks }),
  ];
}

export function createApp(c: Container, opts: AppOptions = {}): { app: Hono; routes: ServedRoute[] } {
  const routes = marketplaceRoutes(c, opts);
  const app = createRouter(routes, c.db, {
    rateLimits: opts.rateLimits === undefined ? TRUST_POLICY.rateLimits : opts.rateLimits,
    trustProxyHops: opts.trustProxyHops ?? 0,
    checkResponses: opts.checkResponses ?? process.env.VITEST !== undefined,
  });
  return { app, routes };
}
