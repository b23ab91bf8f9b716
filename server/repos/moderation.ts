/** SQL for trust and safety: the audit log, moderation cases and reports, strikes, blocklists, detector counts and badges. */
import type { FingerprintsJson } from '../../engine/serialize.ts';
import type { AssetCard } from '../../shared/asset.ts';
import type { Sql } from '../db.ts';

export type CaseKind = 'spam' | 'misrepresentation' | 'copyright' | 'offensive';

export interface CaseRow {
  id: string;
  asset_id: string | null;
  creator_id: string;
  kind: CaseKind;
  source: 'report' | 'automatic';
  state: 'open' | 'actioned' | 'dismissed';
  evidence: Record<string, unknown>[];
  decision: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  appeal_state: 'pending' | 'overturned' | 'upheld' | null;
  appeal_reason: string | null;
  appeal_decision_reason: string | null;
  previous_status: string | null;
  created_at: Date;
  asset_name: string | null;
  creator_name: string;
}

// ---------------------------------------------------------------- audit log

export interface AuditInsert {
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

export async function insertAudit(sql: Sql, e: AuditInsert): Promise<void> {
  await sql.query(
    'INSERT INTO audit_log (actor_id, actor_name, action, target_type, target_id, reason, details) VALUES ($1,$2,$3,$4,$5,$6,$7)',
    [e.actorId, e.actorName, e.action, e.targetType, e.targetId, e.reason, JSON.stringify(e.details)],
  );
}

export interface AuditRow {
  id: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: string | null;
  details: unknown;
  created_at: Date;
}

export async function auditSince(sql: Sql, since: string | null): Promise<AuditRow[]> {
  return (
    await sql.query<AuditRow>(`SELECT * FROM audit_log WHERE ($1::timestamptz IS NULL OR created_at >= $1) ORDER BY id LIMIT 100000`, [
      since,
    ])
  ).rows;
}

// ---------------------------------------------------------------- cases and reports

const CASE_QUERY = `SELECT c.*, a.name AS asset_name, u.display_name AS creator_name
  FROM moderation_cases c LEFT JOIN assets a ON a.id = c.asset_id JOIN users u ON u.id = c.creator_id`;

export async function caseRow(sql: Sql, id: number): Promise<CaseRow | undefined> {
  return (await sql.query<CaseRow>(`${CASE_QUERY} WHERE c.id = $1`, [id])).rows[0];
}

/** Cases for a moderator's lists: open ones and pending appeals hide what this moderator may not decide; 'all' shows everything. */
export async function casesFor(sql: Sql, moderatorId: string, state: 'open' | 'appeals' | 'all'): Promise<CaseRow[]> {
  const mine = `c.creator_id <> $1 AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.case_id = c.id AND r.reporter_id = $1)`;
  const where =
    state === 'open'
      ? `WHERE c.state = 'open' AND ${mine}`
      : state === 'appeals'
        ? `WHERE c.appeal_state = 'pending' AND ${mine} AND c.decided_by IS DISTINCT FROM $1`
        : '';
  return (await sql.query<CaseRow>(`${CASE_QUERY} ${where} ORDER BY c.created_at LIMIT 200`, where ? [moderatorId] : [])).rows;
}

export async function actionedCasesOf(sql: Sql, creatorId: string): Promise<CaseRow[]> {
  return (
    await sql.query<CaseRow>(`${CASE_QUERY} WHERE c.creator_id = $1 AND c.state = 'actioned' ORDER BY c.created_at DESC`, [creatorId])
  ).rows;
}

export async function caseDeciders(sql: Sql, caseId: number): Promise<{ creator_id: string; decided_by: string | null } | undefined> {
  return (
    await sql.query<{ creator_id: string; decided_by: string | null }>(
      'SELECT creator_id, decided_by FROM moderation_cases WHERE id = $1',
      [caseId],
    )
  ).rows[0];
}

export async function reporterIds(sql: Sql, caseId: number): Promise<string[]> {
  return (await sql.query<{ reporter_id: string }>('SELECT DISTINCT reporter_id FROM reports WHERE case_id = $1', [caseId])).rows.map(
    (r) => r.reporter_id,
  );
}

/** The open case of a kind about an asset (or, for spam, about a creator). */
export async function openCaseId(sql: Sql, c: { assetId: string | null; creatorId: string; kind: CaseKind }): Promise<string | undefined> {
  const r = await sql.query<{ id: string }>(
    c.kind === 'spam'
      ? `SELECT id FROM moderation_cases WHERE creator_id = $1 AND kind = 'spam' AND state = 'open' LIMIT 1`
      : `SELECT id FROM moderation_cases WHERE asset_id = $1 AND kind = $2 AND state = 'open' LIMIT 1`,
    c.kind === 'spam' ? [c.creatorId] : [c.assetId, c.kind],
  );
  return r.rows[0]?.id;
}

export async function addEvidence(sql: Sql, caseId: string, evidenceJson: string): Promise<void> {
  await sql.query(`UPDATE moderation_cases SET evidence = evidence || $2::jsonb, updated_at = now() WHERE id = $1`, [caseId, evidenceJson]);
}

export async function insertCase(
  sql: Sql,
  c: { assetId: string | null; creatorId: string; kind: CaseKind; source: string; evidenceJson: string },
): Promise<number> {
  const r = await sql.query<{ id: string }>(
    `INSERT INTO moderation_cases (asset_id, creator_id, kind, source, evidence) VALUES ($1,$2,$3,$4,$5::jsonb) RETURNING id`,
    [c.assetId, c.creatorId, c.kind, c.source, c.evidenceJson],
  );
  return Number(r.rows[0]?.id);
}

export async function dismissCase(sql: Sql, caseId: number, reason: string, moderatorId: string): Promise<void> {
  await sql.query(
    `UPDATE moderation_cases SET state = 'dismissed', decision = 'dismiss', reason = $2, decided_by = $3, decided_at = now() WHERE id = $1`,
    [caseId, reason, moderatorId],
  );
  await sql.query(`UPDATE reports SET state = 'dismissed', decided_at = now(), decided_by = $2 WHERE case_id = $1`, [caseId, moderatorId]);
}

export async function actionCase(
  sql: Sql,
  caseId: number,
  reason: string,
  moderatorId: string,
  previousStatus: string | null,
): Promise<void> {
  await sql.query(
    `UPDATE moderation_cases SET state = 'actioned', decision = 'takedown', reason = $2, decided_by = $3, decided_at = now(), previous_status = $4 WHERE id = $1`,
    [caseId, reason, moderatorId, previousStatus],
  );
}

/** Upholds a case's reports; returns their reporters. */
export async function upholdReports(sql: Sql, caseId: number, moderatorId: string): Promise<string[]> {
  return (
    await sql.query<{ reporter_id: string }>(
      `UPDATE reports SET state = 'upheld', decided_at = now(), decided_by = $2 WHERE case_id = $1 RETURNING reporter_id`,
      [caseId, moderatorId],
    )
  ).rows.map((r) => r.reporter_id);
}

export async function appealCase(sql: Sql, caseId: number, reason: string): Promise<void> {
  await sql.query(`UPDATE moderation_cases SET appeal_state = 'pending', appeal_reason = $2, updated_at = now() WHERE id = $1`, [
    caseId,
    reason,
  ]);
}

export async function decideCaseAppeal(
  sql: Sql,
  caseId: number,
  state: 'overturned' | 'upheld',
  moderatorId: string,
  reason: string,
): Promise<void> {
  await sql.query(
    `UPDATE moderation_cases SET appeal_state = $2, appeal_decided_by = $3, appeal_decision_reason = $4, updated_at = now() WHERE id = $1`,
    [caseId, state, moderatorId, reason],
  );
}

/** An overturned takedown: its strikes are lifted and its reports dismissed. */
export async function liftCase(sql: Sql, caseId: number): Promise<void> {
  await sql.query(`UPDATE strikes SET active = false, lifted_at = now() WHERE case_id = $1 AND active`, [caseId]);
  await sql.query(`UPDATE reports SET state = 'dismissed' WHERE case_id = $1`, [caseId]);
}

export async function publishedAssetOwner(sql: Sql, assetId: string): Promise<{ creator_id: string; name: string } | undefined> {
  return (
    await sql.query<{ creator_id: string; name: string }>(
      'SELECT creator_id, name FROM assets WHERE id = $1 AND published_version IS NOT NULL',
      [assetId],
    )
  ).rows[0];
}

export async function insertReport(sql: Sql, assetId: string, reporterId: string, kind: string, details: string): Promise<number> {
  const r = await sql.query<{ id: string }>(
    'INSERT INTO reports (asset_id, reporter_id, kind, details) VALUES ($1,$2,$3,$4) RETURNING id',
    [assetId, reporterId, kind, details],
  );
  return Number(r.rows[0]?.id);
}

export async function linkReport(sql: Sql, reportId: number, caseId: number): Promise<void> {
  await sql.query('UPDATE reports SET case_id = $2 WHERE id = $1', [reportId, caseId]);
}

export async function reportsOfCase(
  sql: Sql,
  caseId: string,
): Promise<{ id: string; kind: string; details: string; state: string; display_name: string; created_at: Date }[]> {
  return (
    await sql.query<{ id: string; kind: string; details: string; state: string; display_name: string; created_at: Date }>(
      'SELECT r.*, u.display_name FROM reports r JOIN users u ON u.id = r.reporter_id WHERE r.case_id = $1 ORDER BY r.id',
      [caseId],
    )
  ).rows;
}

/** Paid purchases of an asset a takedown refunds. */
export async function paidPurchases(sql: Sql, assetId: string): Promise<{ id: string; kind: string }[]> {
  return (
    await sql.query<{ id: string; kind: string }>(
      `SELECT id, kind FROM purchases WHERE asset_id = $1 AND status = 'paid' AND kind IN ('one_time', 'license', 'subscription')`,
      [assetId],
    )
  ).rows;
}

// ---------------------------------------------------------------- strikes

export async function insertStrike(sql: Sql, userId: string, caseId: number, assetId: string, reason: string): Promise<void> {
  await sql.query('INSERT INTO strikes (user_id, case_id, asset_id, reason) VALUES ($1,$2,$3,$4)', [userId, caseId, assetId, reason]);
}

export async function activeStrikes(sql: Sql, userId: string): Promise<number> {
  return Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM strikes WHERE user_id = $1 AND active', [userId])).rows[0]?.n);
}

// ---------------------------------------------------------------- blocklists

export interface BlocklistRow {
  id: string;
  list: string;
  label: string;
  fingerprints: FingerprintsJson;
}

export async function blocklistEntries(sql: Sql): Promise<BlocklistRow[]> {
  return (await sql.query<BlocklistRow>('SELECT * FROM blocklist_entries')).rows;
}

export async function insertBlocklistEntry(sql: Sql, list: string, label: string, fingerprints: unknown, addedBy: string): Promise<void> {
  await sql.query('INSERT INTO blocklist_entries (list, label, fingerprints, added_by) VALUES ($1,$2,$3,$4) RETURNING id', [
    list,
    label,
    JSON.stringify(fingerprints),
    addedBy,
  ]);
}

// ---------------------------------------------------------------- detectors

export async function recentSubmissions(sql: Sql, creatorId: string, minutes: number): Promise<number> {
  return Number(
    (
      await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM asset_versions v JOIN assets a ON a.id = v.asset_id WHERE a.creator_id = $1 AND v.submitted_at > now() - ($2 || ' minutes')::interval`,
        [creatorId, String(minutes)],
      )
    ).rows[0]?.n,
  );
}

export async function lowRatedAssets(sql: Sql, creatorId: string, minRatingsEach: number, maxAverage: number): Promise<number> {
  return Number(
    (
      await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT r.asset_id FROM reviews r JOIN assets a ON a.id = r.asset_id WHERE a.creator_id = $1
          GROUP BY r.asset_id HAVING count(*) >= $2 AND avg(r.rating) <= $3) x`,
        [creatorId, minRatingsEach, maxAverage],
      )
    ).rows[0]?.n,
  );
}

export async function setClipAgreement(sql: Sql, assetId: string, version: number, cosine: number): Promise<void> {
  await sql.query('UPDATE asset_versions SET clip_agreement = $3 WHERE asset_id = $1 AND version = $2', [assetId, version, cosine]);
}

/** CLIP text↔image agreement of an asset's published version, when its vectors exist. */
export async function clipAgreement(sql: Sql, assetId: string): Promise<number | null> {
  return (
    (
      await sql.query<{ clip_agreement: number | null }>(
        'SELECT v.clip_agreement FROM asset_versions v JOIN assets a ON a.id = v.asset_id AND v.version = a.published_version WHERE a.id = $1',
        [assetId],
      )
    ).rows[0]?.clip_agreement ?? null
  );
}

/** The creator's other live assets (latest versions), newest first, for the close-variant detector. */
export async function otherLiveAssets(
  sql: Sql,
  creatorId: string,
  exceptId: string,
): Promise<{ id: string; card: AssetCard; fingerprints: FingerprintsJson }[]> {
  return (
    await sql.query<{ id: string; card: AssetCard; fingerprints: FingerprintsJson }>(
      `SELECT a.id, v.card, v.fingerprints FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.latest_version
       WHERE a.creator_id = $1 AND a.id <> $2 AND a.status NOT IN ('withdrawn', 'rejected', 'taken_down') ORDER BY a.created_at DESC LIMIT 300`,
      [creatorId, exceptId],
    )
  ).rows;
}

// ---------------------------------------------------------------- badges

export async function badgeInputs(
  sql: Sql,
  assetId: string,
): Promise<{ n: string; avg: number | null; s7: string; p7: string; d: string } | undefined> {
  return (
    await sql.query<{ n: string; avg: number | null; s7: string; p7: string; d: string }>(
      `SELECT (SELECT count(*) FROM reviews WHERE asset_id = $1) AS n,
              (SELECT avg(rating)::float8 FROM reviews WHERE asset_id = $1) AS avg,
              (SELECT count(*) FROM purchases WHERE asset_id = $1 AND status = 'paid' AND paid_at > now() - interval '7 days') AS s7,
              (SELECT count(*) FROM purchases WHERE asset_id = $1 AND status = 'paid' AND paid_at <= now() - interval '7 days' AND paid_at > now() - interval '14 days') AS p7,
              (SELECT count(*) FROM asset_derivations d JOIN assets c ON c.id = d.child_asset_id WHERE d.parent_asset_id = $1 AND c.published_version IS NOT NULL) AS d`,
      [assetId],
    )
  ).rows[0];
}
