/**
 * The handlers of the trust domain: reputation, reports, moderation cases and appeals, badges, and
 * provenance proofs — verified here against the marketplace's keys pinned on first use, never the
 * key a proof carries. Each marketplace call goes through the generated client.
 */
import type { TrustHandlers } from '../../../shared/contracts/studio/trust.ts';
import { ApiError } from '../../../shared/errors.ts';
import { verifyProof } from '../../../shared/provenance.ts';
import type { Remote } from './remote.ts';

export function trustHandlers({ conn }: Remote): TrustHandlers {
  const { client } = conn;
  const caseId = (id: number) => ({ id: String(id) });
  return {
    'trust.reputation': (i) => {
      const id = i.creatorId ?? conn.user?.id;
      if (!id) throw new ApiError('signed_out', 'sign in to see your reputation', undefined, 401);
      return client.trust.reputation({ params: { id }, auth: false });
    },
    'trust.report': (i) => client.trust.report({ params: { id: i.remoteId }, body: { kind: i.kind, details: i.details } }),
    'trust.myCases': () => client.trust.myCases(),
    'trust.appeal': (i) => client.trust.appealCase({ params: caseId(i.caseId), body: { reason: i.reason } }),
    'trust.cases': (i) => client.trust.moderationCases({ query: { state: i.state } }),
    'trust.decideCase': (i) =>
      client.trust.decideCase({
        params: caseId(i.caseId),
        body: { action: i.action, reason: i.reason, ...(i.strike !== undefined ? { strike: i.strike } : {}) },
      }),
    'trust.decideAppeal': (i) =>
      client.trust.decideCaseAppeal({ params: caseId(i.caseId), body: { decision: i.decision, reason: i.reason } }),
    'trust.provenance': async (i) => {
      const proof = await client.provenance.assetProvenance({ params: { id: i.remoteId }, auth: conn.signedIn });
      const listed = await client.provenance
        .provenanceKeys({ auth: false })
        .then((r) => r.keys)
        .catch(() => null);
      const pins = conn.keyPins.resolve(conn.server ?? 'none', listed);
      const r = await verifyProof(proof, pins.keys);
      return { proof, verified: r.ok, problem: r.ok ? null : r.reason, keyWarning: pins.warning };
    },
    'trust.badges': (i) => client.trust.assetBadges({ params: { id: i.remoteId }, auth: false }),
  };
}
