/**
 * The authorization matrix, in one place: every route names one action, and `authorize` decides
 * it for the caller (and, for owned resources, the owner). It mirrors the spec's RLS policies:
 * public reads of published listings, owners write their own, buyers see their purchases,
 * creators see their sales, moderators see the queue, admins manage accounts — and the
 * conflict-of-interest rule for every staff decision (`conflictOfInterest`).
 */
import { ApiError } from '../shared/api.ts';
import type { Role } from '../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../shared/policy/marketplace.ts';
import type { UserRow } from './auth.ts';

export const ACTIONS = {
  'public.read': 'anyone, signed in or not',
  'account.self': 'any signed-in user, on their own account',
  'asset.submit': 'creators with the Creator tier, not banned from selling, meeting the reputation minimum',
  'asset.owner': "the asset's creator",
  'asset.read': 'anyone for published assets; the creator and moderators for the rest',
  'asset.media':
    'a version’s audio/video file: its creator always; buyers entitled to it; moderators and admins while it is in review (unless conflicted) or published',
  'notification.self': 'any signed-in user, on their own notifications',
  'moderation.queue': 'moderators and admins',
  'admin.users': 'admins',
} as const;
export type Action = keyof typeof ACTIONS;

export interface Resource {
  ownerId?: string;
  published?: boolean;
  /** asset.media: the caller holds an entitlement to this version. */
  entitled?: boolean;
  /** asset.media: the version has an open review item; its parties for the conflict-of-interest rule. */
  inReview?: Parties | null;
}

const has = (u: UserRow | null, r: Role) => Boolean(u?.roles.includes(r));
/** Moderators and admins. */
export const isStaff = (u: UserRow | null) => has(u, 'moderator') || has(u, 'admin');

/** Throws 401/403 ApiErrors; returns the signed-in user (or null for public actions). */
export function authorize(
  user: UserRow | null,
  action: Action,
  res: Resource = {},
  ctx: { publishedCount?: number; minReputation?: number } = {},
): UserRow | null {
  if (action === 'public.read') return user;
  if (action === 'asset.read') {
    if (res.published) return user;
    if (!user) throw new ApiError('not_found', 'no such asset', 'id', 404);
    if (user.id === res.ownerId || isStaff(user)) return user;
    throw new ApiError('not_found', 'no such asset', 'id', 404);
  }
  if (!user) throw new ApiError('unauthorized', 'sign in first (Authorization: Bearer <token>)', undefined, 401);
  switch (action) {
    case 'account.self':
    case 'notification.self':
      return user;
    case 'asset.owner':
      if (user.id !== res.ownerId) throw new ApiError('forbidden', 'only the asset’s creator can do this', undefined, 403);
      return user;
    case 'asset.submit': {
      if (!has(user, 'creator')) throw new ApiError('forbidden', 'only creator accounts can submit assets', undefined, 403);
      if (!user.creator_tier)
        throw new ApiError('creator_tier_required', 'Creator tier required to sell assets; ask an admin to grant it', undefined, 403);
      if (user.selling_banned)
        throw new ApiError('selling_banned', 'this account is banned from selling (three upheld strikes); you can appeal', undefined, 403);
      const newcomer = (ctx.publishedCount ?? 0) === 0;
      const min = ctx.minReputation ?? MARKETPLACE_POLICY.minReputation;
      if (!newcomer && Number(user.reputation) < min) {
        throw new ApiError(
          'reputation_too_low',
          `minimum reputation ${min} required to sell assets (yours is ${Number(user.reputation).toFixed(2)})`,
          undefined,
          403,
        );
      }
      return user;
    }
    case 'asset.media': {
      // The route itself only needs someone signed in; the file's rule needs the asset.
      if (res.ownerId === undefined) return user;
      if (user.id === res.ownerId || res.entitled) return user;
      // Staff hear a file they may review (the queue's conflict-of-interest rule) or a published one.
      if (isStaff(user) && (res.published || (res.inReview && !conflictOfInterest(user, res.inReview)))) return user;
      if (res.published) throw new ApiError('forbidden', 'buy a license to play this file', 'id', 403);
      throw new ApiError('not_found', 'no such asset', 'id', 404);
    }
    case 'moderation.queue':
      if (!isStaff(user)) throw new ApiError('forbidden', 'moderators only', undefined, 403);
      return user;
    case 'admin.users':
      if (!has(user, 'admin')) throw new ApiError('forbidden', 'admins only', undefined, 403);
      return user;
  }
}

/** Who is involved in something staff decide: a listing's creator, a purchase's buyer, reporters, earlier deciders, the account changed. */
export interface Parties {
  creatorId?: string | null | undefined;
  buyerId?: string | null | undefined;
  reporterIds?: readonly string[] | undefined;
  previousDeciderIds?: readonly (string | null | undefined)[] | undefined;
  /** The account an admin action changes. */
  subjectId?: string | null | undefined;
}

/**
 * The conflict-of-interest rule, for every staff decision: staff never decide anything where they
 * are the creator, the buyer, a reporter, the previous decider, or (admins) the account changed.
 * Returns why the caller is conflicted, or null. Queues hide such items (`conflictSqlFilter`).
 */
export function conflictOfInterest(staff: UserRow, p: Parties): string | null {
  if (p.creatorId && p.creatorId === staff.id) return 'you are the creator of this listing';
  if (p.buyerId && p.buyerId === staff.id) return 'you are the buyer in this purchase';
  if (p.reporterIds?.includes(staff.id)) return 'you reported this listing';
  if (p.previousDeciderIds?.includes(staff.id)) return 'you made the decision under review; another moderator decides';
  if (p.subjectId && p.subjectId === staff.id) return 'admins do not change their own account; another admin does';
  return null;
}

/** Throws the 403 for a conflicted staff member (after `onRefused`, which records it in the audit log). */
export async function assertImpartial(staff: UserRow, p: Parties, onRefused: (why: string) => Promise<void>): Promise<void> {
  const why = conflictOfInterest(staff, p);
  if (!why) return;
  await onRefused(why);
  throw new ApiError('conflict_of_interest', `conflict of interest: ${why}`, 'id', 403);
}
