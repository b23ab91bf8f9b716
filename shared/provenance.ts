/**
 * Ownership proof without a blockchain: on publication the marketplace signs a provenance record
 * (Ed25519) naming the asset, version, creator, content fingerprints, parent and time. Records
 * chain child → parent by the parent record's hash. Anyone holding the marketplace's public key
 * verifies a record — or a whole exported chain — offline, with WebCrypto. A key's id is derived
 * from the key itself (`ed25519:` + SHA-256 of the raw public key), and a proof is verified only
 * against keys the verifier already trusts (pinned, or the marketplace's published list) — never
 * against a key carried inside the proof.
 */

export interface ProvenanceRecord {
  v: 1;
  issuer: string;
  keyId: string;
  assetId: string;
  version: number;
  creatorId: string;
  assetType: string;
  name: string;
  fingerprints: { metadataHash: string; imageSha256: string | null; pixelsSha256: string | null; phash: string | null };
  /** The parent asset and the hash of its provenance record, for a declared derivative. */
  parent: { assetId: string; recordHash: string } | null;
  publishedAt: string;
}

export interface SignedProvenance {
  record: ProvenanceRecord;
  /** base64 Ed25519 signature over the canonical JSON of the record. */
  signature: string;
  /** hex SHA-256 of the canonical JSON of the record. */
  recordHash: string;
}

/** The exported proof: a record, the chain of its ancestors (parent first), and — as a hint only — the issuer key. */
export interface ProvenanceProof {
  record: SignedProvenance;
  chain: SignedProvenance[];
  publicKey: { keyId: string; spkiBase64: string };
}

/** A marketplace signing key and when it signed: records published inside its validity period verify with it. */
export interface TrustedKey {
  keyId: string;
  spkiBase64: string;
  validFrom: string;
  /** null while the key is current; set when it was rotated out (its old records stay valid). */
  validUntil: string | null;
}

/** Canonical JSON: object keys sorted, no whitespace; the bytes that are hashed and signed. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

const enc = new TextEncoder();
const b64ToBytes = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

export async function recordHash(record: ProvenanceRecord): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', enc.encode(canonicalJson(record))));
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** `ed25519:` + hex SHA-256 of the raw 32-byte public key inside an SPKI (base64). */
export async function keyIdOf(spkiBase64: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('spki', b64ToBytes(spkiBase64), { name: 'Ed25519' }, true, ['verify']);
  const raw = await globalThis.crypto.subtle.exportKey('raw', key);
  return `ed25519:${hex(await globalThis.crypto.subtle.digest('SHA-256', raw))}`;
}

/**
 * The id records signed before key ids were derived from the raw key carry: `ed25519:` + the
 * first 16 hex digits of SHA-256 of the SPKI encoding. Still derived from the key itself, so a
 * trusted key vouches for those older records too (nothing published before is lost).
 */
export async function legacyKeyIdOf(spkiBase64: string): Promise<string> {
  return `ed25519:${hex(await globalThis.crypto.subtle.digest('SHA-256', b64ToBytes(spkiBase64))).slice(0, 16)}`;
}

/** Verifies one signed record against the issuer's public key (SPKI, base64). */
export async function verifyRecord(p: SignedProvenance, spkiBase64: string): Promise<VerifyResult> {
  const key = await globalThis.crypto.subtle.importKey('spki', b64ToBytes(spkiBase64), { name: 'Ed25519' }, false, ['verify']);
  const bytes = enc.encode(canonicalJson(p.record));
  if (!(await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, b64ToBytes(p.signature), bytes)))
    return { ok: false, reason: `the signature of ${p.record.assetId} v${p.record.version} does not match its content` };
  if ((await recordHash(p.record)) !== p.recordHash)
    return { ok: false, reason: `the record hash of ${p.record.assetId} v${p.record.version} is wrong` };
  return { ok: true };
}

/**
 * Verifies a proof against trusted keys only: each record's key must be one of them (its id
 * derived from the key), the record must be published inside that key's validity period, every
 * signature must match, and every child → parent link must hold by record hash. The key inside
 * the proof is ignored.
 */
export async function verifyProof(proof: ProvenanceProof, trusted: readonly TrustedKey[]): Promise<VerifyResult> {
  const all = [proof.record, ...proof.chain];
  for (const p of all) {
    let key = trusted.find((k) => k.keyId === p.record.keyId);
    if (!key && /^ed25519:[0-9a-f]{16}$/.test(p.record.keyId)) {
      for (const k of trusted) if ((await legacyKeyIdOf(k.spkiBase64).catch(() => '')) === p.record.keyId) key = k;
    }
    if (!key)
      return { ok: false, reason: `record ${p.record.assetId} was signed by a key this verifier does not trust (${p.record.keyId})` };
    let derived: string;
    try {
      derived = await keyIdOf(key.spkiBase64);
    } catch {
      return { ok: false, reason: `the trusted key ${key.keyId} is not an Ed25519 public key` };
    }
    if (derived !== key.keyId) return { ok: false, reason: `the trusted key ${key.keyId} does not match its id` };
    const at = Date.parse(p.record.publishedAt);
    if (!(at >= Date.parse(key.validFrom)) || (key.validUntil !== null && at > Date.parse(key.validUntil)))
      return { ok: false, reason: `record ${p.record.assetId} is dated outside the validity of key ${key.keyId}` };
    let r: VerifyResult;
    try {
      r = await verifyRecord(p, key.spkiBase64);
    } catch {
      r = { ok: false, reason: `the signature of ${p.record.assetId} v${p.record.version} is malformed` };
    }
    if (!r.ok) return r;
  }
  for (let i = 0; i < all.length; i++) {
    const child = all[i] as SignedProvenance;
    const parent = all[i + 1];
    if (!child.record.parent) {
      if (parent) return { ok: false, reason: `${child.record.assetId} declares no parent but the chain continues` };
      continue;
    }
    if (!parent) return { ok: false, reason: `the chain is missing the parent of ${child.record.assetId}` };
    if (parent.record.assetId !== child.record.parent.assetId || parent.recordHash !== child.record.parent.recordHash) {
      return { ok: false, reason: `${child.record.assetId} does not link to the next record in the chain` };
    }
  }
  return { ok: true };
}
