/**
 * Listings: the one owner of an asset's status (the state machine in ./state.ts) and of its index
 * feed events (upserts and tombstones); and how a listing is shown to the public, its buyers, its
 * creator and staff. Every status write in the server goes through this service.
 */
import { ApiError } from '../../../shared/api.ts';
import { iso } from '../../../shared/format.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../../../shared/policy/marketplace.ts';
import type { UserRow } from '../../auth.ts';
import { authorize, isStaff } from '../../authz.ts';
import type { Database, Sql } from '../../db.ts';
import type * as listingsRepo from '../../repos/listings.ts';
import type { AssetHead, AssetRow } from '../../repos/listings.ts';
import type { MarketplaceBus } from '../marketplace-events.ts';
import { type ListingTransition, type TransitionResult, transition } from './state.ts';

export type ListingsRepo = Omit<typeof listingsRepo, 'ASSET_COLUMNS'>;

export const imageUrl = (assetId: string, version: number, sha: string | null): string | null =>
  sha ? `/v1/assets/${assetId}/image?version=${version}` : null;

/** An asset as its views show it. */
export function assetView(a: AssetRow, forOwner = false): AssetView {
  return {
    id: a.id,
    creatorId: a.creator_id,
    creatorName: a.creator_name,
    assetType: a.asset_type,
    name: a.card.name,
    status: a.status,
    version: a.version,
    publishedVersion: a.published_version,
    latestVersion: a.latest_version,
    card: a.card as unknown as Record<string, unknown>,
    imageUrl: imageUrl(a.id, a.version, a.image_sha256),
    parentAssetId: a.parent_asset_id,
    priceCents: a.price_cents,
    pricingModel: a.pricing_model ?? null,
    billingInterval: a.billing_interval ?? null,
    takedown: a.status === 'taken_down' ? { reason: a.takedown_reason ?? '', at: iso(a.taken_down_at) } : null,
    publishedAt: iso(a.published_at),
    ...(forOwner && a.status === 'in_review' ? { estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.standard } : {}),
  };
}

export class ListingsService {
  constructor(
    private readonly db: Database,
    private readonly repo: ListingsRepo,
    private readonly events: MarketplaceBus,
  ) {}

  readonly view = assetView;
  readonly imageUrl = imageUrl;

  /** An asset with one of its versions (the latest by default); 404 when there is none. */
  async assetRow(id: string, version?: number, sql: Sql = this.db): Promise<AssetRow> {
    const r = await this.repo.assetRow(sql, id, version);
    if (!r) throw new ApiError('not_found', 'no such asset', 'id', 404);
    return r;
  }

  /** Public sees the published version; the creator and moderators see the latest (or any asked for). */
  async getAsset(user: UserRow | null, id: string, version?: number): Promise<AssetView> {
    const head = await this.assetRow(id);
    const published = head.published_version !== null && head.status !== 'taken_down' && head.status !== 'withdrawn';
    const privileged = Boolean(user && (user.id === head.creator_id || isStaff(user)));
    if (!privileged) {
      // Buyers keep the versions they bought, whatever happened to the listing since, and may
      // read the newest published version too.
      const owned = user ? await this.repo.ownedVersions(this.db, user.id, id) : [];
      if (version !== undefined && owned.includes(version)) return assetView(await this.assetRow(id, version));
      if (head.status === 'taken_down' && head.published_version !== null && !owned.length) {
        // The listing shows its takedown (name, reason), not a 404 — and no longer its content.
        const v = assetView(await this.assetRow(id, head.published_version));
        return {
          ...v,
          status: 'taken_down',
          imageUrl: null,
          card: { name: v.name, asset_type: v.assetType },
          takedown: { reason: head.takedown_reason ?? '', at: iso(head.taken_down_at) },
        };
      }
      authorize(user, 'asset.read', {
        published: published || (owned.length > 0 && head.published_version !== null),
        ownerId: head.creator_id,
      });
      if (version !== undefined && version !== head.published_version) throw new ApiError('not_found', 'no such version', 'version', 404);
      return assetView(await this.assetRow(id, head.published_version as number));
    }
    return assetView(version !== undefined ? await this.assetRow(id, version) : head, user?.id === head.creator_id);
  }

  /** The buyer's library: each asset they hold, the versions they own, and whether a newer one is out. */
  async myLibrary(user: UserRow) {
    return (await this.repo.library(this.db, user.id)).map((x) => {
      const newest = Math.max(...x.versions);
      return {
        assetId: x.asset_id,
        name: x.name,
        ownedVersions: x.versions,
        latestPublishedVersion: x.published_version,
        updateAvailable: x.published_version !== null && x.published_version > newest && x.status === 'published',
      };
    });
  }

  async myAssets(user: UserRow): Promise<AssetView[]> {
    const ids = await this.repo.idsByCreator(this.db, user.id);
    return Promise.all(ids.map(async (id) => assetView(await this.assetRow(id), true)));
  }

  publishedCount(userId: string): Promise<number> {
    return this.repo.publishedCount(this.db, userId);
  }

  // ---------------------------------------------------------------- transitions

  private async step(sql: Sql, id: string, t: ListingTransition, arg?: Parameters<typeof transition>[2]) {
    const head = await this.repo.head(sql, id);
    if (!head) throw new ApiError('not_found', 'no such asset', 'id', 404);
    return { head, next: transition(t, { status: head.status, publishedVersion: head.published_version }, arg) };
  }

  private async feed(sql: Sql, id: string, next: TransitionResult, version: number | null): Promise<void> {
    if (next.feed === 'tombstone') await this.repo.tombstone(sql, id);
    else if (next.feed === 'upsert' && version !== null) await this.repo.upsertEvent(sql, id, version);
  }

  /** A new version goes to review: the asset is created, or an existing one (not withdrawn nor taken down) takes the new card. */
  async submitVersion(
    sql: Sql,
    a: {
      id: string;
      creatorId: string;
      existing: boolean;
      assetType: string;
      name: string;
      version: number;
      parentId: string | null;
      metadataHash: string;
    },
  ): Promise<void> {
    if (!a.existing) return this.repo.createInReview(sql, a);
    await this.step(sql, a.id, 'submit');
    await this.repo.updateInReview(sql, a);
  }

  /** Refuses early (before any upload is processed) a new version of a listing that cannot take one. */
  assertMayResubmit(a: Pick<AssetHead, 'status' | 'published_version'>): void {
    transition('submit', { status: a.status, publishedVersion: a.published_version });
  }

  /** A version goes on sale: the previous one is superseded, the feed gets an upsert, `asset.published` follows. */
  async publish(sql: Sql, id: string, version: number): Promise<void> {
    const { head, next } = await this.step(sql, id, 'publish');
    await this.repo.setPublished(sql, id, version);
    await this.feed(sql, id, next, version);
    await this.events.emit('asset.published', {
      tx: sql,
      assetId: id,
      version,
      creatorId: head.creator_id,
      parentAssetId: head.parent_asset_id,
    });
  }

  /** A version is rejected or sent back for changes; a listing with a published version stays on sale. */
  async refuse(sql: Sql, id: string, version: number, decision: 'rejected' | 'changes_requested'): Promise<void> {
    await this.step(sql, id, 'refuse', { refusal: decision });
    await this.repo.setRefused(sql, id, version, decision);
  }

  /** The creator takes a listing off sale: it leaves search and the index feed (a tombstone). */
  async withdraw(user: UserRow, assetId: string) {
    const a = await this.assetRow(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    transition('withdraw', { status: a.status, publishedVersion: a.published_version });
    await this.db.tx(async (sql) => {
      const { next } = await this.step(sql, assetId, 'withdraw');
      await this.repo.setWithdrawn(sql, assetId);
      await this.repo.closeOpenReviewItems(sql, assetId, 'withdrawn');
      await this.feed(sql, assetId, next, null);
    });
    return { assetId, status: 'withdrawn' as const };
  }

  /** A moderator removes a listing: its open review items close and it leaves the feed. Returns where it stood before. */
  async takeDown(sql: Sql, assetId: string, reason: string): Promise<AssetHead> {
    const { head, next } = await this.step(sql, assetId, 'take_down');
    await this.repo.setTakenDown(sql, assetId, reason);
    await this.repo.closeOpenReviewItems(sql, assetId, 'taken_down');
    await this.feed(sql, assetId, next, null);
    return head;
  }

  /** An overturned takedown: the listing gets back the status it had (or the one its versions imply) and re-enters the feed. */
  async restore(sql: Sql, assetId: string, previousStatus: string | null): Promise<string> {
    const { head, next } = await this.step(sql, assetId, 'restore', { previousStatus });
    await this.repo.setRestored(sql, assetId, next.status);
    await this.feed(sql, assetId, next, head.published_version);
    return next.status;
  }
}
