/** Starts the marketplace API: store, blobs, optional semantic models, HTTP. Used by main.ts and tests. */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { serve as serveFn } from '@hono/node-server';
import type { Manifest } from '../engine/models/manager.ts';
import { OnnxEmbedder } from '../engine/semantic/embedder.ts';
import { type Embedder, usableEmbedder } from '../engine/semantic/types.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import { type AppOptions, createApp } from './create-app.ts';
import { FsBlobStore } from './blobs.ts';
import { type Container, buildContainer } from './container.ts';
import { openDatabase } from './db.ts';
import type { PaymentsConfig } from './money.ts';
import { StripeProcessor } from './payments/processor.ts';
import { LocalTestProcessor } from './payments/test-processor.ts';
import { ProvenanceSigner } from './provenance.ts';
import type { MoneyPolicy } from '../shared/policy/money.ts';
import type { TrustPolicy } from '../shared/policy/trust.ts';

/** How long stop() lets requests in flight finish before it cuts the connections left. */
const STOP_GRACE_MS = 5_000;

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Keep the embedded database in memory (tests, benchmarks). */
  inMemory?: boolean;
  /** The one-time token that makes the first admin (else ORIGINALS_BOOTSTRAP_TOKEN, else a random one); used only while no admin exists. */
  bootstrapToken?: string | undefined;
  /** The first account registered becomes admin and moderator (the studio's local one-box marketplace). */
  firstUserAdmin?: boolean | undefined;
  modelsDir?: string | undefined;
  /** The Ed25519 signing key (PKCS#8 PEM) shared by every node; else ORIGINALS_PROVENANCE_KEY, else a key file in dataDir. */
  provenanceKeyPem?: string | undefined;
  /** Uniqueness thresholds for this marketplace (default: shared/policy/uniqueness.ts). */
  uniquenessPolicy?: UniquenessPolicy | undefined;
  /** Model manifest override (tests run tiny stand-in graphs). */
  manifest?: Manifest | undefined;
  serve: typeof serveFn;
  /** Stripe keys; else STRIPE_SECRET_KEY + STRIPE_WEBHOOK_SECRET; else the local test processor. */
  stripe?: { secretKey: string; webhookSecret: string } | undefined;
  /** A local test processor started by the caller (tests control its webhook delivery). */
  testProcessor?: LocalTestProcessor | undefined;
  /** Trust and safety thresholds (default shared/policy/trust.ts). */
  trustPolicy?: TrustPolicy | undefined;
  /** Rate limits (default shared/policy/trust.ts); false turns them off (benchmarks). */
  rateLimits?: AppOptions['rateLimits'];
  /** The money policy (split preset, bounds…); default shared/policy/money.ts. */
  moneyPolicy?: MoneyPolicy | undefined;
  /** Trusted reverse proxies in front of the server (default ORIGINALS_TRUST_PROXY_HOPS, else 0: the socket address). */
  trustProxyHops?: number | undefined;
  /** Largest media file and image per submission (default: the media and marketplace policies). */
  uploads?: AppOptions['uploads'];
}

/** ORIGINALS_TRUST_PROXY_HOPS (a whole number); 0 when unset. */
function proxyHopsFromEnv(): number {
  const v = process.env.ORIGINALS_TRUST_PROXY_HOPS;
  if (v === undefined || v === '') return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error('ORIGINALS_TRUST_PROXY_HOPS must be a whole number from 0 to 10');
  return n;
}

/** Stripe when keys are configured; otherwise the clearly labelled local test processor, so the whole flow works offline. */
async function paymentsFor(
  opts: ServerOptions,
): Promise<{ payments: PaymentsConfig; processor: LocalTestProcessor | null; owned: boolean }> {
  const keys =
    opts.stripe ??
    (process.env.STRIPE_SECRET_KEY
      ? { secretKey: process.env.STRIPE_SECRET_KEY, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? '' }
      : undefined);
  if (keys) {
    if (!keys.webhookSecret)
      throw new Error('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (the webhook endpoint verifies signatures)');
    return {
      payments: { processor: new StripeProcessor('stripe', keys.secretKey, keys.webhookSecret), publicUrl: '' },
      processor: null,
      owned: false,
    };
  }
  const owned = !opts.testProcessor;
  const processor =
    opts.testProcessor ??
    (await new LocalTestProcessor({
      stateFile: opts.inMemory ? undefined : join(opts.dataDir, 'test-processor.json'),
      portFile: opts.inMemory ? undefined : join(opts.dataDir, 'test-processor.port'),
    }).start());
  return {
    payments: {
      processor: new StripeProcessor('local_test', processor.secretKey, processor.webhookSecret, { port: processor.port }),
      publicUrl: '',
    },
    processor,
    owned,
  };
}

export interface RunningServer {
  url: string;
  port: number;
  /** The wired marketplace (server/container.ts): its database, services, money and moderation. */
  marketplace: Container;
  /** The local test processor, when no Stripe keys are configured. */
  processor: LocalTestProcessor | null;
  /** While the marketplace has no admin: the one-time token for POST /v1/admin/bootstrap (main.ts prints it). */
  bootstrapToken: string | null;
  stop(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const db = await openDatabase({
    url: opts.databaseUrl,
    dataDir: opts.databaseUrl || opts.inMemory ? undefined : join(opts.dataDir, 'pg'),
  });
  let embedder: Embedder | undefined;
  if (opts.modelsDir && existsSync(opts.modelsDir)) {
    embedder = usableEmbedder(await OnnxEmbedder.fromModelsDir(opts.modelsDir, opts.manifest ? { manifest: opts.manifest } : {}));
  }
  const signer = ProvenanceSigner.load({
    pem: opts.provenanceKeyPem ?? process.env.ORIGINALS_PROVENANCE_KEY,
    file: join(opts.dataDir, 'provenance-key.pem'),
  });
  const pay = await paymentsFor(opts);
  const marketplace = buildContainer({
    payments: pay.payments,
    moneyPolicy: opts.moneyPolicy,
    trustPolicy: opts.trustPolicy,
    db,
    blobs: new FsBlobStore(join(opts.dataDir, 'blobs')),
    embedder,
    signer,
    uniquenessPolicy: opts.uniquenessPolicy,
    firstUserAdmin: opts.firstUserAdmin,
  });
  await marketplace.index.catchUp(db);
  await signer.register(db);
  const bootstrapToken = opts.firstUserAdmin
    ? null
    : await marketplace.services.accounts.prepareBootstrap(opts.bootstrapToken ?? (process.env.ORIGINALS_BOOTSTRAP_TOKEN || undefined));
  const { app } = createApp(marketplace, {
    rateLimits: opts.rateLimits ?? opts.trustPolicy?.rateLimits,
    trustProxyHops: opts.trustProxyHops ?? proxyHopsFromEnv(),
    uploads: opts.uploads,
  });
  const server = await new Promise<ReturnType<typeof serveFn>>((resolve) => {
    const s = opts.serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: opts.host ?? '127.0.0.1' }, () => resolve(s));
  });
  // Longer than a load balancer's idle timeout (typically 60 s), so the server never closes a
  // kept-alive connection that a proxy or client is about to reuse.
  const http = server as unknown as {
    keepAliveTimeout: number;
    headersTimeout: number;
    closeIdleConnections(): void;
    closeAllConnections(): void;
  };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}/`;
  pay.payments.publicUrl = process.env.ORIGINALS_PUBLIC_URL ?? url;
  pay.processor?.setWebhook(`${url}v1/webhooks/stripe`);
  void marketplace.money.services.payouts
    .reconcilePayouts()
    .catch((e: unknown) => console.error('[server] payout reconciliation failed', e));
  // Purchases a crash left pending without a checkout session can never be paid: expired now and every 10 minutes.
  const expire = () =>
    marketplace.money.services.fulfilment
      .expireAbandonedCheckouts()
      .catch((e: unknown) => console.error('[server] expiring abandoned checkouts failed', e));
  await expire();
  const sweeper = setInterval(() => void expire(), 10 * 60_000);
  sweeper.unref();
  return {
    url,
    port,
    marketplace,
    processor: pay.processor,
    bootstrapToken,
    async stop() {
      clearInterval(sweeper);
      // Running submissions are cancelled first, so closing does not wait for their media analysis.
      marketplace.services.submissions.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // A connection kept alive after the answer to a request that was running at close() would
      // hold it for the keep-alive timeout: idle ones are closed until the last request is answered.
      const idle = setInterval(() => http.closeIdleConnections(), 50);
      // A client that stalls mid-request (a body shorter than its declared length, a dropped
      // upload) would hold close() forever: after a grace period every connection left is cut.
      const cut = setTimeout(() => http.closeAllConnections(), STOP_GRACE_MS);
      await closed.finally(() => {
        clearInterval(idle);
        clearTimeout(cut);
      });
      await embedder?.close();
      if (pay.owned) await pay.processor?.stop();
      await marketplace.close();
    },
  };
}
