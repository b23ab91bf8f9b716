/**
 * What the marketplace-side handlers share: the studio, its Connection and SyncEngine, and the two
 * shapes of call they make to the marketplace (a GET, a POST of JSON) through the Connection.
 */
import type { Connection } from '../services/connection.ts';
import type { Studio } from '../services/studio.ts';
import type { SyncEngine } from '../services/sync.ts';

export interface Remote {
  studio: Studio;
  conn: Connection;
  sync: SyncEngine;
  get<T>(path: string): Promise<T>;
  postJson<T>(path: string, json?: unknown): Promise<T>;
}

export function remote(studio: Studio, conn: Connection, sync: SyncEngine): Remote {
  return {
    studio,
    conn,
    sync,
    get: <T>(path: string) => conn.request<T>('GET', path),
    postJson: <T>(path: string, json: unknown = {}) => conn.request<T>('POST', path, { json }),
  };
}
