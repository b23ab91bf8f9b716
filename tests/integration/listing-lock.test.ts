/**
 * A listing's withdrawal and a new version's storing, interleaved on two PostgreSQL connections,
 * cannot undo each other: the withdrawal holds the listing row (listings.head's FOR UPDATE) until it
 * commits, the version's store waits on that lock, then sees `withdrawn` and stores nothing. Runs
 * only under `npm run test:pg` (PGlite has one connection, so nothing there can interleave).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import { type Database, openDatabase } from '../../server/db.ts';
import * as listingsRepo from '../../server/repos/listings.ts';
import * as reviewRepo from '../../server/repos/review.ts';
import * as submissionsRepo from '../../server/repos/submissions.ts';
import { ListingsService } from '../../server/services/listings/listings.ts';
import { marketplaceBus } from '../../server/services/marketplace-events.ts';
import { Fingerprinter } from '../../server/services/submissions/fingerprint.ts';
import { SubmissionsService } from '../../server/services/submissions/submissions.ts';
import type { CheckResult } from '../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { user } from '../helpers/money-fakes.ts';
import { fakeBlobs } from '../helpers/fake-blobs.ts';
import { PG_URL, freshPgDatabase } from '../helpers/server.ts';

const engine = UniquenessEngine.open({ dbPath: ':memory:' });
afterAll(() => engine.close());

/** The database, except that the next transaction, once armed, holds (locks and writes kept) before it commits. */
function holdingDb(db: Database) {
  let armed: { held: () => void; release: Promise<void> } | null = null;
  const gated: Database = {
    kind: db.kind,
    get vectors() {
      return db.vectors;
    },
    query: (text, params) => db.query(text, params),
    exec: (text) => db.exec(text),
    close: () => db.close(),
    exclusive: (name, fn) => db.exclusive(name, fn),
    tx: (fn) => {
      const hold = armed;
      armed = null;
      return db.tx(async (sql) => {
        const r = await fn(sql);
        if (hold) {
          hold.held();
          await hold.release;
        }
        return r;
      });
    },
  };
  /** Arms the hold: resolves once the next transaction is held; `release()` lets it commit. */
  const arm = () => {
    let release = () => undefined as void;
    const released = new Promise<void>((r) => (release = r));
    const held = new Promise<void>((r) => (armed = { held: r, release: released }));
    return { held, release };
  };
  return { gated, arm };
}

describe.skipIf(!PG_URL)('listing transitions lock the listing row (PostgreSQL)', () => {
  it('a version stored while the listing is being withdrawn waits, then is refused; nothing of it is stored', async () => {
    const fresh = await freshPgDatabase();
    const db = await openDatabase({ url: fresh.url });
    try {
      const { gated, arm } = holdingDb(db);
      const events = marketplaceBus();
      const listings = new ListingsService(gated, listingsRepo, events);
      const approved = { status: 'approved', reason: '', action: '', layers: {}, matches: [] } as unknown as CheckResult;
      const submissions = new SubmissionsService({
        db: gated,
        repo: submissionsRepo,
        review: reviewRepo,
        listings,
        fingerprinter: new Fingerprinter(() => engine),
        analyser: { analyse: async () => approved, modelOf: () => 'none' },
        blobs: fakeBlobs(),
        moderation: () => ({ blocklistHits: async () => [], afterSubmission: async () => undefined }),
        events,
        uniqueness: UNIQUENESS_POLICY,
      });
      const me = user(randomUUID(), ['creator']);
      await db.query('INSERT INTO users (id, email, display_name, password_hash, roles, creator_tier) VALUES ($1,$2,$3,$4,$5,true)', [
        me.id,
        me.email,
        me.display_name,
        '',
        me.roles,
      ]);
      // Version 1, published (its review item decided): a listing on sale that may take a new version.
      const card = { asset_type: 'character', name: 'Knight', description: 'A knight in armour', tags: ['knight'] };
      const { assetId } = await submissions.submit(me, { card });
      await db.tx((sql) => listings.publish(sql, assetId, 1));
      await db.query(`UPDATE review_items SET state = 'decided', decision = 'approved' WHERE asset_id = $1`, [assetId]);

      // Connection A: the withdrawal, held after its writes, before its commit (the row lock still taken).
      const hold = arm();
      const withdrawal = submissions.withdraw(me, assetId);
      await hold.held;
      // Connection B: version 2, its analysis done, reaches its store while A holds the row.
      const v2 = submissions.submit(me, { card: { ...card, description: 'A knight in shining armour' } }, assetId).then(
        (r) => ({ stored: r.version }),
        (e: { code?: string; status?: number }) => ({ refused: e.code, status: e.status }),
      );
      const dbName = new URL(fresh.url).pathname.slice(1);
      // A third connection of the pool watches B until it waits on the listing row's lock. Every
      // blocked query is sampled each time (a sample can catch B between statements or on another
      // lock for an instant); the test waits for the head lock itself and names what it saw if not.
      const headLock = /^SELECT id, creator_id.* FOR UPDATE$/s;
      const seen = new Set<string>();
      let blockedOnHeadLock = false;
      await vi
        .waitFor(
          async () => {
            const r = await db.query<{ query: string }>(
              `SELECT query FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
              [dbName],
            );
            for (const row of r.rows) seen.add(row.query.trim());
            blockedOnHeadLock = r.rows.some((row) => headLock.test(row.query.trim()));
            expect(blockedOnHeadLock, `blocked queries seen: ${JSON.stringify([...seen])}`).toBe(true);
          },
          { timeout: 20_000, interval: 20 },
        )
        .catch(() => undefined);
      hold.release();
      expect(await withdrawal).toEqual({ assetId, status: 'withdrawn' });
      const outcome = await v2;

      const asset = (await db.query('SELECT status, latest_version, published_version FROM assets WHERE id = $1', [assetId])).rows[0];
      const versions = (
        await db.query<{ version: number }>('SELECT version FROM asset_versions WHERE asset_id = $1 ORDER BY version', [assetId])
      ).rows;
      const items = (await db.query('SELECT version, state FROM review_items WHERE asset_id = $1 ORDER BY id', [assetId])).rows;
      const feed = (await db.query<{ kind: string }>('SELECT kind FROM index_events WHERE asset_id = $1 ORDER BY seq', [assetId])).rows;
      expect({
        v2: outcome,
        blockedOnHeadLock,
        blockedQueriesSeen: blockedOnHeadLock ? [] : [...seen],
        asset,
        versions: versions.map((v) => v.version),
        items,
        feed: feed.map((f) => f.kind),
      }).toEqual({
        v2: { refused: 'withdrawn', status: 409 },
        blockedOnHeadLock: true,
        blockedQueriesSeen: [],
        asset: { status: 'withdrawn', latest_version: 1, published_version: 1 },
        versions: [1],
        items: [{ version: 1, state: 'decided' }],
        feed: ['upsert', 'tombstone'],
      });
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});
