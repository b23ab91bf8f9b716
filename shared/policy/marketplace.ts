/** Marketplace review and submission policy, shown to creators and applied by the server. */
export const MARKETPLACE_POLICY = {
  version: 1,
  /** Review time targets shown to creators (the creator-economy spec's 24–48 hours). */
  reviewTargets: { standard: '24–48 hours', flagged: 'up to 5 business days (held for manual review)', appeal: '3 business days' },
  /** How long a moderator's claim on a queue item lasts. */
  claimMinutes: 15,
  /**
   * Minimum creator reputation to submit. A creator with no published asset yet is always allowed
   * to submit (their reputation has no inputs yet); from their first publication on, the score
   * must stay at or above this value. The default is 0: abuse is handled by strikes (three ban
   * selling) rather than by the score, because a creator with few sales and no ratings yet has a
   * low score through no fault of their own. A marketplace that wants a quality bar raises it.
   */
  minReputation: 0,
  /** Parent royalty recorded for a declared derivative, in basis points (1000 = 10 %). */
  derivativeRoyaltyBasisPoints: 1000,
  /** Largest accepted upload (bytes); checked from Content-Length before the body is read. */
  maxUploadBytes: 50 * 1024 * 1024,
  /** Search page size bounds. */
  search: { defaultPageSize: 20, maxPageSize: 100, maxPage: 500, countCap: 10_000 },
  /** Session lifetime. */
  sessionDays: 30,
  /**
   * Whether the marketplace's first admin — the one-box studio marketplace's first account, or the
   * account that redeems the one-time bootstrap token — also receives the Creator tier, so the
   * person running the marketplace can sell without an admin above them (admins never change their
   * own account). On by default; a marketplace that wants every seller vetted turns it off, and
   * another admin then grants the tier from the Users screen.
   */
  firstAdminCreatorTier: true,
  /** Accounts per page on the admin Users screen. */
  adminUsersPageSize: 25,
  /**
   * The studio's Submit step when the latest local check calls the asset a copy. The specs leave
   * the studio's side open (the marketplace decides: it refuses a whole copy of one's own listing and an
   * undeclared derivative, and holds likely plagiarism for a human — server verdictGate and
   * reviewFlags), so by default the studio shows the verdict and asks the creator to confirm
   * ('confirm'); 'refuse' makes it refuse those statuses outright. An asset never checked (or whose
   * check failed) is always confirmed first, saying so.
   */
  submitOnCopy: { statuses: ['duplicate_self', 'flagged_plagiarism', 'derivative_potential'], action: 'confirm' },
} as const;

/**
 * What the studio's Submit step does with the latest check (MARKETPLACE_POLICY.submitOnCopy):
 * 'go' straight on, 'confirm' a copy verdict or an unchecked asset first, or 'refuse'.
 */
export function submitStep(
  check: { status: string } | null,
  policy: { statuses: readonly string[]; action: 'confirm' | 'refuse' } = MARKETPLACE_POLICY.submitOnCopy,
): {
  step: 'go' | 'confirm' | 'refuse';
  why: 'unchecked' | 'copy' | null;
} {
  if (!check) return { step: 'confirm', why: 'unchecked' };
  if (policy.statuses.includes(check.status)) return { step: policy.action, why: 'copy' };
  return { step: 'go', why: null };
}
