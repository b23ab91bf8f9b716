/** SQL for media access: a version's stored file and probed container, and the moderator excluded from its open review. */
import type { Sql } from '../db.ts';

export async function versionFile(
  sql: Sql,
  assetId: string,
  version: number,
): Promise<{ status: string; media_sha256: string | null; kind: string | null; container: string | null } | undefined> {
  return (
    await sql.query<{ status: string; media_sha256: string | null; kind: string | null; container: string | null }>(
      `SELECT status, media_sha256, fingerprints->'media'->'info'->>'kind' AS kind, fingerprints->'media'->'info'->>'container' AS container
       FROM asset_versions WHERE asset_id = $1 AND version = $2`,
      [assetId, version],
    )
  ).rows[0];
}

/** The open review item of a version, if any, with the moderator who may not decide it. */
export async function openReview(sql: Sql, assetId: string, version: number): Promise<{ excluded_moderator: string | null } | undefined> {
  return (
    await sql.query<{ excluded_moderator: string | null }>(
      `SELECT excluded_moderator FROM review_items WHERE asset_id = $1 AND version = $2 AND state = 'open' LIMIT 1`,
      [assetId, version],
    )
  ).rows[0];
}
