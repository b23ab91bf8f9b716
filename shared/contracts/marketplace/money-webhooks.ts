/** Marketplace contract, money: the payment processor's webhook (raw body, signature checked by the server). */
import { z } from 'zod';
import { defineRoute } from './route.ts';

export const stripeWebhook = defineRoute({
  method: 'post',
  path: '/v1/webhooks/stripe',
  summary: 'Stripe webhook endpoint: signature checked on the raw body; each event handled once',
  tag: 'processor',
  rawBody: z.object({ id: z.string(), type: z.string(), data: z.object({ object: z.record(z.string(), z.unknown()) }) }),
  output: z.object({ received: z.literal(true), duplicate: z.boolean(), type: z.string() }),
});
