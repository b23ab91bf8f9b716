/**
 * Market slice: the connected studio's account, sync status and notifications, as the main process
 * reports them (the renderer never sees the marketplace token or talks to the marketplace itself):
 * read on (re)connecting, then kept current by the backend's pushes (renderer/src/data/push.ts).
 */
import type { AccountStatus, SyncStatusView } from '@shared/api.ts';
import type { NotificationView } from '@shared/marketplace.ts';
import * as data from '../data/account.ts';
import type { Slice, Studio } from './types.ts';

export interface MarketSlice {
  account: AccountStatus | null;
  sync: SyncStatusView | null;
  notifications: NotificationView[];
  /** Reloads the account and the sync status (rejects when the studio process is unreachable). */
  refreshMarket(): Promise<void>;
  loadNotifications(): Promise<void>;
  /** A pushed account status replaces the one held. */
  receiveAccount(account: AccountStatus): void;
  /** A pushed sync status replaces the one held. */
  receiveSync(sync: SyncStatusView): void;
  /** Pushed notifications and their unread count (the count also shows in the sync status's badge). */
  receiveNotifications(notifications: NotificationView[], unread: number): void;
}

export const createMarketSlice: Slice<MarketSlice> = (set, get) => ({
  account: null,
  sync: null,
  notifications: [],
  async refreshMarket() {
    const [account, sync] = await Promise.all([data.accountStatus(), data.syncStatus()]);
    set({ account, sync });
  },
  async loadNotifications() {
    set({ notifications: await data.notifications() });
  },
  receiveAccount: (account) => set({ account }),
  receiveSync: (sync) => set({ sync }),
  receiveNotifications(notifications, unread) {
    const sync = get().sync;
    set({ notifications, sync: sync && sync.unread !== unread ? { ...sync, unread } : sync });
  },
});

export const selectAccount = (s: Studio) => s.account;
export const selectUser = (s: Studio) => s.account?.user;
export const selectSync = (s: Studio) => s.sync;
export const selectNotifications = (s: Studio) => s.notifications;
export const selectUnread = (s: Studio) => s.sync?.unread ?? 0;
export const selectRefreshMarket = (s: Studio) => s.refreshMarket;
export const selectLoadNotifications = (s: Studio) => s.loadNotifications;
/** Outbox operations still waiting to be sent. */
export const selectPendingOps = (s: Studio) => s.sync?.outbox.filter((o) => o.state === 'pending').length ?? 0;
