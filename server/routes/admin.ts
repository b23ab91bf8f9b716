/** Administration routes: the first admin, account tiers and roles, the audit log, blocklists, payout reconciliation. */
import * as contract from '../../shared/contracts/marketplace/admin.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { AccountsService } from '../services/accounts/accounts.ts';
import type { PayoutsService } from '../services/money/payouts.ts';
import type { AuditService } from '../services/moderation/audit.ts';
import type { Blocklists } from '../services/moderation/blocklist.ts';

export function adminRoutes(s: {
  accounts: AccountsService;
  audit: AuditService;
  blocklists: Blocklists;
  payouts: PayoutsService;
}): ServedRoute[] {
  const { accounts, audit, blocklists, payouts } = s;
  return [
    serve(contract.bootstrapAdmin, {
      action: 'account.self',
      limit: 'auth',
      handler: ({ user, body }) => accounts.bootstrapAdmin(signedIn(user), body.token),
    }),
    serve(contract.users, { action: 'admin.users', handler: ({ query }) => accounts.listUsers(query) }),
    serve(contract.updateUser, {
      action: 'admin.users',
      handler: ({ params, body, user }) => accounts.updateUser(params.id, body, signedIn(user)),
    }),
    serve(contract.auditLog, {
      action: 'admin.users',
      handler: async ({ query, c }) =>
        query.format === 'csv'
          ? c.body(await audit.auditCsv(query.since), 200, {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="audit-log.csv"',
            })
          : audit.auditLog(query.since),
    }),
    serve(contract.importBlocklist, {
      action: 'admin.users',
      handler: ({ user, body }) => blocklists.importBlocklist(signedIn(user), body),
    }),
    serve(contract.reconcilePayouts, { action: 'admin.users', handler: async () => ({ resent: await payouts.reconcilePayouts() }) }),
  ];
}
