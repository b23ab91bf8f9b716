/** The handlers of the settings and account domain: the marketplace URL, signing up, in and out (each followed by a sync). */
import type { AccountHandlers } from '../../../shared/contracts/studio/account.ts';
import type { Remote } from './remote.ts';

export function accountHandlers({ conn, sync }: Remote): AccountHandlers {
  const afterAccountChange = async () => {
    await sync.syncNow();
    return conn.status();
  };
  return {
    'settings.get': () => ({ marketplaceUrl: conn.settings.marketplaceUrl }),
    'settings.set': async (i) => {
      const r = await conn.setSettings({ marketplaceUrl: i.marketplaceUrl });
      if (r.changed) void sync.syncNow();
      return { marketplaceUrl: conn.settings.marketplaceUrl, changed: r.changed };
    },
    'account.status': () => conn.status(),
    'account.signUp': async (i) => {
      await conn.signUp(i);
      return afterAccountChange();
    },
    'account.signIn': async (i) => {
      await conn.signIn(i);
      return afterAccountChange();
    },
    'account.signOut': () => conn.signOut(),
  };
}
