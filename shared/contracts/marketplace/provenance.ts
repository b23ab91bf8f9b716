/** Marketplace contract: signed provenance records and the keys that sign them. */
import { defineRoute } from './route.ts';
import { ProvenanceProofView, VersionQuery, SigningKeyView, SigningKeysView } from './schemas.ts';

export const assetProvenance = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/provenance',
  summary:
    'The signed provenance record of a published version with its ancestors’ records: proof of prior publication, verifiable offline',
  tag: 'provenance',
  query: VersionQuery,
  output: ProvenanceProofView,
});

export const provenanceKey = defineRoute({
  method: 'get',
  path: '/v1/provenance/key',
  summary: 'The marketplace’s Ed25519 public key (SPKI, base64) that signs provenance records',
  tag: 'provenance',
  output: SigningKeyView,
});

export const provenanceKeys = defineRoute({
  method: 'get',
  path: '/v1/provenance/keys',
  summary:
    'Every key the marketplace has signed provenance records with, and its validity period (a rotated-out key keeps verifying the records it signed); pin these',
  tag: 'provenance',
  output: SigningKeysView,
});
