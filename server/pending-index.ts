/**
 * The copy-layer index of submissions still waiting for review (not yet published), so that a
 * submission is also compared with those: a creator's second copy of an asset in review, or another
 * creator's copy of it, is caught before either is published. Caught up before every check from the
 * open review items (a few hundred rows at most): versions that left review are removed, new ones
 * read and indexed. Like PublishedIndex it holds nothing the database does not, so several API nodes
 * can run. Semantic vectors are not compared here (pgvector neighbours are searched among published
 * versions only).
 */
import { Passes } from '../engine/concurrency.ts';
import { UniquenessEngine } from '../engine/library.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import type { Sql } from './db.ts';
import { copyIndexEntry } from './published-index.ts';
import * as discovery from './repos/discovery.ts';
import * as review from './repos/review.ts';

export class PendingIndex {
  readonly engine: UniquenessEngine;
  /** The version indexed for each asset in review. */
  private readonly held = new Map<string, number>();
  private readonly passes = new Passes<void, Sql>((sql) => this.run(sql));

  constructor(policy?: UniquenessPolicy) {
    this.engine = UniquenessEngine.open({ dbPath: ':memory:', ...(policy ? { policy } : {}) });
  }

  /** How many submissions in review are indexed. */
  get size(): number {
    return this.held.size;
  }

  /** Brings the index to the open review items. A call during a pass gets the next one, shared (Passes). */
  catchUp(sql: Sql): Promise<void> {
    return this.passes.request(sql);
  }

  private async run(sql: Sql): Promise<void> {
    const open = new Map((await review.openSubmissions(sql)).map((r) => [r.asset_id, r.version]));
    for (const [id, version] of this.held) {
      if (open.get(id) === version) continue;
      this.engine.remove(id);
      this.held.delete(id);
    }
    const fresh = [...open].filter(([id]) => !this.held.has(id)).map(([assetId, version]) => ({ assetId, version }));
    const rows = await discovery.versionsToIndex(sql, fresh);
    const errors = this.engine.indexFingerprintsMany(rows.map(copyIndexEntry));
    // One version the engine refuses (its constraints) must not stop every submission's check.
    rows.forEach((r, i) => {
      if (errors[i]) console.error(`[pending-index] ${r.asset_id} v${r.version} not indexed:`, errors[i]?.message);
      this.held.set(r.asset_id, r.version);
    });
  }

  close(): void {
    this.engine.close();
  }
}
