/**
 * Trust and safety policy, published in GET /v1/policy and applied by the server: rate limits,
 * what the automatic detectors queue for a human (they never remove anything themselves), strikes,
 * and the rules behind each badge.
 */

export interface RateLimit {
  /** At most this many… */
  max: number;
  /** …per this many seconds (a fixed window). */
  windowSeconds: number;
}

export const TRUST_POLICY = {
  version: 1,
  rateLimits: {
    /** Registrations and sign-ins. */
    auth: { perAccount: { max: 10, windowSeconds: 600 }, perIp: { max: 300, windowSeconds: 600 } },
    submissions: { perAccount: { max: 20, windowSeconds: 3600 }, perIp: { max: 200, windowSeconds: 3600 } },
    reports: { perAccount: { max: 20, windowSeconds: 3600 }, perIp: { max: 100, windowSeconds: 3600 } },
  },
  spam: {
    /** This many submissions by one creator within burstMinutes opens a spam case. */
    burstCount: 8,
    burstMinutes: 10,
    /** More than this many close variants of one motif among a creator's own assets opens a spam case. */
    maxCloseVariants: 3,
    /** "Close": this combined similarity, or any copy signal, between two of the creator's assets. */
    closeVariantSimilarity: 0.6,
    /** Many low-quality assets: at least this many rated assets averaging at most maxAverage. */
    lowQuality: { minAssets: 5, minRatingsEach: 3, maxAverage: 2 },
  },
  /** CLIP text↔image agreement below this (cosine) opens a misrepresentation case, when the models are installed. */
  misrepresentationMinCosine: 0.15,
  /** Upheld strikes that ban an account from selling (an overturned strike no longer counts). */
  strikesToBan: 3,
  badges: {
    verified: 'granted by an admin after checking the creator’s identity',
    quality: 'an asset with at least 5 verified-purchase ratings averaging 4.5★ or more',
    trending: 'an asset with at least 5 sales in the last 7 days, at least twice as many as in the 7 days before',
    community_favorite:
      'an asset with at least 3 published derivatives that declared it as their parent, or 20 ratings averaging 4★ or more',
  },
} as const;

export type BadgeName = keyof typeof TRUST_POLICY.badges;
/** The policy's shape, with every number open to a marketplace's own values. */
export type TrustPolicy = {
  version: number;
  rateLimits: Record<'auth' | 'submissions' | 'reports', { perAccount: RateLimit; perIp: RateLimit }>;
  spam: {
    burstCount: number;
    burstMinutes: number;
    maxCloseVariants: number;
    closeVariantSimilarity: number;
    lowQuality: { minAssets: number; minRatingsEach: number; maxAverage: number };
  };
  misrepresentationMinCosine: number;
  strikesToBan: number;
  badges: Record<BadgeName, string>;
};

export interface BadgeInputs {
  ratings: number;
  averageRating: number | null;
  salesLast7d: number;
  salesPrevious7d: number;
  derivatives: number;
}

/** The asset badges earned under the published rules. */
export function assetBadges(i: BadgeInputs): BadgeName[] {
  const out: BadgeName[] = [];
  const avg = i.averageRating ?? 0;
  if (i.ratings >= 5 && avg >= 4.5) out.push('quality');
  if (i.salesLast7d >= 5 && i.salesLast7d >= 2 * i.salesPrevious7d) out.push('trending');
  if (i.derivatives >= 3 || (i.ratings >= 20 && avg >= 4)) out.push('community_favorite');
  return out;
}
