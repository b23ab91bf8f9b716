/**
 * Output schemas of marketplace routes that shared/marketplace.ts and shared/payments.ts do not
 * hold: what the server answered as an untyped record until the contract named it (provenance
 * proofs, reputation, moderation cases, license buyers, the audit log, the policy in force).
 */
import { z } from 'zod';
import { AssetView, UserView } from '../../marketplace.ts';
import { REPUTATION_LEVELS } from '../../policy/reputation.ts';
import type { OwnPartReuseRule } from '../../policy/uniqueness.ts';

/** A marketplace's rule on reusing part of one's own asset (shared/policy/uniqueness.ts `ownPartReuse`). */
export const OwnPartReuse = z.enum(['allow', 'refuse']) satisfies z.ZodType<OwnPartReuseRule>;

/** The kinds of report a buyer can file, and of moderation case they open. */
export const REPORT_KINDS = ['spam', 'misrepresentation', 'copyright', 'offensive'] as const;

const ProvenanceRecordView = z.object({
  v: z.literal(1),
  issuer: z.string(),
  keyId: z.string(),
  assetId: z.string(),
  version: z.number().int(),
  creatorId: z.string(),
  assetType: z.string(),
  name: z.string(),
  fingerprints: z.object({
    metadataHash: z.string(),
    imageSha256: z.string().nullable(),
    pixelsSha256: z.string().nullable(),
    phash: z.string().nullable(),
  }),
  parent: z.object({ assetId: z.string(), recordHash: z.string() }).nullable(),
  publishedAt: z.string(),
});
/** shared/provenance.ts SignedProvenance. */
export const SignedProvenanceView = z
  .object({ record: ProvenanceRecordView, signature: z.string(), recordHash: z.string() })
  .meta({ id: 'SignedProvenance' });
/** shared/provenance.ts ProvenanceProof: the record, its ancestors (parent first), the issuer key as a hint. */
export const ProvenanceProofView = z
  .object({
    record: SignedProvenanceView,
    chain: z.array(SignedProvenanceView),
    publicKey: z.object({ keyId: z.string(), spkiBase64: z.string() }),
  })
  .meta({ id: 'ProvenanceProof' });

export const SigningKeyView = z.object({ keyId: z.string(), spkiBase64: z.string() });
export const SigningKeysView = z.object({
  keys: z.array(z.object({ keyId: z.string(), spkiBase64: z.string(), validFrom: z.string(), validUntil: z.string().nullable() })),
});

const ReputationComponentView = z.object({ score: z.number(), weight: z.number(), explanation: z.string(), toRaise: z.string() });
/** A creator's reputation (server/trust.ts reputationView): total, level, components with inputs, strikes, history. */
export const ReputationView = z
  .object({
    creatorId: z.string(),
    displayName: z.string(),
    verified: z.boolean(),
    strikes: z.number().int(),
    sellingBanned: z.boolean(),
    strikeHistory: z.array(
      z.object({
        caseId: z.number().int(),
        asset: z.string().nullable(),
        reason: z.string(),
        active: z.boolean(),
        at: z.string(),
        liftedAt: z.string().nullable(),
      }),
    ),
    badges: z.array(z.string()),
    total: z.number(),
    level: z.enum(REPUTATION_LEVELS.map(([name]) => name) as ['new', 'rising', 'established', 'featured']),
    components: z.object({
      assetQuality: ReputationComponentView,
      salesPerformance: ReputationComponentView,
      communityContribution: ReputationComponentView,
      behavior: ReputationComponentView,
    }),
    inputs: z.object({
      ratings: z.object({ count: z.number(), sum: z.number() }),
      sales: z.object({ count: z.number(), refunds: z.number(), excusedRefunds: z.number().optional() }),
      community: z.object({ reviewsWritten: z.number(), derivativesAcknowledged: z.number(), helpfulReports: z.number() }),
      behavior: z.object({ violations: z.number(), upheldReportsAgainst: z.number() }),
    }),
    history: z.array(z.object({ total: z.number(), level: z.string(), reason: z.string(), at: z.string() })),
  })
  .meta({ id: 'Reputation' });

/** A moderation case (server/moderation.ts caseView); reports, evidence and the asset only for staff. */
export const CaseView = z
  .object({
    id: z.number().int(),
    assetId: z.string().nullable(),
    assetName: z.string().nullable(),
    asset: AssetView.nullable(),
    creatorId: z.string(),
    creatorName: z.string(),
    creatorStrikes: z.number().int(),
    creatorBanned: z.boolean(),
    creatorReputation: z.number(),
    kind: z.enum(REPORT_KINDS),
    source: z.enum(['report', 'automatic']),
    state: z.enum(['open', 'actioned', 'dismissed']),
    evidence: z.array(z.record(z.string(), z.unknown())),
    reports: z.array(
      z.object({
        id: z.number().int(),
        kind: z.string(),
        details: z.string(),
        state: z.string(),
        reporter: z.string(),
        at: z.string().nullable(),
      }),
    ),
    decision: z.string().nullable(),
    reason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    appeal: z
      .object({
        state: z.enum(['pending', 'overturned', 'upheld']),
        reason: z.string().nullable(),
        decisionReason: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ModerationCase' });

/** Who bought a license offer (the creator's view; never payment details). */
export const OfferPurchaseLine = z.object({
  purchaseId: z.string(),
  buyer: z.string(),
  companyName: z.string().nullable(),
  status: z.string(),
  paidAt: z.string().nullable(),
  impressionsUsed: z.number(),
});

/** One entry of the append-only audit log of moderator and admin actions. */
export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

/**
 * The policy in force: shared/policy/marketplace.ts with the money and trust policies beside it.
 * Its top-level review settings are named; the money and trust policies are open records (their
 * own modules type them), so a new policy field never breaks an older studio.
 */
export const PolicyView = z.looseObject({
  version: z.number().int(),
  reviewTargets: z.object({ standard: z.string(), flagged: z.string(), appeal: z.string() }),
  claimMinutes: z.number(),
  minReputation: z.number(),
  derivativeRoyaltyBasisPoints: z.number().int(),
  maxUploadBytes: z.number().int(),
  search: z.object({ defaultPageSize: z.number(), maxPageSize: z.number(), maxPage: z.number(), countCap: z.number() }),
  sessionDays: z.number(),
  money: z.record(z.string(), z.unknown()),
  trust: z.record(z.string(), z.unknown()),
  /**
   * The uniqueness settings a studio's advice follows (shared/policy/uniqueness.ts): whether this
   * marketplace queues a submission reusing part of the creator's own asset or refuses it.
   * Optional: a marketplace older than this field is read as the default ('allow').
   */
  uniqueness: z.object({ ownPartReuse: OwnPartReuse }).optional(),
});

/** `{ ok: true }`: a route that only confirms. */
export const Ok = z.object({ ok: z.literal(true) });

/** `?version=n`: one version of an asset (default: the published one, or the latest for its creator). */
export const VersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** The multipart fields of a submission (the server streams them part by part). */
export const SubmissionForm = z.object({
  card: z.string().describe('the asset card, as JSON text'),
  media: z
    .string()
    .meta({ format: 'binary' })
    .optional()
    .describe('the audio or video file of a media asset (streamed; size limit from the media policy); a text field is refused'),
  image: z
    .string()
    .meta({ format: 'binary' })
    .optional()
    .describe('the image file (png, jpeg, webp, gif, avif, tiff); a text field is refused'),
  parentAssetId: z.string().uuid().optional().describe('declared parent, for a derivative'),
});

/** One account as the admin Users screen lists it: the user, its active strikes and when it was created. */
export const AdminUserView = UserView.extend({ strikes: z.number().int(), createdAt: z.string() }).meta({ id: 'AdminUser' });
export type AdminUserView = z.infer<typeof AdminUserView>;
