/** Discovery: catalogue search (keyword, or hybrid when the server has a text model and pgvector), creators by reputation, and the published index feed. */
import type { z } from 'zod';
import type { Embedder } from '../../../engine/semantic/types.ts';
import { withoutKeyframes } from '../../../engine/serialize.ts';
import type { SearchQuery } from '../../../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../../../shared/policy/marketplace.ts';
import type { Database } from '../../db.ts';
import type * as discoveryRepo from '../../repos/discovery.ts';
import { assetView, imageUrl } from '../listings/listings.ts';

export type DiscoveryRepo = Pick<typeof discoveryRepo, 'search' | 'creators' | 'indexEvents' | 'withdrawnAmong' | 'feedVersion'>;

export class DiscoveryService {
  constructor(
    private readonly db: Database,
    private readonly repo: DiscoveryRepo,
    private readonly embedder: Embedder | undefined,
  ) {}

  async search(q: z.infer<typeof SearchQuery>) {
    let mode: 'keyword' | 'hybrid' = 'keyword';
    let note: string | undefined;
    let vector: Float32Array | undefined;
    if (q.q) {
      const st = this.embedder?.state('bge_text');
      if (this.embedder && st?.available && this.db.vectors) {
        const [vec] = await this.embedder.embedTexts([q.q]);
        vector = vec;
        mode = 'hybrid';
      } else {
        const why = !this.db.vectors ? 'the database has no pgvector extension' : (st?.reason ?? 'no text model installed on the server');
        note = `semantic search unavailable (${why}): keyword search only`;
      }
    }
    const cap = MARKETPLACE_POLICY.search.countCap;
    const { rows, counted } = await this.repo.search(this.db, q, { hybrid: mode === 'hybrid', vector, countCap: cap });
    return {
      mode,
      ...(note ? { note } : {}),
      total: Math.min(counted, cap),
      totalIsLowerBound: counted > cap,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({ ...assetView(r), score: Number(r.score) })),
    };
  }

  /** Creators ranked by reputation first; proximity to the query only breaks ties (weight 0.1). */
  async creators(q: string | undefined) {
    return (await this.repo.creators(this.db, q)).map((c) => ({
      id: c.id,
      displayName: c.display_name,
      reputation: Number(c.reputation),
      verified: c.verified,
      publishedAssets: Number(c.n),
      proximity: Number(c.proximity),
    }));
  }

  /** The published index as a feed: upserts with fingerprints and minimal card data, and tombstones. */
  async indexFeed(since: number, limit: number) {
    const rows = await this.repo.indexEvents(this.db, since, limit + 1);
    const hasMore = rows.length > limit;
    const events = rows.slice(0, limit);
    // Why each listing left: a withdrawn one still proves prior publication (consumers keep it in
    // their copy index, as PublishedIndex does); a removed one (taken down) leaves it.
    const withdrawn = await this.repo.withdrawnAmong(
      this.db,
      events.filter((e) => e.kind === 'tombstone').map((e) => e.asset_id),
    );
    const entries = await Promise.all(
      events.map(async (e) => {
        if (e.kind === 'tombstone')
          return {
            seq: Number(e.seq),
            kind: e.kind,
            assetId: e.asset_id,
            version: null,
            creatorId: null,
            card: null,
            imageUrl: null,
            fingerprints: null,
            reason: withdrawn.has(e.asset_id) ? ('withdrawn' as const) : ('removed' as const),
          };
        const v = await this.repo.feedVersion(this.db, e.asset_id, e.version);
        return {
          seq: Number(e.seq),
          kind: e.kind,
          assetId: e.asset_id,
          version: e.version,
          creatorId: v?.creator_id ?? null,
          creatorName: v?.creator_name ?? null,
          card: v
            ? { asset_type: v.card.asset_type, name: v.card.name, description: v.card.description ?? '', tags: v.card.tags ?? [] }
            : null,
          imageUrl: v ? imageUrl(e.asset_id, e.version as number, v.image_sha256) : null,
          // The video keyframes' local features stay on the server (engine/serialize.ts withoutKeyframes).
          fingerprints: v?.fingerprints ? withoutKeyframes(v.fingerprints) : null,
        };
      }),
    );
    return { entries, nextCursor: events.length ? Number(events.at(-1)?.seq) : since, hasMore };
  }
}
