/**
 * The studio's contract, trust domain: reputation and strikes, reports and moderation cases with
 * their appeals, and an asset's provenance proof and badges.
 */
import { z } from 'zod';
import type { AssetView } from '../../marketplace.ts';
import type { ReputationComponent } from '../../policy/reputation.ts';
import type { ProvenanceProof } from '../../provenance.ts';
import type { HandlerMap } from './common.ts';

export interface ReputationView {
  creatorId: string;
  displayName: string;
  verified: boolean;
  strikes: number;
  sellingBanned: boolean;
  strikeHistory: { caseId: number; asset: string | null; reason: string; active: boolean; at: string; liftedAt: string | null }[];
  badges: string[];
  total: number;
  level: string;
  components: Record<string, ReputationComponent>;
  inputs: Record<string, Record<string, number>>;
  history: { total: number; level: string; reason: string; at: string }[];
}

export interface CaseView {
  id: number;
  assetId: string | null;
  assetName: string | null;
  asset: AssetView | null;
  creatorId: string;
  creatorName: string;
  creatorStrikes: number;
  creatorBanned: boolean;
  creatorReputation: number;
  kind: string;
  source: 'report' | 'automatic';
  state: 'open' | 'actioned' | 'dismissed';
  evidence: Record<string, unknown>[];
  reports: { id: number; kind: string; details: string; state: string; reporter: string; at: string | null }[];
  decision: string | null;
  reason: string | null;
  decidedAt: string | null;
  appeal: { state: string; reason: string | null; decisionReason: string | null } | null;
  createdAt: string;
}

export const trustInputs = {
  'trust.reputation': z.object({ creatorId: z.string().uuid().optional() }),
  'trust.report': z.object({
    remoteId: z.string().uuid(),
    kind: z.enum(['spam', 'misrepresentation', 'copyright', 'offensive']),
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
  'trust.report': { reportId: number; caseId: number; state: 'open' };
  'trust.myCases': CaseView[];
  'trust.appeal': CaseView;
  'trust.cases': CaseView[];
  'trust.decideCase': CaseView;
  'trust.decideAppeal': CaseView;
  /** keyWarning: the marketplace lists signing keys other than those pinned on first use. */
  'trust.provenance': { proof: ProvenanceProof; verified: boolean; problem: string | null; keyWarning: string | null };
  'trust.badges': { badges: string[]; rules: Record<string, string> };
}

export type TrustHandlers = HandlerMap<typeof trustInputs, TrustOutputs>;
