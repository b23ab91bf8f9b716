/**
 * What an admin's change to an account means, in words: whether it takes something away (and so
 * asks for confirmation first), the question asked, and the success message; and marketplace
 * errors turned into plain sentences for the Users screen.
 */
import type { AdminUserView } from '@shared/api.ts';
import type { Role } from '@shared/marketplace.ts';

export interface UserPatch {
  creatorTier?: boolean;
  verified?: boolean;
  roles?: Role[];
  sellingBanned?: boolean;
}

export interface Change {
  patch: UserPatch;
  /** Takes a right or a badge away, or bans: asked before it is sent. */
  destructive: boolean;
  /** The confirmation question (destructive changes) or the description of the change. */
  question: string;
  /** The toast after it succeeded. */
  done: string;
}

export const ROLE_LABEL: Record<Role, string> = { buyer: 'Buyer', creator: 'Creator', moderator: 'Moderator', admin: 'Admin' };
export const ROLE_ORDER: Role[] = ['buyer', 'creator', 'moderator', 'admin'];

export function tierChange(u: AdminUserView, grant: boolean): Change {
  const name = u.displayName;
  return grant
    ? { patch: { creatorTier: true }, destructive: false, question: `Grant ${name} the Creator tier?`, done: `${name} can now sell.` }
    : {
        patch: { creatorTier: false },
        destructive: true,
        question: `Revoke ${name}’s Creator tier? They will no longer be able to submit assets for sale; their published listings stay.`,
        done: `${name} no longer has the Creator tier.`,
      };
}

export function verifiedChange(u: AdminUserView, verified: boolean): Change {
  const name = u.displayName;
  return verified
    ? { patch: { verified: true }, destructive: false, question: `Give ${name} the verified badge?`, done: `${name} is now verified.` }
    : {
        patch: { verified: false },
        destructive: true,
        question: `Remove ${name}’s verified badge? Buyers will no longer see it on their listings.`,
        done: `${name} is no longer verified.`,
      };
}

export function banChange(u: AdminUserView, banned: boolean): Change {
  const name = u.displayName;
  return banned
    ? {
        patch: { sellingBanned: true },
        destructive: true,
        question: `Ban ${name} from selling? They will not be able to submit assets until the ban is lifted.`,
        done: `${name} is banned from selling.`,
      }
    : {
        patch: { sellingBanned: false },
        destructive: false,
        question: `Lift ${name}’s selling ban?`,
        done: `${name} may sell again.`,
      };
}

/** Adds or removes one role; null when it would leave the account with no role at all. */
export function roleChange(u: AdminUserView, role: Role, on: boolean): Change | null {
  const roles = on ? ROLE_ORDER.filter((r) => r === role || u.roles.includes(r)) : u.roles.filter((r) => r !== role);
  if (roles.length === 0) return null;
  const name = u.displayName;
  const label = ROLE_LABEL[role];
  return on
    ? { patch: { roles }, destructive: false, question: `Make ${name} ${label.toLowerCase()}?`, done: `${name} now has the ${label} role.` }
    : {
        patch: { roles },
        destructive: true,
        question: `Remove the ${label} role from ${name}? ${ROLE_CONSEQUENCE[role]}`,
        done: `${name} no longer has the ${label} role.`,
      };
}

const ROLE_CONSEQUENCE: Record<Role, string> = {
  buyer: 'They will no longer be able to buy.',
  creator: 'They will no longer be able to submit assets.',
  moderator: 'They will lose access to the review queue.',
  admin: 'They will lose access to this screen and every admin action.',
};

const capitalized = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const sentence = (s: string) => capitalized(/[.!?]$/.test(s) ? s : `${s}.`);

/** A marketplace error as a plain sentence for this screen. */
export function plainError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  switch (err.code) {
    case 'offline':
      return 'The marketplace cannot be reached. Check that it is running and try again.';
    case 'signed_out':
    case 'unauthorized':
      return 'You are signed out. Sign in again to manage accounts.';
    case 'not_found':
      return 'This account no longer exists. Refresh the list.';
    case 'forbidden':
      return sentence(err.message && err.message !== 'admins only' ? err.message : 'Only admins can manage accounts');
    default:
      return sentence(err.message ?? String(e));
  }
}
