/**
 * Listings, the one owner of an asset's status: the state machine (allowed and refused transitions,
 * where each sends the index feed), and the service on fake repositories (publishing emits
 * `asset.published`, a withdrawal or takedown writes a tombstone only for a published listing,
 * an overturned takedown restores the previous status).
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api.ts';
import { ListingsService } from '../../server/services/listings/listings.ts';
import { type ListingStatus, type ListingTransition, allowed, transition } from '../../server/services/listings/state.ts';
import { FakeMarketplaceStore, fakeDatabase, recordingBus, user } from '../helpers/marketplace-fakes.ts';

const STATUSES: ListingStatus[] = ['in_review', 'published', 'rejected', 'changes_requested', 'withdrawn', 'taken_down'];

const refusalCode = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(409);
    return (e as ApiError).code;
  }
};

describe('listing state machine', () => {
  it('refuses every open-listing transition from withdrawn and taken_down, with the codes the API returns', () => {
    for (const from of ['withdrawn', 'taken_down'] as const) {
      const state = { status: from, publishedVersion: 1 };
      expect(refusalCode(() => transition('submit', state))).toBe(from === 'withdrawn' ? 'withdrawn' : 'taken_down');
      for (const t of ['publish', 'refuse', 'withdraw'] as const) expect(refusalCode(() => transition(t, state))).toBe('not_listed');
    }
  });

  it('allows submit, publish, refuse and withdraw from the four open statuses, and take_down and restore from any', () => {
    const open = STATUSES.slice(0, 4);
    for (const from of STATUSES) {
      for (const t of ['submit', 'publish', 'refuse', 'withdraw'] as ListingTransition[])
        expect(allowed(t, from)).toBe(open.includes(from));
      expect(allowed('take_down', from)).toBe(true);
      expect(allowed('restore', from)).toBe(true);
    }
  });

  it('sends a tombstone only when a published listing leaves, and an upsert when one (re)enters', () => {
    expect(transition('withdraw', { status: 'published', publishedVersion: 2 })).toEqual({ status: 'withdrawn', feed: 'tombstone' });
    expect(transition('withdraw', { status: 'in_review', publishedVersion: null })).toEqual({ status: 'withdrawn', feed: null });
    expect(transition('take_down', { status: 'withdrawn', publishedVersion: 1 })).toEqual({ status: 'taken_down', feed: 'tombstone' });
    expect(transition('take_down', { status: 'rejected', publishedVersion: null })).toEqual({ status: 'taken_down', feed: null });
    expect(transition('publish', { status: 'in_review', publishedVersion: null })).toEqual({ status: 'published', feed: 'upsert' });
    expect(transition('submit', { status: 'published', publishedVersion: 1 })).toEqual({ status: 'in_review', feed: null });
  });

  it('a refused update leaves the published version on sale; a refused first version takes the decision', () => {
    expect(transition('refuse', { status: 'in_review', publishedVersion: 1 }, { refusal: 'rejected' }).status).toBe('published');
    expect(transition('refuse', { status: 'in_review', publishedVersion: null }, { refusal: 'rejected' }).status).toBe('rejected');
    expect(transition('refuse', { status: 'in_review', publishedVersion: null }, { refusal: 'changes_requested' }).status).toBe(
      'changes_requested',
    );
  });

  it('restore gives back the status before the takedown, else what the versions imply', () => {
    const down = (publishedVersion: number | null) => ({ status: 'taken_down' as const, publishedVersion });
    expect(transition('restore', down(1), { previousStatus: 'withdrawn' })).toEqual({ status: 'withdrawn', feed: 'upsert' });
    expect(transition('restore', down(1), { previousStatus: 'taken_down' })).toEqual({ status: 'published', feed: 'upsert' });
    expect(transition('restore', down(null), { previousStatus: null })).toEqual({ status: 'in_review', feed: null });
  });
});

function world() {
  const store = new FakeMarketplaceStore();
  const db = fakeDatabase();
  const { bus, seen } = recordingBus();
  const listings = new ListingsService(db, store.listingsRepo(), bus);
  return { store, db, seen, listings };
}

describe('ListingsService (fake repositories)', () => {
  it('publishing supersedes the previous version, sends an upsert and emits asset.published with the parent', async () => {
    const { store, db, seen, listings } = world();
    store.addAsset({ id: 'a1', creatorId: 'c', status: 'in_review', latest: 2, published: 1, parent: 'p1' });
    await db.tx((sql) => listings.publish(sql, 'a1', 2));
    const a = store.asset('a1');
    expect([a.status, a.published, a.versions.get(1)?.status, a.versions.get(2)?.status]).toEqual([
      'published',
      2,
      'superseded',
      'published',
    ]);
    expect(store.feed).toEqual([{ assetId: 'a1', version: 2, kind: 'upsert' }]);
    expect(seen).toEqual([{ name: 'asset.published', event: { assetId: 'a1', version: 2, creatorId: 'c', parentAssetId: 'p1' } }]);
  });

  it('publishing a withdrawn listing is refused before anything is written', async () => {
    const { store, db, seen, listings } = world();
    store.addAsset({ id: 'a1', creatorId: 'c', status: 'withdrawn', published: 1 });
    await expect(db.tx((sql) => listings.publish(sql, 'a1', 1))).rejects.toMatchObject({ code: 'not_listed' });
    expect(store.feed).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('withdrawal: only the owner, once, closing open review items; a tombstone only for a published listing', async () => {
    const { store, listings } = world();
    store.addAsset({ id: 'pub', creatorId: 'c', status: 'in_review', latest: 2, published: 1 });
    store.addAsset({ id: 'draft', creatorId: 'c', status: 'in_review' });
    store.addItem({ asset_id: 'pub', version: 2 });
    await expect(listings.withdraw(user('someone-else', ['creator']), 'pub')).rejects.toMatchObject({ status: 403 });
    expect(await listings.withdraw(user('c', ['creator']), 'pub')).toEqual({ assetId: 'pub', status: 'withdrawn' });
    await listings.withdraw(user('c', ['creator']), 'draft');
    expect(store.feed).toEqual([{ assetId: 'pub', version: null, kind: 'tombstone' }]);
    expect(store.items[0]).toMatchObject({ state: 'decided', decision: 'withdrawn' });
    await expect(listings.withdraw(user('c', ['creator']), 'pub')).rejects.toMatchObject({ code: 'not_listed', status: 409 });
  });

  it('takedown and restore: the previous status comes back with an upsert', async () => {
    const { store, db, listings } = world();
    store.addAsset({ id: 'a1', creatorId: 'c', status: 'published', published: 1 });
    const before = await db.tx((sql) => listings.takeDown(sql, 'a1', 'copy'));
    expect(before.status).toBe('published');
    expect(store.asset('a1')).toMatchObject({ status: 'taken_down', takedownReason: 'copy' });
    expect(await db.tx((sql) => listings.restore(sql, 'a1', before.status))).toBe('published');
    expect(store.asset('a1')).toMatchObject({ status: 'published', takedownReason: null });
    expect(store.feed.map((e) => e.kind)).toEqual(['tombstone', 'upsert']);
  });

  it('a new version of a taken-down listing is refused; of a published one it goes to review', async () => {
    const { store, db, listings } = world();
    store.addAsset({ id: 'down', creatorId: 'c', status: 'taken_down', published: 1 });
    store.addAsset({ id: 'up', creatorId: 'c', status: 'published', published: 1 });
    const v2 = (id: string) => ({
      id,
      creatorId: 'c',
      existing: true,
      assetType: 'character',
      name: 'n',
      version: 2,
      parentId: null,
      metadataHash: 'h',
    });
    await expect(db.tx((sql) => listings.submitVersion(sql, v2('down')))).rejects.toMatchObject({ code: 'taken_down' });
    await db.tx((sql) => listings.submitVersion(sql, v2('up')));
    expect(store.asset('up')).toMatchObject({ status: 'in_review', latest: 2, published: 1 });
  });

  it('the public sees a taken-down listing by its name and reason only; its creator sees everything', async () => {
    const { store, listings } = world();
    store.addAsset({ id: 'a1', creatorId: 'c', status: 'published', published: 1 });
    store.asset('a1').status = 'taken_down';
    store.asset('a1').takedownReason = 'copy';
    const pub = await listings.getAsset(null, 'a1');
    expect(pub).toMatchObject({ status: 'taken_down', imageUrl: null, takedown: { reason: 'copy' } });
    expect(Object.keys(pub.card).sort()).toEqual(['asset_type', 'name']);
    const own = await listings.getAsset(user('c', ['creator']), 'a1');
    expect(own.card).toHaveProperty('tags');
  });
});
