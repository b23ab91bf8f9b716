/**
 * The connected studio's renderer state (zustand): account, sync status and notifications, polled
 * from the main process; money formatting on integers. Every call goes through `api` — the
 * renderer never sees the marketplace token or talks to the marketplace itself.
 */
import { create } from 'zustand';
import type { AccountStatus, SyncStatusView } from '@shared/api.ts';
import type { NotificationView } from '@shared/marketplace.ts';
import { api } from './api.ts';

interface MarketState {
  account: AccountStatus | null;
  sync: SyncStatusView | null;
  notifications: NotificationView[];
  refresh(): Promise<void>;
  loadNotifications(): Promise<void>;
}

export const useMarket = create<MarketState>((set) => ({
  account: null,
  sync: null,
  notifications: [],
  async refresh() {
    const [account, sync] = await Promise.all([api.call('account.status', {}), api.call('sync.status', {})]);
    set({ account, sync });
  },
  async loadNotifications() {
    set({ notifications: await api.call('market.notifications', {}) });
  },
}));

/** "4.99" → 499, on the string (never floats); null when it is not a dollar amount with at most two decimals. */
export function parseDollars(text: string): number | null {
  const m = /^\s*\$?(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const ago = (iso: string | null) => {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
};

/** Saves text as a file in the browser (CSV export). */
export function download(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A marketplace image through the main process (the page never talks to the marketplace). */
const imageCache = new Map<string, Promise<string>>();
export function marketImage(path: string | null): Promise<string> | null {
  if (!path) return null;
  const clean = path.replace(/^https?:\/\/[^/]+/, '');
  let p = imageCache.get(clean);
  if (!p) {
    p = api.call('market.image', { path: clean }).then((r) => r.dataUrl);
    imageCache.set(clean, p);
  }
  return p;
}
