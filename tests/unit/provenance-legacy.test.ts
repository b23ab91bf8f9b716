/**
 * Records signed before key ids were derived from the raw key (their id: the first 16 hex digits
 * of SHA-256 of the SPKI) still verify against the trusted key, and only against it.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ProvenanceRecord, canonicalJson, keyIdOf, legacyKeyIdOf, verifyProof } from '../../shared/provenance.ts';

function signed(record: ProvenanceRecord, key: Parameters<typeof sign>[2]) {
  const bytes = Buffer.from(canonicalJson(record), 'utf8');
  return { record, signature: sign(null, bytes, key).toString('base64'), recordHash: createHash('sha256').update(bytes).digest('hex') };
}

describe('provenance records with the legacy key id', () => {
  it('verify against the trusted key they were signed with, and not against another', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const spkiBase64 = spki.toString('base64');
    const legacy = `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
    expect(await legacyKeyIdOf(spkiBase64)).toBe(legacy);
    const record: ProvenanceRecord = {
      v: 1,
      issuer: 'originals-marketplace',
      keyId: legacy,
      assetId: '11111111-1111-4111-8111-111111111111',
      version: 1,
      creatorId: '22222222-2222-4222-8222-222222222222',
      assetType: 'item',
      name: 'Old record',
      fingerprints: { metadataHash: 'a'.repeat(64), imageSha256: null, pixelsSha256: null, phash: null },
      parent: null,
      publishedAt: '2026-06-01T00:00:00.000Z',
    };
    const proof = { record: signed(record, privateKey), chain: [], publicKey: { keyId: legacy, spkiBase64 } };
    const trusted = [{ keyId: await keyIdOf(spkiBase64), spkiBase64, validFrom: '2026-01-01T00:00:00.000Z', validUntil: null }];
    expect(await verifyProof(proof, trusted)).toEqual({ ok: true });

    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const wrong = [{ keyId: await keyIdOf(other), spkiBase64: other, validFrom: '2026-01-01T00:00:00.000Z', validUntil: null }];
    expect((await verifyProof(proof, wrong)).ok).toBe(false);
  });
});
