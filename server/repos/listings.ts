/**
 * SQL for listings: an asset with one of its versions, the creator's and buyer's lists, the status
 * columns (written only by server/services/listings/), and the index feed's upserts and tombstones.
 */
import type { AssetCard } from '../../engine/cards.ts';
import type { AssetView } from '../../shared/marketplace.ts';
import type { Sql } from '../db.ts';

export type AssetStatus = AssetView['status'];

export interface AssetRow {
  id: string;
  creator_id: string;
  creator_name: string;
  asset_type: AssetCard['asset_type'];
  name: string;
  status: AssetStatus;
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

/** The columns of an asset (and one of its versions, the latest by default) every view is built from. */
export const ASSET_COLUMNS = 'a.*, u.display_name AS creator_name, v.card, v.version, v.image_sha256';

export async function assetRow(sql: Sql, id: string, version?: number): Promise<AssetRow | undefined> {
  const r = await sql.query<AssetRow>(
    `SELECT ${ASSET_COLUMNS}
     FROM assets a JOIN users u ON u.id = a.creator_id
     JOIN asset_versions v ON v.asset_id = a.id AND v.version = COALESCE($2, a.latest_version)
     WHERE a.id = $1`,
    [id, version ?? null],
  );
  return r.rows[0];
}

/** The head of an asset without its version: who owns it and where it stands. */
export interface AssetHead {
  id: string;
  creator_id: string;
  name: string;
  status: AssetStatus;
  latest_version: number;
  published_version: number | null;
  parent_asset_id: string | null;
}

/**
 * The listing's state for a transition, its row locked until the transaction ends (FOR UPDATE): two
 * transitions of one listing (a new version being stored, a withdrawal) run one after the other,
 * the second seeing the first's result, so neither can undo the other.
 */
export async function head(sql: Sql, id: string): Promise<AssetHead | undefined> {
  return (
    await sql.query<AssetHead>(
      'SELECT id, creator_id, name, status, latest_version, published_version, parent_asset_id FROM assets WHERE id = $1 FOR UPDATE',
      [id],
    )
  ).rows[0];
}

/** The versions of an asset a user holds entitlements to. */
export async function ownedVersions(sql: Sql, userId: string, assetId: string): Promise<number[]> {
  return (
    await sql.query<{ version: number }>('SELECT version FROM entitlements WHERE user_id = $1 AND asset_id = $2', [userId, assetId])
  ).rows.map((r) => r.version);
}

export async function library(
  sql: Sql,
  userId: string,
): Promise<{ asset_id: string; versions: number[]; published_version: number | null; name: string; status: string }[]> {
  return (
    await sql.query<{ asset_id: string; versions: number[]; published_version: number | null; name: string; status: string }>(
      `SELECT e.asset_id, array_agg(e.version ORDER BY e.version) AS versions, a.published_version, a.name, a.status
       FROM entitlements e JOIN assets a ON a.id = e.asset_id WHERE e.user_id = $1 GROUP BY e.asset_id, a.published_version, a.name, a.status ORDER BY a.name`,
      [userId],
    )
  ).rows;
}

export async function idsByCreator(sql: Sql, creatorId: string): Promise<string[]> {
  return (await sql.query<{ id: string }>('SELECT id FROM assets WHERE creator_id = $1 ORDER BY updated_at DESC', [creatorId])).rows.map(
    (x) => x.id,
  );
}

export async function publishedCount(sql: Sql, userId: string): Promise<number> {
  const r = await sql.query<{ n: string }>('SELECT count(*) AS n FROM assets WHERE creator_id = $1 AND published_version IS NOT NULL', [
    userId,
  ]);
  return Number(r.rows[0]?.n ?? 0);
}

/** The image blob of one version. */
export async function imageSha(sql: Sql, id: string, version: number): Promise<string | null> {
  return (await assetRow(sql, id, version))?.image_sha256 ?? null;
}

// ---------------------------------------------------------------- status (server/services/listings/ only)

/** A new version goes to review: the asset row is created or takes the new version's card. */
export async function createInReview(
  sql: Sql,
  a: { id: string; creatorId: string; assetType: string; name: string; version: number; parentId: string | null; metadataHash: string },
): Promise<void> {
  await sql.query(
    `INSERT INTO assets (id, creator_id, asset_type, name, status, latest_version, parent_asset_id, metadata_hash) VALUES ($1,$2,$3,$4,'in_review',$5,$6,$7)`,
    [a.id, a.creatorId, a.assetType, a.name, a.version, a.parentId, a.metadataHash],
  );
}

export async function updateInReview(
  sql: Sql,
  a: { id: string; assetType: string; name: string; version: number; parentId: string | null; metadataHash: string },
): Promise<void> {
  await sql.query(
    `UPDATE assets SET asset_type = $2, name = $3, status = 'in_review', latest_version = $4, metadata_hash = $5, parent_asset_id = $6, updated_at = now() WHERE id = $1`,
    [a.id, a.assetType, a.name, a.version, a.metadataHash, a.parentId],
  );
}

export async function setWithdrawn(sql: Sql, id: string): Promise<void> {
  await sql.query(`UPDATE assets SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [id]);
}

export async function setPublished(sql: Sql, id: string, version: number): Promise<void> {
  await sql.query(`UPDATE asset_versions SET status = 'superseded' WHERE asset_id = $1 AND status = 'published'`, [id]);
  await sql.query(`UPDATE asset_versions SET status = 'published', decided_at = now() WHERE asset_id = $1 AND version = $2`, [id, version]);
  await sql.query(
    `UPDATE assets SET status = 'published', published_version = $2, published_at = COALESCE(published_at, now()), updated_at = now() WHERE id = $1`,
    [id, version],
  );
}

/** A version refused: the version keeps the decision; the asset falls back to its published version, if any. */
export async function setRefused(sql: Sql, id: string, version: number, status: 'rejected' | 'changes_requested'): Promise<void> {
  await sql.query(`UPDATE asset_versions SET status = $3, decided_at = now() WHERE asset_id = $1 AND version = $2`, [id, version, status]);
  await sql.query(
    `UPDATE assets SET status = CASE WHEN published_version IS NULL THEN $2 ELSE 'published' END, updated_at = now() WHERE id = $1`,
    [id, status],
  );
}

export async function setTakenDown(sql: Sql, id: string, reason: string): Promise<void> {
  await sql.query(
    `UPDATE assets SET status = 'taken_down', takedown_reason = $2, taken_down_at = now(), updated_at = now() WHERE id = $1`,
    [id, reason],
  );
}

export async function setRestored(sql: Sql, id: string, status: AssetStatus): Promise<void> {
  await sql.query(`UPDATE assets SET status = $2, takedown_reason = NULL, taken_down_at = NULL, updated_at = now() WHERE id = $1`, [
    id,
    status,
  ]);
}

/** Closes an asset's open review items with a decision that is not a moderator's (withdrawn, taken_down). */
export async function closeOpenReviewItems(sql: Sql, id: string, decision: 'withdrawn' | 'taken_down'): Promise<void> {
  await sql.query(`UPDATE review_items SET state = 'decided', decision = $2, decided_at = now() WHERE asset_id = $1 AND state = 'open'`, [
    id,
    decision,
  ]);
}

// ---------------------------------------------------------------- index feed

export async function upsertEvent(sql: Sql, id: string, version: number): Promise<void> {
  await sql.query(`INSERT INTO index_events (asset_id, version, kind) VALUES ($1, $2, 'upsert')`, [id, version]);
}

export async function tombstone(sql: Sql, id: string): Promise<void> {
  await sql.query(`INSERT INTO index_events (asset_id, version, kind) VALUES ($1, NULL, 'tombstone')`, [id]);
}
