/**
 * The studio's contract, sync domain: the outbox of writes waiting for the marketplace, the pull of
 * its index, and resolving an asset edited on both sides.
 */
import { z } from 'zod';
import type { AssetView } from '../../marketplace.ts';
import { type HandlerMap, id } from './common.ts';

export interface OutboxOpView {
  id: string;
  kind: 'submit' | 'pricing' | 'offer';
  assetId: string | null;
  payload: Record<string, unknown>;
  state: 'pending' | 'done' | 'failed' | 'needs_action';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface SyncStatusView {
  running: boolean;
  lastPullAt: string | null;
  lastError: string | null;
  outbox: OutboxOpView[];
  index: { count: number; cursor: number; syncedAt: string | null };
  conflicts: { assetId: string; name: string }[];
  unread: number;
}

/** A local asset's link to its marketplace listing: the listing, its status, a conflict, the outbox ops for it. */
export interface Tracking {
  assetId: string;
  remoteId: string | null;
  remote: AssetView | null;
  remoteStatus: string | null;
  conflict: { localRev: number; remoteVersion: number; remoteCard: Record<string, unknown>; detectedAt: string } | null;
  ops: OutboxOpView[];
}

export const syncInputs = {
  'sync.status': z.object({}),
  'sync.now': z.object({}),
  'sync.retry': z.object({ opId: id, parentAssetId: z.string().uuid().optional() }),
  'sync.discard': z.object({ opId: id }),
  'sync.resolve': z.object({ assetId: id, keep: z.enum(['local', 'server']) }),
} as const;

export interface SyncOutputs {
  'sync.status': SyncStatusView;
  'sync.now': SyncStatusView;
  'sync.retry': OutboxOpView;
  'sync.discard': { discarded: boolean };
  'sync.resolve': Tracking;
}

export type SyncHandlers = HandlerMap<typeof syncInputs, SyncOutputs>;
