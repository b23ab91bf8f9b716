/** Marketplace contract: the published index as an incremental feed for the studio's offline copy. */
import { IndexPage, IndexQuery } from '../../marketplace.ts';
import { defineRoute } from './route.ts';

export const indexFeed = defineRoute({
  method: 'get',
  path: '/v1/index',
  summary: 'The published index as an incremental feed (fingerprints, minimal cards, tombstones) for the studio’s offline copy',
  tag: 'discovery',
  query: IndexQuery,
  output: IndexPage,
});
