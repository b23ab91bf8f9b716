/** Marketplace contract: an asset's files (image bytes; audio/video streamed with Range support). Binary outputs. */
import { defineRoute } from './route.ts';
import { VersionQuery } from './schemas.ts';

export const assetImage = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/image',
  summary: 'The asset’s image',
  tag: 'discovery',
  query: VersionQuery,
  output: 'binary',
});

export const assetMedia = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/media',
  summary:
    'A version’s audio or video file, streamed (Range requests answered 206 so players can seek): for its creator, buyers entitled to it, and moderators/admins while it is in review or published',
  tag: 'discovery',
  query: VersionQuery,
  output: 'binary',
  ranges: true,
});
