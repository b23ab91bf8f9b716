/**
 * Marketplace services: accounts, submission → automated checks → human review → publishing,
 * versions, appeals, notifications, discovery and the index feed. HTTP lives in app.ts; this file
 * holds the rules.
 */
import { randomBytes } from 'node:crypto';
import { probeImage } from '../engine/image/decode.ts';
import type { MediaData } from '../engine/fingerprints.ts';
import type { AssetFingerprints } from '../engine/library.ts';
import { mediaData } from '../engine/media-pool.ts';
import { fingerprintsToJson, mediaFromJson } from '../engine/serialize.ts';
import type { Embedder } from '../engine/semantic/types.ts';
import { metadataText } from '../engine/text/metadata.ts';
import { ApiError } from '../shared/api.ts';
import { fromEngineError } from '../shared/errors.ts';
import { iso } from '../shared/format.ts';
import { type AssetCard, parseAssetCard } from '../engine/cards.ts';
import type { CheckResult, Match } from '../shared/check.ts';
import type { AssetView, Decision, SearchQuery, UserView } from '../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../shared/policy/marketplace.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import type { z } from 'zod';
import {
  DUMMY_HASH,
  type UserRow,
  createSession,
  hashPassword,
  needsRehash,
  newId,
  revokeSession,
  tokenHash,
  userView,
  verifyPassword,
} from './auth.ts';
import { authorize, isStaff } from './authz.ts';
import type { BlobStore } from './blobs.ts';
import { type Database, type Sql, isUniqueViolation, toVector } from './db.ts';
import { type MediaFile, findMediaFile } from './media-files.ts';
import type { FingerprintsJson } from '../engine/serialize.ts';
import type { ProvenanceProof, SignedProvenance } from '../shared/provenance.ts';
import type { ProvenanceSigner } from './provenance.ts';
import { PublishedIndex } from './published-index.ts';
import { recomputeReputation } from './trust.ts';
import { Money, type PaymentsConfig } from './money.ts';
import { Moderation } from './moderation.ts';
import type { MoneyPolicy } from '../shared/policy/money.ts';
import type { TrustPolicy } from '../shared/policy/trust.ts';

export interface MarketplaceOptions {
  db: Database;
  blobs: BlobStore;
  embedder?: Embedder | undefined;
  /** One-box installs (the studio's local marketplace): the first account registered becomes the admin. */
  firstUserAdmin?: boolean | undefined;
  /** Public base URL used in links (image URLs are relative when unset). */
  baseUrl?: string;
  /** Signs provenance records at publication. */
  signer: ProvenanceSigner;
  /** This marketplace's uniqueness thresholds (default: shared/policy/uniqueness.ts). */
  uniquenessPolicy?: UniquenessPolicy | undefined;
  /** The payment processor (Stripe, or the local test processor). */
  payments: PaymentsConfig;
  /** The money policy (default: shared/policy/money.ts, 70/30). */
  moneyPolicy?: MoneyPolicy | undefined;
  /** Trust and safety thresholds (default: shared/policy/trust.ts). */
  trustPolicy?: TrustPolicy | undefined;
}

interface AssetRow {
  id: string;
  creator_id: string;
  creator_name: string;
  asset_type: AssetCard['asset_type'];
  name: string;
  status: AssetView['status'];
  latest_version: number;
  published_version: number | null;
  parent_asset_id: string | null;
  price_cents: number | null;
  pricing_model: AssetView['pricingModel'];
  billing_interval: AssetView['billingInterval'];
  takedown_reason?: string | null;
  taken_down_at?: string | Date | null;
  published_at: string | Date | null;
  card: AssetCard;
  version: number;
  image_sha256: string | null;
}

export interface SubmissionInput {
  card: unknown;
  image?: Uint8Array | undefined;
  /** An audio or video file already streamed to disk (server/multipart.ts); the caller removes it afterwards. */
  media?: { path: string; filename: string } | undefined;
  parentAssetId?: string | undefined;
  /** Aborted when the client goes away: the media decoding stops (its FFmpeg processes are killed). */
  signal?: AbortSignal | undefined;
}

const numberOrNull = (v: string | number | null) => (v === null || !Number.isFinite(Number(v)) ? null : Number(v));

export class Marketplace {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly index: PublishedIndex;
  private readonly embedder: Embedder | undefined;
  private readonly firstUserAdmin: boolean;
  readonly signer: ProvenanceSigner;
  /** Payments, licenses, ledger postings and earnings. */
  readonly money: Money;
  /** Reports, automatic detection, takedowns, strikes, appeals, audit log, blocklists. */
  readonly moderation: Moderation;

  constructor(opts: MarketplaceOptions) {
    this.signer = opts.signer;
    this.money = new Money(this, opts.payments, opts.moneyPolicy);
    this.moderation = new Moderation(this, opts.trustPolicy);
    this.index = new PublishedIndex(opts.uniquenessPolicy);
    this.db = opts.db;
    this.blobs = opts.blobs;
    this.embedder = opts.embedder;
    this.firstUserAdmin = opts.firstUserAdmin ?? false;
    this.index.engine.setEmbedder(opts.embedder);
  }

  async close(): Promise<void> {
    this.index.close();
    this.moderation.close();
    await this.db.close();
  }

  // ------------------------------------------------------------------ accounts

  /**
   * While the marketplace has no admin: stores a one-time bootstrap token (the given one, else a
   * random one) and returns it, for the operator to redeem with POST /v1/admin/bootstrap. Null once
   * an admin exists. No role is ever granted by e-mail address.
   */
  async prepareBootstrap(token?: string): Promise<string | null> {
    const admins = await this.db.query(`SELECT 1 FROM users WHERE 'admin' = ANY(roles) LIMIT 1`);
    if (admins.rows.length) {
      await this.db.query('DELETE FROM bootstrap_tokens');
      return null;
    }
    const t = token ?? randomBytes(24).toString('base64url');
    await this.db.query('INSERT INTO bootstrap_tokens (token_hash) VALUES ($1) ON CONFLICT DO NOTHING', [tokenHash(t)]);
    return t;
  }

  /** Redeems a bootstrap token: the signed-in account becomes admin and moderator; every token is spent. */
  async bootstrapAdmin(user: UserRow, token: string): Promise<UserView> {
    await this.db.tx(async (sql) => {
      const admins = await sql.query(`SELECT 1 FROM users WHERE 'admin' = ANY(roles) LIMIT 1`);
      if (admins.rows.length) throw new ApiError('already_bootstrapped', 'this marketplace already has an admin', undefined, 409);
      const hit = await sql.query('DELETE FROM bootstrap_tokens WHERE token_hash = $1 RETURNING token_hash', [tokenHash(token)]);
      if (!hit.rows.length) throw new ApiError('invalid_bootstrap_token', 'the bootstrap token is wrong or already used', 'token', 403);
      await sql.query('DELETE FROM bootstrap_tokens');
      await sql.query(`UPDATE users SET roles = ARRAY['buyer','creator','moderator','admin'] WHERE id = $1`, [user.id]);
      await this.moderation.audit(sql, user, 'admin_bootstrapped', { type: 'user', id: user.id }, 'one-time bootstrap token');
    });
    return userView(await this.user(user.id));
  }

  async register(input: { email: string; password: string; displayName: string }) {
    // Only the one-box studio marketplace (loopback, one person) makes its first account the admin.
    const admin = this.firstUserAdmin && Number((await this.db.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n) === 0;
    const id = newId();
    try {
      await this.db.query('INSERT INTO users (id, email, display_name, password_hash, roles) VALUES ($1,$2,$3,$4,$5)', [
        id,
        input.email,
        input.displayName,
        await hashPassword(input.password),
        admin ? ['buyer', 'creator', 'moderator', 'admin'] : ['buyer', 'creator'],
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('email_taken', 'an account with this email already exists', 'email', 409);
      throw err;
    }
    return this.sessionFor(id);
  }

  private async sessionFor(userId: string) {
    const s = await createSession(this.db, userId);
    return { ...s, user: userView(await this.user(userId)) };
  }

  async login(input: { email: string; password: string }) {
    const r = await this.db.query<UserRow>('SELECT * FROM users WHERE email = $1', [input.email]);
    const u = r.rows[0];
    // Same work whether or not the account exists, so timing does not reveal it.
    const ok = await verifyPassword(input.password, u?.password_hash ?? DUMMY_HASH);
    if (!u || !ok) throw new ApiError('invalid_credentials', 'wrong email or password', undefined, 401);
    // A hash made with older (weaker) parameters is replaced now that the password is known.
    if (needsRehash(u.password_hash))
      await this.db.query('UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [
        u.id,
        await hashPassword(input.password),
        u.password_hash,
      ]);
    return this.sessionFor(u.id);
  }

  logout(token: string) {
    return revokeSession(this.db, token);
  }

  async user(id: string): Promise<UserRow> {
    const r = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    if (!r.rows[0]) throw new ApiError('not_found', 'no such user', 'id', 404);
    return r.rows[0];
  }

  async updateUser(
    id: string,
    patch: { creatorTier?: boolean | undefined; verified?: boolean | undefined; roles?: UserView['roles'] | undefined },
    admin?: UserRow,
  ): Promise<UserView> {
    await this.user(id);
    if (admin) await this.moderation.impartial(admin, { type: 'user', id }, 'user_update', { subjectId: id });
    await this.db.tx(async (sql) => {
      await sql.query(
        `UPDATE users SET creator_tier = COALESCE($2, creator_tier), verified = COALESCE($3, verified), roles = COALESCE($4, roles) WHERE id = $1`,
        [id, patch.creatorTier ?? null, patch.verified ?? null, patch.roles ?? null],
      );
      await this.moderation.audit(sql, admin ?? null, 'user_updated', { type: 'user', id }, null, patch);
    });
    return userView(await this.user(id));
  }

  // ------------------------------------------------------------------ notifications

  notify(sql: Sql, userId: string, kind: string, payload: Record<string, unknown>) {
    return sql.query('INSERT INTO notifications (user_id, kind, payload) VALUES ($1, $2, $3)', [userId, kind, JSON.stringify(payload)]);
  }

  async notifications(user: UserRow) {
    const r = await this.db.query<{ id: string; kind: string; payload: Record<string, unknown>; created_at: Date; read_at: Date | null }>(
      'SELECT * FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 200',
      [user.id],
    );
    return r.rows.map((n) => ({
      id: Number(n.id),
      kind: n.kind,
      payload: n.payload,
      createdAt: iso(n.created_at) as string,
      readAt: iso(n.read_at),
    }));
  }

  async markRead(user: UserRow, id: number) {
    const r = await this.db.query('UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL', [
      id,
      user.id,
    ]);
    return { updated: r.rowCount };
  }

  // ------------------------------------------------------------------ assets

  imageUrl(assetId: string, version: number, sha: string | null): string | null {
    return sha ? `/v1/assets/${assetId}/image?version=${version}` : null;
  }

  private async assetRow(id: string, version?: number): Promise<AssetRow> {
    const r = await this.db.query<AssetRow>(
      `SELECT a.*, u.display_name AS creator_name, v.card, v.version, v.image_sha256
       FROM assets a JOIN users u ON u.id = a.creator_id
       JOIN asset_versions v ON v.asset_id = a.id AND v.version = COALESCE($2, a.latest_version)
       WHERE a.id = $1`,
      [id, version ?? null],
    );
    if (!r.rows[0]) throw new ApiError('not_found', 'no such asset', 'id', 404);
    return r.rows[0];
  }

  private view(a: AssetRow, forOwner = false): AssetView {
    return {
      id: a.id,
      creatorId: a.creator_id,
      creatorName: a.creator_name,
      assetType: a.asset_type,
      name: a.card.name,
      status: a.status,
      version: a.version,
      publishedVersion: a.published_version,
      latestVersion: a.latest_version,
      card: a.card as unknown as Record<string, unknown>,
      imageUrl: this.imageUrl(a.id, a.version, a.image_sha256),
      parentAssetId: a.parent_asset_id,
      priceCents: a.price_cents,
      pricingModel: a.pricing_model ?? null,
      billingInterval: a.billing_interval ?? null,
      takedown: a.status === 'taken_down' ? { reason: a.takedown_reason ?? '', at: iso(a.taken_down_at) } : null,
      publishedAt: iso(a.published_at),
      ...(forOwner && a.status === 'in_review' ? { estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.standard } : {}),
    };
  }

  /** Public sees the published version; the creator and moderators see the latest (or any asked for). */
  async getAsset(user: UserRow | null, id: string, version?: number): Promise<AssetView> {
    const head = await this.assetRow(id);
    const published = head.published_version !== null && head.status !== 'taken_down' && head.status !== 'withdrawn';
    const privileged = Boolean(user && (user.id === head.creator_id || isStaff(user)));
    if (!privileged) {
      // Buyers keep the versions they bought, whatever happened to the listing since, and may
      // read the newest published version too.
      const owned = user
        ? (
            await this.db.query<{ version: number }>('SELECT version FROM entitlements WHERE user_id = $1 AND asset_id = $2', [user.id, id])
          ).rows.map((r) => r.version)
        : [];
      if (version !== undefined && owned.includes(version)) return this.view(await this.assetRow(id, version));
      if (head.status === 'taken_down' && head.published_version !== null && !owned.length) {
        // The listing shows its takedown (name, reason), not a 404 — and no longer its content.
        const v = this.view(await this.assetRow(id, head.published_version));
        return {
          ...v,
          status: 'taken_down',
          imageUrl: null,
          card: { name: v.name, asset_type: v.assetType },
          takedown: { reason: head.takedown_reason ?? '', at: iso(head.taken_down_at) },
        };
      }
      authorize(user, 'asset.read', {
        published: published || (owned.length > 0 && head.published_version !== null),
        ownerId: head.creator_id,
      });
      if (version !== undefined && version !== head.published_version) throw new ApiError('not_found', 'no such version', 'version', 404);
      return this.view(await this.assetRow(id, head.published_version as number));
    }
    return this.view(version !== undefined ? await this.assetRow(id, version) : head, user?.id === head.creator_id);
  }

  async image(user: UserRow | null, id: string, version?: number): Promise<Buffer> {
    const a = await this.getAsset(user, id, version);
    const row = await this.assetRow(id, a.version);
    const bytes = row.image_sha256 ? await this.blobs.get(row.image_sha256) : null;
    if (!bytes) throw new ApiError('not_found', 'this asset has no image', 'id', 404);
    return bytes;
  }

  /** A version's audio/video file for those who may play it (server/media-files.ts). */
  mediaFile(user: UserRow | null, id: string, version?: number): Promise<MediaFile> {
    return findMediaFile(this.db, this.blobs, user, id, version);
  }

  /** The buyer's library: each asset they hold, the versions they own, and whether a newer one is out. */
  async myLibrary(user: UserRow) {
    const r = await this.db.query<{ asset_id: string; versions: number[]; published_version: number | null; name: string; status: string }>(
      `SELECT e.asset_id, array_agg(e.version ORDER BY e.version) AS versions, a.published_version, a.name, a.status
       FROM entitlements e JOIN assets a ON a.id = e.asset_id WHERE e.user_id = $1 GROUP BY e.asset_id, a.published_version, a.name, a.status ORDER BY a.name`,
      [user.id],
    );
    return r.rows.map((x) => {
      const newest = Math.max(...x.versions);
      return {
        assetId: x.asset_id,
        name: x.name,
        ownedVersions: x.versions,
        latestPublishedVersion: x.published_version,
        updateAvailable: x.published_version !== null && x.published_version > newest && x.status === 'published',
      };
    });
  }

  async myAssets(user: UserRow): Promise<AssetView[]> {
    const r = await this.db.query<{ id: string }>('SELECT id FROM assets WHERE creator_id = $1 ORDER BY updated_at DESC', [user.id]);
    return Promise.all(r.rows.map(async (x) => this.view(await this.assetRow(x.id), true)));
  }

  // ------------------------------------------------------------------ submission

  private async fingerprint(
    card: AssetCard,
    image?: Uint8Array,
    media?: SubmissionInput['media'],
    signal?: AbortSignal,
  ): Promise<AssetFingerprints> {
    // The media file is probed, decoded and fingerprinted on the engine's media worker (its FFmpeg
    // pool bounds the processes), side by side with the card and image layers.
    const [fp, mediaFp] = await Promise.all([this.fingerprintCard(card, image), media ? this.fingerprintMedia(media.path, signal) : null]);
    return mediaFp ? { ...fp, media: mediaFp } : fp;
  }

  private async fingerprintMedia(path: string, signal?: AbortSignal): Promise<MediaData> {
    try {
      return await mediaData(path, signal);
    } catch (err) {
      // A cancelled job (the client went away) is a 503, so an Idempotency-Key retry runs again instead of replaying this.
      throw fromEngineError(err, { field: 'media', prefix: 'media', hostFaultsInternal: true });
    }
  }

  private async fingerprintCard(card: AssetCard, image?: Uint8Array): Promise<AssetFingerprints> {
    try {
      if (image) await probeImage(image);
      return await this.index.engine.fingerprint(card, image);
    } catch (err) {
      throw fromEngineError(err, { field: 'image', prefix: 'image' });
    }
  }

  /** The server's own analysis: every fingerprint recomputed here, compared with all published assets. */
  private async analyse(card: AssetCard, fp: AssetFingerprints, creatorId: string, excludeId?: string): Promise<CheckResult> {
    await this.index.catchUp(this.db);
    if (!this.db.vectors) {
      // Vectors cannot be stored or searched here: the semantic layers did not really run.
      for (const s of Object.keys(fp.semantic) as (keyof typeof fp.semantic)[]) {
        if (fp.semantic[s]?.state === 'ran')
          fp.semantic[s] = { state: 'unavailable', reason: 'the marketplace database has no pgvector extension' };
      }
    }
    const semantic = await this.vectorNeighbours(fp, excludeId);
    return this.index.engine.checkFingerprints({ card, creatorId, fp: { ...fp, vectors: {} }, excludeId, semanticHits: semantic });
  }

  /** pgvector k-NN over published versions, for the spaces whose weights produced this query's vectors. */
  private async vectorNeighbours(fp: AssetFingerprints, excludeId?: string) {
    const out: Partial<Record<'clip_image' | 'bge_text', { assetId: string; cosine: number }[]>> = {};
    if (!this.db.vectors) return out;
    const spaces = [
      ['clip_image', 'image_vector'],
      ['bge_text', 'metadata_vector'],
    ] as const;
    for (const [space, col] of spaces) {
      const v = fp.vectors[space];
      if (!v) continue;
      const model = this.embedder?.state(space).modelSha256 ?? 'unknown';
      const r = await this.db.query<{ asset_id: string; d: number }>(
        `SELECT v.asset_id, v.${col} <=> $1::vector AS d FROM asset_versions v JOIN assets a ON a.id = v.asset_id AND a.published_version = v.version
         WHERE a.status NOT IN ('taken_down', 'withdrawn') AND v.${col} IS NOT NULL AND v.vector_models->>$2 = $3 AND ($4::uuid IS NULL OR a.id <> $4)
         ORDER BY v.${col} <=> $1::vector LIMIT 20`,
        [toVector(v), space, model, excludeId ?? null],
      );
      out[space] = r.rows.map((x) => ({ assetId: x.asset_id, cosine: 1 - Number(x.d) }));
    }
    return out;
  }

  private async publishedCount(userId: string): Promise<number> {
    const r = await this.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM assets WHERE creator_id = $1 AND published_version IS NOT NULL',
      [userId],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  private parseCard(raw: unknown): AssetCard {
    const r = parseAssetCard(raw);
    if (!r.ok) throw new ApiError('invalid_card', r.message, `card.${r.field}`);
    return r.card;
  }

  /** The media file and fingerprint of an asset's latest version, when it has them (in the current format). */
  private async previousMedia(a: AssetRow): Promise<{ media: MediaData; sha: string } | null> {
    const r = (
      await this.db.query<{ media: FingerprintsJson['media'] | null; media_sha256: string | null }>(
        `SELECT fingerprints->'media' AS media, media_sha256 FROM asset_versions WHERE asset_id = $1 AND version = $2`,
        [a.id, a.latest_version],
      )
    ).rows[0];
    if (!r?.media || !r.media_sha256) return null;
    const media = mediaFromJson(r.media);
    return media ? { media, sha: r.media_sha256 } : null;
  }

  /** Whether this account may submit at all; the HTTP layer asks before it reads an upload. */
  async assertMaySubmit(user: UserRow): Promise<void> {
    authorize(user, 'asset.submit', {}, { publishedCount: await this.publishedCount(user.id) });
  }

  async submit(user: UserRow, input: SubmissionInput, existingId?: string) {
    await this.assertMaySubmit(user);
    const card = this.parseCard(input.card);
    let existing: AssetRow | null = null;
    if (existingId) {
      existing = await this.assetRow(existingId);
      authorize(user, 'asset.owner', { ownerId: existing.creator_id });
      if (existing.status === 'taken_down')
        throw new ApiError('taken_down', 'this asset was taken down; appeal the takedown first', 'id', 409);
      if (existing.status === 'withdrawn') throw new ApiError('withdrawn', 'this asset was withdrawn from sale', 'id', 409);
      const open = await this.db.query('SELECT 1 FROM review_items WHERE asset_id = $1 AND state = $2', [existingId, 'open']);
      if (open.rows.length) throw new ApiError('review_pending', 'a version of this asset is already waiting for review', 'id', 409);
    }
    const parentId = input.parentAssetId ?? existing?.parent_asset_id ?? undefined;
    if (parentId) {
      const p = await this.db.query<{ creator_id: string; published_version: number | null; status: string }>(
        'SELECT creator_id, published_version, status FROM assets WHERE id = $1',
        [parentId],
      );
      const parent = p.rows[0];
      if (!parent || parent.published_version === null || parent.status === 'taken_down')
        throw new ApiError('parent_not_found', 'the declared parent is not a published asset', 'parentAssetId', 400);
      if (parent.creator_id === user.id)
        throw new ApiError(
          'own_parent',
          'a derivative of your own asset is an update: submit a new version of it instead',
          'parentAssetId',
          400,
        );
    }
    if (input.media && card.asset_type !== 'media')
      throw new ApiError(
        'invalid_input',
        `media: an audio or video file belongs to a "media" asset, not a "${card.asset_type}"`,
        'media',
        400,
      );
    const fp = await this.fingerprint(card, input.image, input.media, input.signal);
    // A new version of a media asset sent without its file keeps the previous version's file.
    const kept = existing && !input.media && card.asset_type === 'media' ? await this.previousMedia(existing) : null;
    if (kept) fp.media = kept.media;
    const check = await this.analyse(card, fp, user.id, existingId);

    if (check.status === 'duplicate_self') {
      const m = check.matches[0];
      throw new ApiError(
        'duplicate_self',
        `this is a copy of your published asset '${m?.name}': update that asset instead of creating a duplicate`,
        'card',
        409,
        {
          existingAssetId: m?.assetId,
          check: summarize(check),
        },
      );
    }
    if (check.status === 'derivative_potential' && !parentId) {
      throw new ApiError(
        'derivative_potential',
        'this is close to another creator’s asset: resubmit declaring it as the parent (its creator receives a royalty), or change it further',
        'parentAssetId',
        409,
        {
          candidates: check.matches
            .filter((m) => m.creatorId !== user.id)
            .map((m) => ({ assetId: m.assetId, name: m.name, combined: m.combined })),
          check: summarize(check),
        },
      );
    }
    const blocklist = await this.moderation.blocklistHits(card, fp);
    const flagged = check.status === 'flagged_plagiarism' || blocklist.length > 0;
    const imageSha = input.image ? await this.blobs.put(input.image) : null;
    const mediaSha = input.media ? await this.blobs.putFile(input.media.path) : (kept?.sha ?? null);
    const text = metadataText(card);

    const assetId = existing?.id ?? newId();
    const version = (existing?.latest_version ?? 0) + 1;
    try {
      await this.db.tx(async (sql) => {
        if (existing) {
          await sql.query(
            `UPDATE assets SET asset_type = $2, name = $3, status = 'in_review', latest_version = $4, metadata_hash = $5, parent_asset_id = $6, updated_at = now() WHERE id = $1`,
            [assetId, card.asset_type, card.name, version, fp.metadataHash, parentId ?? null],
          );
        } else {
          await sql.query(
            `INSERT INTO assets (id, creator_id, asset_type, name, status, latest_version, parent_asset_id, metadata_hash) VALUES ($1,$2,$3,$4,'in_review',$5,$6,$7)`,
            [assetId, user.id, card.asset_type, card.name, version, parentId ?? null, fp.metadataHash],
          );
        }
        const models: Record<string, string> = {};
        for (const s of ['clip_image', 'bge_text'] as const)
          if (fp.vectors[s]) models[s] = this.embedder?.state(s).modelSha256 ?? 'unknown';
        const vec = this.db.vectors;
        await sql.query(
          `INSERT INTO asset_versions (asset_id, version, card, metadata_text, metadata_hash, image_sha256, fingerprints, vector_models, status, check_status, media_sha256${vec ? ', image_vector, metadata_vector' : ''})
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'in_review',$9,$10${vec ? ',$11::vector,$12::vector' : ''})`,
          [
            assetId,
            version,
            JSON.stringify(card),
            text,
            fp.metadataHash,
            imageSha,
            JSON.stringify(fingerprintsToJson(fp, false)),
            JSON.stringify(vec ? models : {}),
            check.status,
            mediaSha,
            ...(vec ? [toVector(fp.vectors.clip_image), toVector(fp.vectors.bge_text)] : []),
          ],
        );
        for (const m of check.matches) {
          const copy = m.copySignals.length > 0 || m.combined > 0.95;
          await sql.query(
            `INSERT INTO similarity_analysis (asset_id, version, matched_asset_id, metadata_similarity, visual_similarity, combined_similarity, is_duplicate, is_plagiarism, is_derivative, flagged_differences, analysis_details)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
            [
              assetId,
              version,
              m.assetId,
              m.metadata,
              m.visualScore,
              m.combined,
              copy,
              copy && m.creatorId !== user.id,
              m.assetId === parentId,
              JSON.stringify(m.differences),
              JSON.stringify({
                layers: m.layers,
                signals: m.copySignals,
                checkLayers: check.layers,
                ...(m.summary ? { summary: m.summary } : {}),
                ...(m.region ? { region: m.region } : {}),
                ...(m.passages ? { passages: m.passages } : {}),
                ...(m.media?.length ? { media: m.media } : {}),
              }),
            ],
          );
        }
        if (parentId) {
          await sql.query(
            `INSERT INTO asset_derivations (parent_asset_id, child_asset_id, royalty_basis_points) VALUES ($1,$2,$3) ON CONFLICT (parent_asset_id, child_asset_id) DO NOTHING`,
            [parentId, assetId, MARKETPLACE_POLICY.derivativeRoyaltyBasisPoints],
          );
        }
        const flags = flagged
          ? [
              ...check.matches
                .filter((m) => m.copySignals.length && m.creatorId !== user.id)
                .map((m) => `possible copy of ${m.name} (${m.assetId}): ${m.copySignals.join(', ')}`),
              ...blocklist.map((b) => `matches "${b.label}" on the ${b.list} blocklist: ${b.signals.join(', ')}`),
            ]
          : [];
        await sql.query(`INSERT INTO review_items (asset_id, version, kind, priority, flags) VALUES ($1,$2,'submission',$3,$4)`, [
          assetId,
          version,
          flagged ? 10 : 0,
          JSON.stringify(flags),
        ]);
        await this.notify(sql, user.id, 'submitted', {
          assetId,
          version,
          name: card.name,
          heldForManualReview: flagged,
          estimatedReviewTime: flagged ? MARKETPLACE_POLICY.reviewTargets.flagged : MARKETPLACE_POLICY.reviewTargets.standard,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'assets_creator_id_metadata_hash_key')) {
        throw new ApiError(
          'duplicate_metadata',
          'you already have an asset with exactly this metadata (UNIQUE(creator, metadata_hash)); update it instead',
          'card',
          409,
        );
      }
      throw err;
    }
    // The detectors only queue cases for a human; a failure there must not lose the submission.
    await this.moderation
      .afterSubmission(user, { assetId, version, card, fp, check, blocklist })
      .catch((e: unknown) => console.error('[moderation] detection failed', e));
    return {
      assetId,
      version,
      status: 'in_review' as const,
      heldForManualReview: flagged,
      parentAssetId: parentId ?? null,
      estimatedReviewTime: flagged ? MARKETPLACE_POLICY.reviewTargets.flagged : MARKETPLACE_POLICY.reviewTargets.standard,
      check: summarize(check),
    };
  }

  /** The creator takes a listing off sale: it leaves search and the index feed (a tombstone). */
  async withdraw(user: UserRow, assetId: string) {
    const a = await this.assetRow(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    if (a.status === 'withdrawn' || a.status === 'taken_down') throw new ApiError('not_listed', 'this asset is not on sale', 'id', 409);
    await this.db.tx(async (sql) => {
      await sql.query(`UPDATE assets SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [assetId]);
      await sql.query(
        `UPDATE review_items SET state = 'decided', decision = 'withdrawn', decided_at = now() WHERE asset_id = $1 AND state = 'open'`,
        [assetId],
      );
      if (a.published_version !== null)
        await sql.query(`INSERT INTO index_events (asset_id, version, kind) VALUES ($1, NULL, 'tombstone')`, [assetId]);
    });
    return { assetId, status: 'withdrawn' as const };
  }

  // ------------------------------------------------------------------ review

  async queue(mod: UserRow, limit = 50) {
    const r = await this.db.query<{
      id: string;
      kind: 'submission' | 'appeal';
      asset_id: string;
      version: number;
      priority: number;
      flags: string[];
      created_at: Date;
      claimed_by: string | null;
      claim_expires_at: Date | null;
      reason: string | null;
    }>(
      // Hidden: what this moderator may not decide (conflictOfInterest) — their own listings and appeals of their decisions.
      `SELECT * FROM review_items WHERE state = 'open' AND (excluded_moderator IS NULL OR excluded_moderator <> $1)
         AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = review_items.asset_id AND a.creator_id = $1)
       ORDER BY priority DESC, created_at ASC, id ASC LIMIT $2`,
      [mod.id, limit],
    );
    return Promise.all(
      r.rows.map(async (i) => {
        const ev = await this.db.query<{
          matched_asset_id: string | null;
          combined_similarity: number | null;
          analysis_details: unknown;
          name: string | null;
          image_sha256: string | null;
          mv: number | null;
          query_seconds: string | number | null;
          match_seconds: string | number | null;
        }>(
          // Media durations (from the fingerprints' probe facts) let the review screen draw both timelines.
          `SELECT s.matched_asset_id, s.combined_similarity, s.analysis_details, a.name, mv.image_sha256, mv.version AS mv,
             qv.fingerprints->'media'->'info'->>'durationSeconds' AS query_seconds,
             mv.fingerprints->'media'->'info'->>'durationSeconds' AS match_seconds
           FROM similarity_analysis s LEFT JOIN assets a ON a.id = s.matched_asset_id
           LEFT JOIN asset_versions mv ON mv.asset_id = a.id AND mv.version = a.published_version
           LEFT JOIN asset_versions qv ON qv.asset_id = s.asset_id AND qv.version = s.version
           WHERE s.asset_id = $1 AND s.version = $2 ORDER BY s.combined_similarity DESC NULLS LAST`,
          [i.asset_id, i.version],
        );
        return {
          id: Number(i.id),
          kind: i.kind,
          assetId: i.asset_id,
          version: i.version,
          priority: i.priority,
          flags: i.flags,
          createdAt: iso(i.created_at) as string,
          claimedBy: i.claimed_by,
          claimExpiresAt: iso(i.claim_expires_at),
          asset: this.view(await this.assetRow(i.asset_id, i.version)),
          evidence: ev.rows.map((e) => ({
            matchedAssetId: e.matched_asset_id,
            matchedName: e.name,
            matchedImageUrl: e.matched_asset_id && e.mv ? this.imageUrl(e.matched_asset_id, e.mv, e.image_sha256) : null,
            matchedVersion: e.matched_asset_id ? e.mv : null,
            combined: e.combined_similarity,
            details: e.analysis_details,
            mediaSeconds:
              e.query_seconds !== null || e.match_seconds !== null
                ? { query: numberOrNull(e.query_seconds), match: numberOrNull(e.match_seconds) }
                : null,
          })),
          appealReason: i.kind === 'appeal' ? i.reason : null,
        };
      }),
    );
  }

  /** One moderator at a time: the claim succeeds only if the item is open and unclaimed (or the claim expired). */
  async claim(mod: UserRow, itemId: number) {
    await this.impartialOnItem(mod, itemId, 'claim');
    const r = await this.db.query<{ id: string; claim_expires_at: Date }>(
      `UPDATE review_items SET claimed_by = $2, claim_expires_at = now() + make_interval(mins => $3)
       WHERE id = $1 AND state = 'open' AND (excluded_moderator IS NULL OR excluded_moderator <> $2)
         AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now())
       RETURNING id, claim_expires_at`,
      [itemId, mod.id, MARKETPLACE_POLICY.claimMinutes],
    );
    if (!r.rows[0]) {
      const cur = await this.db.query<{ state: string; claimed_by: string | null; excluded_moderator: string | null }>(
        'SELECT state, claimed_by, excluded_moderator FROM review_items WHERE id = $1',
        [itemId],
      );
      const c = cur.rows[0];
      if (!c) throw new ApiError('not_found', 'no such queue item', 'itemId', 404);
      if (c.state !== 'open') throw new ApiError('already_decided', 'this item was already decided', 'itemId', 409);
      if (c.excluded_moderator === mod.id)
        throw new ApiError('conflict_of_interest', 'appeals go to a different moderator than the one who decided', 'itemId', 403);
      throw new ApiError('claimed', 'another moderator is reviewing this item', 'itemId', 409);
    }
    return { itemId, claimedBy: mod.id, claimExpiresAt: iso(r.rows[0].claim_expires_at) as string };
  }

  /** The conflict-of-interest check on a review item: not the listing's creator, not the decider of the rejection under appeal. */
  private async impartialOnItem(mod: UserRow, itemId: number, attempted: string): Promise<void> {
    const r = (
      await this.db.query<{ asset_id: string; creator_id: string; excluded_moderator: string | null }>(
        'SELECT r.asset_id, a.creator_id, r.excluded_moderator FROM review_items r JOIN assets a ON a.id = r.asset_id WHERE r.id = $1',
        [itemId],
      )
    ).rows[0];
    if (!r) return;
    await this.moderation.impartial(mod, { type: 'review_item', id: String(itemId) }, attempted, {
      creatorId: r.creator_id,
      previousDeciderIds: [r.excluded_moderator],
    });
  }

  async decide(mod: UserRow, itemId: number, d: z.infer<typeof Decision>) {
    await this.impartialOnItem(mod, itemId, `review_${d.decision}`);
    return this.db.tx(async (sql) => {
      const r = await sql.query<{
        id: string;
        asset_id: string;
        version: number;
        kind: string;
        state: string;
        claimed_by: string | null;
        claim_expires_at: Date | null;
      }>('SELECT * FROM review_items WHERE id = $1 FOR UPDATE', [itemId]);
      const item = r.rows[0];
      if (!item) throw new ApiError('not_found', 'no such queue item', 'itemId', 404);
      if (item.state !== 'open') throw new ApiError('already_decided', 'this item was already decided', 'itemId', 409);
      if (item.claimed_by !== mod.id || !item.claim_expires_at || new Date(item.claim_expires_at) < new Date()) {
        throw new ApiError('not_claimed', 'claim the item before deciding it (claims expire)', 'itemId', 409);
      }
      const allowed = item.kind === 'appeal' ? ['overturn', 'uphold'] : ['approve', 'reject', 'request_changes'];
      if (!allowed.includes(d.decision))
        throw new ApiError('invalid_decision', `${item.kind} items take: ${allowed.join(', ')}`, 'decision', 400);
      const asset = (
        await sql.query<{ creator_id: string; name: string; published_version: number | null }>(
          'SELECT creator_id, name, published_version FROM assets WHERE id = $1',
          [item.asset_id],
        )
      ).rows[0] as {
        creator_id: string;
        name: string;
        published_version: number | null;
      };
      await sql.query(
        `UPDATE review_items SET state = 'decided', decision = $2, reason = COALESCE($3, reason), decided_by = $4, decided_at = now() WHERE id = $1`,
        [itemId, d.decision, d.reason ?? null, mod.id],
      );
      const publish = d.decision === 'approve' || d.decision === 'overturn';
      if (publish) {
        await sql.query(`UPDATE asset_versions SET status = 'superseded' WHERE asset_id = $1 AND status = 'published'`, [item.asset_id]);
        await sql.query(`UPDATE asset_versions SET status = 'published', decided_at = now() WHERE asset_id = $1 AND version = $2`, [
          item.asset_id,
          item.version,
        ]);
        await sql.query(
          `UPDATE assets SET status = 'published', published_version = $2, published_at = COALESCE(published_at, now()), updated_at = now() WHERE id = $1`,
          [item.asset_id, item.version],
        );
        await sql.query(`INSERT INTO index_events (asset_id, version, kind) VALUES ($1, $2, 'upsert')`, [item.asset_id, item.version]);
        await this.signProvenance(sql, item.asset_id, item.version);
        const parentOf = await sql.query<{ parent_asset_id: string | null }>('SELECT parent_asset_id FROM assets WHERE id = $1', [
          item.asset_id,
        ]);
        if (parentOf.rows[0]?.parent_asset_id)
          await recomputeReputation(sql, asset.creator_id, 'your derivative, acknowledging its parent, was published');
      } else if (d.decision !== 'uphold') {
        const vs = d.decision === 'reject' ? 'rejected' : 'changes_requested';
        await sql.query(`UPDATE asset_versions SET status = $3, decided_at = now() WHERE asset_id = $1 AND version = $2`, [
          item.asset_id,
          item.version,
          vs,
        ]);
        // A rejected update leaves the published version on sale.
        await sql.query(
          `UPDATE assets SET status = CASE WHEN published_version IS NULL THEN $2 ELSE 'published' END, updated_at = now() WHERE id = $1`,
          [item.asset_id, vs],
        );
      }
      await this.moderation.audit(sql, mod, `review_${d.decision}`, { type: 'asset', id: item.asset_id }, d.reason ?? null, {
        itemId,
        version: item.version,
        kind: item.kind,
      });
      const kind = item.kind === 'appeal' ? 'appeal_decided' : DECISION_NOTICE[d.decision];
      await this.notify(sql, asset.creator_id, kind, {
        assetId: item.asset_id,
        version: item.version,
        name: asset.name,
        decision: d.decision,
        ...(d.reason ? { reason: d.reason } : {}),
        ...(d.decision === 'reject' ? { appeal: `/v1/assets/${item.asset_id}/appeal` } : {}),
      });
      return { itemId, decision: d.decision, assetId: item.asset_id, version: item.version, published: publish };
    });
  }

  async appeal(user: UserRow, assetId: string, reason: string) {
    const a = await this.assetRow(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    const last = await this.db.query<{ decision: string; decided_by: string; kind: string }>(
      `SELECT decision, decided_by, kind FROM review_items WHERE asset_id = $1 AND version = $2 AND state = 'decided' ORDER BY decided_at DESC LIMIT 1`,
      [assetId, a.latest_version],
    );
    const d = last.rows[0];
    if (!d || d.decision !== 'reject' || d.kind !== 'submission')
      throw new ApiError('not_rejected', 'only a rejected submission can be appealed (once)', 'id', 409);
    try {
      const r = await this.db.tx(async (sql) => {
        const ins = await sql.query<{ id: string }>(
          `INSERT INTO review_items (asset_id, version, kind, priority, reason, excluded_moderator) VALUES ($1,$2,'appeal',5,$3,$4) RETURNING id`,
          [assetId, a.latest_version, reason, d.decided_by],
        );
        await this.notify(sql, user.id, 'appeal_submitted', {
          assetId,
          version: a.latest_version,
          estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.appeal,
        });
        return ins.rows[0];
      });
      return { appealId: Number(r?.id), estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.appeal };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('appeal_pending', 'an appeal for this version is already open', 'id', 409);
      throw err;
    }
  }

  // ------------------------------------------------------------------ provenance

  /** Signs the provenance record of a version being published, linked to its parent's record. */
  private async signProvenance(sql: Sql, assetId: string, version: number): Promise<void> {
    const r = (
      await sql.query<{
        creator_id: string;
        asset_type: string;
        parent_asset_id: string | null;
        card: AssetCard;
        fingerprints: FingerprintsJson;
        image_sha256: string | null;
      }>(
        `SELECT a.creator_id, a.asset_type, a.parent_asset_id, v.card, v.fingerprints, v.image_sha256
         FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = $2 WHERE a.id = $1`,
        [assetId, version],
      )
    ).rows[0];
    if (!r) throw new Error(`cannot sign ${assetId} v${version}: not found`);
    let parent: { assetId: string; recordHash: string } | null = null;
    if (r.parent_asset_id) {
      const pr = await sql.query<{ record_hash: string }>(
        `SELECT p.record_hash FROM provenance_records p JOIN assets a ON a.id = p.asset_id WHERE p.asset_id = $1 ORDER BY p.version DESC LIMIT 1`,
        [r.parent_asset_id],
      );
      if (pr.rows[0]) parent = { assetId: r.parent_asset_id, recordHash: pr.rows[0].record_hash };
    }
    const signed = this.signer.sign({
      assetId,
      version,
      creatorId: r.creator_id,
      assetType: r.asset_type,
      name: r.card.name,
      fingerprints: {
        metadataHash: r.fingerprints.metadataHash,
        imageSha256: r.image_sha256,
        pixelsSha256: r.fingerprints.image?.pixelsSha256 ?? null,
        phash: r.fingerprints.image?.views[1]?.phash[0]?.[0] ?? null,
      },
      parent,
      publishedAt: new Date().toISOString(),
    });
    await sql.query('INSERT INTO provenance_records (asset_id, version, record, signature, record_hash) VALUES ($1,$2,$3,$4,$5)', [
      assetId,
      version,
      JSON.stringify(signed.record),
      signed.signature,
      signed.recordHash,
    ]);
  }

  /** The signed record of a published version and its ancestors' records, verifiable offline. */
  async provenance(user: UserRow | null, assetId: string, version?: number): Promise<ProvenanceProof> {
    // Without a version: the published one (the creator's newer draft has no record yet).
    const head = await this.assetRow(assetId);
    const a = await this.getAsset(user, assetId, version ?? head.published_version ?? undefined);
    const load = async (id: string, v?: number): Promise<SignedProvenance | null> => {
      const r = await this.db.query<{ record: SignedProvenance['record']; signature: string; record_hash: string }>(
        `SELECT record, signature, record_hash FROM provenance_records WHERE asset_id = $1 ${v !== undefined ? 'AND version = $2' : ''} ORDER BY version DESC LIMIT 1`,
        v !== undefined ? [id, v] : [id],
      );
      const row = r.rows[0];
      return row ? { record: row.record, signature: row.signature, recordHash: row.record_hash } : null;
    };
    const record = await load(assetId, a.version);
    if (!record)
      throw new ApiError('not_published', 'this version has not been published, so it has no provenance record yet', 'version', 404);
    const chain: SignedProvenance[] = [];
    let link = record.record.parent;
    while (link && chain.length < 50) {
      const r = await this.db.query<{ record: SignedProvenance['record']; signature: string; record_hash: string }>(
        'SELECT record, signature, record_hash FROM provenance_records WHERE record_hash = $1',
        [link.recordHash],
      );
      const row = r.rows[0];
      if (!row) break;
      chain.push({ record: row.record, signature: row.signature, recordHash: row.record_hash });
      link = row.record.parent;
    }
    return { record, chain, publicKey: { keyId: this.signer.keyId, spkiBase64: this.signer.spkiBase64 } };
  }

  // ------------------------------------------------------------------ discovery

  async search(q: z.infer<typeof SearchQuery>) {
    const where = [`a.published_version IS NOT NULL`, `a.status NOT IN ('taken_down', 'withdrawn')`];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.type) where.push(`a.asset_type = ${p(q.type)}`);
    if (q.minPrice !== undefined) where.push(`a.price_cents >= ${p(q.minPrice)}`);
    if (q.maxPrice !== undefined) where.push(`a.price_cents <= ${p(q.maxPrice)}`);
    const tags = (q.tags ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
    if (tags.length) where.push(`(SELECT array_agg(lower(t)) FROM jsonb_array_elements_text(v.card->'tags') t) @> ${p(tags)}::text[]`);
    if (q.license)
      where.push(`EXISTS (SELECT 1 FROM license_offers lo WHERE lo.asset_id = a.id AND lo.license_type = ${p(q.license)} AND lo.active)`);
    let mode: 'keyword' | 'hybrid' = 'keyword';
    let note: string | undefined;
    let score = '0';
    if (q.q) {
      // Every word must match, as a prefix (so "knig" finds "knight"); the GIN index serves it.
      const terms = (q.q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
      const text = terms.length
        ? {
            match: `v.search_tsv @@ to_tsquery('english', ${p(terms.map((t) => `${t}:*`).join(' & '))})`,
            rank: `ts_rank(v.search_tsv, to_tsquery('english', $${params.length}))`,
          }
        : { match: `v.metadata_text ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`, rank: '0.01' };
      const st = this.embedder?.state('bge_text');
      if (this.embedder && st?.available && this.db.vectors) {
        const [vec] = await this.embedder.embedTexts([q.q]);
        mode = 'hybrid';
        const dist = `(v.metadata_vector <=> ${p(toVector(vec))}::vector)`;
        score = `(${text.rank} + CASE WHEN v.metadata_vector IS NULL THEN 0 ELSE 1 - ${dist} END)`;
        where.push(`(${text.match} OR (v.metadata_vector IS NOT NULL AND ${dist} < 0.5))`);
      } else {
        const why = !this.db.vectors ? 'the database has no pgvector extension' : (st?.reason ?? 'no text model installed on the server');
        note = `semantic search unavailable (${why}): keyword search only`;
        score = text.rank;
        where.push(text.match);
      }
    }
    const order = SEARCH_ORDER[q.sort];
    const from = `FROM assets a JOIN users u ON u.id = a.creator_id JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.published_version WHERE ${where.join(' AND ')}`;
    const countParams = params.length;
    const rows = await this.db.query<AssetRow & { score: number }>(
      `SELECT a.*, u.display_name AS creator_name, v.card, v.version, v.image_sha256, ${score} AS score ${from}
       ORDER BY ${order}, a.id LIMIT ${p(q.pageSize)} OFFSET ${p((q.page - 1) * q.pageSize)}`,
      params,
    );
    // Totals are counted up to a bound, so a broad query never scans the whole catalogue twice.
    const cap = MARKETPLACE_POLICY.search.countCap;
    const counted = Number(
      (await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 ${from} LIMIT ${cap + 1}) t`, params.slice(0, countParams)))
        .rows[0]?.n ?? 0,
    );
    return {
      mode,
      ...(note ? { note } : {}),
      total: Math.min(counted, cap),
      totalIsLowerBound: counted > cap,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.rows.map((r) => ({ ...this.view(r), score: Number(r.score) })),
    };
  }

  /** Creators ranked by reputation first; proximity to the query only breaks ties (weight 0.1). */
  async creators(q: string | undefined) {
    const params: unknown[] = [];
    let proximity = '0';
    if (q) {
      params.push(q);
      proximity = `COALESCE((SELECT max(ts_rank(v.search_tsv, plainto_tsquery('english', $1)))
        FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.published_version WHERE a.creator_id = u.id AND a.status NOT IN ('taken_down', 'withdrawn')), 0)`;
    }
    const r = await this.db.query<{
      id: string;
      display_name: string;
      reputation: number;
      verified: boolean;
      n: string;
      proximity: number;
    }>(
      `SELECT u.id, u.display_name, u.reputation, u.verified, ${proximity} AS proximity,
              (SELECT count(*) FROM assets a WHERE a.creator_id = u.id AND a.published_version IS NOT NULL AND a.status NOT IN ('taken_down', 'withdrawn')) AS n
       FROM users u WHERE EXISTS (SELECT 1 FROM assets a WHERE a.creator_id = u.id AND a.published_version IS NOT NULL AND a.status NOT IN ('taken_down', 'withdrawn'))
       ${q ? `AND ${proximity} > 0` : ''}
       ORDER BY (u.reputation + 0.1 * ${proximity}) DESC, u.reputation DESC, u.id LIMIT 20`,
      params,
    );
    return r.rows.map((c) => ({
      id: c.id,
      displayName: c.display_name,
      reputation: Number(c.reputation),
      verified: c.verified,
      publishedAssets: Number(c.n),
      proximity: Number(c.proximity),
    }));
  }

  /** The published index as a feed: upserts with fingerprints and minimal card data, and tombstones. */
  async indexFeed(since: number, limit: number) {
    const r = await this.db.query<{ seq: string; asset_id: string; version: number | null; kind: 'upsert' | 'tombstone' }>(
      'SELECT seq, asset_id, version, kind FROM index_events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [since, limit + 1],
    );
    const hasMore = r.rows.length > limit;
    const events = r.rows.slice(0, limit);
    // Why each listing left: a withdrawn one still proves prior publication (consumers keep it in
    // their copy index, as PublishedIndex does); a removed one (taken down) leaves it.
    const tombs = events.filter((e) => e.kind === 'tombstone').map((e) => e.asset_id);
    const withdrawn = new Set(
      tombs.length
        ? (
            await this.db.query<{ id: string }>(`SELECT id FROM assets WHERE id = ANY($1::uuid[]) AND status = 'withdrawn'`, [tombs])
          ).rows.map((x) => x.id)
        : [],
    );
    const entries = await Promise.all(
      events.map(async (e) => {
        if (e.kind === 'tombstone')
          return {
            seq: Number(e.seq),
            kind: e.kind,
            assetId: e.asset_id,
            version: null,
            creatorId: null,
            card: null,
            imageUrl: null,
            fingerprints: null,
            reason: withdrawn.has(e.asset_id) ? ('withdrawn' as const) : ('removed' as const),
          };
        const v = (
          await this.db.query<{ card: AssetCard; fingerprints: unknown; image_sha256: string | null; creator_id: string }>(
            'SELECT v.card, v.fingerprints, v.image_sha256, a.creator_id FROM asset_versions v JOIN assets a ON a.id = v.asset_id WHERE v.asset_id = $1 AND v.version = $2',
            [e.asset_id, e.version],
          )
        ).rows[0];
        return {
          seq: Number(e.seq),
          kind: e.kind,
          assetId: e.asset_id,
          version: e.version,
          creatorId: v?.creator_id ?? null,
          card: v
            ? { asset_type: v.card.asset_type, name: v.card.name, description: v.card.description ?? '', tags: v.card.tags ?? [] }
            : null,
          imageUrl: v ? this.imageUrl(e.asset_id, e.version as number, v.image_sha256) : null,
          fingerprints: v?.fingerprints ?? null,
        };
      }),
    );
    return { entries, nextCursor: events.length ? Number(events.at(-1)?.seq) : since, hasMore };
  }
}

const SEARCH_ORDER: Record<z.infer<typeof SearchQuery>['sort'], string> = {
  relevance: 'score DESC, a.published_at DESC',
  popularity: 'a.sales_count DESC, a.published_at DESC',
  price: 'a.price_cents ASC NULLS LAST, a.published_at DESC',
  newest: 'a.published_at DESC',
};

/** The notification a creator receives for each decision on a submission. */
const DECISION_NOTICE: Record<z.infer<typeof Decision>['decision'], string> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
  overturn: 'appeal_decided',
  uphold: 'appeal_decided',
};

/** The check as returned to creators: verdict, layers and top matches with their evidence. */
function summarize(c: CheckResult) {
  return {
    status: c.status,
    reason: c.reason,
    action: c.action,
    layers: c.layers,
    matches: c.matches.map((m: Match) => ({
      assetId: m.assetId,
      name: m.name,
      creatorId: m.creatorId,
      combined: m.combined,
      layers: m.layers,
      copySignals: m.copySignals,
      differences: m.differences,
      ...(m.summary ? { summary: m.summary } : {}),
      ...(m.region ? { region: m.region } : {}),
      ...(m.passages ? { passages: m.passages } : {}),
      ...(m.media?.length ? { media: m.media } : {}),
    })),
  };
}
