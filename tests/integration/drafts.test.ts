/**
 * The drafts handlers against the real studio (SQLite workspace): put/get/list/discard for a new
 * asset's draft and a stored asset's, bad input refused naming the field, and drafts still there
 * after the studio is closed and opened again on the same data folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { DraftDetail, DraftSummary } from '../../shared/api.ts';

async function open(dir: string) {
  const s = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  const h = createHandlers(
    s,
    await connectStudio({ studio: s, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
  const raw = (m: string, i: unknown) => dispatch(h, m, i);
  const call = async <T>(m: string, i: unknown): Promise<T> => {
    const r = await raw(m, i);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as T;
  };
  return { s, call, raw };
}

const card = (name: string, description: string) => ({ asset_type: 'character', name, description, tags: [], character: { race: 'Elf' } });

describe('drafts handlers', () => {
  it('keeps, lists, reads back and discards a new asset draft and a stored asset draft', async () => {
    const { s, call } = await open(mkdtempSync(join(tmpdir(), 'drafts-')));
    expect(await call<DraftSummary[]>('drafts.list', {})).toEqual([]);
    expect(await call('drafts.get', { id: 'new_abcdefgh12' })).toBeNull();

    const put = await call<DraftSummary>('drafts.put', { id: 'new_abcdefgh12', card: card('Half-typed', 'She walked') });
    expect(put).toMatchObject({ id: 'new_abcdefgh12', assetId: null, assetType: 'character', name: 'Half-typed', baseRev: null });
    // A second write replaces the first (the editor writes as the creator types).
    await call('drafts.put', { id: 'new_abcdefgh12', card: card('Half-typed', 'She walked out of the sea') });
    const got = await call<DraftDetail>('drafts.get', { id: 'new_abcdefgh12' });
    expect(got.card).toEqual(card('Half-typed', 'She walked out of the sea'));
    expect(got.imageSha).toBeNull();

    const a = await call<{ id: string; rev: number }>('assets.create', { card: card('Stored', 'A lighthouse keeper who counts ships.') });
    await call('drafts.put', { id: a.id, card: card('Stored', 'A lighthouse keeper who counts'), baseRev: a.rev });
    const list = await call<DraftSummary[]>('drafts.list', {});
    expect(list.map((d) => [d.id, d.assetId, d.baseRev]).sort()).toEqual(
      [
        [a.id, a.id, 1],
        ['new_abcdefgh12', null, null],
      ].sort(),
    );

    expect(await call('drafts.discard', { id: 'new_abcdefgh12' })).toEqual({ discarded: true });
    expect(await call('drafts.discard', { id: 'new_abcdefgh12' })).toEqual({ discarded: false });
    expect(await call('drafts.get', { id: 'new_abcdefgh12' })).toBeNull();

    // A deleted asset's draft is not offered (the asset is in the trash); undoing the delete brings it back.
    await call('assets.delete', { ids: [a.id] });
    expect(await call<DraftSummary[]>('drafts.list', {})).toEqual([]);
    await call('assets.undoDelete', { ids: [a.id] });
    expect((await call<DraftSummary[]>('drafts.list', {})).map((d) => d.id)).toEqual([a.id]);
    await s.close();
  });

  it('refuses bad input, naming the field', async () => {
    const { s, raw } = await open(mkdtempSync(join(tmpdir(), 'drafts-bad-')));
    const bad = async (i: unknown) => {
      const r = await raw('drafts.put', i);
      expect(r.ok).toBe(false);
      return r.ok ? null : { status: r.status, field: r.error.field, message: r.error.message };
    };
    expect(await bad({ id: 'new_abcdefgh12', card: { name: 'x' } })).toMatchObject({ status: 400, field: 'card.asset_type' });
    expect(await bad({ id: 'new_abcdefgh12', card: { asset_type: 'spaceship', name: 'x' } })).toMatchObject({ field: 'card.asset_type' });
    expect(await bad({ id: 'new_abcdefgh12', card: { asset_type: 'item', name: 7 } })).toMatchObject({ field: 'card.name' });
    expect(await bad({ id: '', card: card('a', 'b') })).toMatchObject({ status: 400, field: 'id' });
    expect(await bad({ id: 'new_abcdefgh12', card: card('a', 'b'), imageSha: 'nope' })).toMatchObject({ field: 'imageSha' });
    expect(await bad({ id: 'new_abcdefgh12', card: card('a', 'b'), imageSha: 'a'.repeat(64) })).toMatchObject({
      status: 404,
      field: 'imageSha',
    });
    expect(await bad({ id: 'new_abcdefgh12', card: card('a', 'b'), baseRev: 2 })).toMatchObject({ field: 'baseRev' });
    expect(await bad({ id: 'a_0000000000000000', card: card('a', 'b') })).toMatchObject({ status: 404, field: 'id' });
    expect(await bad({ id: 'new_abcdefgh12', card: card('a', 'x'.repeat(1_000_001)) })).toMatchObject({ status: 413, field: 'card' });
    const g = await raw('drafts.get', {});
    expect(g.ok ? null : g.error.field).toBe('id');
    await s.close();
  });

  it('survives closing and reopening the studio', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drafts-reopen-'));
    const first = await open(dir);
    await first.call('drafts.put', { id: 'new_survivor-01', card: card('Survivor', 'Typed before the crash') });
    await first.s.close();
    const second = await open(dir);
    const d = await second.call<DraftDetail>('drafts.get', { id: 'new_survivor-01' });
    expect(d.card.description).toBe('Typed before the crash');
    expect((await second.call<DraftSummary[]>('drafts.list', {})).map((x) => x.name)).toEqual(['Survivor']);
    await second.s.close();
  });
});
