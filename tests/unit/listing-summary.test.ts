/**
 * The library card's marketplace line (shared/listings.ts): the state from the listing and its
 * outbox operations, a queued price shown as queued, sales only once the asset is on the marketplace.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxOpView } from '../../shared/contracts/studio/sync.ts';
import { priceText, salesText, summarizeListing } from '../../shared/listings.ts';
import type { AssetView } from '../../shared/marketplace.ts';

const op = (
  kind: OutboxOpView['kind'],
  state: OutboxOpView['state'],
  payload: Record<string, unknown> = {},
  lastError: string | null = null,
): OutboxOpView => ({
  id: `${kind}-${state}`,
  kind,
  assetId: 'a1',
  assetName: 'Ash Golem',
  account: null,
  waitingFor: null,
  payload,
  state,
  attempts: 1,
  nextAttemptAt: null,
  lastError,
  result: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const remote = (status: AssetView['status'], priceCents: number | null): AssetView => ({
  id: '33333333-3333-4333-8333-333333333333',
  creatorId: '44444444-4444-4444-8444-444444444444',
  creatorName: 'Ada',
  assetType: 'character',
  name: 'X',
  status,
  version: 1,
  publishedVersion: status === 'published' ? 1 : null,
  latestVersion: 1,
  card: {},
  imageUrl: null,
  parentAssetId: null,
  priceCents,
  pricingModel: priceCents === null ? null : 'one_time',
  billingInterval: null,
  publishedAt: null,
});
const link = (status: AssetView['status'], price: number | null) => ({
  remoteId: '33333333-3333-4333-8333-333333333333',
  remote: remote(status, price),
  remoteStatus: status,
});

describe('summarizeListing', () => {
  it('never submitted: not submitted, no price, no sales line', () => {
    const s = summarizeListing('a1', null, [], null);
    expect(s).toMatchObject({ state: 'not_submitted', priceCents: null, sales: null });
    expect(priceText(s)).toBe('No price yet');
    expect(salesText(s)).toBeNull();
  });

  it('a submission waiting in the outbox is queued; a failed or blocked one says so with its error', () => {
    expect(summarizeListing('a1', null, [op('submit', 'pending')], null).state).toBe('queued');
    const failed = summarizeListing('a1', null, [op('submit', 'failed', {}, 'marketplace refused it')], null);
    expect(failed).toMatchObject({ state: 'failed', problem: 'marketplace refused it' });
    expect(summarizeListing('a1', null, [op('submit', 'needs_action')], null).state).toBe('needs_action');
    expect(summarizeListing('a1', null, [op('submit', 'done')], null).state).toBe('not_submitted');
  });

  it('a published listing with its price and sales; a queued price change wins, marked as queued', () => {
    const s = summarizeListing('a1', link('published', 499), [], 3);
    expect(s).toMatchObject({ state: 'published', priceCents: 499, sales: 3 });
    expect(priceText(s)).toBe('$4.99');
    expect(salesText(s)).toBe('3 sales');
    const q = summarizeListing(
      'a1',
      link('published', 499),
      [op('pricing', 'pending', { model: 'subscription', priceCents: 200, interval: 'month' })],
      1,
    );
    expect(priceText(q)).toBe('$2.00 / month (queued)');
    expect(salesText(q)).toBe('1 sale');
    expect(salesText(summarizeListing('a1', link('in_review', null), [], 0))).toBe('No sales yet');
  });
});
