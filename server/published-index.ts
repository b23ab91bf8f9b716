/**
 * Each API node keeps the engine's copy-layer index (multi-index hashes, MinHash LSH, digests) of
 * every published asset in memory, rebuilt from the database at start and caught up from the
 * append-only index_events feed before every check. Nodes hold no other state, so several can run
 * behind a load balancer on one PostgreSQL.
 */
import { Passes } from '../engine/concurrency.ts';
import { UniquenessEngine } from '../engine/library.ts';
import { fingerprintsFromJson } from '../engine/serialize.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import type { Sql } from './db.ts';
import * as discovery from './repos/discovery.ts';

/** A stored version (discovery.versionsToIndex) as the copy index takes it: its card and fingerprints, no vectors (pgvector searches those). */
export function copyIndexEntry(r: Awaited<ReturnType<typeof discovery.versionsToIndex>>[number]) {
  return {
    input: { id: r.asset_id, creatorId: r.creator_id, card: r.card },
    fp: { ...fingerprintsFromJson(r.fingerprints, r.card), vectors: {} },
  };
}

export class PublishedIndex {
  readonly engine: UniquenessEngine;

  constructor(policy?: UniquenessPolicy) {
    this.engine = UniquenessEngine.open({ dbPath: ':memory:', ...(policy ? { policy } : {}) });
  }

  private cursor = 0;
  private readonly passes = new Passes<void, Sql>((sql) => this.run(sql));

  get seq(): number {
    return this.cursor;
  }

  /** Applies every index event after the last one seen. A call during a pass gets the next one, shared (Passes). */
  catchUp(sql: Sql): Promise<void> {
    return this.passes.request(sql);
  }

  private async run(sql: Sql): Promise<void> {
    for (;;) {
      const events = await discovery.indexEvents(sql, this.cursor, 2000);
      if (!events.length) return;
      const upserts = events.filter((e) => e.kind === 'upsert');
      const rows = await discovery.versionsToIndex(
        sql,
        upserts.map((e) => ({ assetId: e.asset_id, version: e.version })),
      );
      const byKey = new Map(rows.map((r) => [`${r.asset_id}:${r.version}`, r]));
      // A listing its creator withdrew still proves prior publication: it stays in the copy index.
      const tombs = events.filter((e) => e.kind === 'tombstone').map((e) => e.asset_id);
      const withdrawn = await discovery.withdrawnAmong(sql, tombs);
      for (const e of events) {
        if (e.kind === 'tombstone') {
          if (!withdrawn.has(e.asset_id)) this.engine.remove(e.asset_id);
        } else {
          const r = byKey.get(`${e.asset_id}:${e.version}`);
          if (r) {
            const { input, fp } = copyIndexEntry(r);
            this.engine.indexFingerprints(input, fp);
          }
        }
        this.cursor = Number(e.seq);
      }
    }
  }

  close(): void {
    this.engine.close();
  }
}
