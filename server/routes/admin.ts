/** Administration routes: the first admin, account tiers and roles, the audit log, blocklists, payout reconciliation. */
import * as contract from '../../shared/contracts/marketplace/admin.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function adminRoutes(mp: Marketplace): ServedRoute[] {
  const m = mp.moderation;
  return [
    serve(contract.bootstrapAdmin, {
      action: 'account.self',
      limit: 'auth',
      handler: ({ user, body }) => mp.bootstrapAdmin(signedIn(user), body.token),
    }),
    serve(contract.users, { action: 'admin.users', handler: ({ query }) => mp.services.accounts.listUsers(query) }),
    serve(contract.updateUser, {
      action: 'admin.users',
      handler: ({ params, body, user }) => mp.updateUser(params.id, body, signedIn(user)),
    }),
    serve(contract.auditLog, {
      action: 'admin.users',
      handler: async ({ query, c }) =>
        query.format === 'csv'
          ? c.body(await m.auditCsv(query.since), 200, {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="audit-log.csv"',
            })
          : m.auditLog(query.since),
    }),
    serve(contract.importBlocklist, { action: 'admin.users', handler: ({ user, body }) => m.importBlocklist(signedIn(user), body) }),
    serve(contract.reconcilePayouts, { action: 'admin.users', handler: async () => ({ resent: await mp.money.reconcilePayouts() }) }),
  ];
}
