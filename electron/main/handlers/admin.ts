/**
 * The handlers of the administration domain: the marketplace's accounts, listed and changed by an
 * admin, through the client generated from the marketplace contract (answers parsed with the
 * routes' schemas).
 */
import type { AdminHandlers } from '../../../shared/contracts/studio/admin.ts';
import type { Remote } from './remote.ts';

export function adminHandlers({ conn }: Remote): AdminHandlers {
  const market = conn.client;
  return {
    'admin.users': (i) =>
      market.admin.users({
        query: { page: i.page, ...(i.q ? { q: i.q } : {}), ...(i.role ? { role: i.role } : {}), ...(i.tier ? { tier: i.tier } : {}) },
      }),
    'admin.updateUser': (i) => market.admin.updateUser({ params: { id: i.userId }, body: i.patch }),
  };
}
