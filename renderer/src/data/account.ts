/** The marketplace account, sync and settings, as kept by the studio process (data calls). */
import { api } from '../api.ts';

export const accountStatus = () => api.call('account.status', {});
export const syncStatus = () => api.call('sync.status', {});
export const signUp = (email: string, password: string, displayName: string) =>
  api.call('account.signUp', { email, password, displayName });
export const signIn = (email: string, password: string) => api.call('account.signIn', { email, password });
export const signOut = () => api.call('account.signOut', {});
export const getSettings = () => api.call('settings.get', {});
export const setMarketplaceUrl = (marketplaceUrl: string | null) => api.call('settings.set', { marketplaceUrl });
export const syncNow = () => api.call('sync.now', {});
export const discardOp = (opId: string) => api.call('sync.discard', { opId });
/** Sends a failed or waiting outbox operation again now (attempts start over). */
export const retryOp = (opId: string) => api.call('sync.retry', { opId });
export const resolveConflict = (assetId: string, keep: 'local' | 'server') => api.call('sync.resolve', { assetId, keep });
export const retryAsDerivative = (opId: string, parentAssetId: string) => api.call('sync.retry', { opId, parentAssetId });
export const notifications = () => api.call('market.notifications', {});
export const markRead = (id: number) => api.call('market.markRead', { id });
