/**
 * The editor's drafts, in the studio's workspace (the library's SQLite file, table `drafts` from
 * the studio migration 003): written as the creator types, read back when the asset (or the new
 * asset's draft) is opened again — after leaving the editor, a reload or a crash — and removed once
 * the asset is saved or the draft discarded. A draft of a stored asset needs that asset to exist.
 */
import type { DB } from '../../../engine/store/db.ts';
import { ApiError, type ApiParsedInput } from '../../../shared/api.ts';
import { DRAFT_MAX_CHARS, type DraftDetail, type DraftSummary, isNewDraftId } from '../../../shared/contracts/studio/drafts.ts';

interface DraftRow {
  id: string;
  asset_id: string | null;
  asset_type: DraftSummary['assetType'];
  name: string;
  card_json: string;
  image_sha256: string | null;
  base_rev: number | null;
  updated_at: string;
}

const COLUMNS = 'd.id, d.asset_id, d.asset_type, d.name, d.card_json, d.image_sha256, d.base_rev, d.updated_at';
/** Drafts whose stored asset is gone (deleted, in the trash) are not shown. */
const LIVE = "(d.asset_id IS NULL OR EXISTS (SELECT 1 FROM assets a WHERE a.id = d.asset_id AND a.source = 'local'))";

const summary = (r: DraftRow): DraftSummary => ({
  id: r.id,
  assetId: r.asset_id,
  assetType: r.asset_type,
  name: r.name,
  baseRev: r.base_rev,
  updatedAt: r.updated_at,
});

export class Drafts {
  constructor(
    private readonly db: DB,
    /** Whether a stored local asset has this id. */
    private readonly assetExists: (id: string) => boolean,
    /** Whether the image store holds this image. */
    private readonly imageExists: (sha: string) => boolean,
  ) {}

  put(input: ApiParsedInput<'drafts.put'>): DraftSummary {
    const isNew = isNewDraftId(input.id);
    if (!isNew && !this.assetExists(input.id))
      throw new ApiError('not_found', `no asset with id ${input.id}; a new asset's draft id starts with new_`, 'id', 404);
    if (isNew && input.baseRev !== undefined) throw new ApiError('invalid_input', 'baseRev: a new asset has no revision yet', 'baseRev');
    if (input.imageSha && !this.imageExists(input.imageSha))
      throw new ApiError('image_not_found', 'import the image first', 'imageSha', 404);
    const json = JSON.stringify(input.card);
    if (json.length > DRAFT_MAX_CHARS)
      throw new ApiError('too_large', `card: the draft is ${json.length} characters; at most ${DRAFT_MAX_CHARS}`, 'card', 413);
    this.db
      .prepare(
        `INSERT INTO drafts (id, asset_id, asset_type, name, card_json, image_sha256, base_rev, updated_at)
         VALUES (?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'))
         ON CONFLICT(id) DO UPDATE SET asset_type = excluded.asset_type, name = excluded.name, card_json = excluded.card_json,
           image_sha256 = excluded.image_sha256, base_rev = excluded.base_rev, updated_at = excluded.updated_at`,
      )
      .run(input.id, isNew ? null : input.id, input.card.asset_type, input.card.name, json, input.imageSha, input.baseRev ?? null);
    return summary(this.row(input.id) as DraftRow);
  }

  get(id: string): DraftDetail | null {
    const r = this.row(id);
    if (!r) return null;
    return { ...summary(r), card: JSON.parse(r.card_json) as DraftDetail['card'], imageSha: r.image_sha256 };
  }

  list(): DraftSummary[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM drafts d WHERE ${LIVE} ORDER BY d.updated_at DESC`).all() as DraftRow[];
    return rows.map(summary);
  }

  discard(id: string): { discarded: boolean } {
    return { discarded: this.db.prepare('DELETE FROM drafts WHERE id = ?').run(id).changes > 0 };
  }

  private row(id: string): DraftRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM drafts d WHERE d.id = ? AND ${LIVE}`).get(id) as DraftRow | undefined;
  }
}
