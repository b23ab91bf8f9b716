/**
 * Stored embeddings in sqlite-vec: one cosine vec0 table per space plus a binary-quantised twin
 * for coarse k-NN in large libraries; vector_meta records which weights made each vector, since
 * only vectors from the same weights are comparable.
 */
import type { UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import type { Statements } from '../store/statements.ts';
import { VECTOR_SPACES, type VectorSpace, cosine } from './types.ts';

export const SPACES: VectorSpace[] = [...VECTOR_SPACES];
const VEC_TABLE: Record<VectorSpace, string> = {
  clip_image: 'vec_clip_image',
  clip_text: 'vec_clip_text',
  bge_text: 'vec_bge_text',
};

export class VectorStore {
  private readonly counts = new Map<VectorSpace, number>();
  constructor(
    private readonly sql: Statements,
    private readonly policy: () => UniquenessPolicy,
  ) {}

  insert(rowid: number, space: VectorSpace, v: Float32Array, modelSha: string): void {
    const blob = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    this.counts.delete(space);
    this.sql.get(`INSERT INTO ${VEC_TABLE[space]} (rowid, embedding) VALUES (?, ?)`).run(BigInt(rowid), blob);
    this.sql.get(`INSERT INTO ${VEC_TABLE[space]}_bits (rowid, embedding) VALUES (?, vec_quantize_binary(?))`).run(BigInt(rowid), blob);
    this.sql.get('INSERT OR REPLACE INTO vector_meta (asset_rowid, space, model_sha256) VALUES (?,?,?)').run(rowid, space, modelSha);
  }

  delete(rowid: number): void {
    this.counts.clear();
    for (const space of SPACES) {
      this.sql.get(`DELETE FROM ${VEC_TABLE[space]} WHERE rowid = ?`).run(BigInt(rowid));
      this.sql.get(`DELETE FROM ${VEC_TABLE[space]}_bits WHERE rowid = ?`).run(BigInt(rowid));
    }
    this.sql.get('DELETE FROM vector_meta WHERE asset_rowid = ?').run(rowid);
  }

  count(space: VectorSpace): number {
    let n = this.counts.get(space);
    if (n === undefined) {
      n = (this.sql.get('SELECT count(*) AS n FROM vector_meta WHERE space = ?').get(space) as { n: number }).n;
      this.counts.set(space, n);
    }
    return n;
  }

  /**
   * k nearest stored vectors by cosine. Small libraries use the exact cosine vec0 table; above
   * `semantic.exactSearchMax` vectors the k-NN runs on the binary-quantised table (Hamming) with
   * `semantic.rescoreCandidates` candidates, re-scored with the exact cosine of the float vectors.
   */
  nearest(space: VectorSpace, v: Float32Array, modelSha: string, k: number): { rowid: number; cosine: number }[] {
    const pol = this.policy().semantic;
    const blob = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    const table = VEC_TABLE[space];
    const count = this.count(space);
    let hits: { rowid: number; cosine: number }[];
    if (count <= pol.exactSearchMax) {
      hits = (
        this.sql.get(`SELECT rowid, distance FROM ${table} WHERE embedding MATCH ? AND k = ?`).all(blob, Math.min(count, k * 2) || 1) as {
          rowid: bigint | number;
          distance: number;
        }[]
      ).map((r) => ({ rowid: Number(r.rowid), cosine: 1 - r.distance }));
    } else {
      const cands = (
        this.sql
          .get(`SELECT rowid FROM ${table}_bits WHERE embedding MATCH vec_quantize_binary(?) AND k = ?`)
          .all(blob, pol.rescoreCandidates) as { rowid: bigint | number }[]
      ).map((c) => Number(c.rowid));
      // Point lookups: vec0 answers `rowid = ?` directly, while `rowid IN (…)` scans the table.
      const get = this.sql.get(`SELECT embedding FROM ${table} WHERE rowid = ?`);
      hits = cands.map((rowid) => {
        const e = (get.get(BigInt(rowid)) as { embedding: Buffer }).embedding;
        return { rowid, cosine: cosine(v, new Float32Array(e.buffer, e.byteOffset, e.byteLength / 4)) };
      });
      hits.sort((a, b) => b.cosine - a.cosine);
    }
    if (!hits.length) return [];
    const ids = hits.map((h) => h.rowid);
    const same = new Set(
      (
        this.sql.db
          .prepare(
            `SELECT asset_rowid FROM vector_meta WHERE space = ? AND model_sha256 = ? AND asset_rowid IN (${ids.map(() => '?').join(',')})`,
          )
          .all(space, modelSha, ...ids) as { asset_rowid: number }[]
      ).map((r) => r.asset_rowid),
    );
    return hits.filter((h) => same.has(h.rowid)).slice(0, k);
  }
}
