/** SQL for submissions: parent checks, the stored version with its fingerprints and vectors, its similarity analysis, derivation and review item. */
import type { FingerprintsJson } from '../../engine/serialize.ts';
import { type Sql, toVector } from '../db.ts';

export async function parentOf(
  sql: Sql,
  parentId: string,
): Promise<{ creator_id: string; published_version: number | null; status: string } | undefined> {
  return (
    await sql.query<{ creator_id: string; published_version: number | null; status: string }>(
      'SELECT creator_id, published_version, status FROM assets WHERE id = $1',
      [parentId],
    )
  ).rows[0];
}

/** The media fingerprint JSON and file of one version. */
export async function versionMedia(
  sql: Sql,
  assetId: string,
  version: number,
): Promise<{ media: FingerprintsJson['media'] | null; media_sha256: string | null } | undefined> {
  return (
    await sql.query<{ media: FingerprintsJson['media'] | null; media_sha256: string | null }>(
      `SELECT fingerprints->'media' AS media, media_sha256 FROM asset_versions WHERE asset_id = $1 AND version = $2`,
      [assetId, version],
    )
  ).rows[0];
}

/** pgvector k-NN over live published versions embedded by the same model. */
export async function vectorNeighbours(
  sql: Sql,
  column: 'image_vector' | 'metadata_vector',
  q: { vector: Float32Array; space: string; model: string; excludeId: string | null },
): Promise<{ asset_id: string; d: number }[]> {
  return (
    await sql.query<{ asset_id: string; d: number }>(
      `SELECT v.asset_id, v.${column} <=> $1::vector AS d FROM asset_versions v JOIN assets a ON a.id = v.asset_id AND a.published_version = v.version
       WHERE a.status NOT IN ('taken_down', 'withdrawn') AND v.${column} IS NOT NULL AND v.vector_models->>$2 = $3 AND ($4::uuid IS NULL OR a.id <> $4)
       ORDER BY v.${column} <=> $1::vector LIMIT 20`,
      [toVector(q.vector), q.space, q.model, q.excludeId],
    )
  ).rows;
}

export interface VersionInsert {
  assetId: string;
  version: number;
  card: unknown;
  metadataText: string;
  metadataHash: string;
  imageSha: string | null;
  fingerprints: unknown;
  vectorModels: Record<string, string>;
  checkStatus: string;
  mediaSha: string | null;
  /** Written only where the database has pgvector. */
  vectors: { image: Float32Array | undefined; metadata: Float32Array | undefined } | null;
}

export async function insertVersion(sql: Sql, v: VersionInsert): Promise<void> {
  const vec = v.vectors !== null;
  await sql.query(
    `INSERT INTO asset_versions (asset_id, version, card, metadata_text, metadata_hash, image_sha256, fingerprints, vector_models, status, check_status, media_sha256${vec ? ', image_vector, metadata_vector' : ''})
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'in_review',$9,$10${vec ? ',$11::vector,$12::vector' : ''})`,
    [
      v.assetId,
      v.version,
      JSON.stringify(v.card),
      v.metadataText,
      v.metadataHash,
      v.imageSha,
      JSON.stringify(v.fingerprints),
      JSON.stringify(v.vectorModels),
      v.checkStatus,
      v.mediaSha,
      ...(v.vectors ? [toVector(v.vectors.image), toVector(v.vectors.metadata)] : []),
    ],
  );
}

export interface SimilarityInsert {
  matchedAssetId: string;
  metadata: number | null;
  visual: number | null;
  combined: number;
  isDuplicate: boolean;
  isPlagiarism: boolean;
  isDerivative: boolean;
  differences: unknown;
  details: unknown;
}

export async function insertSimilarity(sql: Sql, assetId: string, version: number, m: SimilarityInsert): Promise<void> {
  await sql.query(
    `INSERT INTO similarity_analysis (asset_id, version, matched_asset_id, metadata_similarity, visual_similarity, combined_similarity, is_duplicate, is_plagiarism, is_derivative, flagged_differences, analysis_details)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [
      assetId,
      version,
      m.matchedAssetId,
      m.metadata,
      m.visual,
      m.combined,
      m.isDuplicate,
      m.isPlagiarism,
      m.isDerivative,
      JSON.stringify(m.differences),
      JSON.stringify(m.details),
    ],
  );
}

export async function insertDerivation(sql: Sql, parentId: string, childId: string, royaltyBasisPoints: number): Promise<void> {
  await sql.query(
    `INSERT INTO asset_derivations (parent_asset_id, child_asset_id, royalty_basis_points) VALUES ($1,$2,$3) ON CONFLICT (parent_asset_id, child_asset_id) DO NOTHING`,
    [parentId, childId, royaltyBasisPoints],
  );
}
