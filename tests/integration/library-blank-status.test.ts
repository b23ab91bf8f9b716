/**
 * The library never calls a blank card "Original": a card saved with only a name (its type's blank
 * template otherwise, no image) lists with no status ("Not checked" on its library card), as the
 * editor's panel says "Nothing to check yet"; once it holds a description its check's status is
 * listed. Against the real studio (SQLite workspace, the engine) through the handler map.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { AssetSummary } from '../../shared/api.ts';
import { blankCard } from '../../shared/blank-card.ts';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

describe('a blank card in the library', () => {
  it('is listed with no status until it holds something, then with its check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blank-status-'));
    const s = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
    const c = await connectStudio({
      studio: s,
      dataDir: dir,
      secrets: new OwnerOnlyFileSecretStore(join(dir, 's')),
      localMarketplace: false,
    });
    closers.push(async () => {
      await c.close();
      await s.close();
    });
    const h = createHandlers(s, c);
    const call = async <T>(m: string, i: unknown): Promise<T> => {
      const r = await dispatch(h, m, i);
      if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
      return r.value as T;
    };
    const blank = { ...blankCard('character', 1), name: 'Mirel' };
    const a = await call<{ id: string; rev: number }>('assets.create', { card: blank });
    const listed = async () => (await call<AssetSummary[]>('library.list', {})).find((x) => x.id === a.id);
    expect((await listed())?.status).toBeNull();
    expect((await call<AssetSummary>('assets.get', { id: a.id })).status).toBeNull();
    await call('assets.save', { id: a.id, baseRev: a.rev, card: { ...blank, description: 'A lamplighter who keeps the harbour lit.' } });
    expect((await listed())?.status).toBe('approved');
  }, 60_000);
});
