/**
 * `npm run test:pg`: the marketplace suites again, against a real PostgreSQL server, when
 * ORIGINALS_PG_URL names one (a superuser that may create databases). The rest of `npm test`
 * keeps using PGlite. .ci/run starts Debian's PostgreSQL for this; Debian has no pgvector, so
 * there the vector migration is skipped and the semantic layers report themselves unavailable.
 */
import { spawnSync } from 'node:child_process';

const url = process.env.ORIGINALS_PG_URL;
if (!url) {
  console.log('PostgreSQL suites skipped: set ORIGINALS_PG_URL to a PostgreSQL server (.ci/run does) to run them.');
  process.exit(0);
}
const files = [
  'tests/integration/server.test.ts',
  'tests/integration/server-pending.test.ts',
  'tests/integration/authz.test.ts',
  'tests/integration/server-derivative.test.ts',
  'tests/integration/server-nodes.test.ts',
  'tests/integration/ledger.test.ts',
  'tests/integration/money.test.ts',
  'tests/integration/webhooks.test.ts',
  'tests/integration/money-policy.test.ts',
  'tests/integration/server-idempotency.test.ts',
  'tests/integration/dashboard-ledger.test.ts',
  'tests/integration/trust.test.ts',
  'tests/integration/pg-pool.test.ts',
  'tests/integration/listing-lock.test.ts',
  'tests/integration/rate-limit.test.ts',
];
console.log(`PostgreSQL suites against ${new URL(url).host}:`);
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], {
  stdio: 'inherit',
  env: { ...process.env, ORIGINALS_TEST_DATABASE_URL: url },
});
process.exit(r.status ?? 1);
