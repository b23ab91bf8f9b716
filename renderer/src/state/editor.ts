/**
 * Editor slice: the asset being edited (stored version, draft, image), save and restore, its
 * revisions, and the uniqueness check, which this slice owns: every way of loading a draft (new,
 * open, save, restore) runs the check exactly once, and edits run it once the creator pauses
 * (picking another image or audio/video file runs it at once).
 * Every edit is also kept as a draft in the studio (the drafts slice); opening an asset with a
 * kept draft restores it, and saving or restoring a revision removes it. When the editor leaves an
 * audio/video file (another file picked, another asset or draft loaded, the editor closed), the
 * work it still waits for there — previews and the live check's fingerprint, asked for under this
 * page's editor token — is cancelled in the studio (`media.cancel` with that token: another view's
 * work on the file goes on), and a check cancelled that way was superseded: it shows no error.
 */
import type { AssetDetail, RevisionSummary } from '@shared/api.ts';
import { type AssetType, tooLongText } from '@shared/asset.ts';
import type { CheckResult } from '@shared/check.ts';
import * as data from '../data/assets.ts';
import { getDraft, newDraftId } from '../data/drafts.ts';
import { EDITOR_CALLER, cancelMediaWork, isCancelled } from '../data/media.ts';
import { type DraftCard, blankCard } from './cards.ts';
import { restoredState } from './drafts.ts';
import { viewKey } from './router.ts';
import { type FieldError, type Slice, type Studio, asFieldError } from './types.ts';

/** How long after the last edit the check runs. */
export const CHECK_DEBOUNCE_MS = 400;

export interface EditorSlice {
  current: AssetDetail | null;
  draft: DraftCard | null;
  imageSha: string | null;
  dirty: boolean;
  saving: boolean;
  editorError: FieldError | null;
  check: CheckResult | null;
  checking: boolean;
  checkError: FieldError | null;
  revisions: RevisionSummary[];
  newAsset(type: AssetType): void;
  openAsset(id: string): Promise<void>;
  /** An edit: marks the draft dirty and runs the check once the creator pauses. */
  updateDraft(patch: Partial<DraftCard>): void;
  setImage(sha: string | null): void;
  save(): Promise<AssetDetail | null>;
  /** Runs the check now (a pending debounced run is dropped); only the latest run's answer is kept. */
  runCheck(): Promise<void>;
  loadRevisions(): Promise<void>;
  restore(rev: number): Promise<void>;
}

let checkSeq = 0;
let checkTimer: ReturnType<typeof setTimeout> | null = null;
/** The latest check was cancelled (the editor left its file): coming back to the same draft runs it again. */
let checkCancelled = false;
/**
 * A check is due once the save in progress answers. While a save runs, the library may already
 * hold the asset while the card does not know its id yet: a check answered then (one started just
 * before the save, a debounced one, one asked for during it) would find the asset as its own
 * duplicate ("the same video file as …"). So such checks wait for the save, and the one after it replaces them.
 */
let checkAfterSave = false;

function cancelScheduledCheck() {
  if (checkTimer) clearTimeout(checkTimer);
  checkTimer = null;
}

/**
 * The audio/video file the editor is on: a media card's stored file (a media card holding an image
 * has none), null when the editor is not shown.
 */
export function editorMediaSha(s: Pick<Studio, 'view' | 'draft'>): string | null {
  if (s.view.name !== 'editor' || s.draft?.asset_type !== 'media') return null;
  const m = s.draft.media as { type?: unknown; sha256?: unknown } | undefined;
  return m && m.type !== 'image' && typeof m.sha256 === 'string' ? m.sha256 : null;
}

export const createEditorSlice: Slice<EditorSlice> = (set, get, store) => {
  // Every state change is watched rather than each action, so no way of leaving a file is missed.
  store.subscribe((s, prev) => {
    const left = editorMediaSha(prev);
    if (left && left !== editorMediaSha(s)) cancelMediaWork(left);
    // Back in the editor on the draft it left (nothing reloaded it): the check that leaving cancelled runs again.
    const back = s.view.name === 'editor' && prev.view.name !== 'editor' && s.view.id === (s.current?.id ?? null);
    if (checkCancelled && back && s.draft && s.draft === prev.draft) void get().runCheck();
  });
  return editorActions(set, get);
};

const editorActions = (set: Parameters<Slice<EditorSlice>>[0], get: () => Studio): EditorSlice => ({
  current: null,
  draft: null,
  imageSha: null,
  dirty: false,
  saving: false,
  editorError: null,
  check: null,
  checking: false,
  checkError: null,
  revisions: [],

  newAsset(type) {
    void get().flushDraft();
    const same = (t: AssetType) => t === type;
    const n = get().items.filter((i) => same(i.assetType)).length + get().drafts.filter((d) => !d.assetId && same(d.assetType)).length + 1;
    set({
      view: { name: 'editor', id: null },
      current: null,
      draft: blankCard(type, n),
      imageSha: null,
      dirty: true,
      editorError: null,
      check: null,
      checkError: null,
      revisions: [],
      // Kept from the first edit on: an untouched blank card is not a draft worth keeping.
      draftId: newDraftId(),
      draftNotice: null,
      draftState: 'none',
      draftError: null,
    });
    void get().runCheck();
  },

  async openAsset(id) {
    await get().flushDraft();
    try {
      const [a, kept] = await Promise.all([data.getAsset(id), getDraft(id)]);
      set({
        view: { name: 'editor', id },
        current: a,
        draft: structuredClone(a.card) as DraftCard,
        imageSha: a.imageSha,
        dirty: false,
        editorError: null,
        check: null,
        checkError: null,
        draftId: id,
        draftNotice: null,
        draftState: 'none',
        draftError: null,
        ...(kept ? restoredState(kept) : {}),
      });
      void get().runCheck();
      void get().loadRevisions();
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  updateDraft(patch) {
    const d = get().draft;
    if (!d) return;
    const file = editorMediaSha(get());
    set({ draft: { ...d, ...patch } as DraftCard, dirty: true, editorError: null });
    get().keepDraft();
    // Another audio/video file is checked at once, as a new image is (the last file's check was cancelled).
    cancelScheduledCheck();
    if (editorMediaSha(get()) !== file) return void get().runCheck();
    checkTimer = setTimeout(() => {
      checkTimer = null;
      void get().runCheck();
    }, CHECK_DEBOUNCE_MS);
  },

  setImage(sha) {
    set({ imageSha: sha, dirty: true });
    get().keepDraft();
    void get().runCheck();
  },

  async save() {
    const { draft, current, imageSha, draftId } = get();
    if (!draft) return null;
    set({ saving: true, editorError: null });
    // A check still running or scheduled on the card as it was is superseded: its answer is dropped.
    if (get().checking || checkTimer) {
      cancelScheduledCheck();
      checkSeq++;
      checkAfterSave = true;
    }
    try {
      const a = await data.saveAsset(draft, imageSha, current);
      set({ current: a, draft: structuredClone(a.card) as DraftCard, dirty: false, view: { name: 'editor', id: a.id } });
      // The saved revision holds the work now: its draft goes (a new asset's draft id becomes the asset's).
      if (draftId) void get().dropDraft(draftId);
      set({ draftId: a.id });
      // About this asset: it goes when the user moves on to another asset or screen.
      get().toast(`Saved “${a.name}” (revision ${a.rev})`, 'info', undefined, viewKey({ name: 'editor', id: a.id }));
      void get().loadRevisions();
      checkAfterSave = true;
      // A first save adds an asset: the library and the sidebar's count follow at once.
      if (a.rev === 1) void get().loadLibrary();
      return a;
    } catch (err) {
      set({ editorError: asFieldError(err) });
      return null;
    } finally {
      set({ saving: false });
      if (checkAfterSave) {
        checkAfterSave = false;
        void get().runCheck();
      }
    }
  },

  async runCheck() {
    cancelScheduledCheck();
    const { draft, imageSha, current, saving } = get();
    if (!draft) return;
    // During a save: run once it answers (see checkAfterSave); what was showing stays until then.
    if (saving) {
      checkSeq++;
      checkAfterSave = true;
      return void set({ checking: true });
    }
    const seq = ++checkSeq;
    checkCancelled = false;
    // A text longer than the card allows (a huge paste, an imported card) is refused here, as the
    // check would refuse it: it is never sent to be fingerprinted.
    const tooLong = tooLongText(draft);
    if (tooLong) return void set({ checkError: tooLong, checking: false });
    set({ checking: true });
    try {
      const r = await data.runCheck(draft, imageSha, current?.id ?? null, EDITOR_CALLER);
      if (seq === checkSeq) set({ check: r, checkError: null });
    } catch (err) {
      // Cancelled: the editor left the file, so this run was superseded; it shows nothing.
      if (seq === checkSeq && isCancelled(err)) checkCancelled = true;
      else if (seq === checkSeq) set({ checkError: asFieldError(err) });
    } finally {
      if (seq === checkSeq) set({ checking: false });
    }
  },

  async loadRevisions() {
    const c = get().current;
    if (!c) return set({ revisions: [] });
    try {
      set({ revisions: await data.listRevisions(c.id) });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  async restore(rev) {
    const c = get().current;
    if (!c) return;
    try {
      const a = await data.restoreRevision(c.id, rev);
      set({ current: a, draft: structuredClone(a.card) as DraftCard, imageSha: a.imageSha, dirty: false });
      void get().dropDraft(c.id);
      get().toast(`Restored revision ${rev} as revision ${a.rev}`, 'info', undefined, viewKey({ name: 'editor', id: c.id }));
      void get().loadRevisions();
      void get().runCheck();
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },
});

export const selectDraft = (s: Studio) => s.draft;
export const selectCurrent = (s: Studio) => s.current;
export const selectRevisions = (s: Studio) => s.revisions;
/** The editor header's state (an object: subscribe with useShallow). */
export const selectEditorHead = (s: Studio) => ({
  name: s.draft?.name,
  type: s.draft?.asset_type,
  currentId: s.current?.id,
  rev: s.current?.rev,
  dirty: s.dirty,
  saving: s.saving,
  isNew: !s.current,
  editorError: s.editorError,
  revisionCount: s.revisions.length,
});
/** The uniqueness check's state (an object: subscribe with useShallow). */
export const selectCheck = (s: Studio) => ({ check: s.check, checking: s.checking, checkError: s.checkError });
/** One section of the draft (character, location, …), undefined when the card has none. */
export const selectSection = (key: string) => (s: Studio) => s.draft?.[key] as Record<string, unknown> | undefined;
/** Save and check errors, which the forms show next to their fields (an object: subscribe with useShallow). */
export const selectFieldErrors = (s: Studio) => ({ editorError: s.editorError, checkError: s.checkError });
/** The editor's actions (stable functions; an object: subscribe with useShallow). */
export const selectEditorActions = (s: Studio) => ({
  updateDraft: s.updateDraft,
  setImage: s.setImage,
  save: s.save,
  runCheck: s.runCheck,
  restore: s.restore,
  openAsset: s.openAsset,
});
