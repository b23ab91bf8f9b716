/**
 * The studio's contract, trust domain: reputation and strikes, reports and moderation cases with
 * their appeals, and an asset's provenance proof and badges.
 */
import { z } from 'zod';
import type { OutputOf } from '../marketplace/route.ts';
import {
  CaseView as CaseSchema,
  ProvenanceProofView as ProvenanceProofSchema,
  REPORT_KINDS,
  ReputationView as ReputationSchema,
} from '../marketplace/schemas.ts';
import type { assetBadges, report } from '../marketplace/trust.ts';
import type { HandlerMap } from './common.ts';

/** A creator's reputation, as the marketplace contract's schema says (shared/contracts/marketplace/schemas.ts). */
export type ReputationView = z.infer<typeof ReputationSchema>;
/** A moderation case, as the marketplace contract's schema says. */
export type CaseView = z.infer<typeof CaseSchema>;
/** A provenance proof as the marketplace answers it (shared/provenance.ts verifies it). */
export type ProvenanceProofView = z.infer<typeof ProvenanceProofSchema>;

export const trustInputs = {
  'trust.reputation': z.object({ creatorId: z.string().uuid().optional() }),
  'trust.report': z.object({
    remoteId: z.string().uuid(),
    kind: z.enum(REPORT_KINDS),
    details: z.string().trim().min(10, 'say what is wrong (at least 10 characters)').max(5000),
  }),
  'trust.myCases': z.object({}),
  'trust.appeal': z.object({
    caseId: z.number().int().min(1),
    reason: z.string().trim().min(3, 'explain why the takedown is wrong').max(4000),
  }),
  'trust.cases': z.object({ state: z.enum(['open', 'appeals', 'all']).default('open') }),
  'trust.decideCase': z.object({
    caseId: z.number().int().min(1),
    action: z.enum(['takedown', 'dismiss']),
    reason: z.string().trim().min(3, 'give the creator a reason they can act on').max(4000),
    strike: z.boolean().optional(),
  }),
  'trust.decideAppeal': z.object({
    caseId: z.number().int().min(1),
    decision: z.enum(['overturn', 'uphold']),
    reason: z.string().trim().min(3, 'give a reason').max(4000),
  }),
  'trust.provenance': z.object({ remoteId: z.string().uuid() }),
  'trust.badges': z.object({ remoteId: z.string().uuid() }),
} as const;

export interface TrustOutputs {
  'trust.reputation': ReputationView;
  'trust.report': OutputOf<typeof report>;
  'trust.myCases': CaseView[];
  'trust.appeal': CaseView;
  'trust.cases': CaseView[];
  'trust.decideCase': CaseView;
  'trust.decideAppeal': CaseView;
  /** keyWarning: the marketplace lists signing keys other than those pinned on first use. */
  'trust.provenance': { proof: ProvenanceProofView; verified: boolean; problem: string | null; keyWarning: string | null };
  'trust.badges': OutputOf<typeof assetBadges>;
}

export type TrustHandlers = HandlerMap<typeof trustInputs, TrustOutputs>;
