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
  /** The asset's name in the library (null when it was deleted meanwhile). */
  assetName: string | null;
  /** The marketplace account that queued it: it is sent only while that account is signed in (null: queued before this was kept). */
  account: { id: string; name: string } | null;
  payload: Record<string, unknown>;
  state: 'pending' | 'done' | 'failed' | 'needs_action';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
  /**
   * The operation on the same asset this one waits for (see electron/main/services/outbox-rules.ts), or null;
   * "submission": a price or offer of an asset never submitted, waiting for its first submission.
   */
  waitingFor: string | null;
}

/** What one sync pass did: operations sent, failed, to be retried after a backoff, still waiting; whether the pull ran. */
export interface SyncPassView {
  sent: number;
  failed: number;
  retrying: number;
  waiting: number;
  pulled: boolean;
  /** Why the pass stopped early (signed out, marketplace unreachable…), or null. */
  error: string | null;
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
  /** The status after a pass that ignored every backoff, and what that pass did. */
  'sync.now': SyncStatusView & { pass: SyncPassView };
  'sync.retry': OutboxOpView;
  'sync.discard': { discarded: boolean };
  'sync.resolve': Tracking;
}

export type SyncHandlers = HandlerMap<typeof syncInputs, SyncOutputs>;
