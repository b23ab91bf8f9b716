/**
 * The studio's sync engine (main side). Push: an outbox of operations (submissions, price changes,
 * license offers) in the library database, so they survive restarts; each is sent with its id as
 * the Idempotency-Key, retried with exponential backoff while the marketplace is unreachable or
 * failing, and kept in order per asset (a price waits for its asset's submission). A refused
 * operation stays failed with its reason, blocks nothing it does not depend on, is replaced by a
 * newer one for the same asset, and is sent again on Retry (rules: outbox-rules.ts). Pull: the
 * account, review status of the creator's listings, notifications, the published index feed,
 * whose fingerprints go into the local engine (source 'marketplace') so the pre-flight check
 * compares against the marketplace even offline, and says how fresh that copy is, and the
 * marketplace's rule on reusing part of one's own asset, which the check's advice follows.
 * An asset changed here and on the marketplace since the last sync is a conflict, shown to the
 * creator with both sides — never resolved silently.
 * Every change the screens show is pushed (sync status, account status, an asset's tracking,
 * notifications) through the studio's push emitter, so no screen polls.
 */
import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { Passes } from '../../../engine/concurrency.ts';
import { fingerprintsFromJson, type FingerprintsJson } from '../../../engine/serialize.ts';
import {
  ApiError,
  type OutboxOpView as OutboxOp,
  type SyncPassView as SyncPass,
  type Tracking,
  type SyncStatusView as SyncStatus,
} from '../../../shared/api.ts';
import type { AssetCard } from '../../../shared/asset.ts';
import { OwnPartReuse } from '../../../shared/contracts/marketplace/schemas.ts';
import type { AssetView, NotificationView } from '../../../shared/marketplace.ts';
import { EarningsSummary, type LicenseOfferInput, type PricingInput } from '../../../shared/payments.ts';
import type { Connection } from './connection.ts';
import { CREATOR_NAME_KEY } from './listings.ts';
import { type QueuedOp, settle, supersedes, waitingFor } from './outbox-rules.ts';
import type { OwnPartReuseRule } from '../../../shared/policy/uniqueness.ts';
import { PurchaseWatcher } from './purchases.ts';
import type { Studio } from './studio.ts';

/** What pullPolicy keeps (sync_state 'market_uniqueness'). */
const MarketUniqueness = z.object({ server: z.string(), ownPartReuse: OwnPartReuse });

export type OutboxKind = OutboxOp['kind'];
export type OutboxState = OutboxOp['state'];

export interface RemoteLink {
  assetId: string;
  server: string;
  remoteId: string;
  remoteVersion: number | null;
  submittedRev: number | null;
  remoteStatus: string | null;
  remote: AssetView | null;
  conflict: Tracking['conflict'];
}

interface OpRow {
  id: string;
  kind: OutboxKind;
  asset_id: string | null;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
  account_id: string | null;
  account_name: string | null;
  asset_name: string | null;
}

interface LinkRow {
  asset_id: string;
  server: string;
  remote_id: string;
  remote_version: number | null;
  submitted_rev: number | null;
  remote_status: string | null;
  remote_json: string | null;
  conflict: string | null;
}

const nowIso = () => new Date().toISOString();
/** 2, 4, 8 … seconds, at most 5 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(300, 2 ** Math.max(1, attempts));
const MP_PREFIX = 'mp:';
/** How long a submission carrying an audio/video file may take (upload, then the server's decoding). */
export const MEDIA_SUBMIT_TIMEOUT_MS = 10 * 60_000;
/** An earnings summary kept for offline use: when it was pulled, and the summary as the contract parsed it. */
const CachedEarnings = z.object({ at: z.string(), summary: EarningsSummary });

export class SyncEngine {
  private timer: NodeJS.Timeout | null = null;
  /** Sync passes: a call made during a pass gets the next one (it must see its own changes sent). */
  private readonly passes = new Passes<SyncPass>(() => this.pass());
  /** A pass is under way (status().running; cleared before the pass's last push). */
  private busy = false;
  lastPullAt: string | null = null;
  lastError: string | null = null;
  /** Checkouts started here, watched until they settle. */
  readonly purchases: PurchaseWatcher;

  constructor(
    private readonly studio: Studio,
    private readonly conn: Connection,
  ) {
    this.purchases = new PurchaseWatcher(conn, studio.push);
    conn.onChange = () => studio.push.emitIfChanged('account.status', conn.status());
    // The marketplace copy of a linked asset is the asset itself: never its own match.
    studio.relatedIds = (localId) => {
      const l = this.link(localId);
      return l ? [MP_PREFIX + l.remoteId] : [];
    };
    studio.selfCreatorIds = () => (conn.user ? [MP_PREFIX + conn.user.id] : []);
    studio.marketOwnPartReuse = () => this.ownPartReuse();
  }

  private get db() {
    return this.studio.engine.db;
  }

  private state(key: string): string | null {
    return (this.db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }

  /** A kept JSON value read against its schema; null when none is kept, or one this studio cannot read. */
  private keptAs<T>(key: string, schema: z.ZodType<T>): T | null {
    const raw = this.state(key);
    if (!raw) return null;
    try {
      const r = schema.safeParse(JSON.parse(raw));
      return r.success ? r.data : null;
    } catch {
      return null; // unreadable: the next pull writes it again
    }
  }

  private setState(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /** Periodic sync (and one right away). */
  start(intervalMs = 15_000): void {
    this.stop();
    void this.syncNow().catch(() => undefined);
    this.timer = setInterval(() => void this.syncNow().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async close(): Promise<void> {
    this.stop();
    this.purchases.close();
    await this.passes.idle();
  }

  /**
   * Pushes what may have changed: the sync and account status and the given assets' tracking
   * (each only when it differs from what was last pushed).
   */
  private publish(assetIds: Iterable<string | null> = []): void {
    const push = this.studio.push;
    try {
      push.emitIfChanged('sync.status', this.status());
      push.emitIfChanged('account.status', this.conn.status());
      for (const id of new Set(assetIds)) {
        // An asset deleted meanwhile has nothing to show.
        if (id && this.db.prepare(`SELECT 1 FROM assets WHERE id = ? AND source = 'local'`).get(id))
          push.emitIfChanged('market.tracking', this.tracking(id), `market.tracking:${id}`);
      }
    } catch (err) {
      // Pushing is a courtesy to the screens: it never fails the sync step that triggered it.
      console.error('[sync] push failed:', err);
    }
  }

  /** One asset's way to the marketplace (the `market.track` answer). */
  tracking(assetId: string): Tracking {
    this.studio.get(assetId);
    const l = this.link(assetId);
    return {
      assetId,
      remoteId: l?.remoteId ?? null,
      remote: l?.remote ?? null,
      remoteStatus: l?.remoteStatus ?? null,
      conflict: l?.conflict ?? null,
      ops: this.outbox(assetId),
    };
  }

  /**
   * Drains the outbox and pulls, and says what the pass did. A call during a pass gets the next
   * pass (one, shared by every such call), so what it just queued or reset is sent before it
   * resolves. `retryNow` drops every backoff first (Sync now).
   */
  syncNow(opts: { retryNow?: boolean } = {}): Promise<SyncPass> {
    if (opts.retryNow) this.db.prepare(`UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'`).run();
    return this.passes.request();
  }

  private pass(): Promise<SyncPass> {
    const pass: SyncPass = { sent: 0, failed: 0, retrying: 0, waiting: 0, pulled: false, error: null };
    this.busy = true;
    const run = (async () => {
      try {
        await this.drain(pass);
        await this.pull();
        pass.pulled = this.conn.signedIn;
        this.lastError = null;
      } catch (e) {
        this.lastError = (e as Error).message;
        pass.error ??= this.lastError;
      } finally {
        this.busy = false;
        this.publish();
      }
      return pass;
    })();
    this.publish();
    return run;
  }

  // ---------------------------------------------------------------- outbox

  private op(r: OpRow, waits: string | null = null): OutboxOp {
    return {
      id: r.id,
      kind: r.kind,
      assetId: r.asset_id,
      assetName: r.asset_name,
      account: r.account_id ? { id: r.account_id, name: r.account_name ?? '' } : null,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      waitingFor: waits,
    };
  }

  /** Outbox rows with their asset's name, oldest first. */
  private rows(where: string, ...args: unknown[]): OpRow[] {
    return this.db
      .prepare(
        `SELECT o.*, a.name AS asset_name FROM outbox o LEFT JOIN assets a ON a.id = o.asset_id WHERE ${where} ORDER BY o.created_at, o.rowid`,
      )
      .all(...args) as OpRow[];
  }

  private opById(id: string): OutboxOp {
    const r = this.rows('o.id = ?', id)[0];
    if (!r) throw new ApiError('not_found', 'no such outbox operation', 'opId', 404);
    return this.op(r, this.waitsOf([r])[0] ?? null);
  }

  /** For each row, the id of the earlier operation it waits for (outbox-rules.ts `waitingFor`), or null. */
  private waitsOf(rows: OpRow[]): (string | null)[] {
    const open = this.rows(`o.state <> 'done'`);
    return rows.map((r) => {
      if (r.state !== 'pending') return null;
      const at = open.findIndex((o) => o.id === r.id);
      const earlier = open.slice(0, Math.max(0, at)).map(queued);
      const later = open.slice(at + 1).map(queued);
      return waitingFor(queued(r), earlier, r.asset_id !== null && this.link(r.asset_id) !== null, later)?.id ?? null;
    });
  }

  outbox(assetId?: string): OutboxOp[] {
    const rows = assetId
      ? this.rows('o.asset_id = ?', assetId)
      : this.rows(`o.state <> 'done' OR o.updated_at > ?`, new Date(Date.now() - 86_400_000).toISOString());
    const waits = this.waitsOf(rows);
    return rows.map((r, i) => this.op(r, waits[i] ?? null));
  }

  /**
   * Queues an operation and tries to send it right away. It replaces the asset's earlier operations
   * it supersedes (a failed submission, a failed price), so a refused one never holds it back.
   */
  async enqueue(kind: OutboxKind, assetId: string, payload: Record<string, unknown>): Promise<OutboxOp> {
    this.studio.get(assetId); // the asset exists (throws 404 otherwise)
    const id = randomUUID();
    const replaced = this.rows(`o.asset_id = ? AND o.state <> 'done'`, assetId).filter((r) => supersedes(kind, queued(r)));
    this.db.transaction(() => {
      for (const r of replaced) this.db.prepare('DELETE FROM outbox WHERE id = ?').run(r.id);
      this.db
        .prepare('INSERT INTO outbox (id, kind, asset_id, payload, account_id, account_name) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, kind, assetId, JSON.stringify(payload), this.conn.user?.id ?? null, this.conn.user?.displayName ?? null);
    })();
    this.publish([assetId]);
    await this.syncNow();
    return this.opById(id);
  }

  /**
   * Sends a failed or waiting operation again now: attempts start over and any backoff is dropped.
   * A refused one (failed, needs action) or a changed one (e.g. the declared parent) is a new
   * request under a new idempotency key: the marketplace keeps its refusal under the old key, and
   * a refused request did nothing there, so it cannot be duplicated. One still being retried
   * keeps its key (an attempt may have reached the marketplace).
   */
  async retry(id: string, patch: Record<string, unknown> = {}): Promise<OutboxOp> {
    const r = this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OpRow | undefined;
    if (!r) throw new ApiError('not_found', 'no such outbox operation', 'opId', 404);
    if (r.state === 'done') throw new ApiError('already_sent', 'this operation reached the marketplace already', 'opId', 409);
    const renew = Object.keys(patch).length > 0 || r.state !== 'pending';
    const newId = renew ? randomUUID() : id;
    this.db
      .prepare(
        `UPDATE outbox SET id = ?, payload = ?, state = 'pending', attempts = 0, next_attempt_at = NULL, last_error = NULL, result = NULL,
           updated_at = ? WHERE id = ?`,
      )
      .run(newId, JSON.stringify({ ...(JSON.parse(r.payload) as object), ...patch }), nowIso(), id);
    this.publish([r.asset_id]);
    await this.syncNow();
    return this.opById(newId);
  }

  discard(id: string): { discarded: boolean } {
    const op = this.db.prepare('SELECT asset_id FROM outbox WHERE id = ?').get(id) as { asset_id: string | null } | undefined;
    const r = this.db.prepare(`DELETE FROM outbox WHERE id = ? AND state <> 'done'`).run(id);
    if (r.changes > 0) this.publish([op?.asset_id ?? null]);
    return { discarded: r.changes > 0 };
  }

  private finish(id: string, state: OutboxState, fields: { error?: string | null; result?: unknown; backoff?: boolean }): void {
    const r = this.db.prepare('SELECT attempts FROM outbox WHERE id = ?').get(id) as { attempts: number };
    const attempts = r.attempts + 1;
    const next = fields.backoff ? new Date(Date.now() + backoffSeconds(attempts) * 1000).toISOString() : null;
    this.db
      .prepare(
        'UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, result = COALESCE(?, result), updated_at = ? WHERE id = ?',
      )
      .run(state, attempts, next, fields.error ?? null, fields.result === undefined ? null : JSON.stringify(fields.result), nowIso(), id);
    const op = this.db.prepare('SELECT asset_id FROM outbox WHERE id = ?').get(id) as { asset_id: string | null };
    this.publish([op.asset_id]);
  }

  /**
   * Sends every pending operation that is due, was queued by the signed-in account and waits for
   * nothing (outbox-rules.ts), oldest first, counting what happened into `pass`. Failed operations
   * stay as they are; an operation on another asset never waits for them. A price or license offer
   * queued before its asset's submission waited for it: once a submission went, a second sweep
   * over the operations that waited sends them in the same pass, right after the listing exists.
   */
  async drain(pass: SyncPass = { sent: 0, failed: 0, retrying: 0, waiting: 0, pulled: false, error: null }): Promise<void> {
    if (!this.conn.signedIn || !this.conn.server) {
      pass.error = this.conn.server ? 'not signed in: nothing was sent' : 'no marketplace set';
      return;
    }
    const first = await this.sweep(pass, null);
    if (first.submitted && first.blocked.size > 0 && !pass.error) {
      pass.waiting -= first.blocked.size;
      await this.sweep(pass, first.blocked);
    }
  }

  /** One pass over the outbox (`only`: just those operations); which operations waited for another, and whether a submission went. */
  private async sweep(pass: SyncPass, only: Set<string> | null): Promise<{ blocked: Set<string>; submitted: boolean }> {
    const blocked = new Set<string>();
    let submitted = false;
    const rows = this.rows(`o.state <> 'done'`);
    for (const [i, r] of rows.entries()) {
      if (r.state !== 'pending' || (only && !only.has(r.id))) continue;
      if (r.account_id && r.account_id !== this.conn.user?.id) {
        pass.waiting += 1; // another account's: sent when it signs in again
        continue;
      }
      const listed = r.asset_id !== null && this.link(r.asset_id) !== null;
      if (waitingFor(queued(r), rows.slice(0, i).map(queued), listed, rows.slice(i + 1).map(queued))) {
        blocked.add(r.id);
        pass.waiting += 1;
        continue;
      }
      if (r.next_attempt_at && r.next_attempt_at > nowIso()) {
        pass.waiting += 1;
        continue;
      }
      try {
        const result = await this.send(this.op(r));
        this.finish(r.id, 'done', { result });
        r.state = 'done';
        pass.sent += 1;
        if (r.kind === 'submit') submitted = true;
      } catch (e) {
        const out = settle(e);
        this.finish(r.id, out.state, { error: out.error, backoff: out.backoff, ...(out.result ? { result: out.result } : {}) });
        r.state = out.state;
        if (out.state === 'pending') pass.retrying += 1;
        else pass.failed += 1;
        if (out.stopPass) {
          pass.error = out.error;
          break; // nothing else will get through either
        }
      }
    }
    return { blocked, submitted };
  }

  private async send(op: OutboxOp): Promise<Record<string, unknown>> {
    const assetId = op.assetId as string;
    const link = this.link(assetId);
    if (op.kind === 'submit') {
      const a = this.studio.get(assetId);
      const form = new FormData();
      form.set('card', JSON.stringify(a.card));
      if (a.imageSha)
        form.set('image', new Blob([new Uint8Array(this.studio.images.read(a.imageSha))], { type: 'image/webp' }), 'image.webp');
      const media = await this.mediaPart(a.card);
      if (media) form.set('media', media.blob, media.name);
      const parent = op.payload.parentAssetId;
      if (typeof parent === 'string') form.set('parentAssetId', parent);
      // The server decodes and fingerprints a media file before it answers: give it time.
      const send = { form, idempotencyKey: op.id, ...(media ? { timeoutMs: MEDIA_SUBMIT_TIMEOUT_MS } : {}) };
      const res = link
        ? await this.conn.client.submissions.submitVersion({ params: { id: link.remoteId }, ...send })
        : await this.conn.client.submissions.submit(send);
      this.db
        .prepare(
          `INSERT INTO remote_links (asset_id, server, remote_id, remote_version, submitted_rev, remote_status, conflict, updated_at) VALUES (?,?,?,?,?,?,NULL,?)
           ON CONFLICT(asset_id) DO UPDATE SET server = excluded.server, remote_id = excluded.remote_id, remote_version = excluded.remote_version,
             submitted_rev = excluded.submitted_rev, remote_status = excluded.remote_status, conflict = NULL, updated_at = excluded.updated_at`,
        )
        .run(assetId, this.conn.server, res.assetId, res.version, a.rev, res.status, nowIso());
      return res;
    }
    // An unlisted asset's price or offer waits for its submission (outbox-rules.ts); with none queued, it cannot go.
    if (!link) throw new ApiError('not_submitted', 'submit this asset to the marketplace first', 'assetId', 409);
    const params = { id: link.remoteId };
    // The payload was checked by the studio's input schema when it was queued (PricingInput, LicenseOfferInput).
    if (op.kind === 'pricing')
      return this.conn.client.pricing.setPricing({ params, body: op.payload as PricingInput, idempotencyKey: op.id });
    return this.conn.client.licenses.createLicenseOffer({ params, body: op.payload as LicenseOfferInput, idempotencyKey: op.id });
  }

  /**
   * The stored audio/video file a media card names, as a Blob backed by the file on disk (fetch
   * streams it into the multipart body; it is never read whole into memory). A card whose file is
   * gone from the media folder is refused with a 404 naming it, so the outbox shows what to do.
   */
  private async mediaPart(card: AssetCard): Promise<{ blob: Blob; name: string } | null> {
    const sha = this.studio.mediaSha(card);
    if (!sha) return null;
    const path = this.studio.media.store.path(sha);
    if (!path)
      throw new ApiError(
        'media_not_found',
        `the audio or video file of "${card.name}" (${sha.slice(0, 12)}…) is missing from the studio's media folder: import it again`,
        'card.media',
        404,
      );
    return { blob: await openAsBlob(path), name: basename(path) };
  }

  // ---------------------------------------------------------------- links and conflicts

  private toLink(r: LinkRow): RemoteLink {
    return {
      assetId: r.asset_id,
      server: r.server,
      remoteId: r.remote_id,
      remoteVersion: r.remote_version,
      submittedRev: r.submitted_rev,
      remoteStatus: r.remote_status,
      remote: r.remote_json ? (JSON.parse(r.remote_json) as AssetView) : null,
      conflict: r.conflict ? (JSON.parse(r.conflict) as RemoteLink['conflict']) : null,
    };
  }

  link(assetId: string): RemoteLink | null {
    const r = this.db.prepare('SELECT * FROM remote_links WHERE asset_id = ? AND server = ?').get(assetId, this.conn.server ?? '') as
      LinkRow | undefined;
    return r ? this.toLink(r) : null;
  }

  /** The local asset's remote id, for calls that act on the listing. */
  remoteId(assetId: string): string {
    const l = this.link(assetId);
    if (!l) throw new ApiError('not_submitted', 'this asset is not on the marketplace yet', 'assetId', 409);
    return l.remoteId;
  }

  /** The local asset linked to a listing on this marketplace, if this studio has one (its creator's own listing). */
  localIdOf(remoteId: string): string | null {
    const r = this.db
      .prepare('SELECT asset_id FROM remote_links WHERE remote_id = ? AND server = ?')
      .get(remoteId, this.conn.server ?? '') as { asset_id: string } | undefined;
    return r?.asset_id ?? null;
  }

  /** Keep the local version (sent as a new version) or take the marketplace's (saved as a new local revision; nothing is lost from history). */
  async resolve(assetId: string, keep: 'local' | 'server'): Promise<RemoteLink | null> {
    const l = this.link(assetId);
    if (!l?.conflict) throw new ApiError('no_conflict', 'this asset has no conflict to resolve', 'assetId', 409);
    if (keep === 'server') await this.fastForward(assetId, l.conflict.remoteCard, l.conflict.remoteVersion);
    this.db
      .prepare('UPDATE remote_links SET conflict = NULL, remote_version = ? WHERE asset_id = ?')
      .run(l.conflict.remoteVersion, assetId);
    this.publish([assetId]);
    if (keep === 'local') await this.enqueue('submit', assetId, {});
    return this.link(assetId);
  }

  private async fastForward(assetId: string, card: Record<string, unknown>, remoteVersion: number) {
    const a = this.studio.get(assetId);
    const saved = await this.studio.save({ id: assetId, card, imageSha: a.imageSha, baseRev: a.rev });
    this.db
      .prepare('UPDATE remote_links SET submitted_rev = ?, remote_version = ? WHERE asset_id = ?')
      .run(saved.rev, remoteVersion, assetId);
  }

  // ---------------------------------------------------------------- pull

  async pull(): Promise<void> {
    if (!this.conn.server) return;
    await this.pullIndex();
    await this.pullPolicy();
    if (!this.conn.signedIn) return;
    await this.conn.refreshUser();
    if (!this.conn.signedIn) return;
    const mine = await this.conn.client.submissions.myAssets();
    const byRemote = new Map(mine.map((a) => [a.id, a]));
    const links = this.db.prepare('SELECT * FROM remote_links WHERE server = ?').all(this.conn.server) as LinkRow[];
    const changed: string[] = [];
    for (const r of links) {
      const remote = byRemote.get(r.remote_id);
      if (!remote) continue;
      let conflict = r.conflict;
      let remoteVersion = r.remote_version;
      if (r.remote_version !== null && remote.latestVersion > r.remote_version) {
        // A version this studio did not send (another device): a conflict if the asset also changed here.
        const localRev = this.studio.get(r.asset_id).rev;
        if (r.submitted_rev !== null && localRev > r.submitted_rev)
          conflict = JSON.stringify({ localRev, remoteVersion: remote.latestVersion, remoteCard: remote.card, detectedAt: nowIso() });
        else {
          await this.fastForward(r.asset_id, remote.card, remote.latestVersion);
          remoteVersion = remote.latestVersion;
        }
      }
      this.db
        .prepare(
          'UPDATE remote_links SET remote_status = ?, remote_json = ?, remote_version = ?, conflict = ?, updated_at = ? WHERE asset_id = ?',
        )
        .run(remote.status, JSON.stringify(remote), remoteVersion, conflict, nowIso(), r.asset_id);
      if (remote.status !== r.remote_status || JSON.stringify(remote) !== r.remote_json || conflict !== r.conflict)
        changed.push(r.asset_id);
    }
    this.publish(changed);
    const notes = await this.conn.client.notifications.notifications();
    this.setState('notifications', JSON.stringify(notes));
    this.studio.push.emitIfChanged('notifications.changed', { unread: notes.filter((n) => !n.readAt).length, notifications: notes });
    // The creator's earnings, kept for the dashboard to show while offline.
    for (const period of ['30d', 'all'] as const)
      this.cacheEarnings(period, await this.conn.client.earnings.earnings({ query: { period } }));
    this.lastPullAt = nowIso();
  }

  /**
   * The marketplace's uniqueness rule that the studio's advice follows (`ownPartReuse`; one older
   * than that field: its default, 'allow'), kept with the marketplace's address for offline checks;
   * one that does not answer leaves the kept value as it was.
   */
  async pullPolicy(): Promise<void> {
    const p = await this.conn.client.discovery.policy({ auth: false }).catch(() => null);
    if (!p) return;
    this.setState('market_uniqueness', JSON.stringify({ server: this.conn.server, ownPartReuse: p.uniqueness?.ownPartReuse ?? 'allow' }));
  }

  /** The connected marketplace's `ownPartReuse` as last pulled; null when none was pulled from this one. */
  private ownPartReuse(): OwnPartReuseRule | null {
    const kept = this.keptAs('market_uniqueness', MarketUniqueness);
    return kept && this.conn.server && kept.server === this.conn.server ? kept.ownPartReuse : null;
  }

  /** The published index feed into the local engine, page by page from the last cursor. */
  async pullIndex(): Promise<number> {
    const server = this.conn.server as string;
    if (this.state('index_server') !== server) this.resetIndex(server);
    let cursor = Number(this.state('index_cursor') ?? 0);
    let applied = 0;
    for (;;) {
      const page = await this.conn.client.indexFeed.indexFeed({ query: { since: cursor, limit: 500 }, auth: false });
      for (const e of page.entries) {
        // A listing its creator withdrew still proves prior publication (as on the server): it stays.
        // One taken down leaves the copy, its media fingerprint included (a feed without reasons: kept).
        if (e.kind === 'tombstone' && e.reason === 'removed') this.studio.engine.remove(MP_PREFIX + e.assetId);
        if (e.kind === 'upsert' && e.fingerprints && e.card) {
          // Marketplace creators are namespaced (the signed-in creator's own id is mapped back to
          // "self" at check time, so their own listings count as theirs).
          try {
            this.studio.engine.indexFingerprints(
              {
                id: MP_PREFIX + e.assetId,
                creatorId: MP_PREFIX + (e.creatorId ?? 'unknown'),
                card: e.card as unknown as AssetCard,
                source: 'marketplace',
              },
              // The feed carries the engine's fingerprints JSON as it is (the contract leaves it open).
              { ...fingerprintsFromJson(e.fingerprints as FingerprintsJson, e.card as unknown as AssetCard), vectors: {} },
            );
            applied += 1;
            // The creator's display name, for match cards (offline too): "by Ada", never an id.
            if (e.creatorId && e.creatorName) this.setState(`${CREATOR_NAME_KEY}${e.creatorId}`, e.creatorName);
          } catch (err) {
            // One unreadable entry must not stall the feed at this cursor.
            console.error(`[sync] index entry ${e.assetId} skipped:`, (err as Error).message);
          }
        }
      }
      cursor = page.nextCursor;
      this.setState('index_cursor', String(cursor));
      if (!page.hasMore) break;
    }
    this.setState('index_synced_at', nowIso());
    return applied;
  }

  private resetIndex(server: string) {
    const ids = this.db.prepare(`SELECT id FROM assets WHERE source = 'marketplace'`).all() as { id: string }[];
    for (const r of ids) this.studio.engine.remove(r.id);
    this.setState('index_server', server);
    this.setState('index_cursor', '0');
    this.db.prepare(`DELETE FROM sync_state WHERE key IN ('index_synced_at', 'notifications') OR key LIKE 'earnings:%'`).run();
  }

  cacheEarnings(period: string, summary: EarningsSummary): void {
    this.setState(`earnings:${period}`, JSON.stringify({ at: nowIso(), summary }));
  }

  /** The last earnings summary pulled for a period, and when; null when none (or one this studio cannot read). */
  cachedEarnings(period: string): { at: string; summary: EarningsSummary } | null {
    return this.keptAs(`earnings:${period}`, CachedEarnings);
  }

  notifications(): NotificationView[] {
    const raw = this.state('notifications');
    return raw ? (JSON.parse(raw) as NotificationView[]) : [];
  }

  status(): SyncStatus {
    const conflicts = (
      this.db
        .prepare(
          'SELECT l.asset_id, a.name FROM remote_links l JOIN assets a ON a.id = l.asset_id WHERE l.conflict IS NOT NULL AND l.server = ?',
        )
        .all(this.conn.server ?? '') as { asset_id: string; name: string }[]
    ).map((r) => ({ assetId: r.asset_id, name: r.name }));
    const count = (this.db.prepare(`SELECT count(*) AS n FROM assets WHERE source = 'marketplace'`).get() as { n: number }).n;
    return {
      running: this.busy,
      lastPullAt: this.lastPullAt,
      lastError: this.lastError ?? this.conn.lastError,
      outbox: this.outbox(),
      index: { count, cursor: Number(this.state('index_cursor') ?? 0), syncedAt: this.state('index_synced_at') },
      conflicts,
      unread: this.notifications().filter((n) => !n.readAt).length,
    };
  }
}

/** The fields of an outbox row the rules look at. */
const queued = (r: OpRow): QueuedOp => ({ id: r.id, kind: r.kind, assetId: r.asset_id, state: r.state });
