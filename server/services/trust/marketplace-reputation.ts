/** Reputation follows the marketplace's events: an acknowledged derivative published, a takedown (creator and upheld reporters), a takedown overturned. */
import type { MarketplaceBus } from '../marketplace-events.ts';
import type { Recompute } from './reputation.ts';

export function subscribeMarketplaceReputation(bus: MarketplaceBus, recompute: Recompute): void {
  bus.on('asset.published', (e) =>
    e.parentAssetId ? recompute(e.tx, e.creatorId, 'your derivative, acknowledging its parent, was published') : undefined,
  );
  bus.on('asset.taken_down', async (e) => {
    await recompute(e.tx, e.creatorId, `listing taken down: ${e.reason}`);
    for (const r of e.reporterIds) await recompute(e.tx, r, 'a report of yours was upheld');
  });
  bus.on('takedown.appeal_decided', (e) =>
    e.decision === 'overturn' ? recompute(e.tx, e.creatorId, 'a takedown was overturned on appeal') : undefined,
  );
}
