/**
 * The editor slice owns the uniqueness check: new, open, save and restore each run it exactly once,
 * and a burst of edits runs it once after the pause. The renderer's state runs against the real
 * studio backend in-process (the same handlers the Electron bridge dispatches to), counting calls.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { Studio as RendererState } from '../../renderer/src/state/types.ts';

const calls: string[] = [];
/**
 * A slow check (as a video's fingerprinting is): the next check.run reaches the studio only once
 * a save has stored its asset, and answers before the save does.
 */
let slow: { held: boolean; stored: () => void; storedP: Promise<void>; answered: () => void; answeredP: Promise<void> } | null = null;
function slowNextCheck() {
  let stored!: () => void;
  let answered!: () => void;
  const storedP = new Promise<void>((r) => (stored = r));
  const answeredP = new Promise<void>((r) => (answered = r));
  slow = { held: false, stored, storedP, answered, answeredP };
}
let store: { getState(): RendererState; subscribe(f: (s: RendererState, prev: RendererState) => void): () => void };
let studio: Studio;
let CHECK_DEBOUNCE_MS: number;

const checks = () => calls.filter((m) => m === 'check.run').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until no check is running and the debounce window has passed (a late second run would show up). */
async function settle() {
  await sleep(CHECK_DEBOUNCE_MS + 150);
  for (let i = 0; i < 200 && store.getState().checking; i++) await sleep(25);
  expect(store.getState().checking).toBe(false);
}
async function counted(action: () => unknown): Promise<number> {
  await settle();
  const before = checks();
  await action();
  await settle();
  return checks() - before;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-check-'));
  studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  const h = createHandlers(
    studio,
    await connectStudio({ studio, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
  // The renderer's API picks the Electron bridge when the page has one: here it reaches the real handlers.
  const bridge = {
    invoke: async (method: string, input: unknown) => {
      calls.push(method);
      const s = slow;
      if (s && method === 'check.run' && !s.held) {
        s.held = true;
        await s.storedP;
        const r = await dispatch(h, method, input);
        s.answered();
        return r;
      }
      const r = await dispatch(h, method, input);
      if (s?.held && (method === 'assets.create' || method === 'assets.save')) {
        s.stored();
        // The check's answer reaches the page before the save's does.
        await s.answeredP;
        await sleep(0);
        slow = null;
      }
      return r;
    },
  };
  (globalThis as { window?: unknown }).window = { originals: bridge };
  ({ useStudio: store } = await import('../../renderer/src/state/store.ts'));
  ({ CHECK_DEBOUNCE_MS } = await import('../../renderer/src/state/editor.ts'));
});

afterAll(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe('editor slice: the check runs once per change', () => {
  it('new asset: once', async () => {
    expect(await counted(() => store.getState().newAsset('character'))).toBe(1);
    expect(store.getState().check?.status).toBe('approved');
  });

  it('save: once, and the saved asset is checked against the others, not itself', async () => {
    store.getState().updateDraft({ description: 'A knight who walked out of a burning chapel with no memory.' });
    await settle();
    expect(await counted(() => store.getState().save())).toBe(1);
    const saved = store.getState().current;
    expect(saved?.rev).toBe(1);
    expect(store.getState().check?.matches.some((m) => m.assetId === saved?.id)).toBe(false);
  });

  it('an edit saved before the pause is checked once (the pending run is dropped)', async () => {
    expect(
      await counted(async () => {
        store.getState().updateDraft({ name: 'Ser Aldric' });
        await store.getState().save();
      }),
    ).toBe(1);
    expect(store.getState().current?.rev).toBe(2);
  });

  it('open: once', async () => {
    const id = store.getState().current?.id as string;
    store.getState().go({ name: 'library' });
    expect(await counted(() => store.getState().openAsset(id))).toBe(1);
    expect(store.getState().view).toEqual({ name: 'editor', id });
  });

  it('restore: once', async () => {
    expect(await counted(() => store.getState().restore(1))).toBe(1);
    expect(store.getState().current?.rev).toBe(3);
    expect(store.getState().draft?.name).toBe('Untitled character 1');
  });

  it('a burst of edits: once, after the pause, on the last draft', async () => {
    expect(
      await counted(async () => {
        for (const name of ['S', 'Se', 'Ser', 'Ser B']) {
          store.getState().updateDraft({ name });
          await sleep(CHECK_DEBOUNCE_MS / 8);
        }
      }),
    ).toBe(1);
    expect(store.getState().dirty).toBe(true);
  });

  it('a toast leaves every editor selector as it was', async () => {
    const { selectCheck, selectDraft, selectEditorHead, selectFieldErrors } = await import('../../renderer/src/state/editor.ts');
    const selectors = [selectCheck, selectDraft, selectEditorHead, selectFieldErrors] as ((s: RendererState) => unknown)[];
    const shallowEqual = (a: unknown, b: unknown) =>
      Object.is(a, b) ||
      (typeof a === 'object' &&
        typeof b === 'object' &&
        a !== null &&
        b !== null &&
        Object.keys(a).length === Object.keys(b).length &&
        Object.entries(a).every(([k, v]) => Object.is(v, (b as Record<string, unknown>)[k])));
    const before = selectors.map((f) => f(store.getState()));
    store.getState().toast('Saved');
    expect(store.getState().toasts.at(-1)?.text).toBe('Saved');
    selectors.forEach((f, i) => expect(shallowEqual(f(store.getState()), before[i])).toBe(true));
  });

  it('a check still running when a save starts is dropped: the new asset never shows as its own duplicate', async () => {
    await counted(() => store.getState().newAsset('character'));
    const seen: RendererState['check'][] = [];
    const off = store.subscribe((st, prev) => void (st.check !== prev.check && seen.push(st.check)));
    slowNextCheck();
    const checksRun = await counted(async () => {
      store.getState().updateDraft({ description: 'A ferryman who counts the drowned bells of the old harbour every night.' });
      await sleep(CHECK_DEBOUNCE_MS + 100);
      expect(store.getState().checking).toBe(true);
      await store.getState().save();
    });
    off();
    const saved = store.getState().current;
    expect(saved?.rev).toBe(1);
    // The held check ran against the library holding the asset; its answer was not shown, the one after the save was.
    expect(checksRun).toBe(2);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((c) => c?.matches.some((m) => m.assetId === saved?.id))).toEqual([]);
    expect(store.getState().check?.status).toBe('approved');
  });
});
