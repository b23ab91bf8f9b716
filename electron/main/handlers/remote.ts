/**
 * What the marketplace-side handlers share: the studio, its Connection — whose generated client
 * (`conn.client.<domain>.<route>`) is the only way they call the marketplace — and the SyncEngine.
 */
import type { Connection } from '../services/connection.ts';
import type { Studio } from '../services/studio.ts';
import type { SyncEngine } from '../services/sync.ts';

export interface Remote {
  studio: Studio;
  conn: Connection;
  sync: SyncEngine;
}

export function remote(studio: Studio, conn: Connection, sync: SyncEngine): Remote {
  return { studio, conn, sync };
}
