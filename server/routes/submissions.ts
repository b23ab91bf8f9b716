/** Submission routes: new assets and versions (streamed multipart uploads), appeals, withdrawal, the creator's assets. */
import * as contract from '../../shared/contracts/marketplace/submissions.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import { readSubmission, withUpload } from '../http/submission.ts';
import type { Marketplace } from '../marketplace.ts';

export function submissionRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(contract.submit, {
      action: 'asset.submit',
      limit: 'submissions',
      handler: async ({ user, c }) => {
        // Refused before a byte of the upload is read when the account may not submit at all.
        await mp.assertMaySubmit(signedIn(user));
        return withUpload(await readSubmission(c), (input) => mp.submit(signedIn(user), { ...input, signal: c.req.raw.signal }));
      },
    }),
    serve(contract.submitVersion, {
      action: 'account.self',
      limit: 'submissions',
      handler: async ({ user, c, params }) => {
        await mp.assertMaySubmit(signedIn(user));
        return withUpload(await readSubmission(c), (input) => mp.submit(signedIn(user), { ...input, signal: c.req.raw.signal }, params.id));
      },
    }),
    serve(contract.appealRejection, {
      action: 'account.self',
      handler: ({ user, params, body }) => mp.appeal(signedIn(user), params.id, body.reason),
    }),
    serve(contract.withdrawAsset, { action: 'account.self', handler: ({ user, params }) => mp.withdraw(signedIn(user), params.id) }),
    serve(contract.myAssets, { action: 'account.self', handler: ({ user }) => mp.myAssets(signedIn(user)) }),
  ];
}
