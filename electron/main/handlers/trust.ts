/**
 * The handlers of the trust domain: reputation, reports, moderation cases and appeals, badges, and
 * provenance proofs — verified here against the marketplace's keys pinned on first use, never the
 * key a proof carries.
 */
import type { TrustHandlers } from '../../../shared/contracts/studio/trust.ts';
import { ApiError } from '../../../shared/errors.ts';
import { type ProvenanceProof, type TrustedKey, verifyProof } from '../../../shared/provenance.ts';
import type { Remote } from './remote.ts';

export function trustHandlers({ conn, get, postJson }: Remote): TrustHandlers {
  return {
    'trust.reputation': (i) => {
      const id = i.creatorId ?? conn.user?.id;
      if (!id) throw new ApiError('signed_out', 'sign in to see your reputation', undefined, 401);
      return conn.request('GET', `/v1/creators/${id}/reputation`, { auth: false });
    },
    'trust.report': (i) => conn.request('POST', `/v1/assets/${i.remoteId}/reports`, { json: { kind: i.kind, details: i.details } }),
    'trust.myCases': () => get('/v1/me/cases'),
    'trust.appeal': (i) => postJson(`/v1/moderation/cases/${i.caseId}/appeal`, { reason: i.reason }),
    'trust.cases': (i) => get(`/v1/moderation/cases?state=${i.state}`),
    'trust.decideCase': (i) =>
      postJson(`/v1/moderation/cases/${i.caseId}/decision`, {
        action: i.action,
        reason: i.reason,
        ...(i.strike !== undefined ? { strike: i.strike } : {}),
      }),
    'trust.decideAppeal': (i) => postJson(`/v1/moderation/cases/${i.caseId}/appeal-decision`, { decision: i.decision, reason: i.reason }),
    'trust.provenance': async (i) => {
      const proof = await conn.request<ProvenanceProof>('GET', `/v1/assets/${i.remoteId}/provenance`, { auth: conn.signedIn });
      const listed = await conn
        .request<{ keys: TrustedKey[] }>('GET', '/v1/provenance/keys', { auth: false })
        .then((r) => r.keys)
        .catch(() => null);
      const pins = conn.keyPins.resolve(conn.server ?? 'none', listed);
      const r = await verifyProof(proof, pins.keys);
      return { proof, verified: r.ok, problem: r.ok ? null : r.reason, keyWarning: pins.warning };
    },
    'trust.badges': (i) => conn.request('GET', `/v1/assets/${i.remoteId}/badges`, { auth: false }),
  };
}
