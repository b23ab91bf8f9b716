/** Media routes: an asset's image bytes, and its audio or video file streamed with Range support. */
import * as contract from '../../shared/contracts/marketplace/media.ts';
import { type ServedRoute, serve } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';
import { mediaResponse } from '../media-files.ts';

export function mediaRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(contract.assetImage, {
      action: 'asset.read',
      handler: async ({ user, params, query, c }) => {
        const bytes = await mp.image(user, params.id, query.version);
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
        mediaResponse(await mp.mediaFile(user, params.id, query.version), c.req.header('range')),
    }),
  ];
}
