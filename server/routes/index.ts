/** Every served route of the marketplace API, built from the contract (shared/contracts/marketplace) and the Marketplace. */
import type { ServedRoute } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';
import { accountRoutes } from './accounts.ts';
import { adminRoutes } from './admin.ts';
import { discoveryRoutes } from './discovery.ts';
import { mediaRoutes } from './media.ts';
import { disputeRoutes } from './money-disputes.ts';
import { earningsRoutes } from './money-earnings.ts';
import { licenseRoutes } from './money-licenses.ts';
import { pricingRoutes } from './money-pricing.ts';
import { purchaseRoutes } from './money-purchases.ts';
import { webhookRoutes } from './money-webhooks.ts';
import { notificationRoutes } from './notifications.ts';
import { provenanceRoutes } from './provenance.ts';
import { reviewRoutes } from './review.ts';
import { submissionRoutes } from './submissions.ts';
import { trustRoutes } from './trust.ts';

export function marketplaceRoutes(mp: Marketplace): ServedRoute[] {
  return [
    ...accountRoutes(mp),
    ...adminRoutes(mp),
    ...notificationRoutes(mp),
    ...submissionRoutes(mp),
    ...discoveryRoutes(mp),
    ...mediaRoutes(mp),
    ...provenanceRoutes(mp),
    ...reviewRoutes(mp),
    ...trustRoutes(mp),
    ...pricingRoutes(mp),
    ...licenseRoutes(mp),
    ...purchaseRoutes(mp),
    ...disputeRoutes(mp),
    ...earningsRoutes(mp),
    ...webhookRoutes(mp),
  ];
}
