/** SQL for provenance: the signed records of published versions and the marketplace's signing keys. */
import type { FingerprintsJson } from '../../engine/serialize.ts';
import type { AssetCard } from '../../shared/asset.ts';
import type { SignedProvenance } from '../../shared/provenance.ts';
import type { Sql } from '../db.ts';

/** What a version's provenance record is made of. */
export interface SigningRow {
  creator_id: string;
  asset_type: string;
  parent_asset_id: string | null;
  card: AssetCard;
  fingerprints: FingerprintsJson;
  image_sha256: string | null;
}

export async function versionForSigning(sql: Sql, assetId: string, version: number): Promise<SigningRow | undefined> {
  return (
    await sql.query<SigningRow>(
      `SELECT a.creator_id, a.asset_type, a.parent_asset_id, v.card, v.fingerprints, v.image_sha256
       FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = $2 WHERE a.id = $1`,
      [assetId, version],
    )
  ).rows[0];
}

/** The hash of an asset's newest record (a derivative's record links to it). */
export async function latestRecordHash(sql: Sql, assetId: string): Promise<string | undefined> {
  const r = await sql.query<{ record_hash: string }>(
    `SELECT p.record_hash FROM provenance_records p JOIN assets a ON a.id = p.asset_id WHERE p.asset_id = $1 ORDER BY p.version DESC LIMIT 1`,
    [assetId],
  );
  return r.rows[0]?.record_hash;
}

export async function insertRecord(sql: Sql, assetId: string, version: number, signed: SignedProvenance): Promise<void> {
  await sql.query('INSERT INTO provenance_records (asset_id, version, record, signature, record_hash) VALUES ($1,$2,$3,$4,$5)', [
    assetId,
    version,
    JSON.stringify(signed.record),
    signed.signature,
    signed.recordHash,
  ]);
}

interface RecordRow {
  record: SignedProvenance['record'];
  signature: string;
  record_hash: string;
}
const signed = (row: RecordRow | undefined): SignedProvenance | null =>
  row ? { record: row.record, signature: row.signature, recordHash: row.record_hash } : null;

/** A version's record (the newest of the asset without a version). */
export async function recordOf(sql: Sql, assetId: string, version?: number): Promise<SignedProvenance | null> {
  const r = await sql.query<RecordRow>(
    `SELECT record, signature, record_hash FROM provenance_records WHERE asset_id = $1 ${version !== undefined ? 'AND version = $2' : ''} ORDER BY version DESC LIMIT 1`,
    version !== undefined ? [assetId, version] : [assetId],
  );
  return signed(r.rows[0]);
}

export async function recordByHash(sql: Sql, hash: string): Promise<SignedProvenance | null> {
  const r = await sql.query<RecordRow>('SELECT record, signature, record_hash FROM provenance_records WHERE record_hash = $1', [hash]);
  return signed(r.rows[0]);
}

// ---------------------------------------------------------------- keys

/** Records a key as valid from now, or from the oldest record it (or its legacy id) already signed. */
export async function registerKey(sql: Sql, keyId: string, spkiBase64: string, legacyId: string): Promise<void> {
  await sql.query(
    `INSERT INTO provenance_keys (key_id, spki_base64, valid_from)
     VALUES ($1, $2, LEAST(now(), COALESCE((SELECT min(created_at) FROM provenance_records WHERE record->>'keyId' IN ($1, $3)), now())))
     ON CONFLICT (key_id) DO NOTHING`,
    [keyId, spkiBase64, legacyId],
  );
}

/** Closes the validity of the keys a newer key replaces. */
export async function closeReplacedKeys(sql: Sql, keyId: string): Promise<void> {
  await sql.query(
    `UPDATE provenance_keys SET valid_until = now() WHERE key_id <> $1 AND valid_until IS NULL
       AND valid_from < (SELECT valid_from FROM provenance_keys WHERE key_id = $1)`,
    [keyId],
  );
}

export async function keys(sql: Sql): Promise<{ key_id: string; spki_base64: string; valid_from: Date; valid_until: Date | null }[]> {
  return (
    await sql.query<{ key_id: string; spki_base64: string; valid_from: Date; valid_until: Date | null }>(
      'SELECT * FROM provenance_keys ORDER BY valid_from',
    )
  ).rows;
}
