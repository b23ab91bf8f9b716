/** Media routes: an asset's image bytes, and its audio or video file streamed with Range support. */
import * as contract from '../../shared/contracts/marketplace/media.ts';
import { type ServedRoute, serve } from '../http/route.ts';
import { mediaResponse } from '../media-files.ts';
import type { MediaAccessService } from '../services/media/media-access.ts';

export function mediaRoutes({ media }: { media: MediaAccessService }): ServedRoute[] {
  return [
    serve(contract.assetImage, {
      action: 'asset.read',
      handler: async ({ user, params, query, c }) => {
        const bytes = await media.image(user, params.id, query.version);
        return c.body(new Uint8Array(bytes), 200, {
          'content-type': 'application/octet-stream',
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, max-age=300',
        });
      },
    }),
    serve(contract.assetMedia, {
      action: 'asset.media',
      handler: async ({ user, params, query, c }) =>
        mediaResponse(await media.mediaFile(user, params.id, query.version), c.req.header('range')),
    }),
  ];
}
