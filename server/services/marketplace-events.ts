/**
 * The marketplace's domain events (listings, review, moderation): what notifications, reputation and
 * provenance learn about assets. Each carries the transaction it happened in; subscribers write in it.
 */
import type { Sql } from '../db.ts';
import { EventBus } from './events.ts';

interface InTx {
  tx: Sql;
}

export interface MarketplaceEvents {
  /** A version was stored and queued for review. */
  'asset.submitted': InTx & {
    assetId: string;
    version: number;
    creatorId: string;
    name: string;
    heldForManualReview: boolean;
    estimatedReviewTime: string;
  };
  /** A version went on sale (approved, or a rejection overturned on appeal). */
  'asset.published': InTx & { assetId: string; version: number; creatorId: string; parentAssetId: string | null };
  /** A moderator decided a review item (a submission or an appeal of its rejection). */
  'review.decided': InTx & {
    assetId: string;
    version: number;
    creatorId: string;
    name: string;
    itemKind: string;
    decision: 'approve' | 'reject' | 'request_changes' | 'overturn' | 'uphold';
    reason: string | null;
  };
  /** A creator appealed the rejection of a version. */
  'review.appealed': InTx & { assetId: string; version: number; creatorId: string; estimatedReviewTime: string };
  /** A moderation case took a listing down (after the strike, if any, and with the reports it upheld). */
  'asset.taken_down': InTx & {
    assetId: string;
    name: string | null;
    creatorId: string;
    caseId: number;
    reason: string;
    strikes: number;
    sellingBanned: boolean;
    reporterIds: string[];
  };
  /** A creator appealed a takedown. */
  'takedown.appealed': InTx & {
    caseId: number;
    assetId: string | null;
    name: string | null;
    creatorId: string;
    estimatedReviewTime: string;
  };
  /** A takedown appeal was decided (an overturn has already restored the listing and lifted the strike). */
  'takedown.appeal_decided': InTx & {
    caseId: number;
    assetId: string | null;
    name: string | null;
    creatorId: string;
    decision: 'overturn' | 'uphold';
    reason: string;
    strikes: { strikes: number; banned: boolean } | null;
  };
}

export type MarketplaceBus = EventBus<MarketplaceEvents>;
export const marketplaceBus = (): MarketplaceBus => new EventBus<MarketplaceEvents>();
