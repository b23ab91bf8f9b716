/** Marketplace contract: the human review queue (claim an item, decide it). */
import { z } from 'zod';
import { Decision, QueueItem } from '../../marketplace.ts';
import { MARKETPLACE_POLICY } from '../../policy/marketplace.ts';
import { IntId, defineRoute } from './route.ts';

export const reviewQueue = defineRoute({
  method: 'get',
  path: '/v1/moderation/queue',
  summary: 'Open review items: flagged first, then oldest first, with the similarity evidence',
  tag: 'moderation',
  query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  output: z.array(QueueItem),
});

export const claimReviewItem = defineRoute({
  method: 'post',
  path: '/v1/moderation/items/{itemId}/claim',
  params: z.object({ itemId: IntId }),
  summary: `Claim an item (one moderator at a time; claims expire after ${MARKETPLACE_POLICY.claimMinutes} minutes)`,
  tag: 'moderation',
  output: z.object({ itemId: z.number().int(), claimedBy: z.string(), claimExpiresAt: z.string() }),
});

export const decideReviewItem = defineRoute({
  method: 'post',
  path: '/v1/moderation/items/{itemId}/decision',
  params: z.object({ itemId: IntId }),
  summary: 'Approve, reject (reason required) or request changes; for appeals, overturn or uphold',
  tag: 'moderation',
  body: Decision,
  output: z.object({
    itemId: z.number().int(),
    decision: z.string(),
    assetId: z.string(),
    version: z.number().int(),
    published: z.boolean(),
  }),
});
