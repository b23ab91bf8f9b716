/**
 * The renderer's drafts against the real studio backend in-process (the handlers the Electron
 * bridge dispatches to): edits are kept after the pause, leaving the editor keeps them at once, a
 * reloaded page (fresh renderer state) and a restarted studio find them again with the notice,
 * saving and discarding remove them, and a write still pending when the creator saves never brings
 * the draft back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { Studio as RendererState } from '../../renderer/src/state/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'renderer-drafts-'));
const calls: string[] = [];
let studio: Studio;
let handlers: Handlers;
let store: { getState(): RendererState };
let DRAFT_DEBOUNCE_MS: number;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const call = async <T>(m: string, i: unknown): Promise<T> => {
  const r = await dispatch(handlers, m, i);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};
const kept = () => call<{ id: string; assetId: string | null; name: string }[]>('drafts.list', {});

async function openStudio() {
  studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  handlers = createHandlers(
    studio,
    await connectStudio({ studio, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
}

/** A fresh renderer (as after a page reload): new module instances, the same backend. */
async function reloadPage() {
  vi.resetModules();
  ({ useStudio: store } = await import('../../renderer/src/state/store.ts'));
  ({ DRAFT_DEBOUNCE_MS } = await import('../../renderer/src/state/drafts.ts'));
  await store.getState().init();
}

/** Waits for the debounced write (and the check) to be answered. */
async function settle() {
  await sleep(DRAFT_DEBOUNCE_MS + 200);
  for (let i = 0; i < 200 && (store.getState().checking || store.getState().draftState === 'pending'); i++) await sleep(25);
}

beforeAll(async () => {
  await openStudio();
  const bridge = {
    invoke: async (method: string, input: unknown) => {
      calls.push(method);
      return dispatch(handlers, method, input);
    },
  };
  (globalThis as { window?: unknown }).window = { originals: bridge };
  await reloadPage();
});

afterAll(async () => {
  delete (globalThis as { window?: unknown }).window;
  await studio.close();
});

describe('renderer drafts', () => {
  let newId = '';

  it('an untouched new asset is not kept; the first edit is, once the creator pauses', async () => {
    store.getState().newAsset('character');
    newId = store.getState().draftId as string;
    expect(newId).toMatch(/^new_[0-9a-f]{24}$/);
    await settle();
    expect(await kept()).toEqual([]);
    const puts = calls.filter((m) => m === 'drafts.put').length;
    for (const description of ['A', 'A lamp', 'A lamplighter who']) {
      store.getState().updateDraft({ description });
      await sleep(DRAFT_DEBOUNCE_MS / 5);
    }
    expect(store.getState().draftState).toBe('pending');
    await settle();
    // One write for the burst, holding the last text.
    expect(calls.filter((m) => m === 'drafts.put').length - puts).toBe(1);
    expect(store.getState().draftState).toBe('kept');
    expect((await call<{ card: { description: string } }>('drafts.get', { id: newId })).card.description).toBe('A lamplighter who');
  });

  it('leaving the editor keeps the latest edit at once, and the library lists the new draft', async () => {
    store.getState().updateDraft({ description: 'A lamplighter who remembers every flame she lit.' });
    store.getState().go({ name: 'library' });
    for (let i = 0; i < 100 && store.getState().loading; i++) await sleep(20);
    await sleep(50);
    expect(store.getState().drafts.map((d) => [d.id, d.assetId])).toEqual([[newId, null]]);
    expect((await call<{ card: { description: string } }>('drafts.get', { id: newId })).card.description).toBe(
      'A lamplighter who remembers every flame she lit.',
    );
  });

  it('after a page reload and a studio restart the draft opens again with the notice', async () => {
    await studio.close();
    await openStudio();
    await reloadPage();
    expect(store.getState().view.name).toBe('library');
    expect(store.getState().drafts.map((d) => d.id)).toEqual([newId]);
    await store.getState().openDraft(newId);
    const s = store.getState();
    expect(s.view).toEqual({ name: 'editor', id: null });
    expect(s.draft?.description).toBe('A lamplighter who remembers every flame she lit.');
    expect(s.dirty).toBe(true);
    expect(s.draftNotice?.updatedAt).toMatch(/^\d{4}-/);
  });

  it('saving removes the draft; the saved asset is the draft id from then on', async () => {
    const a = await store.getState().save();
    expect(a?.card.description).toBe('A lamplighter who remembers every flame she lit.');
    await settle();
    expect(await kept()).toEqual([]);
    expect(store.getState().draftId).toBe(a?.id);
    expect(store.getState().draftNotice).toBeNull();
  });

  it("a stored asset's edits are kept, restored on opening it again, and discarded back to the saved card", async () => {
    const id = store.getState().current?.id as string;
    store.getState().updateDraft({ name: 'The Lamplighter' });
    store.getState().go({ name: 'library' });
    await settle();
    await sleep(100);
    expect(store.getState().drafts.map((d) => [d.id, d.assetId, d.name])).toEqual([[id, id, 'The Lamplighter']]);
    await store.getState().openAsset(id);
    expect(store.getState().draft?.name).toBe('The Lamplighter');
    expect(store.getState().draftNotice).not.toBeNull();
    expect(store.getState().current?.name).not.toBe('The Lamplighter');
    await store.getState().discardDraft();
    expect(store.getState().draft?.name).toBe(store.getState().current?.name);
    expect(store.getState().dirty).toBe(false);
    expect(await kept()).toEqual([]);
  });

  it('an edit saved before its write was due never brings the draft back', async () => {
    store.getState().updateDraft({ name: 'The Lamplighter of Vell' });
    await store.getState().save();
    await settle();
    await sleep(DRAFT_DEBOUNCE_MS);
    expect(await kept()).toEqual([]);
    expect(store.getState().current?.rev).toBe(2);
  });

  it('a draft older than the saved asset says so when restored, and saving it makes the next revision', async () => {
    const id = store.getState().current?.id as string;
    store.getState().updateDraft({ description: 'Typed here, on revision 2.' });
    store.getState().go({ name: 'library' });
    await settle();
    // Saved elsewhere meanwhile (another window, a sync): revision 3.
    const other = (await call<{ card: Record<string, unknown> }>('assets.get', { id })).card;
    await call('assets.save', { id, card: { ...other, description: 'Saved elsewhere as revision 3.' }, baseRev: 2 });
    await store.getState().openAsset(id);
    expect(store.getState().draftNotice?.baseRev).toBe(2);
    expect(store.getState().current?.rev).toBe(3);
    expect(store.getState().draft?.description).toBe('Typed here, on revision 2.');
    const saved = await store.getState().save();
    expect(saved).toMatchObject({ rev: 4, card: { description: 'Typed here, on revision 2.' } });
    await settle();
    expect(await kept()).toEqual([]);
  });

  it('discarding a new asset draft leaves the editor and forgets it', async () => {
    store.getState().newAsset('item');
    store.getState().updateDraft({ description: 'A brass key that opens the same door twice.' });
    await settle();
    expect((await kept()).length).toBe(1);
    await store.getState().discardDraft();
    expect(store.getState().view.name).toBe('library');
    expect(await kept()).toEqual([]);
  });
});
