/**
 * `npm run server`: the marketplace API on 127.0.0.1 (PORT, default 8787) with the embedded store
 * in ORIGINALS_SERVER_DATA (default ./.data/server), or PostgreSQL when DATABASE_URL is set.
 * While no admin exists it prints a one-time bootstrap token (or uses ORIGINALS_BOOTSTRAP_TOKEN):
 * sign up, then POST /v1/admin/bootstrap {"token": …} to become the first admin.
 * STRIPE_SECRET_KEY + STRIPE_WEBHOOK_SECRET select Stripe; without them the labelled local test processor runs.
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { startServer } from './server.ts';

const dataDir = process.env.ORIGINALS_SERVER_DATA ?? join(process.cwd(), '.data', 'server');
const s = await startServer({
  port: Number(process.env.PORT ?? 8787),
  host: process.env.HOST ?? '127.0.0.1',
  dataDir,
  databaseUrl: process.env.DATABASE_URL,
  modelsDir: process.env.ORIGINALS_SERVER_MODELS,
  serve,
});
console.log(
  `Originals marketplace API at ${s.url} (store: ${process.env.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${join(dataDir, 'pg')}`}; OpenAPI: ${s.url}openapi.json)`,
);
console.log(
  s.processor
    ? `payments: ${s.processor.label} (Stripe-compatible, at ${s.processor.url}); set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for real payments`
    : 'payments: Stripe',
);
if (s.bootstrapToken)
  console.log(
    `no admin yet: sign up, then POST /v1/admin/bootstrap with {"token": "${s.bootstrapToken}"} to become the admin (one-time token)`,
  );
const stop = () => void s.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
