/** Money routes: the payment processor's webhook (signature checked on the raw body). */
import { stripeWebhook } from '../../shared/contracts/marketplace/money-webhooks.ts';
import { type ServedRoute, serve } from '../http/route.ts';
import type { WebhooksService } from '../services/money/webhooks.ts';

export function webhookRoutes({ webhooks }: { webhooks: WebhooksService }): ServedRoute[] {
  return [
    serve(stripeWebhook, { action: 'public.read', handler: ({ body, c }) => webhooks.webhook(body, c.req.header('stripe-signature')) }),
  ];
}
