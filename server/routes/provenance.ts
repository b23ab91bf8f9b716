/** Provenance routes: a version's signed record with its ancestors, and the keys that sign them. */
import * as contract from '../../shared/contracts/marketplace/provenance.ts';
import { type ServedRoute, serve } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';
import { ProvenanceSigner } from '../provenance.ts';

export function provenanceRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(contract.assetProvenance, {
      action: 'asset.read',
      handler: ({ user, params, query }) => mp.provenance(user, params.id, query.version),
    }),
    serve(contract.provenanceKey, {
      action: 'public.read',
      handler: async () => ({ keyId: mp.signer.keyId, spkiBase64: mp.signer.spkiBase64 }),
    }),
    serve(contract.provenanceKeys, { action: 'public.read', handler: async () => ({ keys: await ProvenanceSigner.keys(mp.db) }) }),
  ];
}
