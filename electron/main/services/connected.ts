/**
 * Joins a Studio to a marketplace: the Connection (URL, account, token store), the SyncEngine, and
 * — when no marketplace URL is configured — a local one-box marketplace (embedded store in the
 * data folder, the labelled local test payment processor, first account = admin) so a new user can
 * try the whole loop on one machine.
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type RunningServer, startServer } from '../../../server/server.ts';
import { Connection, type SecretStore } from './connection.ts';
import { Listings } from './listings.ts';
import type { Studio } from './studio.ts';
import { SyncEngine } from './sync.ts';

export interface Connected {
  conn: Connection;
  sync: SyncEngine;
  /** The local marketplace, once started. */
  localServer(): RunningServer | null;
  close(): Promise<void>;
}

export async function connectStudio(opts: {
  studio: Studio;
  dataDir: string;
  secrets: SecretStore;
  /** Start a local marketplace when no URL is configured (default true). */
  localMarketplace?: boolean;
  /** Seconds between background syncs (default 15). */
  syncIntervalMs?: number;
}): Promise<Connected> {
  let local: RunningServer | null = null;
  const startLocal =
    opts.localMarketplace === false
      ? null
      : async () => {
          local ??= await startServer({
            dataDir: join(opts.dataDir, 'marketplace'),
            firstUserAdmin: true,
            port: Number(process.env.ORIGINALS_LOCAL_MARKETPLACE_PORT ?? 0),
            serve,
          });
          return local.url;
        };
  const conn = new Connection(opts.dataDir, opts.secrets, startLocal);
  await conn.open();
  const sync = new SyncEngine(opts.studio, conn);
  const listings = new Listings(opts.studio, conn, sync);
  opts.studio.describeMatches = (r) => listings.describe(r);
  sync.start(opts.syncIntervalMs ?? 15_000);
  return {
    conn,
    sync,
    localServer: () => local,
    async close() {
      await sync.close();
      await local?.stop();
    },
  };
}
