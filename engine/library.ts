/**
 * The uniqueness engine as a library: index, check, remove, rebuild — a facade over the layers'
 * modules, used by the studio's main process, the CLI and the marketplace server alike.
 *
 *  - fingerprints.ts: what is computed per asset (model-free); semantic/: embeddings;
 *  - index/: in-memory search structures (exact digests, multi-index hashing of pHashes, LSH);
 *  - semantic/vector-store.ts: sqlite-vec k-NN;
 *  - scoring.ts: per-candidate evidence → Match; decision.ts: matches → verdict;
 *  - store/: SQLite (migrations, blobs, analyses).
 *
 * Storage is SQLite (see store/db.ts). Search structures live in memory and are rebuilt from the
 * fingerprints table on open.
 */
import { availableParallelism } from 'node:os';
import type { AssetCard } from '../shared/asset.ts';
import type { CheckResult, LayerName, LayerRun, Match } from '../shared/check.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import { Lanes } from './concurrency.ts';
import { decideStatus } from './decision.ts';
import { type AssetFingerprints, type MediaData, lexicalScore, modelFreeFingerprints } from './fingerprints.ts';
import { fromHex } from './hash/bits.ts';
import { type ImageFingerprint, SCALES } from './image/fingerprint.ts';
import { dihedralSignature, signatureCosine } from './image/perceptual.ts';
import type { Entry } from './index/entry.ts';
import { type IndexedData, SNAPSHOT_FORMAT, SearchIndexes, mediaRef } from './index/search-indexes.ts';
import { mediaData } from './media-pool.ts';
import { type StoredFingerprint, deserializeFingerprint, serializeFingerprint } from './media/serialize.ts';
import { type Evidence, type StoredMediaInfo, emptyEvidence, scoreMatch } from './scoring.ts';
import type { Embedder, VectorSpace } from './semantic/types.ts';
import { SPACES, VectorStore } from './semantic/vector-store.ts';
import { recordAnalysis } from './store/analyses.ts';
import { blobToSig, sigToBlob } from './store/blobs.ts';
import { type DB, openDatabase } from './store/db.ts';
import { Statements } from './store/statements.ts';
import { changedFields, metadataText } from './text/metadata.ts';
import { decodePassageFingerprint, encodePassageFingerprint } from './text/passage-codec.ts';
import { passageVerdict } from './text/passage-layer.ts';
import { DEFAULT_PASSAGE_PARAMS } from './text/winnow.ts';
import { deserialize as deserializeLocal, forLibrary, serialize as serializeLocal } from './image/local/serialize.ts';
import { verify as verifyLocal } from './image/local/verify.ts';
import { withContext } from './explain.ts';
import { minhashJaccard } from './text/shingles.ts';

export type { AssetFingerprints, LexicalSig } from './fingerprints.ts';
export { codeTokens, lexicalScore } from './fingerprints.ts';
export { decideStatus } from './decision.ts';

/** Bumped when fingerprints change meaning; `rebuild` recomputes older rows. */
export const ENGINE_VERSION = 1;

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
  semanticHits?: Partial<Record<VectorSpace, { assetId: string; cosine: number }[]>> | undefined;
}

/** Items fingerprinted at once by fingerprintMany. */
const FINGERPRINT_LANES = Math.max(2, availableParallelism() + 1);

export interface FingerprintOptions {
  /** The fingerprints will only be stored, never used as a query (no mirrored feature view). */
  forIndexOnly?: boolean;
}

const sigBytes = (s: string) => new Int8Array(Buffer.from(s, 'base64'));

/**
 * A text or code score below this opens no candidate on its own: with the combined score's
 * weights it cannot reach the 0.3 a match needs to be reported.
 */
const WEAK_SCORE = 0.2;

interface SigRow {
  text_minhash: Buffer;
  text_size: number;
  code_minhash: Buffer | null;
  code_size: number | null;
}

interface IndexRow {
  asset_rowid: number;
  image_json: string | null;
  text_minhash: Buffer;
  code_minhash: Buffer | null;
  passages: Buffer | null;
  local: Buffer | null;
  media: Buffer | null;
}

const INDEX_ROW_SQL = `SELECT f.asset_rowid, f.image_json, f.text_minhash, f.code_minhash, p.data AS passages, l.data AS local, m.data AS media
  FROM fingerprints f LEFT JOIN passage_fingerprints p ON p.asset_rowid = f.asset_rowid
  LEFT JOIN local_features l ON l.asset_rowid = f.asset_rowid LEFT JOIN media_fingerprints m ON m.asset_rowid = f.asset_rowid`;

/**
 * A stored media fingerprint, or null when it is damaged or from an older fingerprint format (it
 * then needs recomputing from its file, which the library does not keep): such an asset is left
 * out of the media index rather than stopping the engine from opening.
 */
function storedMedia(blob: Buffer | null): StoredFingerprint | null {
  if (!blob) return null;
  try {
    return deserializeFingerprint(blob);
  } catch {
    return null;
  }
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

function indexedDataOf(r: IndexRow): IndexedData {
  return {
    image: r.image_json ? (JSON.parse(r.image_json) as Pick<ImageFingerprint, 'views'>) : null,
    text: blobToSig(r.text_minhash),
    code: r.code_minhash ? blobToSig(r.code_minhash) : null,
    passages: r.passages ? decodePassageFingerprint(r.passages).fp : null,
    local: r.local ? deserializeLocal(r.local) : null,
    media: storedMedia(r.media),
  };
}

export interface EngineOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  policy?: UniquenessPolicy;
  /** Semantic layer; without one (or without weights) semantic layers report `unavailable`. */
  embedder?: Embedder | undefined;
}

export class UniquenessEngine {
  readonly db: DB;
  readonly policy: UniquenessPolicy;
  private embedder: Embedder | undefined;
  private indexes = new SearchIndexes();
  /** The write generation the in-memory indexes reflect (engine_meta.generation). */
  private generation = 0;
  /** Another process wrote since this engine loaded: its snapshots would be stale, so it saves none. */
  private stale = false;
  private journalSize = 0;
  private sizeCache: number | null = null;
  private readonly sql: Statements;
  private readonly vectors: VectorStore;
  /** Model-free fingerprinting jobs in flight at once, across every bulk (forIndexOnly) call. */
  private readonly indexLanes = new Lanes(FINGERPRINT_LANES);

  private constructor(db: DB, policy: UniquenessPolicy, embedder: Embedder | undefined) {
    this.db = db;
    this.policy = policy;
    this.embedder = embedder;
    this.sql = new Statements(db);
    this.vectors = new VectorStore(this.sql, () => this.policy);
  }

  /** Prepared statements are compiled once per engine. */
  private stmt(sql: string) {
    return this.sql.get(sql);
  }

  static open(opts: EngineOptions): UniquenessEngine {
    const e = new UniquenessEngine(openDatabase(opts.dbPath), opts.policy ?? UNIQUENESS_POLICY, opts.embedder);
    e.loadIndexes();
    return e;
  }

  setEmbedder(embedder: Embedder | undefined): void {
    this.embedder = embedder;
  }

  get size(): number {
    this.sizeCache ??= (this.stmt('SELECT count(*) AS n FROM assets').get() as { n: number }).n;
    return this.sizeCache;
  }

  /** Saves the index snapshots (when anything changed since the last) and closes the store. */
  close(): void {
    if (this.db.open) {
      this.flush();
      this.db.close();
    }
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
    const out = await Promise.all(
      items.map((it) =>
        lanes.run(() => modelFreeFingerprints(it.card, it.image, { mirror: !opts.forIndexOnly })).catch((err: unknown) => err as Error),
      ),
    );
    const ok = out
      .map((r, i) => ({ r, it: items[i] as (typeof items)[number] }))
      .filter((x): x is { r: AssetFingerprints; it: (typeof items)[number] } => !(x.r instanceof Error));
    for (const space of SPACES) {
      const targets = space === 'clip_image' ? ok.filter((x) => x.it.image) : ok;
      for (const x of ok) if (space === 'clip_image' && !x.it.image) x.r.semantic[space] = { state: 'skipped', reason: 'no image' };
      if (!targets.length) continue;
      const st = this.embedder?.state(space);
      if (!this.embedder || !st?.available) {
        for (const x of targets)
          x.r.semantic[space] = {
            state: 'unavailable',
            reason: st?.reason ?? 'model weights not installed (run `originals models fetch`)',
          };
        continue;
      }
      try {
        const vecs =
          space === 'clip_image'
            ? await this.embedder.embedImages(targets.map((x) => x.it.image as Uint8Array))
            : space === 'clip_text'
              ? await this.embedder.embedClipTexts(targets.map((x) => metadataText(x.it.card)))
              : await this.embedder.embedTexts(targets.map((x) => metadataText(x.it.card)));
        targets.forEach((x, i) => {
          const v = vecs[i];
          if (v) {
            x.r.vectors[space] = v;
            x.r.semantic[space] = { state: 'ran' };
          }
        });
      } catch (err) {
        for (const x of targets) x.r.semantic[space] = { state: 'unavailable', reason: `inference failed: ${(err as Error).message}` };
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- index

  /**
   * Loads the search structures: from the snapshots plus the journal of assets changed since, or,
   * without usable snapshots, from every stored fingerprint (and then writes snapshots).
   */
  private loadIndexes(): void {
    this.generation = this.readGeneration();
    this.stale = false;
    const snaps = Object.fromEntries(
      (this.stmt('SELECT name, data FROM index_snapshots WHERE format = ?').all(SNAPSHOT_FORMAT) as { name: string; data: Buffer }[]).map(
        (r) => [r.name, r.data],
      ),
    );
    let loaded: SearchIndexes | null = null;
    try {
      loaded = SearchIndexes.fromSnapshots(snaps);
    } catch {
      loaded = null; // a damaged snapshot is rebuilt from the rows
    }
    if (loaded) {
      this.indexes = loaded;
      this.loadMedia();
      const journal = this.stmt('SELECT asset_rowid FROM index_journal').all() as { asset_rowid: number }[];
      this.journalSize = journal.length;
      for (const { asset_rowid } of journal) {
        const d = this.indexedData(asset_rowid);
        if (d) this.indexes.add(asset_rowid, d);
        else this.indexes.remove(asset_rowid);
      }
      return;
    }
    this.indexes = new SearchIndexes();
    const rows = this.stmt(`${INDEX_ROW_SQL}`).iterate() as Iterable<IndexRow>;
    for (const r of rows) this.indexes.add(r.asset_rowid, indexedDataOf(r));
    this.journalSize = Number.POSITIVE_INFINITY; // no snapshot yet: the next flush writes one
    if (this.size > 0) this.flush();
  }

  /**
   * The media index is not snapshotted: it is rebuilt from every stored media fingerprint, in bulk
   * and only when the first media check needs it (opening reads nothing). Unreadable blobs are skipped.
   */
  private loadMedia(): void {
    this.indexes.media.load(() => this.mediaRows());
  }

  private *mediaRows(): Generator<readonly [string, Buffer]> {
    const rows = this.stmt('SELECT asset_rowid, data FROM media_fingerprints').iterate() as Iterable<{ asset_rowid: number; data: Buffer }>;
    for (const r of rows) yield [mediaRef(r.asset_rowid), r.data] as const;
  }

  private indexedData(rowid: number): IndexedData | null {
    const r = this.stmt(`${INDEX_ROW_SQL} WHERE f.asset_rowid = ?`).get(rowid) as IndexRow | undefined;
    return r ? indexedDataOf(r) : null;
  }

  private readGeneration(): number {
    return (this.stmt("SELECT value FROM engine_meta WHERE key = 'generation'").get() as { value: number }).value;
  }

  /** Inside a write transaction: records the change in the journal and advances the generation. */
  private recordWrite(rowid: number): void {
    this.stmt('INSERT OR IGNORE INTO index_journal (asset_rowid) VALUES (?)').run(rowid);
    const g = (this.stmt("UPDATE engine_meta SET value = value + 1 WHERE key = 'generation' RETURNING value").get() as { value: number })
      .value;
    if (g !== this.generation + 1) this.stale = true;
    this.generation = g;
    this.journalSize++;
    this.sizeCache = null;
  }

  /**
   * Writes the index snapshots and empties the journal, in one transaction. Done on close and once
   * the journal grows past a tenth of the library, so opening replays little. Skipped when another
   * process wrote since this engine loaded (its snapshots would miss that process's changes).
   */
  flush(): void {
    if (this.stale || this.journalSize === 0 || this.db.memory) return;
    this.db.transaction(() => {
      if (this.readGeneration() !== this.generation) {
        this.stale = true;
        return;
      }
      const ins = this.stmt('INSERT OR REPLACE INTO index_snapshots (name, format, data) VALUES (?, ?, ?)');
      for (const [name, data] of Object.entries(this.indexes.snapshots())) ins.run(name, SNAPSHOT_FORMAT, data);
      this.stmt('DELETE FROM index_journal').run();
    })();
    if (!this.stale) this.journalSize = 0;
  }

  private maybeFlush(): void {
    if (this.journalSize > Math.max(2000, this.size / 10)) this.flush();
  }

  /** An indexed asset's stored fingerprints, for scoring a candidate. */
  private entry(rowid: number): Entry | null {
    const r = this.stmt(
      `SELECT a.rowid, a.id, a.creator_id, a.name, a.asset_type, a.card_json, a.metadata_hash, f.bytes_sha256, f.pixels_sha256,
              f.image_json, f.text_minhash, f.text_size, f.code_minhash, f.code_size
       FROM assets a JOIN fingerprints f ON f.asset_rowid = a.rowid WHERE a.rowid = ?`,
    ).get(rowid) as Record<string, unknown> | undefined;
    if (!r) return null;
    const image = r.image_json ? (JSON.parse(r.image_json as string) as Pick<ImageFingerprint, 'views' | 'color'>) : null;
    return {
      rowid,
      id: r.id as string,
      creatorId: r.creator_id as string,
      card: JSON.parse(r.card_json as string) as AssetCard,
      name: r.name as string,
      assetType: r.asset_type as string,
      metadataHash: r.metadata_hash as string,
      text: { sig: blobToSig(r.text_minhash as Buffer), size: r.text_size as number },
      code: r.code_minhash ? { sig: blobToSig(r.code_minhash as Buffer), size: r.code_size as number } : null,
      sigs: image ? image.views.flatMap((v) => v.sig.map(sigBytes)) : null,
      quality: image ? image.views.map((v) => v.quality) : null,
      color: image?.color ?? null,
      bytes: (r.bytes_sha256 as string | null) ?? null,
      pixels: (r.pixels_sha256 as string | null) ?? null,
    };
  }

  private rowidOf(id: string): number | undefined {
    return (this.stmt('SELECT rowid FROM assets WHERE id = ?').get(id) as { rowid: number } | undefined)?.rowid;
  }

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
    const fp = await this.fingerprintWithMedia(input.card, input.path, input.signal);
    input.signal?.throwIfAborted();
    this.indexFingerprints(input, fp);
    return fp;
  }

  /** The card's fingerprints and the media file's, computed side by side. */
  async fingerprintWithMedia(card: AssetCard, path: string, signal?: AbortSignal): Promise<AssetFingerprints & { media: MediaData }> {
    const [fp, media] = await Promise.all([this.fingerprint(card), mediaData(path, signal)]);
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
    const one = this.db.transaction((input: Omit<AssetInput, 'image'>, fp: AssetFingerprints) => this.writeRows(input, fp));
    this.db.transaction(() => {
      entries.forEach(({ input, fp }, i) => {
        try {
          stored.push({ rowid: one(input, fp), fp });
        } catch (err) {
          errors[i] = err as Error;
        }
      });
    })();
    for (const { rowid, fp } of stored)
      this.indexes.add(rowid, {
        image: fp.image,
        text: fp.text.sig,
        code: fp.code?.sig ?? null,
        passages: fp.passages,
        local: fp.local,
        media: fp.media?.fp ?? null,
      });
    this.maybeFlush();
    return errors;
  }

  /** The rows of one asset (inside a transaction); returns its rowid. */
  private writeRows(input: Omit<AssetInput, 'image'>, fp: AssetFingerprints): number {
    const existing = this.rowidOf(input.id);
    const rowid = (
      this.stmt(
        `INSERT INTO assets (id, creator_id, asset_type, name, card_json, metadata_hash, image_sha256, source) VALUES (?,?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET creator_id = excluded.creator_id, asset_type = excluded.asset_type, name = excluded.name,
           card_json = excluded.card_json, metadata_hash = excluded.metadata_hash, image_sha256 = excluded.image_sha256,
           source = excluded.source, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         RETURNING rowid`,
      ).get(
        input.id,
        input.creatorId,
        input.card.asset_type,
        input.card.name,
        JSON.stringify(input.card),
        fp.metadataHash,
        fp.image?.bytesSha256 ?? null,
        input.source ?? 'local',
      ) as { rowid: number }
    ).rowid;
    if (existing !== undefined) this.vectors.delete(rowid);
    const imageJson = fp.image
      ? JSON.stringify({
          views: fp.image.views,
          color: fp.image.color,
          width: fp.image.width,
          height: fp.image.height,
          format: fp.image.format,
        })
      : null;
    this.stmt(
      `INSERT OR REPLACE INTO fingerprints (asset_rowid, bytes_sha256, pixels_sha256, image_json, text_minhash, text_size, code_minhash, code_size, engine_version)
         VALUES (?,?,?,?,?,?,?,?,?)`,
    ).run(
      rowid,
      fp.image?.bytesSha256 ?? null,
      fp.image?.pixelsSha256 ?? null,
      imageJson,
      sigToBlob(fp.text.sig),
      fp.text.size,
      fp.code ? sigToBlob(fp.code.sig) : null,
      fp.code?.size ?? null,
      ENGINE_VERSION,
    );
    for (const space of SPACES) {
      const v = fp.vectors[space];
      if (v) this.vectors.insert(rowid, space, v, this.embedder?.state(space).modelSha256 ?? 'unknown');
    }
    this.stmt('INSERT OR REPLACE INTO passage_fingerprints (asset_rowid, data) VALUES (?, ?)').run(
      rowid,
      encodePassageFingerprint(fp.passages, DEFAULT_PASSAGE_PARAMS),
    );
    if (fp.local)
      this.stmt('INSERT OR REPLACE INTO local_features (asset_rowid, data) VALUES (?, ?)').run(rowid, serializeLocal(forLibrary(fp.local)));
    else this.stmt('DELETE FROM local_features WHERE asset_rowid = ?').run(rowid);
    if (fp.media)
      this.stmt('INSERT OR REPLACE INTO media_fingerprints (asset_rowid, kind, data, info_json) VALUES (?, ?, ?, ?)').run(
        rowid,
        fp.media.fp.video ? 'video' : 'audio',
        serializeFingerprint(fp.media.fp),
        JSON.stringify({ ...fp.media.info, sha256: fp.media.sha256 }),
      );
    else this.stmt('DELETE FROM media_fingerprints WHERE asset_rowid = ?').run(rowid);
    this.recordWrite(rowid);
    return rowid;
  }

  /** k nearest stored vectors by cosine (see semantic/vector-store.ts). */
  nearestVectors(space: VectorSpace, v: Float32Array, modelSha: string, k: number): { rowid: number; cosine: number }[] {
    return this.vectors.nearest(space, v, modelSha, k);
  }

  /** Removes an asset from the store and every index. Returns whether it existed. */
  remove(id: string): boolean {
    const rowid = this.rowidOf(id);
    if (rowid === undefined) return false;
    this.db.transaction(() => {
      this.vectors.delete(rowid);
      this.stmt('DELETE FROM assets WHERE rowid = ?').run(rowid);
      this.recordWrite(rowid);
    })();
    this.indexes.remove(rowid);
    this.maybeFlush();
    return true;
  }

  has(id: string): boolean {
    return this.rowidOf(id) !== undefined;
  }

  /** The stored card of an asset. */
  getCard(id: string): AssetCard | null {
    const row = this.stmt('SELECT card_json FROM assets WHERE id = ?').get(id) as { card_json: string } | undefined;
    return row ? (JSON.parse(row.card_json) as AssetCard) : null;
  }

  /** Reloads the in-memory search structures from the store (e.g. after another process wrote). */
  rebuild(): void {
    this.loadIndexes();
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
    return this.checkFingerprints({ ...input, fp, t0 });
  }

  /** The check on precomputed fingerprints (the server recomputes them itself; benchmarks use this). */
  checkFingerprints(args: CheckInput & { fp: AssetFingerprints; t0?: number }): CheckResult {
    const t0 = args.t0 ?? performance.now();
    const { fp, card, creatorId } = args;
    const pol = this.policy;
    const excluded = new Set(
      [args.excludeId, ...(args.excludeIds ?? [])].flatMap((id) => {
        const row = id === undefined ? undefined : this.rowidOf(id);
        return row === undefined ? [] : [row];
      }),
    );
    // Candidates' stored fingerprints, read from SQLite once per check.
    const entries = new Map<number, Entry | null>();
    const entryOf = (rowid: number): Entry | null => {
      let e = entries.get(rowid);
      if (e === undefined) {
        e = this.entry(rowid);
        entries.set(rowid, e);
      }
      return e;
    };
    const accs = new Map<number, Evidence>();
    const acc = (rowid: number): Evidence | null => {
      if (excluded.has(rowid)) return null;
      let a = accs.get(rowid);
      if (!a) {
        a = emptyEvidence();
        accs.set(rowid, a);
      }
      return a;
    };

    // Exact layer.
    const rowids = (sql: string, v: string) => (this.stmt(sql).all(v) as { r: number }[]).map((x) => x.r);
    for (const r of rowids('SELECT rowid AS r FROM assets WHERE metadata_hash = ?', fp.metadataHash)) {
      const a = acc(r);
      if (a) a.exact.metadata = true;
    }
    if (fp.image) {
      for (const r of rowids('SELECT asset_rowid AS r FROM fingerprints WHERE bytes_sha256 = ?', fp.image.bytesSha256)) {
        const a = acc(r);
        if (a) a.exact.bytes = true;
      }
      for (const r of rowids('SELECT asset_rowid AS r FROM fingerprints WHERE pixels_sha256 = ?', fp.image.pixelsSha256)) {
        const a = acc(r);
        if (a) a.exact.pixels = true;
      }
    }

    // Visual-copy layer: the query's alignments (2 views × 3 scales as-is, plus the 7 other
    // dihedral variants of the trimmed view) against the stored hashes, verified by signature.
    if (fp.image) {
      const qsigs = fp.image.views.map((v) => v.sig.map(sigBytes));
      const variantSig = new Map<number, Int8Array>();
      fp.image.views.forEach((v, qv) => {
        v.phash.forEach((variants, qs) => {
          variants.forEach((hex, k) => {
            // Flipped/rotated alignments are searched on the trimmed view only: on the whole frame
            // they add cost (they double the probes) but no copies the trimmed view misses.
            if (k > 0 && (qs > 0 || qv > 0)) return;
            // The wider radius only for the whole frame as-is, where stamped text moves the hash
            // furthest (the trimmed view of a stamped copy changes shape and rarely matches anyway).
            const radius = qs === 0 && k === 0 && qv === 1 ? pol.visual.identityRadius : pol.visual.candidateRadius;
            // A view that carries almost no information (nearly blank, a few thin lines) is no
            // evidence: two different sketches on white hash alike.
            if ((v.quality ?? Infinity) < pol.visual.minQuality) return;
            for (const hit of this.indexes.phash.search(fromHex(hex), radius)) {
              if (excluded.has(hit.owner)) continue;
              const e = entryOf(hit.owner);
              const target = e?.sigs?.[hit.tag];
              if (!target) continue;
              if ((e?.quality?.[Math.floor(hit.tag / SCALES.length)] ?? Infinity) < pol.visual.minQuality) continue;
              const key = (qv * 8 + qs) * 8 + k;
              let qsig = variantSig.get(key);
              if (!qsig) {
                qsig = dihedralSignature(qsigs[qv]?.[qs] as Int8Array, k);
                variantSig.set(key, qsig);
              }
              const cos = signatureCosine(qsig, target);
              const a = acc(hit.owner);
              if (a && (!a.visual || cos > a.visual.cos)) {
                a.visual = { cos, qView: qv, qScale: qs, k, tView: Math.floor(hit.tag / SCALES.length), tScale: hit.tag % SCALES.length };
              }
            }
          });
        });
      });
    }

    // Text near-copy layer.
    // LSH may return many weak candidates in a library of similar short cards: their signatures
    // are read alone (no card, no image), and only scores that could matter open a candidate.
    const minC = pol.text.minShinglesForContainment;
    const textScores = new Map<number, number>();
    const sigOf = this.stmt('SELECT text_minhash, text_size, code_minhash, code_size FROM fingerprints WHERE asset_rowid = ?');
    for (const r of this.indexes.text.candidates(fp.text.sig)) {
      const row = excluded.has(r) ? undefined : (sigOf.get(r) as SigRow | undefined);
      if (row) textScores.set(r, lexicalScore(fp.text, { sig: blobToSig(row.text_minhash), size: row.text_size }, minC));
    }
    const codeScores = new Map<number, number>();
    if (fp.code) {
      for (const r of this.indexes.code.candidates(fp.code.sig)) {
        const row = excluded.has(r) ? undefined : (sigOf.get(r) as SigRow | undefined);
        if (row?.code_minhash) codeScores.set(r, minhashJaccard(fp.code.sig, blobToSig(row.code_minhash)));
      }
    }

    // Semantic layer (sqlite-vec k-NN), only for spaces whose vectors came from the same weights.
    for (const [space, hits] of Object.entries(args.semanticHits ?? {}) as [VectorSpace, { assetId: string; cosine: number }[]][]) {
      for (const h of hits) {
        const rowid = this.rowidOf(h.assetId);
        const a = rowid !== undefined ? acc(rowid) : null;
        if (a) a.semantic[space] = h.cosine;
      }
    }
    for (const space of SPACES) {
      const v = fp.vectors[space];
      if (!v || args.semanticHits?.[space]) continue;
      const modelSha = this.embedder?.state(space).modelSha256 ?? 'unknown';
      for (const hit of this.nearestVectors(space, v, modelSha, pol.semantic.neighbours)) {
        const a = acc(hit.rowid);
        if (a) a.semantic[space] = hit.cosine;
      }
    }

    // Local-feature layer: images sharing visual words (inverted file, both directions: the query
    // a part of a library image, or containing one), verified geometrically one by one.
    if (fp.local) {
      const localOf = this.stmt('SELECT data FROM local_features WHERE asset_rowid = ?');
      for (const c of this.indexes.local.candidates(fp.local, pol.local.candidates + excluded.size)) {
        if (excluded.has(c.rowid)) continue;
        const blob = localOf.get(c.rowid) as { data: Buffer } | undefined;
        const m = blob ? verifyLocal(fp.local, deserializeLocal(blob.data), pol.local) : null;
        if (m) (acc(c.rowid) as Evidence).local = m;
      }
    }

    // Passage layer: cards sharing a winnowed passage or many rare words, aligned word by word.
    const passageOf = this.stmt('SELECT data FROM passage_fingerprints WHERE asset_rowid = ?');
    const passageCands = this.indexes.passages.candidates(fp.passages, { limit: pol.passage.candidates + excluded.size });
    for (const c of passageCands) {
      if (excluded.has(c.rowid)) continue;
      const blob = passageOf.get(c.rowid) as { data: Buffer } | undefined;
      const other = blob && entryOf(c.rowid)?.card;
      if (!blob || !other) continue;
      const v = passageVerdict(card, fp.passages, other, decodePassageFingerprint(blob.data).fp, this.indexes.passages.terms.stats, pol);
      if (v.signals.length || v.cosine >= WEAK_SCORE || v.passages.length) {
        (acc(c.rowid) as Evidence).passage = { ...v, passages: withContext(v.passages, card, other) };
      }
    }

    // Media layer: audio landmarks / Chromaprint and aligned video frames (inverted indexes).
    if (fp.media) {
      const exclude = [...excluded].map(mediaRef);
      const infoOf = this.stmt('SELECT info_json FROM media_fingerprints WHERE asset_rowid = ?');
      for (const m of this.indexes.media.query(fp.media.fp, { exclude, topK: pol.topK })) {
        const rowid = Number(m.assetRef);
        const a = acc(rowid);
        const row = infoOf.get(rowid) as { info_json: string | null } | undefined;
        if (a) a.media = { match: m, stored: row?.info_json ? (JSON.parse(row.info_json) as StoredMediaInfo) : null };
      }
    }

    for (const [r, score] of textScores) if (score >= WEAK_SCORE || accs.has(r)) (acc(r) as Evidence).text = score;
    for (const [r, score] of codeScores) if (score >= WEAK_SCORE || accs.has(r)) (acc(r) as Evidence).code = score;

    const matches: Match[] = [];
    const cardOfMatch = new Map<string, AssetCard>();
    for (const [rowid, a] of accs) {
      const e = entryOf(rowid);
      if (!e) continue;
      const m = scoreMatch(e, a, fp, pol);
      if (m.copySignals.length || m.combined >= 0.3) {
        matches.push(m);
        cardOfMatch.set(m.assetId, e.card);
      }
    }
    // Copies first, then by combined score; among equals (several library images share artwork)
    // the one with more verified keypoints, then the closer global hash, is the likelier source.
    matches.sort(
      (x, y) =>
        Number(y.copySignals.length > 0) - Number(x.copySignals.length > 0) ||
        y.combined - x.combined ||
        (y.region?.inliers ?? 0) - (x.region?.inliers ?? 0) ||
        (y.layers.visual ?? 0) - (x.layers.visual ?? 0),
    );
    const top = matches.slice(0, pol.topK);
    const self = new Set(args.selfCreatorIds ?? []);
    for (const m of top) {
      if (self.has(m.creatorId)) m.creatorId = creatorId;
      const other = cardOfMatch.get(m.assetId);
      if (other) m.differences.fields = changedFields(card, other);
    }

    const layers = this.layerStates(fp, card);
    const verdict = decideStatus(top, creatorId, pol);
    const result: CheckResult = {
      ...verdict,
      layers,
      matches: top,
      metadataHash: fp.metadataHash,
      policyVersion: pol.version,
      elapsedMs: Math.round((performance.now() - t0) * 10) / 10,
    };
    if (args.recordAs) recordAnalysis(this.sql, args.recordAs, result, pol.duplicate);
    return result;
  }

  private layerStates(fp: AssetFingerprints, card: AssetCard): Record<LayerName, LayerRun> {
    const sem = (s: VectorSpace): LayerRun => fp.semantic[s] ?? { state: 'unavailable' };
    const semText = sem('bge_text');
    return {
      exact: { state: 'ran' },
      visual: fp.image ? { state: 'ran' } : { state: 'skipped', reason: 'no image' },
      local: !fp.image
        ? { state: 'skipped', reason: 'no image' }
        : fp.local
          ? { state: 'ran' }
          : { state: 'unavailable', reason: `local features could not be extracted: ${fp.localError ?? 'unknown error'}` },
      text: { state: 'ran' },
      passage: { state: 'ran' },
      code: fp.code ? { state: 'ran' } : { state: 'skipped', reason: `not a module or room template (${card.asset_type})` },
      semantic_image: sem('clip_image'),
      semantic_text: semText,
      media: fp.media ? { state: 'ran' } : { state: 'skipped', reason: 'no audio or video file' },
    };
  }
}
