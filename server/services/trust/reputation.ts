/**
 * Creator reputation (shared/policy/reputation.ts), recomputed from its inputs whenever an event
 * changes one, with a visible history; and verified-buyer reviews. SQL in server/repos/trust.ts.
 */
import { ApiError } from '../../../shared/api.ts';
import { iso } from '../../../shared/format.ts';
import { type Reputation, type ReputationInputs, computeReputation, countRefunds } from '../../../shared/policy/reputation.ts';
import type { UserRow } from '../../auth.ts';
import type { Sql } from '../../db.ts';
import * as trust from '../../repos/trust.ts';

/** Reads every input of a creator's reputation from the database. */
export async function reputationInputs(sql: Sql, userId: string): Promise<ReputationInputs> {
  // Refunds the policy excuses (an accidental purchase) do not count against the creator.
  const refunds = countRefunds(await trust.refundsByReason(sql, userId));
  return {
    ratings: await trust.ratingsOfCreator(sql, userId),
    sales: {
      count: (await trust.paidSales(sql, userId)) + (await trust.uses(sql, userId)),
      refunds: refunds.counted,
      excusedRefunds: refunds.excused,
    },
    community: {
      reviewsWritten: await trust.reviewsWritten(sql, userId),
      derivativesAcknowledged: await trust.derivativesAcknowledged(sql, userId),
      helpfulReports: await trust.helpfulReports(sql, userId),
    },
    behavior: {
      violations: await trust.strikesOf(sql, userId),
      upheldReportsAgainst: await trust.upheldReportsAgainst(sql, userId),
    },
  };
}

/** Recomputes and stores a creator's reputation; records a history entry when it changed. */
export async function recomputeReputation(sql: Sql, userId: string, reason: string): Promise<Reputation> {
  const rep = computeReputation(await reputationInputs(sql, userId));
  if ((await trust.storedReputation(sql, userId)) !== rep.total) await trust.storeReputation(sql, userId, rep, reason);
  return rep;
}

/** The signature subscribers and services use to ask for a recomputation. */
export type Recompute = (sql: Sql, userId: string, reason: string) => Promise<unknown>;

export async function reputationView(sql: Sql, userId: string) {
  const u = await trust.publicProfile(sql, userId);
  const strikes = await trust.strikeHistory(sql, userId);
  if (!u) throw new ApiError('not_found', 'no such creator', 'id', 404);
  const inputs = await reputationInputs(sql, userId);
  const rep = computeReputation(inputs);
  const history = await trust.reputationHistory(sql, userId);
  return {
    creatorId: userId,
    displayName: u.display_name,
    verified: u.verified,
    strikes: u.strikes,
    sellingBanned: u.selling_banned,
    strikeHistory: strikes.map((s) => ({
      caseId: Number(s.case_id),
      asset: s.asset_name,
      reason: s.reason,
      active: s.active,
      at: new Date(s.created_at).toISOString(),
      liftedAt: iso(s.lifted_at),
    })),
    badges: u.verified ? ['verified'] : [],
    ...rep,
    inputs,
    history: history.map((h) => ({
      total: Number(h.total),
      level: h.level,
      reason: h.reason,
      at: new Date(h.created_at).toISOString(),
    })),
  };
}

/** A verified-purchase review: only a buyer holding the asset may rate it, once (an update replaces it). */
export async function addReview(sql: Sql, user: UserRow, assetId: string, rating: number, body: string) {
  const creatorId = await trust.creatorOf(sql, assetId);
  if (!creatorId) throw new ApiError('not_found', 'no such asset', 'id', 404);
  if (creatorId === user.id) throw new ApiError('own_asset', 'you cannot review your own asset', 'id', 403);
  if (!(await trust.holdsAsset(sql, user.id, assetId)))
    throw new ApiError('verified_purchase_required', 'only buyers of this asset can rate it', 'id', 403);
  await trust.upsertReview(sql, assetId, user.id, rating, body);
  await recomputeReputation(sql, creatorId, 'a buyer rated one of your assets');
  await recomputeReputation(sql, user.id, 'you reviewed an asset');
  return { assetId, rating };
}

export async function reviewsOf(sql: Sql, assetId: string) {
  const rows = await trust.reviewsOf(sql, assetId);
  const n = rows.length;
  return {
    count: n,
    average: n ? Math.round((rows.reduce((s, x) => s + x.rating, 0) / n) * 100) / 100 : null,
    reviews: rows.map((x) => ({ rating: x.rating, body: x.body, by: x.display_name, at: new Date(x.created_at).toISOString() })),
  };
}
