/**
 * The check's semantic layer (neighbours by embedding: sqlite-vec k-NN locally, or hits found
 * elsewhere such as the marketplace's pgvector) and media layer (audio landmarks / Chromaprint and
 * time-aligned video frames, from the media index).
 */
import { mediaRef } from '../index/search-indexes.ts';
import type { VectorSpace } from '../semantic/types.ts';
import { SPACES, type VectorStore } from '../semantic/vector-store.ts';
import type { CheckContext } from './context.ts';

export type SemanticHits = Partial<Record<VectorSpace, { assetId: string; cosine: number }[]>>;

/** Semantic layer, only for spaces whose vectors came from the same weights. */
export function semanticLayer(
  ctx: CheckContext,
  vectors: VectorStore,
  modelShaOf: (space: VectorSpace) => string,
  hitsFromElsewhere: SemanticHits | undefined,
): void {
  for (const [space, hits] of Object.entries(hitsFromElsewhere ?? {}) as [VectorSpace, { assetId: string; cosine: number }[]][]) {
    for (const h of hits) {
      const rowid = ctx.rows.rowidOf(h.assetId);
      const a = rowid !== undefined ? ctx.acc(rowid) : null;
      if (a) a.semantic[space] = h.cosine;
    }
  }
  for (const space of SPACES) {
    const v = ctx.fp.vectors[space];
    if (!v || hitsFromElsewhere?.[space]) continue;
    for (const hit of vectors.nearest(space, v, modelShaOf(space), ctx.policy.semantic.neighbours)) {
      const a = ctx.acc(hit.rowid);
      if (a) a.semantic[space] = hit.cosine;
    }
  }
}

/** Media layer: the media index's matches, with what is stored about each matched file. */
export function mediaLayer(ctx: CheckContext): void {
  const media = ctx.fp.media;
  if (!media) return;
  const exclude = [...ctx.excluded].map(mediaRef);
  for (const m of ctx.indexes.media.query(media.fp, { exclude, topK: ctx.policy.topK })) {
    const rowid = Number(m.assetRef);
    const a = ctx.acc(rowid);
    if (a) a.media = { match: m, stored: ctx.rows.mediaInfo(rowid) };
  }
}
