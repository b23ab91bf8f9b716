/** Provenance routes: a version's signed record with its ancestors, and the keys that sign them. */
import * as contract from '../../shared/contracts/marketplace/provenance.ts';
import { type ServedRoute, serve } from '../http/route.ts';
import type { ProvenanceService } from '../services/provenance/provenance.ts';

export function provenanceRoutes({ provenance }: { provenance: ProvenanceService }): ServedRoute[] {
  return [
    serve(contract.assetProvenance, {
      action: 'asset.read',
      handler: ({ user, params, query }) => provenance.provenance(user, params.id, query.version),
    }),
    serve(contract.provenanceKey, {
      action: 'public.read',
      handler: async () => provenance.key(),
    }),
    serve(contract.provenanceKeys, { action: 'public.read', handler: async () => ({ keys: await provenance.keys() }) }),
  ];
}
