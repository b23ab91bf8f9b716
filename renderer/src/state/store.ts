/**
 * The renderer's one zustand store, composed of its slices (router, toasts, library, editor,
 * drafts, models, market). Components subscribe through the slices' named selectors — `useShallow` where a
 * selector returns an object — so a change in one slice (a toast) does not re-render another's
 * screens (the editor).
 */
import { create } from 'zustand';
import { createDraftsSlice } from './drafts.ts';
import { createEditorSlice } from './editor.ts';
import { createLibrarySlice } from './library.ts';
import { createMarketSlice } from './market.ts';
import { createModelsSlice } from './models.ts';
import { createRouterSlice } from './router.ts';
import { createToastsSlice } from './toasts.ts';
import type { Studio } from './types.ts';

export const useStudio = create<Studio>()((...a) => ({
  ...createRouterSlice(...a),
  ...createToastsSlice(...a),
  ...createLibrarySlice(...a),
  ...createEditorSlice(...a),
  ...createDraftsSlice(...a),
  ...createModelsSlice(...a),
  ...createMarketSlice(...a),
}));

export type { Studio } from './types.ts';
