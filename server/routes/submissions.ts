/** Submission routes: new assets and versions (streamed multipart uploads), appeals, withdrawal, the creator's assets. */
import * as contract from '../../shared/contracts/marketplace/submissions.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import { type UploadLimits, readSubmission, withUpload } from '../http/submission.ts';
import type { ListingsService } from '../services/listings/listings.ts';
import type { ReviewService } from '../services/review/review.ts';
import type { SubmissionsService } from '../services/submissions/submissions.ts';

export function submissionRoutes(s: {
  submissions: SubmissionsService;
  review: ReviewService;
  listings: ListingsService;
  /** Largest media file and image per submission (default: the policies). */
  uploads?: UploadLimits | undefined;
}): ServedRoute[] {
  const { submissions, review, listings, uploads } = s;
  return [
    serve(contract.submit, {
      action: 'asset.submit',
      limit: 'submissions',
      handler: async ({ user, c }) => {
        // Refused before a byte of the upload is read when the account may not submit at all.
        await submissions.assertMaySubmit(signedIn(user));
        return withUpload(await readSubmission(c, uploads), (input) =>
          submissions.submit(signedIn(user), { ...input, signal: c.req.raw.signal }),
        );
      },
    }),
    serve(contract.submitVersion, {
      action: 'account.self',
      limit: 'submissions',
      handler: async ({ user, c, params }) => {
        await submissions.assertMaySubmit(signedIn(user));
        return withUpload(await readSubmission(c, uploads), (input) =>
          submissions.submit(signedIn(user), { ...input, signal: c.req.raw.signal }, params.id),
        );
      },
    }),
    serve(contract.appealRejection, {
      action: 'account.self',
      handler: ({ user, params, body }) => review.appeal(signedIn(user), params.id, body.reason),
    }),
    // Withdrawn through the submissions service: the new versions still being analysed are cancelled too.
    serve(contract.withdrawAsset, {
      action: 'account.self',
      handler: ({ user, params }) => submissions.withdraw(signedIn(user), params.id),
    }),
    serve(contract.myAssets, { action: 'account.self', handler: ({ user }) => listings.myAssets(signedIn(user)) }),
  ];
}
