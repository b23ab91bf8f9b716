/** The handlers of the sync domain: the outbox and the pull, retrying or discarding an op, resolving a conflict. */
import type { SyncHandlers, Tracking } from '../../../shared/contracts/studio/sync.ts';
import type { Remote } from './remote.ts';

/** A local asset's link to its listing (404 for an asset the library does not hold). */
export function tracking({ studio, sync }: Pick<Remote, 'studio' | 'sync'>, assetId: string): Tracking {
  studio.get(assetId);
  const l = sync.link(assetId);
  return {
    assetId,
    remoteId: l?.remoteId ?? null,
    remote: l?.remote ?? null,
    remoteStatus: l?.remoteStatus ?? null,
    conflict: l?.conflict ?? null,
    ops: sync.outbox(assetId),
  };
}

export function syncHandlers(r: Remote): SyncHandlers {
  const { sync } = r;
  return {
    'sync.status': () => sync.status(),
    'sync.now': async () => {
      await sync.syncNow({ retryNow: true });
      return sync.status();
    },
    'sync.retry': (i) => sync.retry(i.opId, i.parentAssetId ? { parentAssetId: i.parentAssetId } : {}),
    'sync.discard': (i) => sync.discard(i.opId),
    'sync.resolve': async (i) => {
      await sync.resolve(i.assetId, i.keep);
      return tracking(r, i.assetId);
    },
  };
}
