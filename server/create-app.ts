/**
 * Composes the marketplace HTTP app: the routes (server/routes) mounted by the router
 * (server/http) over the Marketplace's database. Imported by server.ts (and tests that need the app).
 */
import type { Hono } from 'hono';
import { TRUST_POLICY, type TrustPolicy } from '../shared/policy/trust.ts';
import { createRouter } from './http/router.ts';
import type { ServedRoute } from './http/route.ts';
import type { Marketplace } from './marketplace.ts';
import { marketplaceRoutes } from './routes/index.ts';

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
}

export function createApp(mp: Marketplace, opts: AppOptions = {}): { app: Hono; routes: ServedRoute[] } {
  const routes = marketplaceRoutes(mp);
  const app = createRouter(routes, mp.db, {
    rateLimits: opts.rateLimits === undefined ? TRUST_POLICY.rateLimits : opts.rateLimits,
    trustProxyHops: opts.trustProxyHops ?? 0,
    checkResponses: opts.checkResponses ?? process.env.VITEST !== undefined,
  });
  return { app, routes };
}
