/**
 * In-memory stand-ins for the marketplace services' repositories, for unit tests without a server
 * or a database: listings (assets, versions, the index feed), review items, and a recorder of the
 * marketplace bus's events. The database is money-fakes' `fakeDatabase` (any SQL throws).
 */
import type { AssetCard } from '../../engine/cards.ts';
import type { Sql } from '../../server/db.ts';
import type { AssetHead, AssetRow, AssetStatus } from '../../server/repos/listings.ts';
import type { ReviewItemRow } from '../../server/repos/review.ts';
import type { ListingsRepo } from '../../server/services/listings/listings.ts';
import { type MarketplaceEvents, marketplaceBus } from '../../server/services/marketplace-events.ts';
import type { ReviewRepo } from '../../server/services/review/review.ts';

export { fakeDatabase, user } from './money-fakes.ts';

interface FakeAsset {
  id: string;
  creatorId: string;
  name: string;
  status: AssetStatus;
  latest: number;
  published: number | null;
  parent: string | null;
  takedownReason: string | null;
  versions: Map<number, { status: string; card: AssetCard; image: string | null }>;
}

/** Assets, review items and the index feed, as the fake repositories see them. */
export class FakeMarketplaceStore {
  assets = new Map<string, FakeAsset>();
  feed: { assetId: string; version: number | null; kind: 'upsert' | 'tombstone' }[] = [];
  items: ReviewItemRow[] = [];
  entitlements: { userId: string; assetId: string; version: number }[] = [];

  /** An asset with versions 1..latest (the given one published, if any). */
  addAsset(a: { id: string; creatorId: string; status: AssetStatus; latest?: number; published?: number | null; parent?: string | null }) {
    const latest = a.latest ?? 1;
    const versions = new Map<number, { status: string; card: AssetCard; image: string | null }>();
    for (let v = 1; v <= latest; v++)
      versions.set(v, {
        status: v === a.published ? 'published' : 'in_review',
        card: { asset_type: 'character', name: `${a.id} v${v}`, description: '', tags: [] } as unknown as AssetCard,
        image: null,
      });
    this.assets.set(a.id, {
      id: a.id,
      creatorId: a.creatorId,
      name: a.id,
      status: a.status,
      latest,
      published: a.published ?? null,
      parent: a.parent ?? null,
      takedownReason: null,
      versions,
    });
  }

  addItem(i: Partial<ReviewItemRow> & { asset_id: string; version: number }): ReviewItemRow {
    const row: ReviewItemRow = {
      id: String(this.items.length + 1),
      kind: 'submission',
      priority: 0,
      flags: [],
      state: 'open',
      created_at: new Date(),
      claimed_by: null,
      claim_expires_at: null,
      excluded_moderator: null,
      reason: null,
      ...i,
    };
    this.items.push(row);
    return row;
  }

  asset(id: string): FakeAsset {
    const a = this.assets.get(id);
    if (!a) throw new Error(`no fake asset ${id}`);
    return a;
  }

  head(id: string): AssetHead | undefined {
    const a = this.assets.get(id);
    return a
      ? {
          id: a.id,
          creator_id: a.creatorId,
          name: a.name,
          status: a.status,
          latest_version: a.latest,
          published_version: a.published,
          parent_asset_id: a.parent,
        }
      : undefined;
  }

  row(id: string, version?: number): AssetRow | undefined {
    const a = this.assets.get(id);
    const v = a?.versions.get(version ?? a.latest);
    if (!a || !v) return undefined;
    return {
      ...(this.head(id) as AssetHead),
      creator_name: a.creatorId,
      asset_type: v.card.asset_type,
      price_cents: null,
      pricing_model: null,
      billing_interval: null,
      takedown_reason: a.takedownReason,
      taken_down_at: a.takedownReason ? new Date(0) : null,
      published_at: a.published !== null ? new Date(0) : null,
      card: v.card,
      version: version ?? a.latest,
      image_sha256: v.image,
    };
  }

  listingsRepo(): ListingsRepo {
    return fakeListingsRepo(this);
  }

  reviewRepo(): ReviewRepo {
    return fakeReviewRepo(this);
  }
}

/** Listings' repository over the store. */
function fakeListingsRepo(s: FakeMarketplaceStore): ListingsRepo {
  const closeItems = (id: string, decision: string) => {
    for (const i of s.items) if (i.asset_id === id && i.state === 'open') Object.assign(i, { state: 'decided', decision });
  };
  return {
    assetRow: async (_sql: Sql, id: string, version?: number) => s.row(id, version),
    head: async (_sql: Sql, id: string) => s.head(id),
    ownedVersions: async (_sql: Sql, userId: string, assetId: string) =>
      s.entitlements.filter((e) => e.userId === userId && e.assetId === assetId).map((e) => e.version),
    library: async () => [],
    idsByCreator: async (_sql: Sql, creatorId: string) => [...s.assets.values()].filter((a) => a.creatorId === creatorId).map((a) => a.id),
    publishedCount: async (_sql: Sql, userId: string) =>
      [...s.assets.values()].filter((a) => a.creatorId === userId && a.published !== null).length,
    imageSha: async (_sql: Sql, id: string, version: number) => s.row(id, version)?.image_sha256 ?? null,
    createInReview: async (_sql: Sql, a) =>
      s.addAsset({ id: a.id, creatorId: a.creatorId, status: 'in_review', latest: a.version, parent: a.parentId }),
    updateInReview: async (_sql: Sql, a) => {
      const x = s.asset(a.id);
      x.status = 'in_review';
      x.latest = a.version;
      x.parent = a.parentId;
      x.versions.set(a.version, {
        status: 'in_review',
        card: { asset_type: a.assetType, name: a.name } as unknown as AssetCard,
        image: null,
      });
    },
    setWithdrawn: async (_sql: Sql, id: string) => {
      s.asset(id).status = 'withdrawn';
    },
    setPublished: async (_sql: Sql, id: string, version: number) => {
      const a = s.asset(id);
      for (const v of a.versions.values()) if (v.status === 'published') v.status = 'superseded';
      (a.versions.get(version) as { status: string }).status = 'published';
      a.status = 'published';
      a.published = version;
    },
    setRefused: async (_sql: Sql, id: string, version: number, status: 'rejected' | 'changes_requested') => {
      const a = s.asset(id);
      (a.versions.get(version) as { status: string }).status = status;
      a.status = a.published === null ? status : 'published';
    },
    setTakenDown: async (_sql: Sql, id: string, reason: string) => {
      const a = s.asset(id);
      a.status = 'taken_down';
      a.takedownReason = reason;
    },
    setRestored: async (_sql: Sql, id: string, status: AssetStatus) => {
      const a = s.asset(id);
      a.status = status;
      a.takedownReason = null;
    },
    closeOpenReviewItems: async (_sql: Sql, id: string, decision: 'withdrawn' | 'taken_down') => closeItems(id, decision),
    upsertEvent: async (_sql: Sql, id: string, version: number) => {
      s.feed.push({ assetId: id, version, kind: 'upsert' });
    },
    tombstone: async (_sql: Sql, id: string) => {
      s.feed.push({ assetId: id, version: null, kind: 'tombstone' });
    },
  };
}

/** The review queue's repository over the store. */
function fakeReviewRepo(s: FakeMarketplaceStore): ReviewRepo {
  return {
    hasOpenItem: async (_sql: Sql, assetId: string) => s.items.some((i) => i.asset_id === assetId && i.state === 'open'),
    insertSubmission: async (_sql: Sql, assetId: string, version: number, priority: number, flags: string[]) => {
      s.addItem({ asset_id: assetId, version, priority, flags });
    },
    insertAppeal: async (_sql: Sql, assetId: string, version: number, reason: string, excluded: string) => {
      if (s.items.some((i) => i.asset_id === assetId && i.version === version && i.kind === 'appeal'))
        throw Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
      return Number(s.addItem({ asset_id: assetId, version, kind: 'appeal', priority: 5, reason, excluded_moderator: excluded }).id);
    },
    openItemsFor: async (_sql: Sql, moderatorId: string, limit: number) =>
      s.items
        .filter((i) => i.state === 'open' && i.excluded_moderator !== moderatorId)
        .sort((x, y) => y.priority - x.priority || x.created_at.getTime() - y.created_at.getTime())
        .slice(0, limit),
    evidence: async () => [],
    claim: async (_sql: Sql, itemId: number, moderatorId: string, minutes: number) => {
      const i = s.items.find((x) => Number(x.id) === itemId);
      if (!i || i.state !== 'open' || i.excluded_moderator === moderatorId) return null;
      if (i.claimed_by && i.claimed_by !== moderatorId && (i.claim_expires_at as Date) > new Date()) return null;
      i.claimed_by = moderatorId;
      i.claim_expires_at = new Date(Date.now() + minutes * 60_000);
      return { claim_expires_at: i.claim_expires_at };
    },
    item: async (_sql: Sql, itemId: number) => s.items.find((x) => Number(x.id) === itemId),
    lockItem: async (_sql: Sql, itemId: number) => {
      const i = s.items.find((x) => Number(x.id) === itemId);
      return i ? { ...i } : undefined;
    },
    itemParties: async (_sql: Sql, itemId: number) => {
      const i = s.items.find((x) => Number(x.id) === itemId);
      return i ? { asset_id: i.asset_id, creator_id: s.asset(i.asset_id).creatorId, excluded_moderator: i.excluded_moderator } : undefined;
    },
    recordDecision: async (_sql: Sql, itemId: number, decision: string, reason: string | null, moderatorId: string) => {
      const i = s.items.find((x) => Number(x.id) === itemId) as ReviewItemRow & { decision?: string; decided_by?: string };
      Object.assign(i, { state: 'decided', decision, decided_by: moderatorId, reason: reason ?? i.reason });
    },
    openSubmissions: async () =>
      s.items.filter((i) => i.state === 'open' && i.kind === 'submission').map((i) => ({ asset_id: i.asset_id, version: i.version })),
    lastDecision: async (_sql: Sql, assetId: string, version: number) => {
      const d = s.items.filter((i) => i.asset_id === assetId && i.version === version && i.state === 'decided').at(-1) as
        (ReviewItemRow & { decision: string; decided_by: string }) | undefined;
      return d ? { decision: d.decision, decided_by: d.decided_by, kind: d.kind } : undefined;
    },
  };
}

/** A marketplace bus that records every event it carries (with the transaction handle dropped). */
export function recordingBus() {
  const bus = marketplaceBus();
  const seen: { name: keyof MarketplaceEvents; event: Record<string, unknown> }[] = [];
  const names: (keyof MarketplaceEvents)[] = [
    'asset.submitted',
    'asset.published',
    'review.decided',
    'review.appealed',
    'asset.taken_down',
    'takedown.appealed',
    'takedown.appeal_decided',
  ];
  for (const name of names)
    bus.on(name, (e) => {
      const { tx: _tx, ...rest } = e as { tx: Sql };
      seen.push({ name, event: rest });
    });
  return { bus, seen };
}
