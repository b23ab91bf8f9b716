/**
 * The uniqueness engine as a library: index, check, remove, rebuild. Used by the studio's main
 * process, the CLI and the marketplace server alike.
 *
 * Storage is SQLite (see store/db.ts). Search structures live in memory and are rebuilt from the
 * fingerprints table on open: a multi-index-hashing table for pHashes, LSH buckets for MinHash
 * signatures, and hash maps for the exact digests. Vectors are searched with sqlite-vec.
 */
import type { AssetCard } from '../shared/asset.ts';
import type { CheckResult, CheckStatus, LayerName, LayerRun, Match, MatchLayers } from '../shared/check.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import { fromHex } from './hash/bits.ts';
import { HammingIndex } from './hash/mih.ts';
import { type ImageFingerprint, SCALES, fingerprintImage } from './image/fingerprint.ts';
import { dihedralSignature, signatureCosine } from './image/perceptual.ts';
import { type Embedder, type VectorSpace, cosine } from './semantic/types.ts';
import type { Statement } from 'better-sqlite3';
import { type DB, openDatabase } from './store/db.ts';
import { hashTokens, moduleTokens, structureTokens } from './text/code.ts';
import { changedFields, metadataHash, metadataText } from './text/metadata.ts';
import { MINHASH_SIZE, charShingles, containment, minhash, minhashJaccard, normalizeText } from './text/shingles.ts';

/** Bumped when fingerprints change meaning; `rebuild` recomputes older rows. */
export const ENGINE_VERSION = 1;

const SPACES: VectorSpace[] = ['clip_image', 'clip_text', 'bge_text'];
const VEC_TABLE: Record<VectorSpace, string> = {
  clip_image: 'vec_clip_image',
  clip_text: 'vec_clip_text',
  bge_text: 'vec_bge_text',
};

export interface LexicalSig {
  sig: Uint32Array;
  size: number;
}

export interface AssetFingerprints {
  metadataHash: string;
  text: LexicalSig;
  code: LexicalSig | null;
  image: ImageFingerprint | null;
  vectors: Partial<Record<VectorSpace, Float32Array>>;
  /** Which semantic spaces ran, and why the others did not. */
  semantic: Partial<Record<VectorSpace, LayerRun>>;
}

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

interface Entry {
  rowid: number;
  id: string;
  creatorId: string;
  name: string;
  assetType: string;
  metadataHash: string;
  text: LexicalSig;
  code: LexicalSig | null;
  /** Shape signatures by tag = view * SCALES.length + scale. */
  sigs: Int8Array[] | null;
  color: ImageFingerprint['color'] | null;
  bytes: string | null;
  pixels: string | null;
}

const LSH_BANDS = 16;
const LSH_ROWS = 2;

function lshBandKeys(sig: Uint32Array): number[] {
  if (sig[0] === 0xffffffff && sig[1] === 0xffffffff) return [];
  const keys: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < LSH_ROWS; r++) h = Math.imul(h ^ (sig[b * LSH_ROWS + r] as number), 0x01000193);
    keys.push(h >>> 0);
  }
  return keys;
}

class LshIndex {
  private readonly bands: Map<number, number[]>[] = Array.from({ length: LSH_BANDS }, () => new Map());
  add(rowid: number, sig: Uint32Array): void {
    lshBandKeys(sig).forEach((k, b) => {
      const m = this.bands[b] as Map<number, number[]>;
      const l = m.get(k);
      if (l) l.push(rowid);
      else m.set(k, [rowid]);
    });
  }
  remove(rowid: number, sig: Uint32Array): void {
    lshBandKeys(sig).forEach((k, b) => {
      const l = this.bands[b]?.get(k);
      if (!l) return;
      const i = l.indexOf(rowid);
      if (i >= 0) l.splice(i, 1);
    });
  }
  candidates(sig: Uint32Array): Set<number> {
    const out = new Set<number>();
    lshBandKeys(sig).forEach((k, b) => {
      for (const r of this.bands[b]?.get(k) ?? []) out.add(r);
    });
    return out;
  }
}

function addTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function removeFrom<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (!l) return;
  const i = l.indexOf(v);
  if (i >= 0) l.splice(i, 1);
  if (!l.length) m.delete(k);
}

const sigBytes = (s: string) => new Int8Array(Buffer.from(s, 'base64'));

/** Lexical score: Jaccard, or containment when the smaller text is long enough to trust it. */
export function lexicalScore(a: LexicalSig, b: LexicalSig, minForContainment: number): number {
  const j = minhashJaccard(a.sig, b.sig);
  if (Math.min(a.size, b.size) < minForContainment) return j;
  return Math.max(j, containment(j, a.size, b.size));
}

/** The code-layer tokens of a card: module CSS/HTML or room-template structure; null for other types. */
export function codeTokens(card: AssetCard): string[] | null {
  if (card.custom_module) return moduleTokens(card.custom_module.code);
  if (card.room_template) return structureTokens(card.room_template);
  return null;
}

const DIHEDRAL_NAMES = ['', 'mirrored', 'flipped vertically', 'rotated 180°', 'transposed', 'rotated 90°', 'rotated 90°', 'transposed'];

interface VisualHit {
  cos: number;
  qView: number;
  qScale: number;
  k: number;
  tView: number;
  tScale: number;
}

interface Acc {
  exact: { bytes: boolean; pixels: boolean; metadata: boolean };
  visual: VisualHit | null;
  text: number | null;
  code: number | null;
  semantic: Partial<Record<VectorSpace, number>>;
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
  private readonly entries = new Map<number, Entry>();
  private readonly byId = new Map<string, number>();
  private readonly byBytes = new Map<string, number[]>();
  private readonly byPixels = new Map<string, number[]>();
  private readonly byMetadata = new Map<string, number[]>();
  private readonly phash = new HammingIndex();
  private readonly textLsh = new LshIndex();
  private readonly codeLsh = new LshIndex();

  private constructor(db: DB, policy: UniquenessPolicy, embedder: Embedder | undefined) {
    this.db = db;
    this.policy = policy;
    this.embedder = embedder;
  }

  private readonly statements = new Map<string, Statement<unknown[], unknown>>();
  /** Prepared statements are compiled once per engine. */
  private stmt(sql: string): Statement<unknown[], unknown> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
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
    return this.entries.size;
  }

  close(): void {
    this.db.close();
  }

  // ---------------------------------------------------------------- fingerprints

  /** Computes every fingerprint of a card (and image) without touching the store. */
  async fingerprint(card: AssetCard, image?: Uint8Array): Promise<AssetFingerprints> {
    const [r] = await this.fingerprintMany([{ card, image }]);
    if (!r) throw new Error('no fingerprint');
    if (r instanceof Error) throw r;
    return r;
  }

  /**
   * Fingerprints several assets; embeddings are computed in batches. A failure of one item (an
   * unreadable image, say) is returned in its slot as an Error and does not affect the others.
   */
  async fingerprintMany(items: { card: AssetCard; image?: Uint8Array | undefined }[]): Promise<(AssetFingerprints | Error)[]> {
    const out: (AssetFingerprints | Error)[] = [];
    for (const it of items) {
      try {
        out.push(await lexicalAndVisual(it.card, it.image));
      } catch (err) {
        out.push(err as Error);
      }
    }
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

  private loadIndexes(): void {
    const rows = this.db
      .prepare(
        `SELECT a.rowid, a.id, a.creator_id, a.name, a.asset_type, a.metadata_hash, f.bytes_sha256, f.pixels_sha256,
                f.image_json, f.text_minhash, f.text_size, f.code_minhash, f.code_size
         FROM assets a JOIN fingerprints f ON f.asset_rowid = a.rowid`,
      )
      .all() as Record<string, unknown>[];
    for (const r of rows) {
      const image = r.image_json ? (JSON.parse(r.image_json as string) as Pick<ImageFingerprint, 'views' | 'color'>) : null;
      this.addEntry(
        {
          rowid: r.rowid as number,
          id: r.id as string,
          creatorId: r.creator_id as string,
          name: r.name as string,
          assetType: r.asset_type as string,
          metadataHash: r.metadata_hash as string,
          text: { sig: blobToSig(r.text_minhash as Buffer), size: r.text_size as number },
          code: r.code_minhash ? { sig: blobToSig(r.code_minhash as Buffer), size: r.code_size as number } : null,
          sigs: null,
          color: image?.color ?? null,
          bytes: (r.bytes_sha256 as string | null) ?? null,
          pixels: (r.pixels_sha256 as string | null) ?? null,
        },
        image,
      );
    }
  }

  private addEntry(e: Entry, image: Pick<ImageFingerprint, 'views'> | null): void {
    this.entries.set(e.rowid, e);
    this.byId.set(e.id, e.rowid);
    addTo(this.byMetadata, e.metadataHash, e.rowid);
    if (e.bytes) addTo(this.byBytes, e.bytes, e.rowid);
    if (e.pixels) addTo(this.byPixels, e.pixels, e.rowid);
    this.textLsh.add(e.rowid, e.text.sig);
    if (e.code) this.codeLsh.add(e.rowid, e.code.sig);
    if (image) {
      e.sigs = [];
      image.views.forEach((v, vi) => {
        v.phash.forEach((variants, si) => {
          const tag = vi * SCALES.length + si;
          this.phash.add(e.rowid, fromHex(variants[0] as string), tag);
          (e.sigs as Int8Array[])[tag] = sigBytes(v.sig[si] as string);
        });
      });
    }
  }

  private dropEntry(rowid: number): void {
    const e = this.entries.get(rowid);
    if (!e) return;
    this.entries.delete(rowid);
    this.byId.delete(e.id);
    removeFrom(this.byMetadata, e.metadataHash, rowid);
    if (e.bytes) removeFrom(this.byBytes, e.bytes, rowid);
    if (e.pixels) removeFrom(this.byPixels, e.pixels, rowid);
    this.textLsh.remove(rowid, e.text.sig);
    if (e.code) this.codeLsh.remove(rowid, e.code.sig);
    this.phash.remove(rowid);
  }

  /** Fingerprints and stores an asset (insert or replace by id). */
  async index(input: AssetInput): Promise<AssetFingerprints> {
    const fp = await this.fingerprint(input.card, input.image);
    this.indexFingerprints(input, fp);
    return fp;
  }

  /**
   * Stores precomputed fingerprints (bulk indexing, the marketplace index feed). Atomic: on a
   * constraint failure (e.g. UNIQUE(creator, metadata_hash)) nothing is written.
   */
  indexFingerprints(input: Omit<AssetInput, 'image'>, fp: AssetFingerprints): void {
    const existing = this.byId.get(input.id);
    let rowid = 0;
    this.db.transaction(() => {
      rowid = (
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
      if (existing !== undefined) this.deleteVectors(rowid);
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
        if (!v) continue;
        const blob = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        this.vectorCounts.delete(space);
        this.stmt(`INSERT INTO ${VEC_TABLE[space]} (rowid, embedding) VALUES (?, ?)`).run(BigInt(rowid), blob);
        this.stmt(`INSERT INTO ${VEC_TABLE[space]}_bits (rowid, embedding) VALUES (?, vec_quantize_binary(?))`).run(BigInt(rowid), blob);
        this.stmt('INSERT OR REPLACE INTO vector_meta (asset_rowid, space, model_sha256) VALUES (?,?,?)').run(
          rowid,
          space,
          this.embedder?.state(space).modelSha256 ?? 'unknown',
        );
      }
    })();
    if (existing !== undefined) this.dropEntry(existing);
    this.addEntry(
      {
        rowid,
        id: input.id,
        creatorId: input.creatorId,
        name: input.card.name,
        assetType: input.card.asset_type,
        metadataHash: fp.metadataHash,
        text: fp.text,
        code: fp.code,
        sigs: null,
        color: fp.image?.color ?? null,
        bytes: fp.image?.bytesSha256 ?? null,
        pixels: fp.image?.pixelsSha256 ?? null,
      },
      fp.image,
    );
  }

  /**
   * k nearest stored vectors by cosine. Small libraries use the exact cosine vec0 table; above
   * `semantic.exactSearchMax` vectors the k-NN runs on the binary-quantised table (Hamming) with
   * `semantic.rescoreCandidates` candidates, re-scored with the exact cosine of the float vectors.
   */
  nearestVectors(space: VectorSpace, v: Float32Array, modelSha: string, k: number): { rowid: number; cosine: number }[] {
    const pol = this.policy.semantic;
    const blob = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    const table = VEC_TABLE[space];
    const count = this.vectorCount(space);
    let hits: { rowid: number; cosine: number }[];
    if (count <= pol.exactSearchMax) {
      hits = (
        this.stmt(`SELECT rowid, distance FROM ${table} WHERE embedding MATCH ? AND k = ?`).all(blob, Math.min(count, k * 2) || 1) as {
          rowid: bigint | number;
          distance: number;
        }[]
      ).map((r) => ({
        rowid: Number(r.rowid),
        cosine: 1 - r.distance,
      }));
    } else {
      const cands = (
        this.stmt(`SELECT rowid FROM ${table}_bits WHERE embedding MATCH vec_quantize_binary(?) AND k = ?`).all(
          blob,
          pol.rescoreCandidates,
        ) as { rowid: bigint | number }[]
      ).map((c) => Number(c.rowid));
      // Point lookups: vec0 answers `rowid = ?` directly, while `rowid IN (…)` scans the table.
      const get = this.stmt(`SELECT embedding FROM ${table} WHERE rowid = ?`);
      hits = cands.map((rowid) => {
        const e = (get.get(BigInt(rowid)) as { embedding: Buffer }).embedding;
        return { rowid, cosine: cosine(v, new Float32Array(e.buffer, e.byteOffset, e.byteLength / 4)) };
      });
      hits.sort((a, b) => b.cosine - a.cosine);
    }
    if (!hits.length) return [];
    // Only vectors made by the same weights are comparable.
    const ids = hits.map((h) => h.rowid);
    const same = new Set(
      (
        this.db
          .prepare(
            `SELECT asset_rowid FROM vector_meta WHERE space = ? AND model_sha256 = ? AND asset_rowid IN (${ids.map(() => '?').join(',')})`,
          )
          .all(space, modelSha, ...ids) as { asset_rowid: number }[]
      ).map((r) => r.asset_rowid),
    );
    return hits.filter((h) => same.has(h.rowid)).slice(0, k);
  }

  private readonly vectorCounts = new Map<VectorSpace, number>();
  private vectorCount(space: VectorSpace): number {
    let n = this.vectorCounts.get(space);
    if (n === undefined) {
      n = (this.stmt('SELECT count(*) AS n FROM vector_meta WHERE space = ?').get(space) as { n: number }).n;
      this.vectorCounts.set(space, n);
    }
    return n;
  }

  private deleteVectors(rowid: number): void {
    this.vectorCounts.clear();
    for (const space of SPACES) {
      this.stmt(`DELETE FROM ${VEC_TABLE[space]} WHERE rowid = ?`).run(BigInt(rowid));
      this.stmt(`DELETE FROM ${VEC_TABLE[space]}_bits WHERE rowid = ?`).run(BigInt(rowid));
    }
    this.stmt('DELETE FROM vector_meta WHERE asset_rowid = ?').run(rowid);
  }

  /** Removes an asset from the store and every index. Returns whether it existed. */
  remove(id: string): boolean {
    const rowid = this.byId.get(id);
    if (rowid === undefined) return false;
    this.db.transaction(() => {
      this.deleteVectors(rowid);
      this.stmt('DELETE FROM assets WHERE rowid = ?').run(rowid);
    })();
    this.dropEntry(rowid);
    return true;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The stored card of an asset. */
  getCard(id: string): AssetCard | null {
    const row = this.stmt('SELECT card_json FROM assets WHERE id = ?').get(id) as { card_json: string } | undefined;
    return row ? (JSON.parse(row.card_json) as AssetCard) : null;
  }

  /** Rebuilds the in-memory search structures from the store (e.g. after another process wrote). */
  rebuild(): void {
    for (const rowid of [...this.entries.keys()]) this.dropEntry(rowid);
    this.loadIndexes();
  }

  // ---------------------------------------------------------------- check

  async check(input: CheckInput): Promise<CheckResult> {
    const t0 = performance.now();
    const fp = await this.fingerprint(input.card, input.image);
    return this.checkFingerprints({ ...input, fp, t0 });
  }

  /** The check on precomputed fingerprints (the server recomputes them itself; benchmarks use this). */
  checkFingerprints(args: CheckInput & { fp: AssetFingerprints; t0?: number }): CheckResult {
    const t0 = args.t0 ?? performance.now();
    const { fp, card, creatorId } = args;
    const pol = this.policy;
    const excluded = new Set(
      [args.excludeId, ...(args.excludeIds ?? [])].flatMap((id) => {
        const row = id === undefined ? undefined : this.byId.get(id);
        return row === undefined ? [] : [row];
      }),
    );
    const accs = new Map<number, Acc>();
    const acc = (rowid: number): Acc | null => {
      if (excluded.has(rowid)) return null;
      let a = accs.get(rowid);
      if (!a) {
        a = { exact: { bytes: false, pixels: false, metadata: false }, visual: null, text: null, code: null, semantic: {} };
        accs.set(rowid, a);
      }
      return a;
    };

    // Exact layer.
    for (const r of this.byMetadata.get(fp.metadataHash) ?? []) {
      const a = acc(r);
      if (a) a.exact.metadata = true;
    }
    if (fp.image) {
      for (const r of this.byBytes.get(fp.image.bytesSha256) ?? []) {
        const a = acc(r);
        if (a) a.exact.bytes = true;
      }
      for (const r of this.byPixels.get(fp.image.pixelsSha256) ?? []) {
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
            for (const hit of this.phash.search(fromHex(hex), radius)) {
              const e = this.entries.get(hit.owner);
              const target = e?.sigs?.[hit.tag];
              if (!target) continue;
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
    const minC = pol.text.minShinglesForContainment;
    for (const r of this.textLsh.candidates(fp.text.sig)) {
      const e = this.entries.get(r);
      const a = e && acc(r);
      if (a && e) a.text = lexicalScore(fp.text, e.text, minC);
    }
    if (fp.code) {
      for (const r of this.codeLsh.candidates(fp.code.sig)) {
        const e = this.entries.get(r);
        const a = e?.code && acc(r);
        if (a && e?.code) a.code = minhashJaccard(fp.code.sig, e.code.sig);
      }
    }

    // Semantic layer (sqlite-vec k-NN), only for spaces whose vectors came from the same weights.
    for (const [space, hits] of Object.entries(args.semanticHits ?? {}) as [VectorSpace, { assetId: string; cosine: number }[]][]) {
      for (const h of hits) {
        const rowid = this.byId.get(h.assetId);
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

    const matches: Match[] = [];
    for (const [rowid, a] of accs) {
      const e = this.entries.get(rowid);
      if (!e) continue;
      const m = this.scoreMatch(e, a, fp);
      if (m.copySignals.length || m.combined >= 0.3) matches.push(m);
    }
    matches.sort((x, y) => Number(y.copySignals.length > 0) - Number(x.copySignals.length > 0) || y.combined - x.combined);
    const top = matches.slice(0, pol.topK);
    const self = new Set(args.selfCreatorIds ?? []);
    for (const m of top) {
      if (self.has(m.creatorId)) m.creatorId = creatorId;
      const other = this.getCard(m.assetId);
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
    if (args.recordAs) this.recordAnalysis(args.recordAs, result);
    return result;
  }

  private scoreMatch(e: Entry, a: Acc, fp: AssetFingerprints): Match {
    const pol = this.policy;
    const layers: MatchLayers = {};
    const signals: string[] = [];
    const transform: string[] = [];
    if (a.exact.bytes || a.exact.pixels || a.exact.metadata) layers.exact = { ...a.exact };
    if (a.exact.bytes) signals.push('identical image file');
    else if (a.exact.pixels) {
      signals.push('identical image pixels');
      transform.push('re-encoded (same pixels)');
    }
    if (a.exact.metadata) signals.push('identical metadata (same metadata hash)');

    let visual: number | null = null;
    if (a.visual) {
      visual = Math.max(0, a.visual.cos);
      layers.visual = round(visual);
      if (a.visual.cos >= pol.visual.copyCosine && !a.exact.bytes && !a.exact.pixels) {
        signals.push('visual copy');
        const v = a.visual;
        if (DIHEDRAL_NAMES[v.k]) transform.push(DIHEDRAL_NAMES[v.k] as string);
        if (v.qScale === 0 && v.tScale > 0)
          transform.push(`cropped (about ${Math.round((SCALES[v.tScale] as number) * 100)}% of the original)`);
        if (v.qScale > 0 && v.tScale === 0) transform.push('extended or framed (the original sits inside it)');
        if (v.qView !== v.tView) transform.push('border or padding added or removed');
        if (fp.image && e.color) transform.push(...colorChanges(fp.image.color, e.color));
      }
    }
    if (a.exact.bytes || a.exact.pixels) visual = 1;
    const ci = a.semantic.clip_image;
    if (ci !== undefined) {
      layers.semantic_image = round(ci);
      visual = Math.max(visual ?? 0, ci);
      if (ci >= pol.semantic.imageCopyCosine && !signals.includes('visual copy')) signals.push('near-identical image (CLIP)');
    }

    let metadata: number | null = null;
    if (a.text !== null) {
      layers.text = round(a.text);
      metadata = a.text;
      if (a.text >= pol.text.copyScore) signals.push('copied text');
    }
    if (a.code !== null) {
      layers.code = round(a.code);
      metadata = Math.max(metadata ?? 0, a.code);
      if (a.code >= pol.code.copyScore) signals.push('copied module/template code');
    }
    const st = a.semantic.bge_text;
    if (st !== undefined) {
      layers.semantic_text = round(st);
      metadata = Math.max(metadata ?? 0, st);
      if (st >= pol.semantic.textCopyCosine && !signals.includes('copied text')) signals.push('same meaning (BGE)');
    }
    if (a.exact.metadata) metadata = 1;

    const w = pol.weights;
    const hasImages = Boolean(fp.image) && Boolean(e.sigs);
    let combined: number;
    if (hasImages) combined = w.metadata * (metadata ?? 0) + w.visual * (visual ?? 0);
    else combined = metadata ?? visual ?? 0;
    return {
      assetId: e.id,
      creatorId: e.creatorId,
      name: e.name,
      assetType: e.assetType,
      imageSha: e.bytes,
      combined: round(combined),
      metadata: metadata === null ? null : round(metadata),
      visualScore: visual === null ? null : round(visual),
      layers,
      copySignals: signals,
      differences: { fields: [], transform },
    };
  }

  private layerStates(fp: AssetFingerprints, card: AssetCard): Record<LayerName, LayerRun> {
    const sem = (s: VectorSpace): LayerRun => fp.semantic[s] ?? { state: 'unavailable' };
    const semText = sem('bge_text');
    return {
      exact: { state: 'ran' },
      visual: fp.image ? { state: 'ran' } : { state: 'skipped', reason: 'no image' },
      text: { state: 'ran' },
      code: fp.code ? { state: 'ran' } : { state: 'skipped', reason: `not a module or room template (${card.asset_type})` },
      semantic_image: sem('clip_image'),
      semantic_text: semText,
    };
  }

  private recordAnalysis(ref: string, r: CheckResult): void {
    const ins = this.stmt(
      `INSERT INTO similarity_analyses (query_ref, asset_id, status, metadata_similarity, visual_similarity, combined_similarity,
        is_duplicate, is_plagiarism, is_derivative, flagged_differences, analysis_details) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.db.transaction(() => {
      if (!r.matches.length) ins.run(ref, null, r.status, null, null, null, 0, 0, 0, null, JSON.stringify({ layers: r.layers }));
      for (const m of r.matches) {
        const copy = m.copySignals.length > 0 || m.combined > this.policy.duplicate;
        ins.run(
          ref,
          m.assetId,
          r.status,
          m.metadata,
          m.visualScore,
          m.combined,
          copy ? 1 : 0,
          r.status === 'flagged_plagiarism' && copy ? 1 : 0,
          r.status === 'derivative_potential' ? 1 : 0,
          JSON.stringify(m.differences),
          JSON.stringify({ layers: m.layers, signals: m.copySignals, engineLayers: r.layers }),
        );
      }
    })();
  }
}

async function lexicalAndVisual(card: AssetCard, image: Uint8Array | undefined): Promise<AssetFingerprints> {
  const shingles = charShingles(normalizeText(metadataText(card)));
  const tokens = codeTokens(card);
  const codeSet = tokens ? hashTokens(tokens) : null;
  return {
    metadataHash: metadataHash(card),
    text: { sig: minhash(shingles), size: shingles.size },
    code: codeSet ? { sig: minhash(codeSet), size: codeSet.size } : null,
    image: image ? await fingerprintImage(image) : null,
    vectors: {},
    semantic: {},
  };
}

/**
 * The verdict from the top matches: a copy signal (or combined above the duplicate threshold) from
 * another creator → flagged_plagiarism; from the same creator → duplicate_self; another creator's
 * asset above the derivative threshold → derivative_potential; otherwise approved.
 */
export function decideStatus(
  top: Match[],
  creatorId: string,
  pol: UniquenessPolicy = UNIQUENESS_POLICY,
): Pick<CheckResult, 'status' | 'reason' | 'action'> {
  const copies = top.filter((m) => m.copySignals.length > 0 || m.combined > pol.duplicate);
  const others = copies.filter((m) => m.creatorId !== creatorId);
  const pct = (m: Match) => `${Math.round(m.combined * 100)}%`;
  const why = (m: Match) => (m.copySignals.length ? m.copySignals.join(', ') : `${pct(m)} combined similarity`);
  if (others[0]) {
    const m = others[0];
    return {
      status: 'flagged_plagiarism' satisfies CheckStatus,
      reason: `matches '${m.name}' by another creator: ${why(m)}`,
      action: 'Manual review required before publishing; change the asset substantially or declare the original as its parent',
    };
  }
  if (copies[0]) {
    const m = copies[0];
    return {
      status: 'duplicate_self',
      reason: `matches your existing asset '${m.name}': ${why(m)}`,
      action: 'Update the existing asset instead of creating a duplicate',
    };
  }
  const deriv = top.find((m) => m.creatorId !== creatorId && m.combined > pol.derivative);
  if (deriv) {
    return {
      status: 'derivative_potential',
      reason: `${pct(deriv)} similar to '${deriv.name}' by another creator`,
      action: 'Publish as a derivative (the parent receives a royalty) or modify it further',
    };
  }
  return {
    status: 'approved',
    reason: top.length ? 'Sufficiently unique from existing assets' : 'No similar assets found',
    action: 'Ready to submit',
  };
}

function colorChanges(q: ImageFingerprint['color'], t: ImageFingerprint['color']): string[] {
  const out: string[] = [];
  if (q.saturation < 0.04 && t.saturation > 0.1) out.push('converted to grayscale');
  else if (q.saturation > 0.08 && t.saturation > 0.08) {
    const hue = (c: typeof q) => Math.atan2(Math.sqrt(3) * (c.g - c.b), 2 * c.r - c.g - c.b);
    let d = Math.abs(hue(q) - hue(t));
    if (d > Math.PI) d = 2 * Math.PI - d;
    if (d > Math.PI / 6) out.push('recoloured (hue shifted)');
  }
  const dl = q.luminance - t.luminance;
  if (Math.abs(dl) > 12) out.push(dl > 0 ? 'brightened' : 'darkened');
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function sigToBlob(sig: Uint32Array): Buffer {
  const b = Buffer.alloc(sig.length * 4);
  sig.forEach((v, i) => b.writeUInt32LE(v, i * 4));
  return b;
}

function blobToSig(b: Buffer): Uint32Array {
  if (b.byteLength !== MINHASH_SIZE * 4) throw new Error('corrupt MinHash blob');
  const out = new Uint32Array(MINHASH_SIZE);
  for (let i = 0; i < MINHASH_SIZE; i++) out[i] = b.readUInt32LE(i * 4);
  return out;
}
