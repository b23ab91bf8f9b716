/** Marketplace contract: discovery (search, creators, listings, the buyer's library, the policy in force). */
import { z } from 'zod';
import { AssetView, CreatorQuery, CreatorView, SearchQuery, SearchResult } from '../../marketplace.ts';
import { defineRoute } from './route.ts';
import { PolicyView, VersionQuery } from './schemas.ts';

export const search = defineRoute({
  method: 'get',
  path: '/v1/search',
  summary: 'Search published assets (semantic + keyword; keyword only without a text model)',
  tag: 'discovery',
  query: SearchQuery,
  output: SearchResult,
});

export const creators = defineRoute({
  method: 'get',
  path: '/v1/creators',
  summary: 'Creators ranked by reputation first, proximity second; at most 20',
  tag: 'discovery',
  query: CreatorQuery,
  output: z.array(CreatorView),
});

export const getAsset = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}',
  summary: 'A published listing (public), or any version for its creator and moderators',
  tag: 'discovery',
  query: VersionQuery,
  output: AssetView,
});

export const myLibrary = defineRoute({
  method: 'get',
  path: '/v1/my/library',
  summary: 'Assets you hold: the versions you own and whether a newer published version is available',
  tag: 'discovery',
  output: z.array(
    z.object({
      assetId: z.string(),
      name: z.string(),
      ownedVersions: z.array(z.number().int()),
      latestPublishedVersion: z.number().int().nullable(),
      updateAvailable: z.boolean(),
    }),
  ),
});

export const policy = defineRoute({
  method: 'get',
  path: '/v1/policy',
  summary: 'The marketplace policy in force (review targets, reputation minimum, royalty)',
  tag: 'discovery',
  output: PolicyView,
});
