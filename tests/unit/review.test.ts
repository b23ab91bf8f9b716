/**
 * The review service on fake repositories: a decision needs the moderator's live claim and a
 * decision the item's kind takes; approving publishes through listings and notifies through
 * `review.decided`; a rejection refuses the version; an upheld appeal changes nothing; a rejected
 * submission may be appealed once, to another moderator; a moderator never claims or decides their
 * own submission (403 naming why, recorded as a refusal), and sees it in the queue marked as theirs.
 */
import { describe, expect, it } from 'vitest';
import type { UserRow } from '../../server/auth.ts';
import { ListingsService } from '../../server/services/listings/listings.ts';
import type { AuditLog } from '../../server/services/moderation/audit.ts';
import { ReviewService } from '../../server/services/review/review.ts';
import { FakeMarketplaceStore, fakeDatabase, recordingBus, user } from '../helpers/marketplace-fakes.ts';

function world() {
  const store = new FakeMarketplaceStore();
  const db = fakeDatabase();
  const { bus, seen } = recordingBus();
  const audits: { actor: string | null; action: string }[] = [];
  const auditLog: AuditLog = {
    audit: async (_sql, actor: UserRow | null, action: string) => {
      audits.push({ actor: actor?.id ?? null, action });
    },
    // Records the refusal only: the service itself must refuse.
    impartial: async (staff, _target, attempted) => {
      audits.push({ actor: staff.id, action: `refused ${attempted}` });
    },
  };
  const listings = new ListingsService(db, store.listingsRepo(), bus);
  const review = new ReviewService(db, store.reviewRepo(), listings, auditLog, bus);
  store.addAsset({ id: 'a1', creatorId: 'creator', status: 'in_review' });
  const item = store.addItem({ asset_id: 'a1', version: 1 });
  return { store, seen, audits, review, item: Number(item.id) };
}

const mod = user('mod', ['moderator']);
const other = user('mod2', ['moderator']);

describe('ReviewService (fake repositories)', () => {
  it('refuses a decision without the moderator’s own claim, then accepts it once claimed', async () => {
    const { review, item } = world();
    await expect(review.decide(mod, item, { decision: 'approve' })).rejects.toMatchObject({ code: 'not_claimed', status: 409 });
    await review.claim(mod, item);
    await expect(review.claim(other, item)).rejects.toMatchObject({ code: 'claimed' });
    await expect(review.decide(other, item, { decision: 'approve' })).rejects.toMatchObject({ code: 'not_claimed' });
    expect(await review.decide(mod, item, { decision: 'approve' })).toMatchObject({ decision: 'approve', published: true });
    await expect(review.decide(mod, item, { decision: 'approve' })).rejects.toMatchObject({ code: 'already_decided' });
  });

  it('a submission item does not take an appeal’s decisions', async () => {
    const { review, item } = world();
    await review.claim(mod, item);
    await expect(review.decide(mod, item, { decision: 'overturn', reason: 'x' })).rejects.toMatchObject({
      code: 'invalid_decision',
      status: 400,
    });
  });

  it('approving publishes (upsert, asset.published), audits, then emits review.decided', async () => {
    const { store, seen, audits, review, item } = world();
    await review.claim(mod, item);
    await review.decide(mod, item, { decision: 'approve' });
    expect(store.asset('a1')).toMatchObject({ status: 'published', published: 1 });
    expect(store.feed).toEqual([{ assetId: 'a1', version: 1, kind: 'upsert' }]);
    expect(seen.map((e) => e.name)).toEqual(['asset.published', 'review.decided']);
    expect(seen[1]?.event).toMatchObject({ creatorId: 'creator', decision: 'approve', itemKind: 'submission' });
    expect(audits).toEqual([{ actor: 'mod', action: 'review_approve' }]);
  });

  it('rejection refuses the version; the creator appeals once, to another moderator, who may overturn it', async () => {
    const { store, seen, review, item } = world();
    await review.claim(mod, item);
    await review.decide(mod, item, { decision: 'reject', reason: 'too close' });
    expect(store.asset('a1').status).toBe('rejected');
    expect(store.feed).toEqual([]);
    await expect(review.appeal(user('stranger', ['creator']), 'a1', 'please')).rejects.toMatchObject({ status: 403 });
    const appealed = await review.appeal(user('creator', ['creator']), 'a1', 'it is mine');
    expect(appealed.appealId).toBeGreaterThan(0);
    await expect(review.appeal(user('creator', ['creator']), 'a1', 'again')).rejects.toMatchObject({ code: 'appeal_pending' });
    // The moderator who rejected it may not take the appeal.
    await expect(review.claim(mod, appealed.appealId)).rejects.toMatchObject({ code: 'conflict_of_interest' });
    await review.claim(other, appealed.appealId);
    await expect(review.decide(other, appealed.appealId, { decision: 'approve' })).rejects.toMatchObject({ code: 'invalid_decision' });
    await review.decide(other, appealed.appealId, { decision: 'overturn', reason: 'original after all' });
    expect(store.asset('a1')).toMatchObject({ status: 'published', published: 1 });
    expect(seen.map((e) => e.name)).toEqual(['review.decided', 'review.appealed', 'asset.published', 'review.decided']);
  });

  it('an upheld appeal leaves the listing as it was; only a rejected submission may be appealed', async () => {
    const { store, review, item } = world();
    await expect(review.appeal(user('creator', ['creator']), 'a1', 'early')).rejects.toMatchObject({ code: 'not_rejected' });
    await review.claim(mod, item);
    await review.decide(mod, item, { decision: 'reject', reason: 'a copy' });
    const { appealId } = await review.appeal(user('creator', ['creator']), 'a1', 'please');
    await review.claim(other, appealId);
    await review.decide(other, appealId, { decision: 'uphold', reason: 'still a copy' });
    expect(store.asset('a1').status).toBe('rejected');
    expect(store.feed).toEqual([]);
  });

  it('a moderator never claims or decides their own submission: 403 naming why, recorded, and nothing published', async () => {
    const { store, audits, review, item } = world();
    const creatorMod = user('creator', ['creator', 'moderator']);
    await expect(review.claim(creatorMod, item)).rejects.toMatchObject({
      code: 'conflict_of_interest',
      status: 403,
      message: 'conflict of interest: you are the creator of this listing',
    });
    await expect(review.decide(creatorMod, item, { decision: 'approve' })).rejects.toMatchObject({
      code: 'conflict_of_interest',
      status: 403,
    });
    expect(store.asset('a1').status).toBe('in_review');
    expect(audits).toEqual([
      { actor: 'creator', action: 'refused claim' },
      { actor: 'creator', action: 'refused review_approve' },
    ]);
    // Another moderator still can.
    await review.claim(mod, item);
    expect(await review.decide(mod, item, { decision: 'approve' })).toMatchObject({ published: true });
  });

  it('the queue lists one’s own submission marked with why one may not decide it; others’ items carry no conflict', async () => {
    const { store, review } = world();
    store.addAsset({ id: 'a2', creatorId: 'mod', status: 'in_review' });
    store.addItem({ asset_id: 'a2', version: 1 });
    const q = await review.queue(mod);
    expect(q.map((i) => [i.assetId, i.conflict])).toEqual([
      ['a1', null],
      ['a2', 'you are the creator of this listing'],
    ]);
    expect(q[1]?.asset).toMatchObject({ creatorId: 'mod', name: 'a2 v1', version: 1 });
    expect((await review.queue(other)).every((i) => i.conflict === null)).toBe(true);
  });
});
