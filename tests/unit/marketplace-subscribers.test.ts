/**
 * What the marketplace's events cause elsewhere, wired as server/container.ts wires them
 * (reputation before notices): a takedown recomputes the creator's and the upheld reporters'
 * reputation, then tells the reporters and the creator; an acknowledged derivative's publication
 * recomputes its creator's; review decisions and appeals send the creator's notices.
 */
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../server/db.ts';
import { marketplaceBus } from '../../server/services/marketplace-events.ts';
import { subscribeMarketplaceNotices } from '../../server/services/notifications/marketplace-notices.ts';
import { subscribeMarketplaceReputation } from '../../server/services/trust/marketplace-reputation.ts';

function wired() {
  const bus = marketplaceBus();
  const log: string[] = [];
  const payloads: Record<string, unknown>[] = [];
  subscribeMarketplaceReputation(bus, async (_sql, userId, reason) => log.push(`reputation ${userId}: ${reason}`));
  subscribeMarketplaceNotices(bus, async (_sql, userId, kind, payload) => {
    log.push(`notice ${userId}: ${kind}`);
    payloads.push(payload);
  });
  return { bus, log, payloads };
}

const tx = {} as Sql;

describe('marketplace event subscribers', () => {
  it('a takedown: reputation of the creator and each upheld reporter, then the reporters’ and the creator’s notices', async () => {
    const { bus, log, payloads } = wired();
    await bus.emit('asset.taken_down', {
      tx,
      assetId: 'a1',
      name: 'Knight',
      creatorId: 'c',
      caseId: 7,
      reason: 'copy',
      strikes: 1,
      sellingBanned: false,
      reporterIds: ['r1', 'r2'],
    });
    expect(log).toEqual([
      'reputation c: listing taken down: copy',
      'reputation r1: a report of yours was upheld',
      'reputation r2: a report of yours was upheld',
      'notice r1: report_upheld',
      'notice r2: report_upheld',
      'notice c: taken_down',
    ]);
    expect(payloads.at(-1)).toEqual({
      assetId: 'a1',
      name: 'Knight',
      caseId: 7,
      reason: 'copy',
      strikes: 1,
      sellingBanned: false,
      appeal: '/v1/moderation/cases/7/appeal',
    });
  });

  it('publication recomputes reputation only for an acknowledged derivative', async () => {
    const { bus, log } = wired();
    await bus.emit('asset.published', { tx, assetId: 'a1', version: 1, creatorId: 'c', parentAssetId: null });
    expect(log).toEqual([]);
    await bus.emit('asset.published', { tx, assetId: 'a2', version: 1, creatorId: 'c', parentAssetId: 'p' });
    expect(log).toEqual(['reputation c: your derivative, acknowledging its parent, was published']);
  });

  it('review decisions send the notice of their kind; a rejection links its appeal', async () => {
    const { bus, log, payloads } = wired();
    const decided = { tx, assetId: 'a1', version: 2, creatorId: 'c', name: 'Knight', itemKind: 'submission', reason: null };
    await bus.emit('review.decided', { ...decided, decision: 'approve' });
    await bus.emit('review.decided', { ...decided, decision: 'reject', reason: 'copy' });
    await bus.emit('review.decided', { ...decided, decision: 'request_changes', reason: 'fix tags' });
    await bus.emit('review.decided', { ...decided, itemKind: 'appeal', decision: 'overturn', reason: 'fine' });
    expect(log).toEqual(['notice c: approved', 'notice c: rejected', 'notice c: changes_requested', 'notice c: appeal_decided']);
    expect(payloads[0]).toEqual({ assetId: 'a1', version: 2, name: 'Knight', decision: 'approve' });
    expect(payloads[1]).toMatchObject({ reason: 'copy', appeal: '/v1/assets/a1/appeal' });
  });

  it('an overturned takedown appeal recomputes reputation before the notice; an upheld one only notifies', async () => {
    const { bus, log, payloads } = wired();
    const base = { tx, caseId: 3, assetId: 'a1', name: 'Knight', creatorId: 'c', reason: 'ok' };
    await bus.emit('takedown.appeal_decided', { ...base, decision: 'overturn', strikes: { strikes: 0, banned: false } });
    await bus.emit('takedown.appeal_decided', { ...base, decision: 'uphold', strikes: null });
    expect(log).toEqual(['reputation c: a takedown was overturned on appeal', 'notice c: appeal_decided', 'notice c: appeal_decided']);
    expect(payloads[0]).toMatchObject({ strikes: 0, sellingBanned: false });
    expect(payloads[1]).not.toHaveProperty('strikes');
  });
});
