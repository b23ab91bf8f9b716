/** Money routes: the payment processor's webhook (signature checked on the raw body). */
import { stripeWebhook } from '../../shared/contracts/marketplace/money-webhooks.ts';
import { type ServedRoute, serve } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function webhookRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(stripeWebhook, { action: 'public.read', handler: ({ body, c }) => mp.money.webhook(body, c.req.header('stripe-signature')) }),
  ];
}
