/** SQL for the review queue: items, their evidence, claims, decisions and appeals. */
import type { Sql } from '../db.ts';

export interface ReviewItemRow {
  id: string;
  kind: 'submission' | 'appeal';
  asset_id: string;
  version: number;
  priority: number;
  flags: string[];
  state: string;
  created_at: Date;
  claimed_by: string | null;
  claim_expires_at: Date | null;
  excluded_moderator: string | null;
  reason: string | null;
}

export async function hasOpenItem(sql: Sql, assetId: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM review_items WHERE asset_id = $1 AND state = $2', [assetId, 'open'])).rows.length > 0;
}

export async function insertSubmission(sql: Sql, assetId: string, version: number, priority: number, flags: string[]): Promise<void> {
  await sql.query(`INSERT INTO review_items (asset_id, version, kind, priority, flags) VALUES ($1,$2,'submission',$3,$4)`, [
    assetId,
    version,
    priority,
    JSON.stringify(flags),
  ]);
}

export async function insertAppeal(sql: Sql, assetId: string, version: number, reason: string, excludedModerator: string): Promise<number> {
  const r = await sql.query<{ id: string }>(
    `INSERT INTO review_items (asset_id, version, kind, priority, reason, excluded_moderator) VALUES ($1,$2,'appeal',5,$3,$4) RETURNING id`,
    [assetId, version, reason, excludedModerator],
  );
  return Number(r.rows[0]?.id);
}

/**
 * Open items for this moderator, most urgent first: appeals of their own decisions are left out; their
 * own listings are included (the service marks them as theirs to see, never to decide).
 */
export async function openItemsFor(sql: Sql, moderatorId: string, limit: number): Promise<ReviewItemRow[]> {
  return (
    await sql.query<ReviewItemRow>(
      `SELECT * FROM review_items WHERE state = 'open' AND (excluded_moderator IS NULL OR excluded_moderator <> $1)
       ORDER BY priority DESC, created_at ASC, id ASC LIMIT $2`,
      [moderatorId, limit],
    )
  ).rows;
}

export interface EvidenceRow {
  matched_asset_id: string | null;
  combined_similarity: number | null;
  analysis_details: unknown;
  name: string | null;
  image_sha256: string | null;
  mv: number | null;
  query_seconds: string | number | null;
  match_seconds: string | number | null;
}

/**
 * The similarity analysis of one version, with the version of each match that was compared — its
 * published one, or its latest for a submission that was waiting for review (details.pending) — and
 * the media durations of both sides.
 */
export async function evidence(sql: Sql, assetId: string, version: number): Promise<EvidenceRow[]> {
  return (
    await sql.query<EvidenceRow>(
      `SELECT s.matched_asset_id, s.combined_similarity, s.analysis_details, a.name, mv.image_sha256, mv.version AS mv,
         qv.fingerprints->'media'->'info'->>'durationSeconds' AS query_seconds,
         mv.fingerprints->'media'->'info'->>'durationSeconds' AS match_seconds
       FROM similarity_analysis s LEFT JOIN assets a ON a.id = s.matched_asset_id
       LEFT JOIN asset_versions mv ON mv.asset_id = a.id
         AND mv.version = CASE WHEN s.analysis_details->>'pending' = 'true' THEN a.latest_version ELSE a.published_version END
       LEFT JOIN asset_versions qv ON qv.asset_id = s.asset_id AND qv.version = s.version
       WHERE s.asset_id = $1 AND s.version = $2 ORDER BY s.combined_similarity DESC NULLS LAST`,
      [assetId, version],
    )
  ).rows;
}

/** Claims an item if it is open, not excluded for this moderator and unclaimed (or the claim expired); null otherwise. */
export async function claim(sql: Sql, itemId: number, moderatorId: string, minutes: number): Promise<{ claim_expires_at: Date } | null> {
  const r = await sql.query<{ id: string; claim_expires_at: Date }>(
    `UPDATE review_items SET claimed_by = $2, claim_expires_at = now() + make_interval(mins => $3)
     WHERE id = $1 AND state = 'open' AND (excluded_moderator IS NULL OR excluded_moderator <> $2)
       AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now())
     RETURNING id, claim_expires_at`,
    [itemId, moderatorId, minutes],
  );
  return r.rows[0] ?? null;
}

export async function item(sql: Sql, itemId: number): Promise<ReviewItemRow | undefined> {
  return (await sql.query<ReviewItemRow>('SELECT * FROM review_items WHERE id = $1', [itemId])).rows[0];
}

/** The item, locked for the deciding transaction. */
export async function lockItem(sql: Sql, itemId: number): Promise<ReviewItemRow | undefined> {
  return (await sql.query<ReviewItemRow>('SELECT * FROM review_items WHERE id = $1 FOR UPDATE', [itemId])).rows[0];
}

/** Who an item involves: the listing's creator and the moderator excluded from deciding it. */
export async function itemParties(
  sql: Sql,
  itemId: number,
): Promise<{ asset_id: string; creator_id: string; excluded_moderator: string | null } | undefined> {
  return (
    await sql.query<{ asset_id: string; creator_id: string; excluded_moderator: string | null }>(
      'SELECT r.asset_id, a.creator_id, r.excluded_moderator FROM review_items r JOIN assets a ON a.id = r.asset_id WHERE r.id = $1',
      [itemId],
    )
  ).rows[0];
}

export async function recordDecision(
  sql: Sql,
  itemId: number,
  decision: string,
  reason: string | null,
  moderatorId: string,
): Promise<void> {
  await sql.query(
    `UPDATE review_items SET state = 'decided', decision = $2, reason = COALESCE($3, reason), decided_by = $4, decided_at = now() WHERE id = $1`,
    [itemId, decision, reason, moderatorId],
  );
}

/** The last decision on a version. */
export async function lastDecision(
  sql: Sql,
  assetId: string,
  version: number,
): Promise<{ decision: string; decided_by: string; kind: string } | undefined> {
  return (
    await sql.query<{ decision: string; decided_by: string; kind: string }>(
      `SELECT decision, decided_by, kind FROM review_items WHERE asset_id = $1 AND version = $2 AND state = 'decided' ORDER BY decided_at DESC LIMIT 1`,
      [assetId, version],
    )
  ).rows[0];
}

/** The versions submitted and still waiting for review (open submission items), for the pending copy index. */
export async function openSubmissions(sql: Sql): Promise<{ asset_id: string; version: number }[]> {
  return (
    await sql.query<{ asset_id: string; version: number }>(
      `SELECT asset_id, version FROM review_items WHERE state = 'open' AND kind = 'submission'`,
    )
  ).rows;
}
