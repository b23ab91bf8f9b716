/**
 * The server's analysis of a submission: its fingerprints compared with every published asset (the
 * in-memory copy index, caught up first) and pgvector neighbours, and with every submission still
 * waiting for review (the pending index; its matches are marked `pending`).
 */
import type { AssetCard } from '../../../engine/cards.ts';
import { type AssetFingerprints, joinResults } from '../../../engine/library.ts';
import type { Embedder } from '../../../engine/semantic/types.ts';
import type { CheckResult } from '../../../shared/check.ts';
import type { Database } from '../../db.ts';
import type { PendingIndex } from '../../pending-index.ts';
import type { PublishedIndex } from '../../published-index.ts';
import type * as submissionsRepo from '../../repos/submissions.ts';

export type NeighboursRepo = Pick<typeof submissionsRepo, 'vectorNeighbours'>;

export class Analyser {
  constructor(
    private readonly db: Database,
    private readonly repo: NeighboursRepo,
    private readonly index: PublishedIndex,
    private readonly pending: PendingIndex,
    private readonly embedder: Embedder | undefined,
  ) {}

  /** Every fingerprint recomputed here, compared with all published assets and all submissions in review. */
  async analyse(card: AssetCard, fp: AssetFingerprints, creatorId: string, excludeId?: string): Promise<CheckResult> {
    await Promise.all([this.index.catchUp(this.db), this.pending.catchUp(this.db)]);
    if (!this.db.vectors) {
      // Vectors cannot be stored or searched here: the semantic layers did not really run.
      for (const s of Object.keys(fp.semantic) as (keyof typeof fp.semantic)[]) {
        if (fp.semantic[s]?.state === 'ran')
          fp.semantic[s] = { state: 'unavailable', reason: 'the marketplace database has no pgvector extension' };
      }
    }
    const semantic = await this.vectorNeighbours(fp, excludeId);
    // Vectors are searched by pgvector above, never by the in-memory engines.
    const query = { card, creatorId, fp: { ...fp, vectors: {} }, excludeId };
    const published = this.index.engine.checkFingerprints({ ...query, semanticHits: semantic });
    if (!this.pending.size) return published;
    const inReview = this.pending.engine.checkFingerprints(query);
    for (const m of inReview.matches) m.pending = true;
    return joinResults(published, inReview, creatorId, this.index.engine.policy);
  }

  /** The embedding model of each space, recorded with the stored vectors (only same-model vectors are compared). */
  modelOf(space: 'clip_image' | 'bge_text'): string {
    return this.embedder?.state(space).modelSha256 ?? 'unknown';
  }

  /** pgvector k-NN over published versions, for the spaces whose weights produced this query's vectors. */
  private async vectorNeighbours(fp: AssetFingerprints, excludeId?: string) {
    const out: Partial<Record<'clip_image' | 'bge_text', { assetId: string; cosine: number }[]>> = {};
    if (!this.db.vectors) return out;
    const spaces = [
      ['clip_image', 'image_vector'],
      ['bge_text', 'metadata_vector'],
    ] as const;
    for (const [space, column] of spaces) {
      const v = fp.vectors[space];
      if (!v) continue;
      const rows = await this.repo.vectorNeighbours(this.db, column, {
        vector: v,
        space,
        model: this.modelOf(space),
        excludeId: excludeId ?? null,
      });
      out[space] = rows.map((x) => ({ assetId: x.asset_id, cosine: 1 - Number(x.d) }));
    }
    return out;
  }
}
