/**
 * The marketplace's signing key and the provenance records it signs at publication
 * (shared/provenance.ts defines the record and the offline verification). All API nodes of one
 * marketplace must share the key: pass it as ORIGINALS_PROVENANCE_KEY (PKCS#8 PEM), or let the
 * first start create `<data dir>/provenance-key.pem` (mode 0600).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ProvenanceRecord, type SignedProvenance, canonicalJson } from '../shared/provenance.ts';

export class ProvenanceSigner {
  readonly keyId: string;
  readonly spkiBase64: string;
  private readonly key: KeyObject;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    if (this.key.asymmetricKeyType !== 'ed25519') throw new Error('the provenance key must be an Ed25519 private key');
    const spki = createPublicKey(this.key).export({ type: 'spki', format: 'der' });
    this.spkiBase64 = spki.toString('base64');
    this.keyId = `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
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
