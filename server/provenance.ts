/**
 * The marketplace's signing key and the provenance records it signs at publication
 * (shared/provenance.ts defines the record and the offline verification). All API nodes of one
 * marketplace must share the key: pass it as ORIGINALS_PROVENANCE_KEY (PKCS#8 PEM), or let the
 * first start create `<data dir>/provenance-key.pem` (mode 0600). The key id is `ed25519:` + the
 * SHA-256 of the raw public key; every key ever used is kept in `provenance_keys` with its validity
 * period (GET /v1/provenance/keys), so records signed before a rotation keep verifying.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { iso } from '../shared/format.ts';
import { type ProvenanceRecord, type SignedProvenance, type TrustedKey, canonicalJson } from '../shared/provenance.ts';
import type { Sql } from './db.ts';
import * as provenanceRepo from './repos/provenance.ts';

export class ProvenanceSigner {
  readonly keyId: string;
  readonly spkiBase64: string;
  private readonly key: KeyObject;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    if (this.key.asymmetricKeyType !== 'ed25519') throw new Error('the provenance key must be an Ed25519 private key');
    const spki = createPublicKey(this.key).export({ type: 'spki', format: 'der' });
    this.spkiBase64 = spki.toString('base64');
    // The raw 32-byte Ed25519 key is the end of its SPKI encoding.
    this.keyId = `ed25519:${createHash('sha256')
      .update(spki.subarray(spki.length - 32))
      .digest('hex')}`;
  }

  /** The key from the environment, or a key file created on first use. */
  static load(opts: { pem?: string | undefined; file: string }): ProvenanceSigner {
    if (opts.pem) return new ProvenanceSigner(opts.pem);
    if (!existsSync(opts.file)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      mkdirSync(dirname(opts.file), { recursive: true });
      writeFileSync(opts.file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    return new ProvenanceSigner(readFileSync(opts.file, 'utf8'));
  }

  /**
   * Records this key in the key list (valid from now) and closes the validity of keys it replaces
   * (those that became valid before it), so records they signed keep verifying.
   */
  async register(sql: Sql): Promise<void> {
    // A key registered for the first time is valid from the oldest record it already signed
    // (records from before key ids were derived from the raw key carry its legacy id).
    const legacyId = `ed25519:${createHash('sha256').update(Buffer.from(this.spkiBase64, 'base64')).digest('hex').slice(0, 16)}`;
    await provenanceRepo.registerKey(sql, this.keyId, this.spkiBase64, legacyId);
    await provenanceRepo.closeReplacedKeys(sql, this.keyId);
  }

  /** Every key this marketplace has signed with, and when. */
  static async keys(sql: Sql): Promise<TrustedKey[]> {
    return (await provenanceRepo.keys(sql)).map((k) => ({
      keyId: k.key_id,
      spkiBase64: k.spki_base64,
      validFrom: new Date(k.valid_from).toISOString(),
      validUntil: iso(k.valid_until),
    }));
  }

  /** Signs arbitrary bytes (license keys) with the marketplace key. */
  signBytes(bytes: Uint8Array): Buffer {
    return sign(null, bytes, this.key);
  }

  verifyBytes(bytes: Uint8Array, signature: Uint8Array): boolean {
    try {
      return verify(null, bytes, createPublicKey(this.key), signature);
    } catch {
      return false;
    }
  }

  sign(record: Omit<ProvenanceRecord, 'keyId' | 'issuer' | 'v'>): SignedProvenance {
    const full: ProvenanceRecord = { v: 1, issuer: 'originals-marketplace', keyId: this.keyId, ...record };
    const bytes = Buffer.from(canonicalJson(full), 'utf8');
    return {
      record: full,
      signature: sign(null, bytes, this.key).toString('base64'),
      recordHash: createHash('sha256').update(bytes).digest('hex'),
    };
  }
}
