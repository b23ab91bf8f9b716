/**
 * The authorization matrix, in one place: every route names one action, and `authorize` decides
 * it for the caller (and, for owned resources, the owner). It mirrors the spec's RLS policies:
 * public reads of published listings, owners write their own, buyers see their purchases,
 * creators see their sales, moderators see the queue, admins manage accounts.
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
  'notification.self': 'any signed-in user, on their own notifications',
  'moderation.queue': 'moderators and admins',
  'admin.users': 'admins',
} as const;
export type Action = keyof typeof ACTIONS;

export interface Resource {
  ownerId?: string;
  published?: boolean;
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
    case 'moderation.queue':
      if (!isStaff(user)) throw new ApiError('forbidden', 'moderators only', undefined, 403);
      return user;
    case 'admin.users':
      if (!has(user, 'admin')) throw new ApiError('forbidden', 'admins only', undefined, 403);
      return user;
  }
}
