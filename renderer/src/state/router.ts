/** Router slice: which screen is shown; going to the library or the models screen reloads it; leaving the editor keeps its draft. */
import type { Slice, Studio } from './types.ts';

/** The editor's views (tabs). */
export type EditorTab = 'edit' | 'history' | 'market';

export type View =
  | { name: 'library' }
  /** `tab`: the editor view to open on (default: edit). */
  | { name: 'editor'; id: string | null; tab?: EditorTab }
  | { name: 'models' }
  /** `back`: where signing in returns to (the screen that asked the creator to sign in). */
  | { name: 'account'; back?: View }
  | { name: 'market' }
  | { name: 'listing'; remoteId: string }
  | { name: 'earnings' }
  | { name: 'purchases' }
  | { name: 'queue' }
  | { name: 'notifications' }
  | { name: 'reputation' }
  | { name: 'users' };

export interface RouterSlice {
  view: View;
  go(view: View): void;
}

export const createRouterSlice: Slice<RouterSlice> = (set, get) => ({
  view: { name: 'library' },
  go(view) {
    // Leaving the editor keeps its unsaved work as a draft at once (the library then lists it).
    if (get().view.name === 'editor' && view.name !== 'editor') void get().flushDraft();
    set({ view });
    if (view.name === 'library') void get().loadLibrary();
    if (view.name === 'models') void get().loadModels();
    // An editor link to an asset that is not the one loaded (a sync conflict's) opens it.
    if (view.name === 'editor' && view.id && view.id !== get().current?.id) void get().openAsset(view.id);
  },
});

/** A screen as one string ("editor:<id>", "listing:<id>", "library"): what a toast about it is tied to. */
export function viewKey(v: View): string {
  if (v.name === 'editor') return `editor:${v.id ?? 'new'}`;
  if (v.name === 'listing') return `listing:${v.remoteId}`;
  return v.name;
}

export const selectView = (s: Studio) => s.view;
export const selectViewName = (s: Studio) => s.view.name;
export const selectGo = (s: Studio) => s.go;
