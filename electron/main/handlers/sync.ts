/** The handlers of the sync domain: the outbox and the pull, retrying or discarding an op, resolving a conflict. */
import type { SyncHandlers } from '../../../shared/contracts/studio/sync.ts';
import type { Remote } from './remote.ts';

export function syncHandlers({ sync }: Remote): SyncHandlers {
  return {
    'sync.status': () => sync.status(),
    'sync.now': async () => {
      const pass = await sync.syncNow({ retryNow: true });
      return { ...sync.status(), pass };
    },
    'sync.retry': (i) => sync.retry(i.opId, i.parentAssetId ? { parentAssetId: i.parentAssetId } : {}),
    'sync.discard': (i) => sync.discard(i.opId),
    'sync.resolve': async (i) => {
      await sync.resolve(i.assetId, i.keep);
      return sync.tracking(i.assetId);
    },
  };
}
