/** Money routes: a creator's earnings, sales and their CSV export, payouts and the payout account. */
import { ApiError } from '../../shared/api.ts';
import * as contract from '../../shared/contracts/marketplace/money-earnings.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { EarningsService } from '../services/money/earnings.ts';
import type { PayoutsService } from '../services/money/payouts.ts';

export function earningsRoutes({ earnings, payouts }: { earnings: EarningsService; payouts: PayoutsService }): ServedRoute[] {
  return [
    serve(contract.earnings, { action: 'account.self', handler: ({ user, query }) => earnings.earnings(signedIn(user).id, query.period) }),
    serve(contract.sales, { action: 'account.self', handler: ({ user, query }) => earnings.sales(signedIn(user).id, query.limit) }),
    serve(contract.earningsCsv, {
      action: 'account.self',
      handler: async ({ user, query, c }) =>
        c.body(await earnings.csv(signedIn(user), query.kind), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="originals-${query.kind}.csv"`,
        }),
    }),
    serve(contract.payouts, { action: 'account.self', handler: ({ user }) => payouts.payouts(signedIn(user)) }),
    serve(contract.requestPayout, {
      action: 'account.self',
      handler: async ({ user }) => {
        const payout = await payouts.requestPayout(signedIn(user));
        if (!payout) throw new ApiError('internal', 'the payout was made but could not be read back', undefined, 500);
        return payout;
      },
    }),
    serve(contract.connectPayoutAccount, {
      action: 'account.self',
      handler: ({ user, body }) => payouts.connectPayoutAccount(signedIn(user), body.returnUrl),
    }),
  ];
}
