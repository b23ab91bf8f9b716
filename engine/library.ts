/**
 * The uniqueness engine as a library: index, check, remove, rebuild — a facade over the layers'
 * modules, used by the studio's main process, the CLI and the marketplace server alike.
 *
 *  - fingerprints.ts: what is computed per asset (model-free); semantic/: embeddings
 *    (embed-batch.ts adds them to fingerprints; vector-store.ts: sqlite-vec k-NN);
 *  - store/asset-rows.ts: the asset tables in SQLite (the only reader and writer);
 *  - index/: in-memory search structures (exact digests, multi-index hashing of pHashes, LSH,
 *    visual words, passages, media) and persisted.ts, which keeps them in step with SQLite;
 *  - check/: one module per group of layers gathering evidence per candidate, then result.ts:
 *    scoring.ts (evidence → Match) and decision.ts (matches → verdict);
 *  - store/: SQLite (migrations, blobs, analyses).
 */
import { availableParallelism } from 'node:os';
import type { AssetCard } from '../shared/asset.ts';
import type { CheckResult, Match } from '../shared/check.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import { CheckContext } from './check/context.ts';
import { exactLayer, localLayer, visualLayer } from './check/image-layers.ts';
import { type SemanticHits, mediaLayer, semanticLayer } from './check/other-layers.ts';
import { checkResult, rankMatches } from './check/result.ts';
import { applyLexical, lexicalScores, passageLayer } from './check/text-layers.ts';
import { Lanes } from './concurrency.ts';
import { type AssetFingerprints, type MediaData, modelFreeFingerprints } from './fingerprints.ts';
import { ImageMemo } from './image-memo.ts';
import { PersistedIndexes } from './index/persisted.ts';
import type { PrepareOutcome } from './media/index.ts';
import { warmLocalFeaturePool } from './image/local/pool.ts';
import type { MediaDataOptions } from './media-file.ts';
import { mediaData } from './media-pool.ts';
import { embedBatch } from './semantic/embed-batch.ts';
import type { Embedder, VectorSpace } from './semantic/types.ts';
import { VectorStore } from './semantic/vector-store.ts';
import { recordAnalysis } from './store/analyses.ts';
import { AssetRows, indexedDataOfFingerprints } from './store/asset-rows.ts';
import { type DB, checkDeferred, openDatabase } from './store/db.ts';
import { quickCheckInBackground } from './store/integrity.ts';
import { describeRegion, describeRegionReusedBy } from './explain.ts';
import { describeReusedBy } from './text/passage-summary.ts';
import { Statements } from './store/statements.ts';

export type { AssetFingerprints, LexicalSig } from './fingerprints.ts';
export { codeTokens, lexicalScore } from './fingerprints.ts';
export { decideStatus } from './decision.ts';
export { joinResults } from './check/result.ts';
export { ENGINE_VERSION } from './store/asset-rows.ts';

export interface AssetInput {
  id: string;
  creatorId: string;
  card: AssetCard;
  image?: Uint8Array | undefined;
  source?: 'local' | 'marketplace';
}

export interface CheckInput {
  card: AssetCard;
  image?: Uint8Array | undefined;
  creatorId: string;
  /** Leave this asset out of the matches (re-checking an asset already in the library). */
  excludeId?: string | undefined;
  /** Other creator ids that are the same person (the studio: the signed-in creator's marketplace id). */
  selfCreatorIds?: string[] | undefined;
  /** More assets to leave out (the studio: the marketplace copy of the asset being checked). */
  excludeIds?: string[] | undefined;
  /** Store the analysis in similarity_analyses under this reference. */
  recordAs?: string | undefined;
  /**
   * Semantic neighbours found elsewhere (the marketplace server searches pgvector): used instead
   * of the local vector tables for these spaces.
   */
  semanticHits?: SemanticHits | undefined;
}

/**
 * Items fingerprinted at once by fingerprintMany: two per core. Each image passes through phases
 * that run on different threads (decode and resizes in libvips, hashing on this thread, ORB in a
 * feature worker); with one more item than cores those phases left both cores idle part of the time
 * (bulk indexing of 300 clip-art files, 2 cores: 3 lanes 33.8 / 34.2 images/s, 4 lanes 35.9 / 36.1 /
 * 36.9). The cost is memory: one more decoded image held per core (README, Benchmarks).
 */
const FINGERPRINT_LANES = Math.max(2, 2 * availableParallelism());

export interface FingerprintOptions {
  /** The fingerprints will only be stored, never used as a query (no mirrored feature view). */
  forIndexOnly?: boolean;
  /** A query's zoom windows (policy local.zoom; steps 0 there turns them off). Default true; false only for measuring their cost (bench). */
  zoom?: boolean;
}

export interface MediaAssetInput extends Omit<AssetInput, 'image'> {
  /** The audio or video file. */
  path: string;
  signal?: AbortSignal | undefined;
}

export interface MediaCheckInput extends Omit<CheckInput, 'image'> {
  path: string;
  signal?: AbortSignal | undefined;
}

export interface EngineOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  policy?: UniquenessPolicy;
  /** Semantic layer; without one (or without weights) semantic layers report `unavailable`. */
  embedder?: Embedder | undefined;
  /**
   * Build the media index in the background right after opening (MediaIndex.prepare; the audio
   * tables on a worker thread), so the first media check does not wait for it. Off by default:
   * a one-shot CLI command or an in-memory index has nothing to gain.
   */
  prepareMedia?: boolean;
  /**
   * Start the local-feature workers and their OpenCV runtimes (about half a second each) while the
   * indexes load, so the first image check does not wait for them. Off by default, as above.
   */
  warmFeatures?: boolean;
  /**
   * Check the whole library file in the background when it is larger than this many bytes: opening
   * then checks only the tables it reads, and `integrity` settles once a worker thread has read
   * every page (store/db.ts OpenOptions). Default: the whole file is checked before open returns.
   */
  backgroundCheckAbove?: number;
  /**
   * Query images whose image-derived fingerprints are kept (engine/image-memo.ts), most recently
   * used first: a host that checks the same image again and again while its card's text changes
   * (the studio's live check) then describes it once. Default 0: every call computes afresh, as a
   * one-shot check, the marketplace and the bench (which times fingerprinting) need.
   */
  memoImages?: number;
}

export class UniquenessEngine {
  readonly db: DB;
  readonly policy: UniquenessPolicy;
  private embedder: Embedder | undefined;
  private sizeCache: number | null = null;
  private readonly sql: Statements;
  private readonly vectors: VectorStore;
  private readonly rows: AssetRows;
  private readonly indexes: PersistedIndexes;
  /** Model-free fingerprinting jobs in flight at once, across every bulk (forIndexOnly) call. */
  private readonly indexLanes = new Lanes(FINGERPRINT_LANES);
  /** Query images' fingerprints kept between calls (EngineOptions.memoImages). */
  private readonly imageMemo: ImageMemo;
  /**
   * Settles when the whole library file has been checked: at once when open checked it, else when
   * the background check ends (rejects with a LibraryFileError naming the damage).
   */
  integrity: Promise<void> = Promise.resolve();
  private cancelIntegrity: (() => Promise<void>) | undefined;

  private constructor(db: DB, policy: UniquenessPolicy, embedder: Embedder | undefined, imageMemo: ImageMemo) {
    this.db = db;
    this.imageMemo = imageMemo;
    this.policy = policy;
    this.embedder = embedder;
    this.sql = new Statements(db);
    this.vectors = new VectorStore(this.sql, () => this.policy);
    this.rows = new AssetRows(this.sql, this.vectors, (space) => this.modelSha(space));
    this.indexes = new PersistedIndexes(db, this.sql, this.rows);
  }

  static open(opts: EngineOptions): UniquenessEngine {
    const memo = new ImageMemo(opts.memoImages ?? 0); // first: a bad capacity throws before the file is opened
    const db = openDatabase(opts.dbPath, opts.backgroundCheckAbove === undefined ? {} : { deferCheckAbove: opts.backgroundCheckAbove });
    const e = new UniquenessEngine(db, opts.policy ?? UNIQUENESS_POLICY, opts.embedder, memo);
    // First: the workers start on their own threads while the indexes load on this one. A failure
    // here is not the open's: the first image check meets it and reports the layer unavailable.
    if (opts.warmFeatures) warmLocalFeaturePool().catch(() => undefined);
    e.indexes.load();
    if (checkDeferred(db)) {
      // On its own thread and connection, once the indexes are loaded: started before, it read the
      // whole file while they loaded and slowed them on a 2-core machine (README, "Opening a 100k
      // library, again").
      const check = quickCheckInBackground(opts.dbPath);
      e.integrity = check.done;
      e.integrity.catch(() => undefined); // a caller that never asks is not an unhandled rejection
      e.cancelIntegrity = check.cancel;
    }
    // Its failure is not the opener's: a query builds synchronously instead (MediaIndex.prepare).
    if (opts.prepareMedia) e.prepareMedia().catch(() => undefined);
    return e;
  }

  /** How many query images' fingerprints are kept now (EngineOptions.memoImages). */
  get memoisedImages(): number {
    return this.imageMemo.size;
  }

  setEmbedder(embedder: Embedder | undefined): void {
    this.embedder = embedder;
  }

  private modelSha(space: VectorSpace): string {
    return this.embedder?.state(space).modelSha256 ?? 'unknown';
  }

  get size(): number {
    this.sizeCache ??= this.rows.count();
    return this.sizeCache;
  }

  /** Saves the index snapshots (when anything changed since the last) and closes the store. */
  close(): void {
    if (this.db.open) {
      // A background media build still reading pages stops first: it must not read a closed store.
      this.indexes.indexes.media.abandon();
      void this.cancelIntegrity?.();
      this.indexes.flush();
      this.db.close();
    }
  }

  /** Writes the index snapshots now (see index/persisted.ts). */
  flush(): void {
    this.indexes.flush();
  }

  // ---------------------------------------------------------------- fingerprints

  /**
   * Computes every fingerprint of a card (and image) without touching the store. `forIndexOnly`
   * skips what only a query needs (the mirrored view of the local features), halving feature
   * extraction when fingerprints are only stored.
   */
  async fingerprint(card: AssetCard, image?: Uint8Array, opts: FingerprintOptions = {}): Promise<AssetFingerprints> {
    const [r] = await this.fingerprintMany([{ card, image }], opts);
    if (!r) throw new Error('no fingerprint');
    if (r instanceof Error) throw r;
    return r;
  }

  /**
   * Fingerprints several assets; embeddings are computed in batches. A failure of one item (an
   * unreadable image, say) is returned in its slot as an Error and does not affect the others.
   */
  async fingerprintMany(
    items: { card: AssetCard; image?: Uint8Array | undefined }[],
    opts: FingerprintOptions = {},
  ): Promise<(AssetFingerprints | Error)[]> {
    // Decoding and hashing run in libvips' threads and the feature workers: keep several items
    // in flight so every core is busy while this thread only orchestrates. Bulk work shares the
    // engine's lanes, so batches fingerprinted ahead (engine/concurrency.ts ahead) queue behind
    // each other instead of multiplying the work in flight; a query gets lanes of its own and
    // never waits behind a bulk import.
    const lanes = opts.forIndexOnly ? this.indexLanes : new Lanes(FINGERPRINT_LANES);
    const zoom = this.policy.local.zoom.steps > 0 ? this.policy.local.zoom : undefined;
    const boxes = this.policy.visual.boxes.on ? this.policy.visual.boxes : undefined;
    const tilt = this.policy.local.tilt.factors.length > 0 ? this.policy.local.tilt : undefined;
    // A query image seen lately is not described again (EngineOptions.memoImages); stored ones always are.
    const memo = !opts.forIndexOnly && this.imageMemo.capacity > 0 ? this.imageMemo : null;
    const keys = items.map((it) => (memo && it.image ? ImageMemo.key(it.image, opts.zoom === false ? 'query, no zoom' : 'query') : null));
    const out = await Promise.all(
      items.map((it, i) =>
        lanes
          .run(() =>
            modelFreeFingerprints(it.card, it.image, {
              mirror: !opts.forIndexOnly,
              zoom: opts.zoom === false ? undefined : zoom,
              boxes,
              sharpen: this.policy.local.sharpen,
              invert: this.policy.local.invert,
              tilt,
              memo: memo && keys[i] ? { memo, key: keys[i] } : undefined,
            }),
          )
          .catch((err: unknown) => err as Error),
      ),
    );
    const ok = out.flatMap((fp, i) =>
      fp instanceof Error ? [] : [{ fp, card: items[i]!.card, image: items[i]!.image, key: keys[i] ?? null }],
    );
    const embedder = this.embedder;
    // A kept CLIP image vector is reused while the embedder that computed it is the engine's (embedBatch skips it).
    const fresh = ok.filter((x) => !(memo && x.key && memo.restoreVector(x.key, embedder, x.fp)));
    await embedBatch(ok, embedder);
    if (memo) for (const x of fresh) if (x.key) memo.keepVector(x.key, embedder, x.fp);
    return out;
  }

  // ---------------------------------------------------------------- index

  /** Fingerprints and stores an asset (insert or replace by id). */
  async index(input: AssetInput): Promise<AssetFingerprints> {
    const fp = await this.fingerprint(input.card, input.image, { forIndexOnly: true });
    this.indexFingerprints(input, fp);
    return fp;
  }

  /**
   * Fingerprints an asset's card and its audio or video file (decoded in the pooled FFmpeg
   * processes) and stores both in one transaction: a file FFmpeg cannot read throws an EngineError
   * and stores nothing. The card's text goes through every other layer as usual.
   */
  async indexMedia(input: MediaAssetInput): Promise<AssetFingerprints> {
    // Stored, never a query: the keyframes' mirrored views are not computed.
    const fp = await this.fingerprintWithMedia(input.card, input.path, input.signal, { forIndexOnly: true });
    input.signal?.throwIfAborted();
    this.indexFingerprints(input, fp);
    return fp;
  }

  /**
   * The card's fingerprints and the media file's, computed side by side. `forIndexOnly`: they will
   * only be stored, never used as a query (the keyframes get no mirrored views).
   */
  async fingerprintWithMedia(
    card: AssetCard,
    path: string,
    signal?: AbortSignal,
    opts: MediaDataOptions = {},
  ): Promise<AssetFingerprints & { media: MediaData }> {
    const [fp, media] = await Promise.all([this.fingerprint(card), mediaData(path, signal, opts)]);
    return { ...fp, media };
  }

  /**
   * Stores precomputed fingerprints (bulk indexing, the marketplace index feed). Atomic: on a
   * constraint failure (e.g. UNIQUE(creator, metadata_hash)) nothing is written. Like the image's,
   * the media fingerprint is replaced: fingerprints without `media` remove a stored one.
   */
  indexFingerprints(input: Omit<AssetInput, 'image'>, fp: AssetFingerprints): void {
    const [err] = this.indexFingerprintsMany([{ input, fp }]);
    if (err) throw err;
  }

  /**
   * Stores many precomputed fingerprints in one transaction (bulk indexing: one commit per batch).
   * Each asset is still atomic on its own (a savepoint): one that fails (its Error is returned in
   * its slot; null for success) leaves the others stored. The in-memory indexes take the assets
   * once the batch has committed.
   */
  indexFingerprintsMany(entries: readonly { input: Omit<AssetInput, 'image'>; fp: AssetFingerprints }[]): (Error | null)[] {
    const errors: (Error | null)[] = entries.map(() => null);
    const stored: { rowid: number; fp: AssetFingerprints }[] = [];
    const one = this.db.transaction((input: Omit<AssetInput, 'image'>, fp: AssetFingerprints) => {
      const rowid = this.rows.write(input, fp);
      this.recordWrite(rowid);
      return rowid;
    });
    this.db.transaction(() => {
      entries.forEach(({ input, fp }, i) => {
        try {
          stored.push({ rowid: one(input, fp), fp });
        } catch (err) {
          errors[i] = err as Error;
        }
      });
    })();
    for (const { rowid, fp } of stored) this.indexes.add(rowid, indexedDataOfFingerprints(fp));
    this.indexes.maybeFlush(this.size);
    return errors;
  }

  private recordWrite(rowid: number): void {
    this.indexes.recordWrite(rowid);
    this.sizeCache = null;
  }

  /** k nearest stored vectors by cosine (see semantic/vector-store.ts). */
  nearestVectors(space: VectorSpace, v: Float32Array, modelSha: string, k: number): { rowid: number; cosine: number }[] {
    return this.vectors.nearest(space, v, modelSha, k);
  }

  /** Removes an asset from the store and every index. Returns whether it existed. */
  remove(id: string): boolean {
    const rowid = this.rows.rowidOf(id);
    if (rowid === undefined) return false;
    this.db.transaction(() => {
      this.rows.delete(rowid);
      this.recordWrite(rowid);
    })();
    this.indexes.remove(rowid);
    this.indexes.maybeFlush(this.size);
    return true;
  }

  has(id: string): boolean {
    return this.rows.rowidOf(id) !== undefined;
  }

  /** The stored card of an asset. */
  getCard(id: string): AssetCard | null {
    return this.rows.card(id);
  }

  /** Builds the media index now, in the background where it can (see MediaIndex.prepare); resolves when built. */
  prepareMedia(): Promise<PrepareOutcome> {
    return this.indexes.indexes.media.prepare();
  }

  /** Reloads the in-memory search structures from the store (e.g. after another process wrote). */
  rebuild(): void {
    this.indexes.load();
    this.sizeCache = null;
  }

  // ---------------------------------------------------------------- check

  async check(input: CheckInput): Promise<CheckResult> {
    const t0 = performance.now();
    const fp = await this.fingerprint(input.card, input.image);
    return this.checkFingerprints({ ...input, fp, t0 });
  }

  /** Checks a card with its audio or video file; media matches carry time ranges in both files. */
  async checkMedia(input: MediaCheckInput): Promise<CheckResult> {
    const t0 = performance.now();
    const fp = await this.fingerprintWithMedia(input.card, input.path, input.signal);
    await this.prepareMedia(); // a deferred media index is built off the event loop, not in the query
    return this.checkFingerprints({ ...input, fp, t0 });
  }

  /**
   * The check on precomputed fingerprints (the server recomputes them itself; benchmarks use this).
   * `policy` replaces the engine's for this check only (the bench measures a layer's cost with it off).
   */
  checkFingerprints(args: CheckInput & { fp: AssetFingerprints; t0?: number; policy?: UniquenessPolicy }): CheckResult {
    const t0 = args.t0 ?? performance.now();
    const excluded = new Set(
      [args.excludeId, ...(args.excludeIds ?? [])].flatMap((id) => {
        const row = id === undefined ? undefined : this.rows.rowidOf(id);
        return row === undefined ? [] : [row];
      }),
    );
    const ctx = new CheckContext(args.fp, args.card, this.rows, this.indexes.indexes, args.policy ?? this.policy, excluded);
    exactLayer(ctx);
    visualLayer(ctx);
    const lexical = lexicalScores(ctx);
    semanticLayer(ctx, this.vectors, (space) => this.modelSha(space), args.semanticHits);
    localLayer(ctx);
    passageLayer(ctx);
    mediaLayer(ctx);
    applyLexical(ctx, lexical);
    const top = rankMatches(ctx, args.selfCreatorIds ?? [], args.creatorId);
    markLater(
      top,
      args.excludeId === undefined ? null : this.rows.origin(args.excludeId),
      args.creatorId,
      (id) => this.rows.origin(id),
      args.card,
    );
    const result: CheckResult = { ...checkResult(ctx, top, args.creatorId, t0), compared: Math.max(0, this.size - excluded.size) };
    if (args.recordAs) recordAnalysis(this.sql, args.recordAs, result, this.policy.duplicate);
    return result;
  }
}

/**
 * Marks the creator's own library assets first indexed after the asset being checked (`self`, its
 * own row: a re-check of a saved asset) as later: the older asset is the original of the two.
 * Marketplace index copies are never marked — their rows date from the sync, not from publishing.
 * A later asset's reused passages and image region are told from this side: it reuses this card's
 * text, or is a crop of this image, not the other way round.
 */
function markLater(
  top: Match[],
  self: { createdAt: string; source: string } | null,
  creatorId: string,
  origin: (id: string) => { createdAt: string; source: string } | null,
  card: AssetCard,
): void {
  if (!self) return;
  for (const m of top) {
    if (m.creatorId !== creatorId) continue;
    const o = origin(m.assetId);
    if (!o || o.source !== 'local' || o.createdAt <= self.createdAt) continue;
    m.later = true;
    if (m.passages?.length && m.summary?.startsWith('reuses ')) m.summary = describeReusedBy(m.passages, card, m.name);
    if (m.region && m.summary === describeRegion(m.region, m.name)) m.summary = describeRegionReusedBy(m.region, m.name);
  }
}
