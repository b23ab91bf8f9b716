/**
 * The verdict from the top matches: a copy signal (or combined above the duplicate threshold) from
 * another creator → flagged_plagiarism; from the same creator → duplicate_self; another creator's
 * asset above the derivative threshold, or with a derivative signal → derivative_potential;
 * otherwise approved. For the same creator the advice follows the evidence: a whole copy should
 * update the existing asset, while reusing a passage or a part of one's own image is the creator's
 * call (policy `ownPartReuse`, which the marketplace's gate applies too); and the creator's own
 * later asset that reuses this one (Match.later) leaves this one as it is, the original of the two.
 */
import type { CheckResult, CheckStatus, Match } from '../shared/check.ts';
import { isCopy, regionExtent } from '../shared/matches.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../shared/policy/uniqueness.ts';

/** Signals that show only part of an asset reused (a passage, a verified part of the image). */
const PART_SIGNALS = new Set([
  'reused passage',
  'reworked passage (same words in the same order, edited between)',
  'partial copy (local features, geometrically verified)',
]);

/** Whether a match shows only part of the other asset reused: partial signals, a partial region, and not near-identical overall. */
export function partOnly(m: Match, pol: UniquenessPolicy = UNIQUENESS_POLICY): boolean {
  if (m.combined > pol.duplicate || m.copySignals.length === 0) return false;
  if (!m.copySignals.every((s) => PART_SIGNALS.has(s))) return false;
  if (!m.region || !m.copySignals.includes('partial copy (local features, geometrically verified)')) return true;
  const { whole, all } = regionExtent(m.region, pol);
  return !(whole && all);
}

/** The assets this one copies (the creator's own later assets that reuse this one left out). */
export function copiesOf(top: Match[], pol: UniquenessPolicy = UNIQUENESS_POLICY): Match[] {
  return top.filter((m) => !m.later && isCopy(m, pol.duplicate));
}

/**
 * Whether a duplicate_self verdict may still be submitted: every copy found reuses only part of the
 * creator's own asset and the policy allows that (`ownPartReuse`). The studio's advice and the
 * marketplace's gate both ask this.
 */
export function ownPartReuseAllowed(top: Match[], pol: UniquenessPolicy = UNIQUENESS_POLICY): boolean {
  const copies = copiesOf(top, pol);
  return pol.ownPartReuse === 'allow' && copies.length > 0 && copies.every((m) => partOnly(m, pol));
}

export function decideStatus(
  top: Match[],
  creatorId: string,
  pol: UniquenessPolicy = UNIQUENESS_POLICY,
): Pick<CheckResult, 'status' | 'reason' | 'action'> {
  // A later asset of the creator's own that reuses this one does not make this one a duplicate.
  const copies = copiesOf(top, pol);
  const reusedBy = top.find((m) => m.later && isCopy(m, pol.duplicate));
  const others = copies.filter((m) => m.creatorId !== creatorId);
  const pct = (m: Match) => `${Math.round(m.combined * 100)}%`;
  const why = (m: Match) => m.summary ?? (m.copySignals.length ? m.copySignals.join(', ') : `${pct(m)} combined similarity`);
  if (others[0]) {
    const m = others[0];
    return {
      status: 'flagged_plagiarism' satisfies CheckStatus,
      reason: `matches “${m.name}” by another creator: ${why(m)}`,
      action: 'Manual review required before publishing; change the asset substantially or declare the original as its parent',
    };
  }
  if (copies[0]) {
    const m = copies[0];
    return {
      status: 'duplicate_self',
      reason: `matches your existing asset “${m.name}”: ${why(m)}`,
      action: ownPartReuseAllowed(copies, pol)
        ? `Reusing part of your own “${m.name}” is allowed; change it if buyers should see two distinct assets`
        : copies.every((c) => partOnly(c, pol))
          ? `This marketplace refuses reusing part of your own “${m.name}”: change this asset, or update “${m.name}” instead`
          : 'Update the existing asset instead of creating a duplicate',
    };
  }
  // Another creator's asset close overall, or with part of it reworked (a derivative signal).
  const deriv = top.find((m) => m.creatorId !== creatorId && (m.combined > pol.derivative || Boolean(m.derivativeSignals?.length)));
  if (deriv) {
    return {
      status: 'derivative_potential',
      reason:
        deriv.combined > pol.derivative
          ? `${pct(deriv)} similar to “${deriv.name}” by another creator`
          : `${deriv.summary ?? deriv.derivativeSignals?.join(', ')} (by another creator)`,
      action: 'Publish as a derivative (the parent receives a royalty) or modify it further',
    };
  }
  return {
    status: 'approved',
    reason: reusedBy
      ? `Sufficiently unique from existing assets; your later asset “${reusedBy.name}” reuses this one`
      : top.length
        ? 'Sufficiently unique from existing assets'
        : 'No similar assets found',
    action: 'Ready to submit',
  };
}
