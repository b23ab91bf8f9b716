/**
 * The studio's main-process services: the creator's library with revision history, image storage,
 * the live uniqueness check, models, and asset-card export/import. No Electron import: the same
 * services run inside Electron (behind IPC) and in browser mode (behind loopback HTTP).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UniquenessEngine } from '../../../engine/library.ts';
import { restrictUmask, securePrivateTree } from '../../../engine/private-dir.ts';
import { RollingBackups } from '../../../engine/store/backup.ts';
import { BACKGROUND_CHECK_ABOVE_BYTES } from '../../../engine/store/db.ts';
import { LibraryFileError } from '../../../engine/store/integrity.ts';
import { type Manifest, ModelStore } from '../../../engine/models/manager.ts';
import { OnnxEmbedder } from '../../../engine/semantic/embedder.ts';
import { usableEmbedder } from '../../../engine/semantic/types.ts';
import { metadataHash } from '../../../engine/text/metadata.ts';
import { changedCardFields } from '../../../shared/card-fields.ts';
import { blankCard } from '../../../shared/blank-card.ts';
import { isBlankCard } from '../../../shared/verdict.ts';
import {
  ApiError,
  type ApiOutput,
  type ApiParsedInput,
  type AssetDetail,
  type AssetSummary,
  MEDIA_LIMITS,
  type ModelsStatus,
  type RevisionSummary,
} from '../../../shared/api.ts';
import { cardIssues, fromEngineError } from '../../../shared/errors.ts';
import { parseAssetCard } from '../../../engine/cards.ts';
import type { AssetCard } from '../../../shared/asset.ts';
import type { CheckResult, CheckStatus } from '../../../shared/check.ts';
import type { AssetFingerprints } from '../../../engine/fingerprints.ts';
import { migrateStudio } from '../store/migrate.ts';
import { PushEmitter } from '../push.ts';
import { Drafts } from './drafts.ts';
import { ImageStore } from './images.ts';
import { downloadErrorText } from './model-errors.ts';
import { StudioMedia } from './media.ts';
import type { MediaPolicy } from '../../../shared/policy/media.ts';
import { type OwnPartReuseRule, type UniquenessPolicy, ownPartReuse } from '../../../shared/policy/uniqueness.ts';

export interface StudioOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  /** The local creator; the connected studio replaces it with the marketplace account id. */
  creatorId?: string;
  modelsDir?: string;
  /** Which model files to download and their pinned hashes (default: the shipped manifest). */
  modelsManifest?: Manifest;
  /** Rolling library backups (engine/store/backup.ts): how many, how often, after how many saves. */
  backups?: { keep?: number; everyMs?: number; everySaves?: number };
  /** Media file limits (default: the media policy's). */
  mediaLimits?: MediaPolicy['limits'] | undefined;
  /** A library file larger than this is checked whole in the background (default BACKGROUND_CHECK_ABOVE_BYTES, 256 MiB). */
  backgroundCheckAbove?: number;
}

interface AssetRow {
  id: string;
  name: string;
  asset_type: AssetCard['asset_type'];
  card_json: string;
  image_sha256: string | null;
  created_at: string;
  updated_at: string;
  rev: number | null;
  status: CheckStatus | null;
}

function cardOrThrow(raw: unknown): AssetCard {
  const r = parseAssetCard(raw);
  if (!r.ok) throw new ApiError('invalid_card', r.message, `card.${r.field}`, 400, cardIssues(r));
  return r.card;
}

/** Query images whose fingerprints the engine keeps for the live check (the asset being edited, a few recent ones). */
const LIVE_CHECK_IMAGES = 4;

export class Studio {
  readonly engine: UniquenessEngine;
  readonly images: ImageStore;
  /** Audio/video files, their previews and fingerprints. */
  readonly media: StudioMedia;
  readonly models: ModelStore;
  readonly creatorId: string;
  readonly backups: RollingBackups;
  /** The editor's unsaved drafts (crash-safe, in the workspace). */
  readonly drafts: Drafts;
  private download: ModelsStatus['download'] = { active: false };
  private downloadSentAt = 0;
  /** The one emitter of push events to the renderer (sync state, purchases, download progress). */
  readonly push = new PushEmitter();
  /** Other index entries that are this asset (its marketplace copy, once synced): never reported as its matches. */
  relatedIds: (localId: string) => string[] = () => [];
  /** Creator ids in the marketplace copy that are this creator (once signed in). */
  selfCreatorIds: () => string[] = () => [];
  /**
   * The connected marketplace's rule on reusing part of one's own asset, as last pulled (sync.ts);
   * null: none known, the studio's own policy speaks. The check's advice follows it, so the studio
   * never calls "allowed" what that marketplace refuses.
   */
  marketOwnPartReuse: () => OwnPartReuseRule | null = () => null;
  /** Match cards as people read them: one per asset, creators by name (set by the marketplace link, services/listings.ts). */
  describeMatches: (r: CheckResult) => CheckResult = (r) => r;

  private constructor(readonly opts: StudioOptions) {
    const dbPath = join(opts.dataDir, 'library.sqlite');
    // The media index is built in the background from the start (its audio tables on a worker thread),
    // and so is the whole-file check of a large library (the tables read to open are checked first).
    this.engine = UniquenessEngine.open({
      dbPath,
      prepareMedia: true,
      warmFeatures: true,
      backgroundCheckAbove: opts.backgroundCheckAbove ?? BACKGROUND_CHECK_ABOVE_BYTES,
      // The live check runs again after every pause in typing, mostly with the same image: the last
      // few images are described once (engine/image-memo.ts), so a text edit is checked in the time
      // its text takes.
      memoImages: LIVE_CHECK_IMAGES,
    });
    migrateStudio(this.engine.db);
    this.backups = new RollingBackups(this.engine.db, dbPath, {
      ...opts.backups,
      onError: (err) => console.error(`[studio] library backup failed: ${err.message}`),
    });
    this.images = new ImageStore(join(opts.dataDir, 'images'));
    this.media = new StudioMedia(opts.dataDir, opts.mediaLimits);
    this.models = new ModelStore(opts.modelsDir ?? join(opts.dataDir, 'models'), opts.modelsManifest);
    this.creatorId = opts.creatorId ?? 'me';
    this.drafts = new Drafts(
      this.engine.db,
      (id) => this.db.prepare("SELECT 1 FROM assets WHERE id = ? AND source = 'local'").get(id) !== undefined,
      (sha) => this.images.has(sha),
    );
  }

  static async open(opts: StudioOptions): Promise<Studio> {
    // The data folder is owner-only (0700, files 0600); folders made by older versions are tightened here.
    // New files (the library, its WAL, images, backups) come out owner-only too.
    restrictUmask();
    securePrivateTree(opts.dataDir);
    const s = new Studio(opts);
    // The start-up backup runs in the background (the online API copies in steps): start is not delayed.
    // It waits for the whole-file check, so a file found damaged never becomes a backup.
    s.checked = s.engine.integrity.then(
      () => {
        if (!s.closing) void s.backups.start();
      },
      (err: unknown) => s.damaged(err),
    );
    await s.reloadModels();
    return s;
  }

  /**
   * Settles once the whole library file has been checked (in the background for a large file) and
   * the start-up backup has been started, or the damage reported (libraryDamage). Never rejects.
   */
  checked: Promise<void> = Promise.resolve();
  /** What the background check found wrong with the library file (null while nothing). */
  libraryDamage: LibraryFileError | null = null;
  private closing = false;

  /**
   * The background check found the file damaged after it opened: no backup is made of it from now on,
   * and the person is told which file, what is wrong and which backup to restore (the backend's
   * dialog in Electron; the app's banner and the console in browser mode).
   */
  private damaged(err: unknown): void {
    const e =
      err instanceof LibraryFileError
        ? err
        : new LibraryFileError(join(this.opts.dataDir, 'library.sqlite'), `could not be checked (${(err as Error).message})`);
    this.libraryDamage = e;
    console.error(`[studio] ${e.message}`);
    this.push.emit('library.damaged', { message: e.message, backup: e.backup });
  }

  /** Re-reads which weights are installed and gives the engine an embedder for those layers. */
  async reloadModels(): Promise<void> {
    this.engine.setEmbedder(usableEmbedder(await OnnxEmbedder.fromModelsDir(this.models.dir, { manifest: this.models.manifest })));
  }

  /** Closes the library once a backup in progress has finished. */
  async close(): Promise<void> {
    this.closing = true;
    await this.backups.stop();
    this.engine.close();
  }

  private get db() {
    return this.engine.db;
  }

  private row(id: string): AssetRow {
    const r = this.db
      .prepare(
        `SELECT a.id, a.name, a.asset_type, a.card_json, a.image_sha256, a.created_at, a.updated_at, s.rev, s.status
         FROM assets a LEFT JOIN asset_state s ON s.asset_id = a.id WHERE a.id = ? AND a.source = 'local'`,
      )
      .get(id) as AssetRow | undefined;
    if (!r) throw new ApiError('not_found', `no asset with id ${id}`, 'id', 404);
    return r;
  }

  private summary(r: AssetRow): AssetSummary {
    const card = JSON.parse(r.card_json) as AssetCard;
    return {
      id: r.id,
      name: r.name,
      assetType: r.asset_type,
      imageSha: r.image_sha256,
      rev: r.rev ?? 1,
      updatedAt: r.updated_at,
      // A card still blank (its type's template, its name aside, no image) was checked, but there
      // was nothing to check: never "Original" in the library, as the editor's panel says.
      status: isBlankCard(card, blankCard(r.asset_type, 0), r.image_sha256) ? null : r.status,
      tags: card.tags ?? [],
      ...(card.media?.sha256 && card.media.type !== 'image' ? { media: { kind: card.media.type, sha: card.media.sha256 } } : {}),
    };
  }

  private detail(r: AssetRow): AssetDetail {
    return { ...this.summary(r), card: JSON.parse(r.card_json) as AssetCard, createdAt: r.created_at };
  }

  private imageBytes(sha: string | null | undefined): Buffer | undefined {
    return sha ? this.images.read(sha) : undefined;
  }

  /** The stored audio/video file a card names (card.media.sha256), or null for cards without one. */
  mediaSha(card: AssetCard): string | null {
    return card.asset_type === 'media' && card.media && card.media.type !== 'image' && card.media.sha256 ? card.media.sha256 : null;
  }

  /**
   * A card's fingerprints with its image and, for a video or audio asset, its media file's
   * (computed on the engine's media worker, once per file). `requireMedia`: a card naming a file
   * that is not stored is refused (saving); otherwise it is checked without the media layer.
   * `live`: a live check's signal (its caller went away) and view token (media.cancel), never a save's;
   * `live.pinned`: the fingerprint is stored (a save, a restore from the trash), so no cancel stops it.
   */
  private async fingerprintOf(
    card: AssetCard,
    image: Buffer | undefined,
    requireMedia: boolean,
    live: { signal?: AbortSignal | undefined; caller?: string | undefined; pinned?: boolean } = {},
  ): Promise<AssetFingerprints> {
    const sha = this.mediaSha(card);
    const present = sha !== null && this.media.store.path(sha) !== null;
    if (sha && !present && requireMedia) throw new ApiError('media_not_found', 'import the audio or video file first', 'card.media', 404);
    try {
      // A save's fingerprint is pinned: cancelling the file's previews (media.cancel) never stops it.
      const [fp, media] = await Promise.all([
        this.engine.fingerprint(card, image),
        present ? this.media.fingerprint(sha, requireMedia || live.pinned ? { pinned: true } : live) : null,
      ]);
      return media ? { ...fp, media } : fp;
    } catch (err) {
      throw fromEngineError(err, { field: (f) => (f === 'file' ? 'card.media' : (f ?? 'image')) });
    }
  }

  /** Adds to each media match what the timeline needs: both files' durations and SHA-256s (the other's only when stored here). */
  private withMediaTimelines(r: CheckResult, fp: AssetFingerprints): CheckResult {
    const info = this.db.prepare('SELECT m.info_json FROM media_fingerprints m JOIN assets a ON a.rowid = m.asset_rowid WHERE a.id = ?');
    for (const m of r.matches) {
      if (!m.media?.length) continue;
      const row = info.get(m.assetId) as { info_json: string | null } | undefined;
      const stored = row?.info_json ? (JSON.parse(row.info_json) as { durationSeconds?: number; sha256?: string }) : null;
      m.media = m.media.map((mm) => ({
        ...mm,
        ...(fp.media ? { queryDurationSeconds: fp.media.info.durationSeconds, querySha256: fp.media.sha256 } : {}),
        ...(stored?.durationSeconds !== undefined ? { matchDurationSeconds: stored.durationSeconds } : {}),
        ...(stored?.sha256 && this.media.store.path(stored.sha256) ? { matchSha256: stored.sha256 } : {}),
      }));
    }
    return r;
  }

  /** The engine's policy with the connected marketplace's `ownPartReuse` where that differs (none to pass otherwise). */
  private marketPolicy(): { policy?: UniquenessPolicy } {
    const own = this.marketOwnPartReuse();
    return own && own !== ownPartReuse(this.engine.policy) ? { policy: { ...this.engine.policy, ownPartReuse: own } } : {};
  }

  /** The uniqueness status of one of this library's assets: never matched against itself or its own marketplace listing. */
  private statusOf(id: string, card: AssetCard, fp: AssetFingerprints): CheckStatus {
    return this.engine.checkFingerprints({
      card,
      creatorId: this.creatorId,
      fp,
      excludeId: id,
      excludeIds: this.relatedIds(id),
      selfCreatorIds: this.selfCreatorIds(),
    }).status;
  }

  /**
   * Saves a card (and image) as a new revision. Fingerprints are computed first; the library row,
   * the revision and the status are then written in one transaction, so a crash leaves either the
   * old revision or the new one, never a mix.
   */
  private async write(id: string, card: AssetCard, imageSha: string | null, expectRev: number | null): Promise<AssetDetail> {
    const fp = await this.fingerprintOf(card, this.imageBytes(imageSha), true);
    const status = this.statusOf(id, card, fp);
    const dup = this.db
      .prepare("SELECT id, name FROM assets WHERE creator_id = ? AND metadata_hash = ? AND id != ? AND source = 'local'")
      .get(this.creatorId, metadataHash(card), id) as { id: string; name: string } | undefined;
    if (dup) {
      throw new ApiError(
        'duplicate_metadata',
        `your asset “${dup.name}” already has exactly this name, description and tags; change one of them`,
        'card.name',
        409,
      );
    }
    const tx = this.db.transaction(() => {
      const cur = this.db.prepare('SELECT rev FROM asset_state WHERE asset_id = ?').get(id) as { rev: number } | undefined;
      if (expectRev !== null && (cur?.rev ?? 0) !== expectRev) {
        throw new ApiError(
          'conflict',
          `this asset was saved elsewhere since you opened it (now revision ${cur?.rev}); reload it to see the latest`,
          'baseRev',
          409,
        );
      }
      const rev = (cur?.rev ?? 0) + 1;
      this.engine.indexFingerprints({ id, creatorId: this.creatorId, card }, fp);
      this.db
        .prepare('INSERT INTO revisions (asset_id, rev, card_json, image_sha256) VALUES (?,?,?,?)')
        .run(id, rev, JSON.stringify(card), imageSha);
      this.db
        .prepare(
          `INSERT INTO asset_state (asset_id, rev, status, checked_at) VALUES (?,?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'))
           ON CONFLICT(asset_id) DO UPDATE SET rev = excluded.rev, status = excluded.status, checked_at = excluded.checked_at`,
        )
        .run(id, rev, status);
    });
    try {
      tx();
    } catch (err) {
      // The database rolled back; make the in-memory search structures agree with it again.
      this.engine.rebuild();
      throw err;
    }
    this.backups.noteSave();
    return this.detail(this.row(id));
  }

  // ---------------------------------------------------------------- API

  info(): ApiOutput<'app.info'> {
    const n = (this.db.prepare("SELECT count(*) AS n FROM assets WHERE source = 'local'").get() as { n: number }).n;
    return {
      version: this.opts.version,
      mode: this.opts.mode,
      dataDir: this.opts.dataDir,
      creatorId: this.creatorId,
      assetCount: n,
      limits: MEDIA_LIMITS,
      libraryDamage: this.libraryDamage && { message: this.libraryDamage.message, backup: this.libraryDamage.backup },
    };
  }

  list(input: ApiParsedInput<'library.list'>): AssetSummary[] {
    const where = ["a.source = 'local'"];
    const args: unknown[] = [];
    if (input.type) {
      where.push('a.asset_type = ?');
      args.push(input.type);
    }
    if (input.q?.trim()) {
      where.push("lower(a.card_json) LIKE ? ESCAPE '\\'");
      args.push(
        `%${input.q
          .trim()
          .toLowerCase()
          .replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      );
    }
    const order =
      input.sort === 'name'
        ? 'lower(a.name) ASC'
        : input.sort === 'status'
          ? "CASE s.status WHEN 'flagged_plagiarism' THEN 0 WHEN 'duplicate_self' THEN 1 WHEN 'derivative_potential' THEN 2 ELSE 3 END, a.updated_at DESC"
          : 'a.updated_at DESC';
    const rows = this.db
      .prepare(
        `SELECT a.id, a.name, a.asset_type, a.card_json, a.image_sha256, a.created_at, a.updated_at, s.rev, s.status
         FROM assets a LEFT JOIN asset_state s ON s.asset_id = a.id WHERE ${where.join(' AND ')} ORDER BY ${order}`,
      )
      .all(...args) as AssetRow[];
    return rows.map((r) => this.summary(r));
  }

  get(id: string): AssetDetail {
    return this.detail(this.row(id));
  }

  async create(input: ApiParsedInput<'assets.create'>): Promise<AssetDetail> {
    const card = cardOrThrow(input.card);
    if (input.imageSha && !this.images.has(input.imageSha))
      throw new ApiError('image_not_found', 'import the image first', 'imageSha', 404);
    const id = `a_${randomBytes(8).toString('hex')}`;
    return this.write(id, card, input.imageSha ?? null, null);
  }

  async save(input: ApiParsedInput<'assets.save'>): Promise<AssetDetail> {
    const cur = this.row(input.id);
    const card = cardOrThrow(input.card);
    const imageSha = input.imageSha === undefined ? cur.image_sha256 : input.imageSha;
    if (imageSha && !this.images.has(imageSha)) throw new ApiError('image_not_found', 'import the image first', 'imageSha', 404);
    return this.write(input.id, card, imageSha, input.baseRev);
  }

  remove(ids: string[]): { deleted: string[] } {
    const deleted: string[] = [];
    for (const id of ids) {
      const r = this.row(id);
      const revisions = this.db
        .prepare('SELECT rev, card_json, image_sha256, created_at FROM revisions WHERE asset_id = ? ORDER BY rev')
        .all(id);
      this.db.transaction(() => {
        this.db.prepare('INSERT OR REPLACE INTO trash (asset_id, payload) VALUES (?, ?)').run(
          id,
          JSON.stringify({
            card: JSON.parse(r.card_json),
            imageSha: r.image_sha256,
            createdAt: r.created_at,
            revisions,
            creatorId: this.creatorId,
          }),
        );
        this.engine.remove(id);
      })();
      deleted.push(id);
    }
    return { deleted };
  }

  async undoDelete(ids: string[]): Promise<{ restored: string[] }> {
    const restored: string[] = [];
    for (const id of ids) {
      const t = this.db.prepare('SELECT payload FROM trash WHERE asset_id = ?').get(id) as { payload: string } | undefined;
      if (!t) throw new ApiError('not_in_trash', `asset ${id} is not in the trash`, 'ids', 404);
      const p = JSON.parse(t.payload) as {
        card: AssetCard;
        imageSha: string | null;
        createdAt: string;
        revisions: { rev: number; card_json: string; image_sha256: string | null; created_at: string }[];
      };
      // Stored again, like a save: pinned, so a view's media.cancel of the file cannot stop it.
      const fp = await this.fingerprintOf(p.card, this.imageBytes(p.imageSha), false, { pinned: true });
      const status = this.statusOf(id, p.card, fp);
      this.db.transaction(() => {
        this.engine.indexFingerprints({ id, creatorId: this.creatorId, card: p.card }, fp);
        this.db.prepare('UPDATE assets SET created_at = ? WHERE id = ?').run(p.createdAt, id);
        const ins = this.db.prepare('INSERT INTO revisions (asset_id, rev, card_json, image_sha256, created_at) VALUES (?,?,?,?,?)');
        for (const r of p.revisions) ins.run(id, r.rev, r.card_json, r.image_sha256, r.created_at);
        const rev = p.revisions.at(-1)?.rev ?? 1;
        this.db
          .prepare(
            "INSERT OR REPLACE INTO asset_state (asset_id, rev, status, checked_at) VALUES (?,?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
          )
          .run(id, rev, status);
        this.db.prepare('DELETE FROM trash WHERE asset_id = ?').run(id);
      })();
      restored.push(id);
    }
    return { restored };
  }

  revisions(id: string): RevisionSummary[] {
    this.row(id);
    const rows = this.db
      .prepare('SELECT rev, card_json, image_sha256, created_at FROM revisions WHERE asset_id = ? ORDER BY rev DESC')
      .all(id) as {
      rev: number;
      card_json: string;
      image_sha256: string | null;
      created_at: string;
    }[];
    return rows.map((r, i) => {
      const card = JSON.parse(r.card_json) as AssetCard;
      const prev = rows[i + 1];
      // Every field that differs, nested ones included (shared/card-fields.ts names them for the screen).
      const changed = prev ? changedCardFields(JSON.parse(prev.card_json), card) : ['created'];
      if (prev && prev.image_sha256 !== r.image_sha256) changed.push('image');
      return { rev: r.rev, name: card.name, imageSha: r.image_sha256, createdAt: r.created_at, changed };
    });
  }

  revision(id: string, rev: number): ApiOutput<'assets.revision'> {
    const r = this.db
      .prepare('SELECT rev, card_json, image_sha256, created_at FROM revisions WHERE asset_id = ? AND rev = ?')
      .get(id, rev) as { rev: number; card_json: string; image_sha256: string | null; created_at: string } | undefined;
    if (!r) throw new ApiError('not_found', `asset ${id} has no revision ${rev}`, 'rev', 404);
    const card = JSON.parse(r.card_json) as AssetCard;
    return { rev: r.rev, name: card.name, imageSha: r.image_sha256, createdAt: r.created_at, changed: [], card };
  }

  /** Restoring writes the old revision again as a new revision: history is never rewritten. */
  async restore(id: string, rev: number): Promise<AssetDetail> {
    const old = this.revision(id, rev);
    const cur = this.row(id);
    return this.write(id, old.card, old.imageSha, cur.rev ?? 1);
  }

  async importImage(name: string, data: string): Promise<ApiOutput<'images.import'>> {
    return this.images.put(Buffer.from(data, 'base64'), name);
  }

  /** The live check; `signal`: its caller went away, which stops its media fingerprint unless another caller waits for it. */
  async check(input: ApiParsedInput<'check.run'>, signal?: AbortSignal): Promise<CheckResult> {
    const card = cardOrThrow(input.card);
    const t0 = performance.now();
    const fp = await this.fingerprintOf(card, this.imageBytes(input.imageSha), false, { signal, caller: input.caller });
    if (fp.media) await this.engine.prepareMedia(); // waits for the background build instead of building in the query
    const r = this.engine.checkFingerprints({
      card,
      fp,
      t0,
      creatorId: this.creatorId,
      excludeId: input.excludeId,
      excludeIds: input.excludeId ? this.relatedIds(input.excludeId) : [],
      selfCreatorIds: this.selfCreatorIds(),
      ...this.marketPolicy(),
    });
    return this.describeMatches(this.withMediaTimelines(r, fp));
  }

  async modelsStatus(): Promise<ModelsStatus> {
    const files = await this.models.status();
    const e = await OnnxEmbedder.fromModelsDir(this.models.dir, { manifest: this.models.manifest });
    const layers = Object.fromEntries(
      (['clip_image', 'clip_text', 'bge_text'] as const).map((s) => [s, e.state(s)]),
    ) as ModelsStatus['layers'];
    return {
      dir: this.models.dir,
      files: files.map((f) => ({
        model: f.model,
        path: f.path,
        role: f.role,
        state: f.state,
        expectedBytes: f.expectedBytes,
        verifiedBy: f.verifiedBy,
      })),
      layers,
      download: this.download,
    };
  }

  /**
   * Records the download's state and pushes it as `models.progress`: every start, file change and
   * end, and byte counts at most every 250 ms.
   */
  private setDownload(next: ModelsStatus['download']): void {
    const prev = this.download;
    this.download = next;
    const now = Date.now();
    if (next.active && prev.active && next.file === prev.file && now - this.downloadSentAt < 250) return;
    this.downloadSentAt = now;
    this.push.emit('models.progress', { download: next });
  }

  /** Starts a download in the background; progress is pushed as `models.progress` and read through modelsStatus(). */
  fetchModels(model?: string): { started: boolean } {
    if (this.download.active) return { started: false };
    this.setDownload({ active: true });
    this.models
      .fetch({
        model,
        onProgress: (p) => this.setDownload({ active: true, file: p.file, received: p.received, total: p.total }),
      })
      .then(
        async (done) => {
          this.download = { active: false, done };
          // Pushed once the new layers are loaded, so a screen refreshing on it sees them.
          await this.reloadModels().finally(() => this.setDownload({ active: false, done }));
        },
        (err: Error) => {
          this.setDownload({ active: false, error: downloadErrorText(err) });
        },
      );
    return { started: true };
  }

  async importModels(dir: string): Promise<ApiOutput<'models.import'>> {
    if (!existsSync(dir)) throw new ApiError('not_found', `no such folder: ${dir}`, 'dir', 404);
    const r = await this.models.importFrom(dir);
    await this.reloadModels();
    return r;
  }

  /** The asset as a spec asset card (the `luna_asset_card` wrapper) plus its image. */
  exportCard(id: string): ApiOutput<'cards.export'> {
    const a = this.get(id);
    const fp = this.db
      .prepare('SELECT f.bytes_sha256, f.image_json FROM fingerprints f JOIN assets a ON a.rowid = f.asset_rowid WHERE a.id = ?')
      .get(id) as { bytes_sha256: string | null; image_json: string | null } | undefined;
    const phash = fp?.image_json ? (JSON.parse(fp.image_json) as { views: { phash: string[][] }[] }).views[1]?.phash[0]?.[0] : undefined;
    const slug =
      a.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'asset';
    const card = {
      luna_asset_card: {
        version: '1.0',
        created_at: a.createdAt,
        asset_id: a.id,
        ...a.card,
        creator: { user_id: this.creatorId },
        fingerprints: {
          metadata_hash: `sha256:${metadataHash(a.card)}`,
          ...(fp?.bytes_sha256 ? { visual_hash: `sha256:${fp.bytes_sha256}` } : {}),
          ...(phash ? { perceptual_hash: `phash:${phash}` } : {}),
        },
      },
    };
    return {
      fileName: `${slug}.json`,
      card,
      ...(a.imageSha ? { image: this.images.read(a.imageSha).toString('base64'), imageFileName: `${slug}.webp` } : {}),
    };
  }

  async importCard(input: ApiParsedInput<'cards.import'>): Promise<AssetDetail> {
    const parsed = cardOrThrow(input.card);
    // A card exported elsewhere may name a media file this studio does not have: it is kept without it.
    const sha = this.mediaSha(parsed);
    const card = sha && !this.media.store.path(sha) && parsed.media ? { ...parsed, media: { ...parsed.media, sha256: undefined } } : parsed;
    const image = input.image ? await this.images.put(Buffer.from(input.image, 'base64'), input.imageName ?? 'image') : undefined;
    return this.create({ card, imageSha: image?.sha });
  }
}

export function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
