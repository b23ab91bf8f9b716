/**
 * The marketplace HTTP API's schemas (zod). The server validates every input with them and
 * generates its OpenAPI document (/openapi.json) from them; the studio uses the same types.
 */
import { z } from 'zod';
import { AGE_RATINGS, ASSET_TYPES } from './asset.ts';
import { CHECK_STATUSES } from './check.ts';

export const ROLES = ['buyer', 'creator', 'moderator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Uuid = z.string().uuid();
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional().describe('more about the error (candidate parents, retryAfterSeconds…)'),
    }),
  })
  .meta({ id: 'Error' });

export const RegisterInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(10, 'use at least 10 characters').max(200),
  displayName: z.string().trim().min(1).max(80),
});
export const LoginInput = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(200) });

export const UserView = z
  .object({
    id: Uuid,
    email: z.string(),
    displayName: z.string(),
    roles: z.array(Role),
    creatorTier: z.boolean(),
    verified: z.boolean(),
    sellingBanned: z.boolean(),
    reputation: z.number(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const Session = z.object({ token: z.string(), expiresAt: z.string(), user: UserView }).meta({ id: 'Session' });

export const AdminUserUpdate = z
  .object({
    creatorTier: z.boolean().optional(),
    verified: z.boolean().optional(),
    roles: z.array(Role).min(1).optional(),
    /** An admin's selling ban (or its lifting); a later upheld strike recomputes it from the strike count. */
    sellingBanned: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const ASSET_STATUSES = ['in_review', 'changes_requested', 'rejected', 'published', 'withdrawn', 'taken_down'] as const;

const NormBoxView = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
/** shared/check.ts MatchedRegion: where a partial copy sits in both images. */
export const MatchedRegionView = z
  .object({
    query: NormBoxView,
    match: NormBoxView,
    outline: z.array(z.tuple([z.number(), z.number()])),
    rotationDeg: z.number(),
    scale: z.number(),
    stretch: z.number().optional(),
    mirrored: z.boolean(),
    inverted: z.boolean().optional(),
    embossed: z.boolean().optional(),
    bent: z.boolean().optional(),
    inliers: z.number(),
    matchCoverage: z.number(),
    queryCoverage: z.number(),
  })
  .meta({ id: 'MatchedRegion' });
/** shared/check.ts SharedPassage: a passage two cards share, with its context in both. */
export const SharedPassageView = z
  .object({
    queryField: z.string(),
    matchField: z.string(),
    query: z.tuple([z.number(), z.number()]),
    match: z.tuple([z.number(), z.number()]),
    words: z.number(),
    text: z.string(),
    context: z
      .object({ query: z.tuple([z.string(), z.string()]), match: z.tuple([z.string(), z.string()]), matchText: z.string() })
      .optional(),
  })
  .meta({ id: 'SharedPassage' });
/** Audio/video evidence: matched time ranges (seconds) in the checked file and in the matched one. */
export const MatchedMediaView = z
  .object({
    kind: z.enum(['audio', 'video']),
    method: z.enum(['landmarks', 'chromaprint', 'frames', 'keyframes']),
    score: z.number(),
    votes: z.number(),
    ranges: z.array(z.object({ query: z.tuple([z.number(), z.number()]), match: z.tuple([z.number(), z.number()]) })),
    speedRatio: z.number(),
    pitchRatio: z.number().optional(),
    framePair: z.object({ queryT: z.number(), matchT: z.number() }).optional(),
    mirrored: z.boolean().optional(),
    local: z.object({ keyframes: z.number(), region: MatchedRegionView, queryT: z.number(), matchT: z.number() }).optional(),
  })
  .meta({ id: 'MatchedMedia' });

/** The evidence stored with a review item's match (analysis details), as the review screen reads it. */
export const MatchEvidenceDetails = z.object({
  /** The match was a submission waiting for review when this one was analysed (not published). */
  pending: z.boolean().optional(),
  summary: z.string().optional(),
  signals: z.array(z.string()).optional(),
  region: MatchedRegionView.optional(),
  passages: z.array(SharedPassageView).optional(),
  media: z.array(MatchedMediaView).optional(),
});

/** shared/check.ts MatchLayers: each layer's score (0..1), and which exact identities hold. */
export const MatchLayersView = z.object({
  exact: z.object({ bytes: z.boolean(), pixels: z.boolean(), metadata: z.boolean() }).optional(),
  visual: z.number().optional(),
  local: z.number().optional(),
  text: z.number().optional(),
  passage: z.number().optional(),
  code: z.number().optional(),
  semantic_image: z.number().optional(),
  semantic_text: z.number().optional(),
  media: z.number().optional(),
});

export const MatchView = z.object({
  assetId: z.string(),
  name: z.string(),
  creatorId: z.string(),
  combined: z.number(),
  layers: MatchLayersView,
  copySignals: z.array(z.string()),
  derivativeSignals: z.array(z.string()).optional(),
  differences: z.object({ fields: z.array(z.string()), transform: z.array(z.string()) }),
  /** The matched asset is a submission still waiting for review, not yet published. */
  pending: z.boolean().optional(),
  summary: z.string().optional(),
  region: MatchedRegionView.optional(),
  passages: z.array(SharedPassageView).optional(),
  media: z.array(MatchedMediaView).optional(),
});

export const CheckView = z.object({
  status: z.enum(CHECK_STATUSES),
  reason: z.string(),
  action: z.string(),
  layers: z.record(z.string(), z.object({ state: z.string(), reason: z.string().optional() })),
  matches: z.array(MatchView),
});

export const SubmissionResult = z
  .object({
    assetId: Uuid,
    version: z.number().int(),
    status: z.enum(ASSET_STATUSES),
    heldForManualReview: z.boolean(),
    parentAssetId: Uuid.nullable(),
    estimatedReviewTime: z.string(),
    check: CheckView,
  })
  .meta({ id: 'SubmissionResult' });

export const AssetView = z
  .object({
    id: Uuid,
    creatorId: Uuid,
    creatorName: z.string(),
    assetType: z.enum(ASSET_TYPES),
    name: z.string(),
    status: z.enum(ASSET_STATUSES),
    version: z.number().int(),
    publishedVersion: z.number().int().nullable(),
    latestVersion: z.number().int(),
    card: z.record(z.string(), z.unknown()),
    imageUrl: z.string().nullable(),
    parentAssetId: Uuid.nullable(),
    priceCents: z.number().int().nullable(),
    pricingModel: z.enum(['one_time', 'subscription', 'per_use']).nullable(),
    billingInterval: z.enum(['month', 'year']).nullable(),
    publishedAt: z.string().nullable(),
    estimatedReviewTime: z.string().optional(),
    /** A listing taken down by a moderator shows this instead of disappearing. */
    takedown: z.object({ reason: z.string(), at: z.string().nullable() }).nullable().optional(),
  })
  .meta({ id: 'Asset' });
export type AssetView = z.infer<typeof AssetView>;

export const ReasonInput = z.object({ reason: z.string().trim().min(3, 'give a reason the creator can act on').max(2000) });

export const Decision = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), reason: z.string().trim().max(2000).optional() }),
  z.object({ decision: z.literal('reject'), reason: ReasonInput.shape.reason }),
  z.object({ decision: z.literal('request_changes'), reason: ReasonInput.shape.reason }),
  z.object({ decision: z.literal('overturn'), reason: ReasonInput.shape.reason }),
  z.object({ decision: z.literal('uphold'), reason: ReasonInput.shape.reason }),
]);

export const QueueItem = z
  .object({
    id: z.number().int(),
    kind: z.enum(['submission', 'appeal']),
    assetId: Uuid,
    version: z.number().int(),
    priority: z.number().int(),
    flags: z.array(z.string()),
    createdAt: z.string(),
    claimedBy: Uuid.nullable(),
    claimExpiresAt: z.string().nullable(),
    asset: AssetView,
    evidence: z.array(
      z.object({
        matchedAssetId: z.string().nullable(),
        matchedName: z.string().nullable(),
        matchedImageUrl: z.string().nullable(),
        /** The matched listing's published version (the one compared), for fetching its files. */
        matchedVersion: z.number().int().nullable(),
        combined: z.number().nullable(),
        details: z.unknown(),
        /** Durations of the submitted and the matched media file (seconds), when either has one. */
        mediaSeconds: z.object({ query: z.number().nullable(), match: z.number().nullable() }).nullable(),
      }),
    ),
    appealReason: z.string().nullable(),
    /**
     * Why the asking moderator may not decide this item (their own listing), or null. Such items are
     * listed so they can see them waiting, but claim and decision answer 403 conflict_of_interest.
     */
    conflict: z.string().nullable(),
  })
  .meta({ id: 'QueueItem' });

export const SEARCH_SORTS = ['relevance', 'popularity', 'price', 'newest'] as const;
export const SearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  type: z.enum(ASSET_TYPES).optional(),
  tags: z.string().max(500).optional().describe('comma-separated; all must match'),
  minPrice: z.coerce.number().int().min(0).max(2_147_483_647).optional().describe('cents'),
  maxPrice: z.coerce.number().int().min(0).max(2_147_483_647).optional().describe('cents'),
  license: z.enum(['royalty_free', 'rights_managed', 'editorial', 'commercial', 'exclusive']).optional(),
  ageRating: z.enum(AGE_RATINGS).optional().describe("the card's age rating (exact)"),
  sort: z.enum(SEARCH_SORTS).default('relevance'),
  page: z.coerce.number().int().min(1).max(500).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const SearchResult = z
  .object({
    mode: z.enum(['keyword', 'hybrid']),
    note: z.string().optional(),
    total: z.number().int().describe('matching listings, counted up to 10 000'),
    totalIsLowerBound: z.boolean().describe('true when more than 10 000 match'),
    page: z.number().int(),
    pageSize: z.number().int(),
    items: z.array(AssetView.extend({ score: z.number() })),
  })
  .meta({ id: 'SearchResult' });

export const CreatorQuery = z.object({ q: z.string().trim().max(200).optional() });
export const CreatorView = z.object({
  id: Uuid,
  displayName: z.string(),
  reputation: z.number(),
  verified: z.boolean(),
  publishedAssets: z.number().int(),
  proximity: z.number(),
});

export const IndexQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const IndexEntry = z.object({
  seq: z.number().int(),
  kind: z.enum(['upsert', 'tombstone']),
  assetId: Uuid,
  version: z.number().int().nullable(),
  creatorId: Uuid.nullable(),
  /** The creator's display name (upserts; older servers leave it out). */
  creatorName: z.string().nullable().optional(),
  card: z.object({ asset_type: z.string(), name: z.string(), description: z.string(), tags: z.array(z.string()) }).nullable(),
  imageUrl: z.string().nullable(),
  fingerprints: z.unknown().nullable(),
  /** Tombstones only: a withdrawn listing still proves prior publication (keep it in a copy index); a removed one does not. */
  reason: z.enum(['withdrawn', 'removed']).optional(),
});
export const IndexPage = z
  .object({ entries: z.array(IndexEntry), nextCursor: z.number().int(), hasMore: z.boolean() })
  .meta({ id: 'IndexPage' });

export const NotificationView = z.object({
  id: z.number().int(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;
export type QueueItem = z.infer<typeof QueueItem>;
export type SearchResult = z.infer<typeof SearchResult>;
export type Decision = z.infer<typeof Decision>;
