/**
 * The marketplace behind one object, as the routes call it: a thin facade over the services that
 * server/container.ts wires (accounts, notifications, listings, submissions, review, provenance,
 * discovery, media access; money and moderation as their own facades). Each method delegates to
 * one service method with the same signature; the rules live in server/services/<domain>/ and all
 * SQL in server/repos/.
 */
import type { BlobStore } from './blobs.ts';
import { type Container, type MarketplaceOptions, buildContainer } from './container.ts';
import type { Database } from './db.ts';
import type { Money } from './money.ts';
import type { ProvenanceSigner } from './provenance.ts';
import type { PublishedIndex } from './published-index.ts';
import type { Moderation } from './services/moderation/moderation.ts';

export type { MarketplaceOptions } from './container.ts';
export type { SubmissionInput } from './services/submissions/submissions.ts';

type S = Container['services'];

export class Marketplace {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly index: PublishedIndex;
  readonly signer: ProvenanceSigner;
  /** Payments, licenses, ledger postings and earnings. */
  readonly money: Money;
  /** Reports, automatic detection, takedowns, strikes, appeals, audit log, blocklists. */
  readonly moderation: Moderation;
  /** The services themselves, for callers that no longer need the facade. */
  readonly services: S;

  constructor(opts: MarketplaceOptions) {
    const c = buildContainer(opts);
    this.db = c.db;
    this.blobs = c.blobs;
    this.index = c.index;
    this.signer = c.signer;
    this.money = c.money;
    this.moderation = c.moderation;
    const s = (this.services = c.services);
    // accounts
    this.prepareBootstrap = s.accounts.prepareBootstrap.bind(s.accounts);
    this.bootstrapAdmin = s.accounts.bootstrapAdmin.bind(s.accounts);
    this.register = s.accounts.register.bind(s.accounts);
    this.login = s.accounts.login.bind(s.accounts);
    this.logout = s.accounts.logout.bind(s.accounts);
    this.user = s.accounts.user.bind(s.accounts);
    this.updateUser = s.accounts.updateUser.bind(s.accounts);
    // notifications
    this.notify = s.notifications.notify.bind(s.notifications);
    this.notifications = s.notifications.notifications.bind(s.notifications);
    this.markRead = s.notifications.markRead.bind(s.notifications);
    // listings and media
    this.imageUrl = s.listings.imageUrl;
    this.getAsset = s.listings.getAsset.bind(s.listings);
    this.myLibrary = s.listings.myLibrary.bind(s.listings);
    this.myAssets = s.listings.myAssets.bind(s.listings);
    this.withdraw = s.listings.withdraw.bind(s.listings);
    this.image = s.media.image.bind(s.media);
    this.mediaFile = s.media.mediaFile.bind(s.media);
    // submissions and review
    this.assertMaySubmit = s.submissions.assertMaySubmit.bind(s.submissions);
    this.submit = s.submissions.submit.bind(s.submissions);
    this.queue = s.review.queue.bind(s.review);
    this.claim = s.review.claim.bind(s.review);
    this.decide = s.review.decide.bind(s.review);
    this.appeal = s.review.appeal.bind(s.review);
    // provenance and discovery
    this.provenance = s.provenance.provenance.bind(s.provenance);
    this.search = s.discovery.search.bind(s.discovery);
    this.creators = s.discovery.creators.bind(s.discovery);
    this.indexFeed = s.discovery.indexFeed.bind(s.discovery);
  }

  async close(): Promise<void> {
    this.index.close();
    this.moderation.close();
    await this.db.close();
  }

  // accounts
  readonly prepareBootstrap: S['accounts']['prepareBootstrap'];
  readonly bootstrapAdmin: S['accounts']['bootstrapAdmin'];
  readonly register: S['accounts']['register'];
  readonly login: S['accounts']['login'];
  readonly logout: S['accounts']['logout'];
  readonly user: S['accounts']['user'];
  readonly updateUser: S['accounts']['updateUser'];
  // notifications
  readonly notify: S['notifications']['notify'];
  readonly notifications: S['notifications']['notifications'];
  readonly markRead: S['notifications']['markRead'];
  // listings and media
  readonly imageUrl: S['listings']['imageUrl'];
  readonly getAsset: S['listings']['getAsset'];
  readonly myLibrary: S['listings']['myLibrary'];
  readonly myAssets: S['listings']['myAssets'];
  readonly withdraw: S['listings']['withdraw'];
  readonly image: S['media']['image'];
  readonly mediaFile: S['media']['mediaFile'];
  // submissions and review
  readonly assertMaySubmit: S['submissions']['assertMaySubmit'];
  readonly submit: S['submissions']['submit'];
  readonly queue: S['review']['queue'];
  readonly claim: S['review']['claim'];
  readonly decide: S['review']['decide'];
  readonly appeal: S['review']['appeal'];
  // provenance and discovery
  readonly provenance: S['provenance']['provenance'];
  readonly search: S['discovery']['search'];
  readonly creators: S['discovery']['creators'];
  readonly indexFeed: S['discovery']['indexFeed'];
}
