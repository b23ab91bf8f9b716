/**
 * Renderer state in zustand, in slices: app (info, view, toasts), library (list, filters,
 * selection), editor (draft, save, live check), models. Every server call goes through `api`.
 */
import { create } from 'zustand';
import type { AppInfo, AssetDetail, AssetSummary, ModelsStatus, RevisionSummary } from '@shared/api.ts';
import type { AssetType } from '@shared/asset.ts';
import type { CheckResult } from '@shared/check.ts';
import { StudioError, api } from './api.ts';

export type View =
  | { name: 'library' }
  | { name: 'editor'; id: string | null }
  | { name: 'models' }
  | { name: 'account' }
  | { name: 'market' }
  | { name: 'listing'; remoteId: string }
  | { name: 'earnings' }
  | { name: 'purchases' }
  | { name: 'queue' }
  | { name: 'notifications' }
  | { name: 'reputation' };

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

export interface FieldError {
  message: string;
  field?: string | undefined;
}

/** The editor works on a loosely typed card; the main process validates it on every call. */
export type DraftCard = Record<string, unknown> & { asset_type: AssetType; name: string; description: string; tags: string[] };

export const TYPE_LABELS: Record<AssetType, string> = {
  character: 'Character',
  location: 'Location',
  item: 'Item',
  quest_hook: 'Quest hook',
  room_template: 'Room template',
  custom_module: 'Custom module',
  media: 'Media',
};

export function blankCard(type: AssetType, n: number): DraftCard {
  const card: DraftCard = { asset_type: type, name: `Untitled ${TYPE_LABELS[type].toLowerCase()} ${n}`, description: '', tags: [] };
  if (type === 'custom_module') card.custom_module = { code: '.module {\n  padding: 1rem;\n}\n', config: {} };
  if (type === 'room_template') card.room_template = { layout: { columns: 3 }, modules: [], customization: {} };
  if (type === 'media') card.media = { type: 'image', format: 'webp', size: 0 };
  return card;
}

let toastId = 0;

interface State {
  info: AppInfo | null;
  view: View;
  toasts: Toast[];
  // library
  items: AssetSummary[];
  q: string;
  typeFilter: AssetType | '';
  sort: 'recent' | 'name' | 'status';
  selected: string[];
  loading: boolean;
  // editor
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
  // models
  models: ModelsStatus | null;

  init(): Promise<void>;
  go(view: View): void;
  toast(text: string, kind?: Toast['kind'], action?: Toast['action']): void;
  dismiss(id: number): void;
  loadLibrary(): Promise<void>;
  setFilter(p: Partial<Pick<State, 'q' | 'typeFilter' | 'sort'>>): void;
  toggleSelect(id: string, multi: boolean): void;
  clearSelection(): void;
  deleteAssets(ids: string[]): Promise<void>;
  newAsset(type: AssetType): void;
  openAsset(id: string): Promise<void>;
  updateDraft(patch: Partial<DraftCard>): void;
  setImage(sha: string | null): void;
  save(): Promise<AssetDetail | null>;
  runCheck(): Promise<void>;
  loadRevisions(): Promise<void>;
  restore(rev: number): Promise<void>;
  loadModels(): Promise<void>;
}

function asFieldError(err: unknown): FieldError {
  if (err instanceof StudioError) return { message: err.message, field: err.field };
  return { message: (err as Error).message ?? String(err) };
}

let checkSeq = 0;

export const useStudio = create<State>((set, get) => ({
  info: null,
  view: { name: 'library' },
  toasts: [],
  items: [],
  q: '',
  typeFilter: '',
  sort: 'recent',
  selected: [],
  loading: false,
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
  models: null,

  async init() {
    try {
      set({ info: await api.call('app.info', {}) });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
    await get().loadLibrary();
  },

  go(view) {
    set({ view });
    if (view.name === 'library') void get().loadLibrary();
    if (view.name === 'models') void get().loadModels();
  },

  toast(text, kind = 'info', action) {
    const id = ++toastId;
    // At most three at a time, so they never bury the panels.
    set({ toasts: [...get().toasts, { id, text, kind, ...(action ? { action } : {}) }].slice(-3) });
    setTimeout(() => get().dismiss(id), action ? 10_000 : kind === 'error' ? 8_000 : 4_000);
  },

  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },

  async loadLibrary() {
    set({ loading: true });
    try {
      const { q, typeFilter, sort } = get();
      const [items, info] = await Promise.all([
        api.call('library.list', { q: q || undefined, type: typeFilter || undefined, sort }),
        api.call('app.info', {}),
      ]);
      set({ items, info, selected: get().selected.filter((id) => items.some((i) => i.id === id)) });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    } finally {
      set({ loading: false });
    }
  },

  setFilter(p) {
    set(p);
    void get().loadLibrary();
  },

  toggleSelect(id, multi) {
    const sel = get().selected;
    if (multi) set({ selected: sel.includes(id) ? sel.filter((x) => x !== id) : [...sel, id] });
    else set({ selected: sel.length === 1 && sel[0] === id ? [] : [id] });
  },

  clearSelection() {
    set({ selected: [] });
  },

  async deleteAssets(ids) {
    try {
      await api.call('assets.delete', { ids });
      set({ selected: [] });
      await get().loadLibrary();
      get().toast(`Deleted ${ids.length} asset${ids.length > 1 ? 's' : ''}`, 'info', {
        label: 'Undo',
        run: () => {
          void api.call('assets.undoDelete', { ids }).then(
            () => get().loadLibrary(),
            (err: unknown) => get().toast(asFieldError(err).message, 'error'),
          );
        },
      });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  newAsset(type) {
    const n = get().items.filter((i) => i.assetType === type).length + 1;
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
    });
    void get().runCheck();
  },

  async openAsset(id) {
    try {
      const a = await api.call('assets.get', { id });
      set({
        view: { name: 'editor', id },
        current: a,
        draft: structuredClone(a.card) as DraftCard,
        imageSha: a.imageSha,
        dirty: false,
        editorError: null,
        check: null,
        checkError: null,
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
    set({ draft: { ...d, ...patch } as DraftCard, dirty: true, editorError: null });
  },

  setImage(sha) {
    set({ imageSha: sha, dirty: true });
    void get().runCheck();
  },

  async save() {
    const { draft, current, imageSha } = get();
    if (!draft) return null;
    set({ saving: true, editorError: null });
    try {
      const a = current
        ? await api.call('assets.save', { id: current.id, card: draft, imageSha, baseRev: current.rev })
        : await api.call('assets.create', { card: draft, ...(imageSha ? { imageSha } : {}) });
      set({ current: a, draft: structuredClone(a.card) as DraftCard, dirty: false, view: { name: 'editor', id: a.id } });
      get().toast(`Saved “${a.name}” (revision ${a.rev})`);
      void get().loadRevisions();
      void get().runCheck();
      return a;
    } catch (err) {
      set({ editorError: asFieldError(err) });
      return null;
    } finally {
      set({ saving: false });
    }
  },

  async runCheck() {
    const { draft, imageSha, current } = get();
    if (!draft) return;
    const seq = ++checkSeq;
    set({ checking: true });
    try {
      const r = await api.call('check.run', {
        card: draft,
        ...(imageSha ? { imageSha } : {}),
        ...(current ? { excludeId: current.id } : {}),
      });
      if (seq === checkSeq) set({ check: r, checkError: null });
    } catch (err) {
      if (seq === checkSeq) set({ checkError: asFieldError(err) });
    } finally {
      if (seq === checkSeq) set({ checking: false });
    }
  },

  async loadRevisions() {
    const c = get().current;
    if (!c) return set({ revisions: [] });
    try {
      set({ revisions: await api.call('assets.revisions', { id: c.id }) });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  async restore(rev) {
    const c = get().current;
    if (!c) return;
    try {
      const a = await api.call('assets.restore', { id: c.id, rev });
      set({ current: a, draft: structuredClone(a.card) as DraftCard, imageSha: a.imageSha, dirty: false });
      get().toast(`Restored revision ${rev} as revision ${a.rev}`);
      void get().loadRevisions();
      void get().runCheck();
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  async loadModels() {
    try {
      set({ models: await api.call('models.status', {}) });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },
}));
