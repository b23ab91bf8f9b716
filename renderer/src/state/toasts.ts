/** Toasts slice: short messages (at most three at a time, never two alike), each dismissed after a while or by hand. */
import { sentence } from '../words.ts';
import type { Slice, Studio } from './types.ts';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

export interface ToastsSlice {
  toasts: Toast[];
  toast(text: string, kind?: Toast['kind'], action?: Toast['action']): void;
  dismiss(id: number): void;
}

let toastId = 0;

export const createToastsSlice: Slice<ToastsSlice> = (set, get) => ({
  toasts: [],
  toast(text, kind = 'info', action) {
    // The same message already showing is not stacked again (one action, e.g. sign-out, reported twice).
    if (get().toasts.some((t) => t.text === sentence(text) && t.kind === kind)) return;
    const id = ++toastId;
    // At most three at a time, so they never bury the panels.
    set({ toasts: [...get().toasts, { id, text: sentence(text), kind, ...(action ? { action } : {}) }].slice(-3) });
    setTimeout(() => get().dismiss(id), action ? 10_000 : kind === 'error' ? 8_000 : 4_000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
});

export const selectToasts = (s: Studio) => s.toasts;
export const selectToast = (s: Studio) => s.toast;
export const selectDismiss = (s: Studio) => s.dismiss;
