/** Account routes: register, sign in and out, the signed-in account. */
import * as contract from '../../shared/contracts/marketplace/accounts.ts';
import { userView } from '../auth.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { AccountsService } from '../services/accounts/accounts.ts';

export function accountRoutes({ accounts }: { accounts: AccountsService }): ServedRoute[] {
  return [
    serve(contract.register, { action: 'public.read', limit: 'auth', handler: ({ body }) => accounts.register(body) }),
    serve(contract.login, { action: 'public.read', limit: 'auth', handler: ({ body }) => accounts.login(body) }),
    serve(contract.logout, {
      action: 'account.self',
      handler: async ({ token }) => {
        await accounts.logout(token as string);
        return { ok: true as const };
      },
    }),
    serve(contract.me, { action: 'account.self', handler: async ({ user }) => userView(signedIn(user)) }),
  ];
}
