/** Marketplace contract: trust and safety (reviews, reports, reputation, badges, moderation cases and appeals). */
import { z } from 'zod';
import { IntId, defineRoute } from './route.ts';
import { CaseView, REPORT_KINDS, ReputationView } from './schemas.ts';

const Reason = z.string().trim().min(3, 'give the creator a reason they can act on').max(4000);

export const addReview = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/reviews',
  summary: 'Rate (1–5) and review an asset you bought; one review per buyer, a new one replaces it',
  tag: 'trust',
  body: z.object({ rating: z.number().int().min(1).max(5), body: z.string().trim().max(5000).default('') }),
  output: z.object({ assetId: z.string(), rating: z.number().int() }),
  status: 201,
});

export const reviews = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/reviews',
  summary: 'Verified-purchase reviews of an asset and its average rating',
  tag: 'trust',
  output: z.object({
    count: z.number().int(),
    average: z.number().nullable(),
    reviews: z.array(z.object({ rating: z.number().int(), body: z.string(), by: z.string(), at: z.string() })),
  }),
});

export const report = defineRoute({
  method: 'post',
  path: '/v1/assets/{id}/reports',
  summary: 'Report a published asset (spam, misrepresentation, copyright, offensive) to the moderators',
  tag: 'trust',
  body: z.object({
    kind: z.enum(REPORT_KINDS),
    details: z.string().trim().min(10, 'say what is wrong (at least 10 characters)').max(5000),
  }),
  output: z.object({ reportId: z.number().int(), caseId: z.number().int(), state: z.literal('open') }),
  status: 201,
});

export const reputation = defineRoute({
  method: 'get',
  path: '/v1/creators/{id}/reputation',
  summary: 'A creator’s reputation: total, level, each component with its inputs and what would raise it, and its history',
  tag: 'trust',
  output: ReputationView,
});

export const assetBadges = defineRoute({
  method: 'get',
  path: '/v1/assets/{id}/badges',
  summary: 'An asset’s badges under the published rules (quality, trending, community favorite)',
  tag: 'trust',
  output: z.object({ badges: z.array(z.string()), rules: z.record(z.string(), z.string()) }),
});

export const moderationCases = defineRoute({
  method: 'get',
  path: '/v1/moderation/cases',
  summary: 'Moderation cases: reports and automatic detections (spam, misrepresentation, copyright) with their evidence',
  tag: 'moderation',
  query: z.object({ state: z.enum(['open', 'appeals', 'all']).default('open') }),
  output: z.array(CaseView),
});

export const decideCase = defineRoute({
  method: 'post',
  path: '/v1/moderation/cases/{id}/decision',
  params: z.object({ id: IntId }),
  summary: 'Take the listing down (refund every buyer, strike, reputation) or dismiss the case; the creator is told why and how to appeal',
  tag: 'moderation',
  body: z.object({ action: z.enum(['takedown', 'dismiss']), reason: Reason, strike: z.boolean().optional() }),
  output: CaseView,
});

export const appealCase = defineRoute({
  method: 'post',
  path: '/v1/moderation/cases/{id}/appeal',
  params: z.object({ id: IntId }),
  summary: 'The creator appeals a takedown; a different moderator decides',
  tag: 'moderation',
  body: z.object({ reason: Reason }),
  output: CaseView,
  status: 201,
});

export const decideCaseAppeal = defineRoute({
  method: 'post',
  path: '/v1/moderation/cases/{id}/appeal-decision',
  params: z.object({ id: IntId }),
  summary: 'Decide an appeal (not the moderator who took the listing down): overturning restores listing, reputation and strike',
  tag: 'moderation',
  body: z.object({ decision: z.enum(['overturn', 'uphold']), reason: Reason }),
  output: CaseView,
});

export const myCases = defineRoute({
  method: 'get',
  path: '/v1/me/cases',
  summary: 'Takedowns of my listings: the reasons, strikes and appeal state',
  tag: 'moderation',
  output: z.array(CaseView),
});
