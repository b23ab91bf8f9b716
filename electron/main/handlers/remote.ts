/**
 * What the marketplace-side handlers share: the studio, its Connection — whose generated client
 * (`conn.client.<domain>.<route>`) is the only way they call the marketplace — and the SyncEngine.
 */
import { join } from 'node:path';
import type { Connection } from '../services/connection.ts';
import { marketDelivery } from '../services/market-delivery.ts';
import { PurchaseFiles } from '../services/purchase-files.ts';
import type { Studio } from '../services/studio.ts';
import type { SyncEngine } from '../services/sync.ts';

export interface Remote {
  studio: Studio;
  conn: Connection;
  sync: SyncEngine;
  /** The buyer's saved purchases (<dataDir>/purchases) and adding them to the library. */
  purchaseFiles: PurchaseFiles;
}

export function remote(studio: Studio, conn: Connection, sync: SyncEngine): Remote {
  return { studio, conn, sync, purchaseFiles: new PurchaseFiles(join(studio.opts.dataDir, 'purchases'), marketDelivery(conn), studio) };
}
