/**
 * Each API node keeps the engine's copy-layer index (multi-index hashes, MinHash LSH, digests) of
 * every published asset in memory, rebuilt from the database at start and caught up from the
 * append-only index_events feed before every check. Nodes hold no other state, so several can run
 * behind a load balancer on one PostgreSQL.
 */
import { UniquenessEngine } from '../engine/library.ts';
import { type FingerprintsJson, fingerprintsFromJson } from '../engine/serialize.ts';
import type { AssetCard } from '../shared/asset.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import type { Sql } from './db.ts';

export class PublishedIndex {
  readonly engine: UniquenessEngine;

  constructor(policy?: UniquenessPolicy) {
    this.engine = UniquenessEngine.open({ dbPath: ':memory:', ...(policy ? { policy } : {}) });
  }

  private cursor = 0;
  private running: Promise<void> | null = null;

  get seq(): number {
    return this.cursor;
  }

  /** Applies every index event after the last one seen. Concurrent callers share one pass. */
  catchUp(sql: Sql): Promise<void> {
    this.running ??= this.run(sql).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(sql: Sql): Promise<void> {
    for (;;) {
      const ev = await sql.query<{ seq: string; asset_id: string; version: number | null; kind: string }>(
        'SELECT seq, asset_id, version, kind FROM index_events WHERE seq > $1 ORDER BY seq LIMIT 2000',
        [this.cursor],
      );
      if (!ev.rows.length) return;
      const upserts = ev.rows.filter((e) => e.kind === 'upsert');
      const rows = upserts.length
        ? (
            await sql.query<{ asset_id: string; version: number; creator_id: string; card: AssetCard; fingerprints: FingerprintsJson }>(
              `SELECT v.asset_id, v.version, a.creator_id, v.card, v.fingerprints FROM asset_versions v JOIN assets a ON a.id = v.asset_id
               WHERE (v.asset_id, v.version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
              [upserts.map((e) => e.asset_id), upserts.map((e) => e.version)],
            )
          ).rows
        : [];
      const byKey = new Map(rows.map((r) => [`${r.asset_id}:${r.version}`, r]));
      // A listing its creator withdrew still proves prior publication: it stays in the copy index.
      const tombs = ev.rows.filter((e) => e.kind === 'tombstone').map((e) => e.asset_id);
      const withdrawn = new Set(
        tombs.length
          ? (
              await sql.query<{ id: string }>(`SELECT id FROM assets WHERE id = ANY($1::uuid[]) AND status = 'withdrawn'`, [tombs])
            ).rows.map((r) => r.id)
          : [],
      );
      for (const e of ev.rows) {
        if (e.kind === 'tombstone') {
          if (!withdrawn.has(e.asset_id)) this.engine.remove(e.asset_id);
        } else {
          const r = byKey.get(`${e.asset_id}:${e.version}`);
          if (r)
            this.engine.indexFingerprints(
              { id: r.asset_id, creatorId: r.creator_id, card: r.card },
              { ...fingerprintsFromJson(r.fingerprints, r.card), vectors: {} },
            );
        }
        this.cursor = Number(e.seq);
      }
    }
  }

  close(): void {
    this.engine.close();
  }
}
