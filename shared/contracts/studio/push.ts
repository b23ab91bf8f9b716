/**
 * The studio's push contract: the events the backend sends the renderer without being asked (as
 * Heroic Games Launcher's FrontendMessages), one zod schema per event. Each payload is the same
 * shape the matching request returns (`sync.status` ≡ the `sync.status` call, `market.tracking` ≡
 * `market.track`, …), checked at compile time below, so a screen can take an event in place of a
 * refresh. Emitted through electron/main/push.ts, carried by IPC in Electron and by Server-Sent
 * Events in browser mode, received with renderer/src/api.ts `onPush`.
 */
import { z } from 'zod';
import type { AccountStatus, ModelsStatus, OutboxOpView, SyncStatusView, Tracking } from '../../api.ts';
import { AssetView, NotificationView, UserView } from '../../marketplace.ts';
import { LibraryDamage } from './app.ts';
import { PurchaseView } from '../../payments.ts';

const OutboxOp = z.object({
  id: z.string(),
  kind: z.enum(['submit', 'pricing', 'offer']),
  assetId: z.string().nullable(),
  assetName: z.string().nullable(),
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  payload: z.record(z.string(), z.unknown()),
  state: z.enum(['pending', 'done', 'failed', 'needs_action']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  waitingFor: z.string().nullable(),
});

/** The sync engine's state: outbox, index copy, conflicts, unread count (the `sync.status` call's answer). */
export const SyncStatusPush = z.object({
  running: z.boolean(),
  lastPullAt: z.string().nullable(),
  lastError: z.string().nullable(),
  outbox: z.array(OutboxOp),
  index: z.object({ count: z.number().int(), cursor: z.number(), syncedAt: z.string().nullable() }),
  conflicts: z.array(z.object({ assetId: z.string(), name: z.string() })),
  unread: z.number().int(),
});

/** The marketplace connection: which one, online or not, who is signed in (the `account.status` call's answer). */
export const AccountStatusPush = z.object({
  url: z.string().nullable(),
  local: z.boolean(),
  server: z.string().nullable(),
  online: z.boolean(),
  lastError: z.string().nullable(),
  user: UserView.nullable(),
  tokenProtection: z.string(),
});

/** One asset's way to the marketplace: link, review status, conflict, its outbox operations (the `market.track` call's answer). */
export const TrackingPush = z.object({
  assetId: z.string(),
  remoteId: z.string().nullable(),
  remote: AssetView.nullable(),
  remoteStatus: z.string().nullable(),
  conflict: z
    .object({ localRev: z.number(), remoteVersion: z.number(), remoteCard: z.record(z.string(), z.unknown()), detectedAt: z.string() })
    .nullable(),
  ops: z.array(OutboxOp),
});

/** A model download's progress (ModelsStatus.download): file, bytes, then `done` or `error` with active false. */
export const ModelsDownloadPush = z.object({
  active: z.boolean(),
  file: z.string().optional(),
  received: z.number().optional(),
  total: z.number().nullable().optional(),
  error: z.string().optional(),
  done: z.array(z.string()).optional(),
});

export const pushPayloads = {
  'sync.status': SyncStatusPush,
  'account.status': AccountStatusPush,
  'market.tracking': TrackingPush,
  /** A checkout this studio started has left `pending` (paid, failed, expired…). */
  'market.purchaseSettled': z.object({ purchase: PurchaseView }),
  'models.progress': z.object({ download: ModelsDownloadPush }),
  /** The notifications pulled from the marketplace changed. */
  'notifications.changed': z.object({ unread: z.number().int(), notifications: z.array(NotificationView) }),
  /** The background check of a large library file found it damaged (AppInfo.libraryDamage). */
  'library.damaged': LibraryDamage,
} as const;

/** Browser mode: the event stream, opened with a one-time ticket got from the ticket path with the session token. */
export const PUSH_STREAM_PATH = '/push';
export const PUSH_TICKET_PATH = '/push/ticket';

export type PushType = keyof typeof pushPayloads;
export type PushPayload<T extends PushType> = z.infer<(typeof pushPayloads)[T]>;
export const PUSH_TYPES = Object.keys(pushPayloads) as PushType[];

/** One event as it crosses a transport: `{ type, payload }`. */
export const PushEvent = z.discriminatedUnion(
  'type',
  PUSH_TYPES.map((t) => z.object({ type: z.literal(t), payload: pushPayloads[t] })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<PushType>; payload: z.ZodType }>,
    ...z.ZodObject<{ type: z.ZodLiteral<PushType>; payload: z.ZodType }>[],
  ],
);
export type PushEvent = { [T in PushType]: { type: T; payload: PushPayload<T> } }[PushType];

/** Validates an event from a transport: the typed event, or a message naming the first bad field. */
export function parsePushEvent(raw: unknown): { ok: true; event: PushEvent } | { ok: false; message: string } {
  const r = PushEvent.safeParse(raw);
  if (r.success) return { ok: true, event: r.data as PushEvent };
  const issue = r.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}` };
}

// The payloads are the requests' answers: these fail to compile when either side drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;
same<z.infer<typeof SyncStatusPush>, SyncStatusView>(true);
same<z.infer<typeof OutboxOp>, OutboxOpView>(true);
same<z.infer<typeof AccountStatusPush>, AccountStatus>(true);
same<z.infer<typeof TrackingPush>, Tracking>(true);
same<z.infer<typeof ModelsDownloadPush>, ModelsStatus['download']>(true);
