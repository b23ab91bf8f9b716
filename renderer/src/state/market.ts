/**
 * Market slice: the connected studio's account, sync status and notifications, as the main process
 * reports them (the renderer never sees the marketplace token or talks to the marketplace itself).
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
}

export const createMarketSlice: Slice<MarketSlice> = (set) => ({
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
