/**
 * The marketplace's index of submissions in review is caught up by a pass that starts after the
 * call (Passes): a submission stored while an earlier pass is still reading is in the index when
 * the next check's catch-up resolves. Against a fake database whose read of the open review items
 * is held back, so the earlier pass read before the submission was stored.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import { type FingerprintsJson, fingerprintsToJson } from '../../engine/serialize.ts';
import type { Sql } from '../../server/db.ts';
import { PendingIndex } from '../../server/pending-index.ts';
import type { AssetCard } from '../../shared/asset.ts';

const engine = UniquenessEngine.open({ dbPath: ':memory:' });
const pending = new PendingIndex();
afterAll(() => {
  pending.close();
  engine.close();
});

describe('PendingIndex catch-up', () => {
  it('a check after a submission was stored sees it, though a pass that read before it was still running', async () => {
    const card: AssetCard = { asset_type: 'item', name: 'Glass sabre', description: 'A sabre of frosted glass.', tags: ['blade'] };
    const fingerprints: FingerprintsJson = fingerprintsToJson(await engine.fingerprint(card), false);
    const open: { asset_id: string; version: number }[] = [];
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    let reads = 0;
    const sql: Sql = {
      query: async <T>(text: string) => {
        if (text.includes('FROM review_items')) {
          const seen = [...open]; // what the database holds when the read starts
          if (reads++ === 0) await held;
          return { rows: seen as T[], rowCount: seen.length };
        }
        const rows = open.map((o) => ({ ...o, creator_id: 'alice', card, fingerprints }));
        return { rows: rows as T[], rowCount: rows.length };
      },
      exec: async () => undefined,
    };
    const earlier = pending.catchUp(sql); // reads the open items: none yet, and is held there
    open.push({ asset_id: '00000000-0000-4000-8000-000000000001', version: 1 }); // a submission stored meanwhile
    const forTheCheck = pending.catchUp(sql);
    release();
    await earlier;
    await forTheCheck;
    expect(pending.size).toBe(1);
  });
});
