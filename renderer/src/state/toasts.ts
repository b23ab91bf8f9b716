/**
 * Toasts slice: short messages (at most three at a time, never two alike), each dismissed after a
 * while (4 s, an error 8 s, one with an action 10 s) or by hand. A toast about one screen — an
 * asset's "Saved …" — carries that screen's key (`viewKey`) and goes as soon as the user leaves it
 * (another asset, the library), so it never speaks over another asset's work; a newer plain report
 * about the same screen replaces the older one.
 */
import { sentence } from '../words.ts';
import { viewKey } from './router.ts';
import type { Slice, Studio } from './types.ts';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
  /** The screen the message is about (`viewKey`): leaving it dismisses the toast. None: it stays until its time is up. */
  scope?: string;
}

export interface ToastsSlice {
  toasts: Toast[];
  toast(text: string, kind?: Toast['kind'], action?: Toast['action'], scope?: string): void;
  dismiss(id: number): void;
}

let toastId = 0;

export const createToastsSlice: Slice<ToastsSlice> = (set, get, store) => {
  // Leaving a screen takes its toasts with it, however the screen was left (a link, go, open, save as new).
  store.subscribe((s, prev) => {
    if (s.view === prev.view || !s.toasts.some((t) => t.scope)) return;
    const here = viewKey(s.view);
    const kept = s.toasts.filter((t) => !t.scope || t.scope === here);
    if (kept.length !== s.toasts.length) set({ toasts: kept });
  });
  return {
    toasts: [],
    toast(text, kind = 'info', action, scope) {
      // The same message already showing is not stacked again (one action, e.g. sign-out, reported twice):
      // it is replaced, so it stays its full time from now rather than vanishing on the old one's timer.
      const id = ++toastId;
      const t: Toast = { id, text: sentence(text), kind, ...(action ? { action } : {}), ...(scope ? { scope } : {}) };
      // A plain report about a screen ("Saved … (revision 3)") supersedes the earlier ones about it
      // (revisions 1 and 2): three quick saves leave one toast, not a stack over the revisions table.
      const superseded = (o: Toast) =>
        scope !== undefined && !action && kind === 'info' && o.scope === scope && o.kind === 'info' && !o.action;
      // At most three at a time, so they never bury the panels.
      set({ toasts: [...get().toasts.filter((o) => (o.text !== t.text || o.kind !== kind) && !superseded(o)), t].slice(-3) });
      setTimeout(() => get().dismiss(id), action ? 10_000 : kind === 'error' ? 8_000 : 4_000);
    },
    dismiss(id) {
      if (get().toasts.some((t) => t.id === id)) set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
  };
};

export const selectToasts = (s: Studio) => s.toasts;
export const selectToast = (s: Studio) => s.toast;
export const selectDismiss = (s: Studio) => s.dismiss;
