/**
 * Wires the marketplace, one direction: repositories (server/repos/, all SQL) → services
 * (server/services/<domain>/), which server/create-app.ts hands to the route modules
 * (server/routes/<domain>.ts), each only the services it calls. Cross-domain effects go through the
 * marketplace and money event buses: provenance, reputation and notifications subscribe here, in the
 * order the effects must land (provenance, then reputation, then notices). `close` ends the lifecycle.
 */
import type { Embedder } from '../engine/semantic/types.ts';
import type { MoneyPolicy } from '../shared/policy/money.ts';
import { TRUST_POLICY, type TrustPolicy } from '../shared/policy/trust.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import type { BlobStore } from './blobs.ts';
import type { Database } from './db.ts';
import { Money, type PaymentsConfig } from './money.ts';
import type { ProvenanceSigner } from './provenance.ts';
import { PendingIndex } from './pending-index.ts';
import { PublishedIndex } from './published-index.ts';
import * as accounts from './repos/accounts.ts';
import * as discovery from './repos/discovery.ts';
import * as listings from './repos/listings.ts';
import * as moderation from './repos/moderation.ts';
import * as notifications from './repos/notifications.ts';
import * as provenance from './repos/provenance.ts';
import * as review from './repos/review.ts';
import * as submissions from './repos/submissions.ts';
import { AccountsService } from './services/accounts/accounts.ts';
import { DiscoveryService } from './services/discovery/discovery.ts';
import { ListingsService } from './services/listings/listings.ts';
import { marketplaceBus } from './services/marketplace-events.ts';
import { MediaAccessService } from './services/media/media-access.ts';
import { AuditService } from './services/moderation/audit.ts';
import { Blocklists } from './services/moderation/blocklist.ts';
import { CasesService } from './services/moderation/cases.ts';
import { Detectors } from './services/moderation/detectors.ts';
import { Moderation } from './services/moderation/moderation.ts';
import { subscribeMarketplaceNotices } from './services/notifications/marketplace-notices.ts';
import { NotificationsService } from './services/notifications/notifications.ts';
import { ProvenanceService } from './services/provenance/provenance.ts';
import { ReviewService } from './services/review/review.ts';
import { Analyser } from './services/submissions/analysis.ts';
import { Fingerprinter } from './services/submissions/fingerprint.ts';
import { SubmissionsService } from './services/submissions/submissions.ts';
import { subscribeMarketplaceReputation } from './services/trust/marketplace-reputation.ts';
import { recomputeReputation } from './services/trust/reputation.ts';
import { TrustService } from './services/trust/trust.ts';
import { DeliveryService } from './services/money/delivery.ts';
import { moneyRepos } from './repos/money/index.ts';

export interface MarketplaceOptions {
  db: Database;
  blobs: BlobStore;
  embedder?: Embedder | undefined;
  /** One-box installs (the studio's local marketplace): the first account registered becomes the admin. */
  firstUserAdmin?: boolean | undefined;
  /** Public base URL used in links (image URLs are relative when unset). */
  baseUrl?: string;
  /** Signs provenance records at publication. */
  signer: ProvenanceSigner;
  /** This marketplace's uniqueness thresholds (default: shared/policy/uniqueness.ts). */
  uniquenessPolicy?: UniquenessPolicy | undefined;
  /** The payment processor (Stripe, or the local test processor). */
  payments: PaymentsConfig;
  /** The money policy (default: shared/policy/money.ts, 70/30). */
  moneyPolicy?: MoneyPolicy | undefined;
  /** Trust and safety thresholds (default: shared/policy/trust.ts). */
  trustPolicy?: TrustPolicy | undefined;
}

/** Every repository module, as the services take them (unit tests give fakes of the parts they use). */
export const repos = { accounts, discovery, listings, moderation, notifications, provenance, review, submissions };

export function buildContainer(opts: MarketplaceOptions) {
  const { db, blobs, signer, embedder } = opts;
  const uniqueness = opts.uniquenessPolicy ?? UNIQUENESS_POLICY;
  const trustPolicy = opts.trustPolicy ?? TRUST_POLICY;
  const events = marketplaceBus();
  const index = new PublishedIndex(opts.uniquenessPolicy);
  index.engine.setEmbedder(embedder);
  const pending = new PendingIndex(opts.uniquenessPolicy);

  const audit = new AuditService(db, repos.moderation);
  const notices = new NotificationsService(db, repos.notifications);
  const accountsService = new AccountsService(db, repos.accounts, audit, opts.firstUserAdmin ?? false);
  const listingsService = new ListingsService(db, repos.listings, events);
  const provenanceService = new ProvenanceService(db, repos.provenance, signer, listingsService);
  const review = new ReviewService(db, repos.review, listingsService, audit, events);
  const discoveryService = new DiscoveryService(db, repos.discovery, embedder);
  const media = new MediaAccessService(db, blobs, listingsService);

  // Money and moderation need each other (takedown refunds; dispute audits): each reads the other when used.
  const late: { money?: Money } = {};
  const cases = new CasesService({
    db,
    repo: repos.moderation,
    users: repos.accounts,
    listings: listingsService,
    auditLog: audit,
    events,
    refunds: () => {
      const m = (late.money as Money).services;
      return {
        refund: (id, reason, note) => m.refunds.refund(id, reason, note),
        endSubscriptionNow: (id, reason) => m.subscriptions.endSubscriptionNow(id, reason),
      };
    },
    catchUp: () => index.catchUp(db),
    policy: trustPolicy,
  });
  const blocklists = new Blocklists(db, repos.moderation, audit);
  const moderationFacade = new Moderation(
    {
      audit,
      blocklists,
      detectors: new Detectors(db, repos.moderation, trustPolicy, cases.openCase.bind(cases)),
      cases,
    },
    trustPolicy,
  );
  const money = new Money(
    { db, signer, moderation: moderationFacade, notify: (sql, userId, kind, payload) => notices.notify(sql, userId, kind, payload) },
    opts.payments,
    opts.moneyPolicy,
  );
  late.money = money;

  const submissionsService = new SubmissionsService({
    db,
    repo: repos.submissions,
    review: repos.review,
    listings: listingsService,
    fingerprinter: new Fingerprinter(() => index.engine),
    analyser: new Analyser(db, repos.submissions, index, pending, embedder),
    blobs,
    moderation: () => moderationFacade,
    events,
    uniqueness,
  });

  // Subscribers, in the order the inline calls had: the record is signed, reputation recomputed, then the notice written.
  provenanceService.subscribe(events);
  subscribeMarketplaceReputation(events, recomputeReputation);
  subscribeMarketplaceNotices(events, (sql, userId, kind, payload) => notices.notify(sql, userId, kind, payload));

  return {
    db,
    blobs,
    signer,
    index,
    events,
    /** Payments, licenses, ledger postings and earnings (its services: `money.services`). */
    money,
    /** Reports, detection, takedowns, strikes, appeals, audit log, blocklists behind one object (submissions and disputes use it). */
    moderation: moderationFacade,
    /** The policies in force, as GET /v1/policy shows them. */
    policies: { money: money.policy, trust: trustPolicy, uniqueness },
    services: {
      accounts: accountsService,
      notifications: notices,
      listings: listingsService,
      submissions: submissionsService,
      review,
      provenance: provenanceService,
      discovery: discoveryService,
      media,
      audit,
      cases,
      blocklists,
      trust: new TrustService(db),
      /** A paid purchase's card, files and license text, for its buyer. */
      delivery: new DeliveryService(
        {
          db,
          repos: moneyRepos,
          get publicUrl() {
            return money.payments.publicUrl;
          },
        },
        listingsService,
      ),
    },
    /** Cancels the running submissions, stops the published index and the blocklist workers, then closes the database. */
    async close(): Promise<void> {
      // Submissions still analysing stop first (their FFmpeg processes killed, nothing stored).
      submissionsService.close();
      index.close();
      pending.close();
      moderationFacade.close();
      await db.close();
    },
  };
}

export type Container = ReturnType<typeof buildContainer>;
