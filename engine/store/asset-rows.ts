/**
 * The engine's rows of one asset in SQLite: the asset, its fingerprints, vectors, passages, local
 * features and media fingerprint — written together, read back for candidates (an Entry), for the
 * in-memory indexes (IndexedData) and for each layer's verification. The only place the engine's
 * asset tables are read or written.
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { AssetFingerprints, LexicalSig } from '../fingerprints.ts';
import type { FoldHashes, ImageFingerprint, ViewHashes } from '../image/fingerprint.ts';
import { signatureFromBase64 } from '../image/perceptual.ts';
import { deserialize as deserializeLocal, forLibrary, serialize as serializeLocal } from '../image/local/serialize.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import type { Entry } from '../index/entry.ts';
import type { IndexedData } from '../index/search-indexes.ts';
import type { VideoKeyframes } from '../media/keyframes.ts';
import {
  type StoredFingerprint,
  deserializeFingerprint,
  deserializeKeyframes,
  serializeFingerprint,
  serializeKeyframes,
} from '../media/serialize.ts';
import type { StoredMediaInfo } from '../scoring.ts';
import type { VectorSpace } from '../semantic/types.ts';
import { SPACES, type VectorStore } from '../semantic/vector-store.ts';
import { decodePassageFingerprint, encodePassageFingerprint } from '../text/passage-codec.ts';
import { DEFAULT_PASSAGE_PARAMS, type PassageFingerprint } from '../text/winnow.ts';
import { blobToSig, sigToBlob } from './blobs.ts';
import type { Statements } from './statements.ts';

/**
 * Bumped when fingerprints change meaning; each row keeps the version it was computed with
 * (`fingerprints.engine_version`), so a library can tell which assets to index again from their
 * files. 2: the trimmed view of images over TRIM_PROBE px is cut by a box found at that size.
 * 3: local features are described on a contrast-stretched frame (image/local/prepare.ts), so
 * low-contrast images keep more keypoints; features stored by version 2 still match (same
 * vocabulary, same descriptors for full-range images). 4: local features carry a 96-px grey sketch
 * of the working frame (image/local/appearance.ts); rows of version 3 have none and are verified
 * without the appearance confirmation until indexed again. 5: an elongated image's working frame
 * keeps a shorter side of at least a quarter of the working size (policy local.elongated); rows of
 * version 4 differ only for images longer than 4:1, whose stored features still match. 6: a frame
 * that was not trimmed and carries less than infoFloor is described with a margin of its edge's
 * grey level (policy local.prepare.edgePadPx); rows of version 5 differ only for such images.
 * 7: a trimmed frame below infoFloor whose inside carries that much once a margin of its
 * background is added is described with it (local.prepare.trimPadPx); rows of version 6 differ
 * only for such images. 8: text words and shingles ignore invisible characters inside words and fold
 * letters of other scripts that look like Latin ones to their Latin skeletons (text/unicode.ts); a
 * word may hold combining marks. Rows of version 7 differ only for texts holding such characters.
 * 9: in a run of letters and digits, digits written for letters (0 1 3 4 5 7 8) read as those
 * letters (text/leet.ts); rows of version 8 differ only for texts holding such runs. 10: "@" and
 * "$" touching a letter read as a and s (text/leet.ts unsymbol); rows of version 9 differ only for
 * texts holding them. 11: l is read as i (a 1 or a capital I is written for either) and "!" between
 * two letters as i (text/leet.ts); rows of version 10 differ for every text holding an l.
 * 12: salt-and-pepper dots are removed in two passes and on the image's outer ring too
 * (image/local/despeckle.ts, policy local.despeckle.passes); rows of version 11 differ only for
 * images strewn with such dots (at least local.despeckle.minShare of them).
 */
export const ENGINE_VERSION = 12;

/** What is stored about an asset beside its fingerprints. */
export interface StoredAsset {
  id: string;
  creatorId: string;
  card: AssetCard;
  source?: 'local' | 'marketplace' | undefined;
}

interface IndexRow {
  asset_rowid: number;
  image_json: string | null;
  text_minhash: Buffer;
  code_minhash: Buffer | null;
  passages: Buffer | null;
  local: Buffer | null;
  media: Buffer | null;
  media_keyframes: Buffer | null;
}

const INDEX_ROW_SQL = `SELECT f.asset_rowid, f.image_json, f.text_minhash, f.code_minhash, p.data AS passages, l.data AS local, m.data AS media,
    k.data AS media_keyframes
  FROM fingerprints f LEFT JOIN passage_fingerprints p ON p.asset_rowid = f.asset_rowid
  LEFT JOIN local_features l ON l.asset_rowid = f.asset_rowid LEFT JOIN media_fingerprints m ON m.asset_rowid = f.asset_rowid
  LEFT JOIN media_keyframes k ON k.asset_rowid = f.asset_rowid`;

/**
 * Rows per page of mediaBlobPages: about 4.5 MiB of video fingerprints with keyframes (70 KB each),
 * at most ~17 ms of reading (10 000 items, 2 shared cores; all of them in one step took 0.9–1.6 s).
 */
export const MEDIA_PAGE_ROWS = 64;

/** A view as stored: its centre crops' quality judges a query's crops only (check/image-layers.ts), so it is left out. */
function storedView({ scaleQuality: _crops, ...view }: ViewHashes): ViewHashes {
  return view;
}

/** A folded view as stored: its hash as it is (the index's), not its 7 other alignments (only a query probes with them). */
function storedFold(fold: FoldHashes | null | undefined): FoldHashes | null {
  return fold ? { ...fold, phash: fold.phash.slice(0, 1) } : null;
}

/**
 * A stored media fingerprint with its keyframes (`keyframes`, the media_keyframes row; a row written
 * before that table has them inside `blob`), or null when it is damaged or from an older
 * fingerprint format (it then needs recomputing from its file, which the library does not keep):
 * such an asset is left out of the media index rather than stopping the engine from opening.
 */
function storedMedia(blob: Buffer | null, keyframes: Buffer | null = null): StoredFingerprint | null {
  if (!blob) return null;
  try {
    const f = deserializeFingerprint(blob);
    // Keyframes inside the blob win: a stale media_keyframes row may sit beside a blob re-written by an older build.
    if (keyframes && f.video && !f.video.keyframes) f.video.keyframes = deserializeKeyframes(keyframes);
    return f;
  } catch {
    return null;
  }
}

function indexedDataOf(r: IndexRow): IndexedData {
  return {
    image: r.image_json ? (JSON.parse(r.image_json) as Pick<ImageFingerprint, 'views' | 'fold'>) : null,
    text: blobToSig(r.text_minhash),
    code: r.code_minhash ? blobToSig(r.code_minhash) : null,
    passages: r.passages ? decodePassageFingerprint(r.passages).fp : null,
    local: r.local ? deserializeLocal(r.local) : null,
    media: storedMedia(r.media, r.media_keyframes),
  };
}

/** What the in-memory indexes take of freshly computed fingerprints. */
export function indexedDataOfFingerprints(fp: AssetFingerprints): IndexedData {
  return {
    image: fp.image,
    text: fp.text.sig,
    code: fp.code?.sig ?? null,
    passages: fp.passages,
    local: fp.local,
    media: fp.media?.fp ?? null,
  };
}

export class AssetRows {
  constructor(
    private readonly sql: Statements,
    private readonly vectors: VectorStore,
    /** The weights a space's vectors come from (stored beside each vector). */
    private readonly modelShaOf: (space: VectorSpace) => string,
  ) {}

  private stmt(text: string) {
    return this.sql.get(text);
  }

  count(): number {
    return (this.stmt('SELECT count(*) AS n FROM assets').get() as { n: number }).n;
  }

  rowidOf(id: string): number | undefined {
    return (this.stmt('SELECT rowid FROM assets WHERE id = ?').get(id) as { rowid: number } | undefined)?.rowid;
  }

  /** When an asset was first indexed, and whether it is this library's own or a marketplace index copy. */
  origin(id: string): { createdAt: string; source: 'local' | 'marketplace' } | null {
    const row = this.stmt('SELECT created_at, source FROM assets WHERE id = ?').get(id) as
      { created_at: string; source: string } | undefined;
    return row ? { createdAt: row.created_at, source: row.source === 'marketplace' ? 'marketplace' : 'local' } : null;
  }

  /** The stored card of an asset. */
  card(id: string): AssetCard | null {
    const row = this.stmt('SELECT card_json FROM assets WHERE id = ?').get(id) as { card_json: string } | undefined;
    return row ? (JSON.parse(row.card_json) as AssetCard) : null;
  }

  /** Writes every row of one asset (inside the caller's transaction); returns its rowid. */
  write(input: StoredAsset, fp: AssetFingerprints): number {
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
          views: fp.image.views.map(storedView),
          fold: storedFold(fp.image.fold),
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
      if (v) this.vectors.insert(rowid, space, v, this.modelShaOf(space));
    }
    this.stmt('INSERT OR REPLACE INTO passage_fingerprints (asset_rowid, data) VALUES (?, ?)').run(
      rowid,
      encodePassageFingerprint(fp.passages, DEFAULT_PASSAGE_PARAMS),
    );
    if (fp.local)
      this.stmt('INSERT OR REPLACE INTO local_features (asset_rowid, data) VALUES (?, ?)').run(rowid, serializeLocal(forLibrary(fp.local)));
    else this.stmt('DELETE FROM local_features WHERE asset_rowid = ?').run(rowid);
    if (fp.media) {
      // The keyframes go to their own row (media_keyframes), the compact fingerprint without them.
      this.stmt('INSERT OR REPLACE INTO media_fingerprints (asset_rowid, kind, data, info_json) VALUES (?, ?, ?, ?)').run(
        rowid,
        fp.media.fp.video ? 'video' : 'audio',
        serializeFingerprint(fp.media.fp, { keyframes: false }),
        JSON.stringify({ ...fp.media.info, sha256: fp.media.sha256 }),
      );
      const k = fp.media.fp.video?.keyframes;
      if (k?.sets.length)
        this.stmt('INSERT OR REPLACE INTO media_keyframes (asset_rowid, data) VALUES (?, ?)').run(rowid, serializeKeyframes(k));
      else this.stmt('DELETE FROM media_keyframes WHERE asset_rowid = ?').run(rowid);
    } else {
      this.stmt('DELETE FROM media_fingerprints WHERE asset_rowid = ?').run(rowid);
      this.stmt('DELETE FROM media_keyframes WHERE asset_rowid = ?').run(rowid);
    }
    return rowid;
  }

  /** Deletes an asset's rows (inside the caller's transaction; the other tables cascade). */
  delete(rowid: number): void {
    this.vectors.delete(rowid);
    this.stmt('DELETE FROM assets WHERE rowid = ?').run(rowid);
  }

  /** An indexed asset's stored fingerprints, for scoring a candidate. */
  entry(rowid: number): Entry | null {
    const r = this.stmt(
      `SELECT a.rowid, a.id, a.creator_id, a.name, a.asset_type, a.card_json, a.metadata_hash, f.bytes_sha256, f.pixels_sha256,
              f.image_json, f.text_minhash, f.text_size, f.code_minhash, f.code_size
       FROM assets a JOIN fingerprints f ON f.asset_rowid = a.rowid WHERE a.rowid = ?`,
    ).get(rowid) as Record<string, unknown> | undefined;
    if (!r) return null;
    const image = r.image_json ? (JSON.parse(r.image_json as string) as Pick<ImageFingerprint, 'views' | 'color' | 'fold'>) : null;
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
      sigs: image ? image.views.flatMap((v) => v.sig.map(signatureFromBase64)) : null,
      quality: image ? image.views.map((v) => v.quality) : null,
      fold: image?.fold ? { sig: signatureFromBase64(image.fold.sig), quality: image.fold.quality } : null,
      color: image?.color ?? null,
      bytes: (r.bytes_sha256 as string | null) ?? null,
      pixels: (r.pixels_sha256 as string | null) ?? null,
    };
  }

  /** What the in-memory indexes keep of one stored asset; null when it has no fingerprints. */
  indexed(rowid: number): IndexedData | null {
    const r = this.stmt(`${INDEX_ROW_SQL} WHERE f.asset_rowid = ?`).get(rowid) as IndexRow | undefined;
    return r ? indexedDataOf(r) : null;
  }

  /** Every stored asset's index data, streamed (rebuilding the indexes without snapshots). */
  *allIndexed(): Generator<readonly [number, IndexedData]> {
    for (const r of this.stmt(INDEX_ROW_SQL).iterate() as Iterable<IndexRow>) yield [r.asset_rowid, indexedDataOf(r)] as const;
  }

  /**
   * Every stored media fingerprint blob with its asset's rowid and its keyframes' blob (null for
   * audio and for rows that keep their keyframes inside the fingerprint, see storedMedia), in pages
   * of at most `pageSize` rows, in rowid order: each page is its own keyset query (rowid after the
   * last one read), fetched whole, so no statement stays open between pages and the caller may
   * yield to its event loop (or write) between them. A row written meanwhile is read if its rowid
   * comes after the last page read.
   */
  *mediaBlobPages(pageSize = MEDIA_PAGE_ROWS): Generator<(readonly [number, Buffer, Buffer | null])[]> {
    const page = this.stmt(
      `SELECT m.asset_rowid, m.data, k.data AS keyframes FROM media_fingerprints m LEFT JOIN media_keyframes k ON k.asset_rowid = m.asset_rowid
       WHERE m.asset_rowid > ? ORDER BY m.asset_rowid LIMIT ?`,
    );
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(after, pageSize) as { asset_rowid: number; data: Buffer; keyframes: Buffer | null }[];
      if (!rows.length) return;
      after = (rows[rows.length - 1] as { asset_rowid: number }).asset_rowid;
      yield rows.map((r) => [r.asset_rowid, r.data, r.keyframes] as const);
      if (rows.length < pageSize) return;
    }
  }

  /**
   * The stored keyframes' local features of a video asset (the media index reads them back when it
   * verifies keyframes, instead of keeping every video's descriptors in memory), or null: its
   * media_keyframes row alone, or for a row written before that table the whole fingerprint.
   */
  mediaKeyframes(rowid: number): VideoKeyframes | null {
    // The fingerprint's header flags (byte 7: 4 = keyframes inside) say where they are: a row written
    // before migration 007, or since by an older build, keeps them in the blob, and an older build
    // may have left a stale media_keyframes row beside it.
    const r = this.stmt(
      `SELECT substr(m.data, 7, 1) AS flags, k.data AS keyframes FROM media_fingerprints m
       LEFT JOIN media_keyframes k ON k.asset_rowid = m.asset_rowid WHERE m.asset_rowid = ?`,
    ).get(rowid) as { flags: Buffer | null; keyframes: Buffer | null } | undefined;
    if (!r) return null;
    if (((r.flags?.[0] ?? 0) & 4) !== 0) {
      const b = this.stmt('SELECT data FROM media_fingerprints WHERE asset_rowid = ?').get(rowid) as { data: Buffer };
      return storedMedia(b.data)?.video?.keyframes ?? null;
    }
    if (!r.keyframes) return null;
    try {
      return deserializeKeyframes(r.keyframes);
    } catch {
      return null;
    }
  }

  /** Assets whose metadata hash equals this one (the exact layer). */
  withMetadataHash(hash: string): number[] {
    return (this.stmt('SELECT rowid AS r FROM assets WHERE metadata_hash = ?').all(hash) as { r: number }[]).map((x) => x.r);
  }

  /** Assets whose image has these file bytes / these decoded pixels (the exact layer). */
  withImage(column: 'bytes' | 'pixels', sha256: string): number[] {
    const sql =
      column === 'bytes'
        ? 'SELECT asset_rowid AS r FROM fingerprints WHERE bytes_sha256 = ?'
        : 'SELECT asset_rowid AS r FROM fingerprints WHERE pixels_sha256 = ?';
    return (this.stmt(sql).all(sha256) as { r: number }[]).map((x) => x.r);
  }

  /** An asset's text and code signatures alone (no card, no image): cheap for many weak candidates. */
  lexical(rowid: number): { text: LexicalSig; code: LexicalSig | null } | null {
    const row = this.stmt('SELECT text_minhash, text_size, code_minhash, code_size FROM fingerprints WHERE asset_rowid = ?').get(rowid) as
      { text_minhash: Buffer; text_size: number; code_minhash: Buffer | null; code_size: number | null } | undefined;
    if (!row) return null;
    return {
      text: { sig: blobToSig(row.text_minhash), size: row.text_size },
      code: row.code_minhash ? { sig: blobToSig(row.code_minhash), size: row.code_size ?? 0 } : null,
    };
  }

  /** An asset's stored local features (library form: one view), or null; its sketch is inflated when first read. */
  local(rowid: number): LocalFeatureSet | null {
    const blob = this.stmt('SELECT data FROM local_features WHERE asset_rowid = ?').get(rowid) as { data: Buffer } | undefined;
    return blob ? deserializeLocal(blob.data, { lazySketch: true }) : null;
  }

  /** An asset's stored passage fingerprint, or null. */
  passages(rowid: number): PassageFingerprint | null {
    const blob = this.stmt('SELECT data FROM passage_fingerprints WHERE asset_rowid = ?').get(rowid) as { data: Buffer } | undefined;
    return blob ? decodePassageFingerprint(blob.data).fp : null;
  }

  /** What is known of an asset's media file (duration, codecs, sha256), or null. */
  mediaInfo(rowid: number): StoredMediaInfo | null {
    const row = this.stmt('SELECT info_json FROM media_fingerprints WHERE asset_rowid = ?').get(rowid) as
      { info_json: string | null } | undefined;
    return row?.info_json ? (JSON.parse(row.info_json) as StoredMediaInfo) : null;
  }
}
