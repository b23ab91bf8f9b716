/**
 * Drafts slice: the editor's unsaved work kept in the studio (crash-safe). Every edit schedules a
 * write of the whole draft (debounced); leaving the editor writes at once; saving, restoring a
 * revision or discarding removes it. Writes and removals go through one queue, so a late write
 * never brings back a draft that was just removed. The library lists the drafts.
 */
import type { DraftDetail, DraftSummary } from '@shared/api.ts';
import * as data from '../data/drafts.ts';
import type { DraftCard } from './cards.ts';
import { type Slice, type Studio, asFieldError } from './types.ts';

/** How long after the last edit the draft is written. */
export const DRAFT_DEBOUNCE_MS = 500;

export type DraftState = 'none' | 'pending' | 'kept' | 'error';

export interface DraftsSlice {
  /** Every kept draft (the library marks them). */
  drafts: DraftSummary[];
  /** The editor's draft id: the stored asset's id, or 'new_…' for a never-saved asset. */
  draftId: string | null;
  /** Set when the editor opened on a kept draft: when it was last written. */
  draftNotice: { updatedAt: string; baseRev: number | null } | null;
  draftState: DraftState;
  draftError: string | null;
  loadDrafts(): Promise<void>;
  /** An edit happened: writes the draft once the creator pauses. */
  keepDraft(): void;
  /** Writes the pending draft now (leaving the editor, opening another asset, closing the page). */
  flushDraft(): Promise<void>;
  /** Removes a kept draft without touching the editor (after a save or a restore). */
  dropDraft(id: string): Promise<void>;
  /** The creator's "Discard draft": back to the stored asset, or out of the editor for a new one. */
  discardDraft(): Promise<void>;
  /** Opens a never-saved asset's draft from the library. */
  openDraft(id: string): Promise<void>;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function cancelTimer() {
  if (timer) clearTimeout(timer);
  timer = null;
}

/** Runs after every write and removal already asked for. */
function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

/** Resolves once every queued write and removal has been answered. */
export const draftsIdle = () => enqueue(async () => undefined);

/** The editor's state when it opens on a kept draft. */
export function restoredState(d: DraftDetail) {
  return {
    draft: structuredClone(d.card) as DraftCard,
    imageSha: d.imageSha,
    dirty: true,
    draftId: d.id,
    draftNotice: { updatedAt: d.updatedAt, baseRev: d.baseRev },
    draftState: 'kept' as const,
    draftError: null,
  };
}

export const createDraftsSlice: Slice<DraftsSlice> = (set, get) => ({
  drafts: [],
  draftId: null,
  draftNotice: null,
  draftState: 'none',
  draftError: null,

  async loadDrafts() {
    try {
      await draftsIdle();
      set({ drafts: await data.listDrafts() });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  keepDraft() {
    if (!get().draftId) return;
    cancelTimer();
    set({ draftState: 'pending' });
    timer = setTimeout(() => void get().flushDraft(), DRAFT_DEBOUNCE_MS);
  },

  async flushDraft() {
    cancelTimer();
    // The snapshot is taken now, before any await: what the creator sees is what is written.
    const { draftId: id, draft, imageSha, current, dirty, draftState } = get();
    if (!id || !draft || !dirty || (draftState !== 'pending' && draftState !== 'error')) return;
    try {
      await enqueue(() => data.putDraft(id, draft, imageSha, current?.id === id ? current.rev : null));
      if (get().draftId === id && get().draft === draft) set({ draftState: 'kept', draftError: null });
    } catch (err) {
      if (get().draftId === id) set({ draftState: 'error', draftError: asFieldError(err).message });
    }
  },

  async dropDraft(id) {
    cancelTimer();
    if (get().draftId === id) set({ draftNotice: null, draftState: 'none', draftError: null });
    try {
      await enqueue(() => data.discardDraft(id));
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  async discardDraft() {
    const { draftId: id, current } = get();
    if (!id) return;
    await get().dropDraft(id);
    if (current && current.id === id) {
      set({ draft: structuredClone(current.card) as DraftCard, imageSha: current.imageSha, dirty: false, editorError: null });
      void get().runCheck();
    } else {
      set({ draftId: null, draft: null, dirty: false });
      get().go({ name: 'library' });
    }
    get().toast('Draft discarded');
  },

  async openDraft(id) {
    await get().flushDraft();
    try {
      const d = await data.getDraft(id);
      if (!d) {
        get().toast('That draft is no longer kept', 'error');
        return void get().loadDrafts();
      }
      if (d.assetId) return get().openAsset(d.assetId);
      set({
        view: { name: 'editor', id: null },
        current: null,
        editorError: null,
        check: null,
        checkError: null,
        revisions: [],
        ...restoredState(d),
      });
      void get().runCheck();
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },
});

export const selectDrafts = (s: Studio) => s.drafts;
/** The editor's draft line (an object: subscribe with useShallow). */
export const selectDraftStatus = (s: Studio) => ({
  notice: s.draftNotice,
  savedRev: s.current?.rev ?? null,
  state: s.draftState,
  error: s.draftError,
  discard: s.discardDraft,
});
