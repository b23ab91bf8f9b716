/**
 * Reviews from verified buyers, reports, and creator reputation (shared/policy/reputation.ts),
 * recomputed from its inputs whenever an event changes one, with a visible history.
 */
import { ApiError } from '../shared/api.ts';
import { type Reputation, type ReputationInputs, computeReputation } from '../shared/policy/reputation.ts';
import type { UserRow } from './auth.ts';
import type { Sql } from './db.ts';

export const REPORT_KINDS = ['spam', 'misrepresentation', 'copyright', 'offensive'] as const;

/** Reads every input of a creator's reputation from the database. */
export async function reputationInputs(sql: Sql, userId: string): Promise<ReputationInputs> {
  const q = async (text: string) => Number((await sql.query<{ n: string | null }>(text, [userId])).rows[0]?.n ?? 0);
  const ratings = (
    await sql.query<{ n: string; s: string | null }>(
      'SELECT count(*) AS n, sum(r.rating) AS s FROM reviews r JOIN assets a ON a.id = r.asset_id WHERE a.creator_id = $1',
      [userId],
    )
  ).rows[0];
  return {
    ratings: { count: Number(ratings?.n ?? 0), sum: Number(ratings?.s ?? 0) },
    sales: {
      // Purchases of the creator's assets that were paid (whether refunded later or not), and per-use charges.
      count:
        (await q(
          `SELECT count(*) AS n FROM purchases p JOIN assets a ON a.id = p.asset_id WHERE a.creator_id = $1 AND p.status IN ('paid', 'refunded')`,
        )) + (await q(`SELECT count(*) AS n FROM usages u JOIN assets a ON a.id = u.asset_id WHERE a.creator_id = $1 AND u.kind = 'use'`)),
      refunds: await q(
        `SELECT count(*) AS n FROM purchases p JOIN assets a ON a.id = p.asset_id WHERE a.creator_id = $1 AND p.status = 'refunded'`,
      ),
    },
    community: {
      reviewsWritten: await q('SELECT count(*) AS n FROM reviews WHERE user_id = $1'),
      derivativesAcknowledged: await q(
        'SELECT count(*) AS n FROM asset_derivations d JOIN assets c ON c.id = d.child_asset_id WHERE c.creator_id = $1 AND c.published_version IS NOT NULL',
      ),
      helpfulReports: await q(`SELECT count(*) AS n FROM reports WHERE reporter_id = $1 AND state = 'upheld'`),
    },
    behavior: {
      violations: await q('SELECT strikes AS n FROM users WHERE id = $1'),
      upheldReportsAgainst: await q(
        `SELECT count(*) AS n FROM reports r JOIN assets a ON a.id = r.asset_id WHERE a.creator_id = $1 AND r.state = 'upheld'`,
      ),
    },
  };
}

/** Recomputes and stores a creator's reputation; records a history entry when it changed. */
export async function recomputeReputation(sql: Sql, userId: string, reason: string): Promise<Reputation> {
  const rep = computeReputation(await reputationInputs(sql, userId));
  const cur = await sql.query<{ reputation: number }>('SELECT reputation FROM users WHERE id = $1', [userId]);
  if (Number(cur.rows[0]?.reputation) !== rep.total) {
    await sql.query('UPDATE users SET reputation = $2 WHERE id = $1', [userId, rep.total]);
    await sql.query('INSERT INTO reputation_history (user_id, total, level, components, reason) VALUES ($1,$2,$3,$4,$5)', [
      userId,
      rep.total,
      rep.level,
      JSON.stringify(rep.components),
      reason,
    ]);
  }
  return rep;
}

export async function reputationView(sql: Sql, userId: string) {
  const u = await sql.query<{ display_name: string; verified: boolean; strikes: number; selling_banned: boolean }>(
    'SELECT display_name, verified, strikes, selling_banned FROM users WHERE id = $1',
    [userId],
  );
  const strikes = await sql.query<{
    id: string;
    reason: string;
    active: boolean;
    created_at: Date;
    lifted_at: Date | null;
    case_id: string;
    asset_name: string | null;
  }>('SELECT s.*, a.name AS asset_name FROM strikes s LEFT JOIN assets a ON a.id = s.asset_id WHERE s.user_id = $1 ORDER BY s.id DESC', [
    userId,
  ]);
  if (!u.rows[0]) throw new ApiError('not_found', 'no such creator', 'id', 404);
  const inputs = await reputationInputs(sql, userId);
  const rep = computeReputation(inputs);
  const history = await sql.query<{ total: number; level: string; reason: string; created_at: Date }>(
    'SELECT total, level, reason, created_at FROM reputation_history WHERE user_id = $1 ORDER BY id DESC LIMIT 50',
    [userId],
  );
  return {
    creatorId: userId,
    displayName: u.rows[0].display_name,
    verified: u.rows[0].verified,
    strikes: u.rows[0].strikes,
    sellingBanned: u.rows[0].selling_banned,
    strikeHistory: strikes.rows.map((s) => ({
      caseId: Number(s.case_id),
      asset: s.asset_name,
      reason: s.reason,
      active: s.active,
      at: new Date(s.created_at).toISOString(),
      liftedAt: s.lifted_at ? new Date(s.lifted_at).toISOString() : null,
    })),
    badges: u.rows[0].verified ? ['verified'] : [],
    ...rep,
    inputs,
    history: history.rows.map((h) => ({
      total: Number(h.total),
      level: h.level,
      reason: h.reason,
      at: new Date(h.created_at).toISOString(),
    })),
  };
}

/** A verified-purchase review: only a buyer holding the asset may rate it, once (an update replaces it). */
export async function addReview(sql: Sql, user: UserRow, assetId: string, rating: number, body: string) {
  const a = await sql.query<{ creator_id: string }>('SELECT creator_id FROM assets WHERE id = $1', [assetId]);
  const asset = a.rows[0];
  if (!asset) throw new ApiError('not_found', 'no such asset', 'id', 404);
  if (asset.creator_id === user.id) throw new ApiError('own_asset', 'you cannot review your own asset', 'id', 403);
  const held = await sql.query('SELECT 1 FROM entitlements WHERE user_id = $1 AND asset_id = $2 LIMIT 1', [user.id, assetId]);
  if (!held.rows.length) throw new ApiError('verified_purchase_required', 'only buyers of this asset can rate it', 'id', 403);
  await sql.query(
    `INSERT INTO reviews (asset_id, user_id, rating, body) VALUES ($1,$2,$3,$4)
     ON CONFLICT (asset_id, user_id) DO UPDATE SET rating = excluded.rating, body = excluded.body, created_at = now()`,
    [assetId, user.id, rating, body],
  );
  await recomputeReputation(sql, asset.creator_id, 'a buyer rated one of your assets');
  await recomputeReputation(sql, user.id, 'you reviewed an asset');
  return { assetId, rating };
}

export async function reviewsOf(sql: Sql, assetId: string) {
  const r = await sql.query<{ rating: number; body: string; created_at: Date; display_name: string }>(
    'SELECT r.rating, r.body, r.created_at, u.display_name FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.asset_id = $1 ORDER BY r.id DESC LIMIT 200',
    [assetId],
  );
  const n = r.rows.length;
  return {
    count: n,
    average: n ? Math.round((r.rows.reduce((s, x) => s + x.rating, 0) / n) * 100) / 100 : null,
    reviews: r.rows.map((x) => ({ rating: x.rating, body: x.body, by: x.display_name, at: new Date(x.created_at).toISOString() })),
  };
}
