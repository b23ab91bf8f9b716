/**
 * What the library card says about an asset's way to the marketplace: its state (not submitted,
 * queued in the outbox, in review, published…), its price (a queued price change shown as such)
 * and its sales, from what the studio last synced (the listing, its outbox operations and the
 * cached earnings summary). Pure: the studio's main process summarises, the card words, tests call both.
 */
import type { OutboxOpView } from './contracts/studio/sync.ts';
import type { AssetView } from './marketplace.ts';
import { usdFromCents } from './format.ts';

export const LISTING_STATES = [
  'not_submitted',
  'queued',
  'needs_action',
  'failed',
  'in_review',
  'changes_requested',
  'rejected',
  'published',
  'withdrawn',
  'taken_down',
] as const;
export type ListingState = (typeof LISTING_STATES)[number];

export interface ListingSummary {
  assetId: string;
  state: ListingState;
  /** The marketplace listing, once the asset was submitted. */
  remoteId: string | null;
  priceCents: number | null;
  pricingModel: AssetView['pricingModel'];
  billingInterval: AssetView['billingInterval'];
  /** A price change is waiting in the outbox (the price shown is the queued one). */
  pricePending: boolean;
  /** Sales of the listing, all time, as of the last earnings pull (null: none known). */
  sales: number | null;
  /** Why the last outbox operation for it failed or waits for the creator. */
  problem: string | null;
}

/** One asset's summary from its listing (null when never submitted), its outbox operations and its all-time sales. */
export function summarizeListing(
  assetId: string,
  remote: { remoteId: string; remote: AssetView | null; remoteStatus: string | null } | null,
  ops: OutboxOpView[],
  sales: number | null,
): ListingSummary {
  const open = ops.filter((o) => o.state !== 'done');
  const submit = [...open].reverse().find((o) => o.kind === 'submit');
  const pricing = [...open].reverse().find((o) => o.kind === 'pricing' && o.state === 'pending');
  const problem = [...open].reverse().find((o) => o.state === 'failed' || o.state === 'needs_action') ?? null;
  const status = (remote?.remote?.status ?? remote?.remoteStatus ?? null) as ListingState | null;
  let state: ListingState;
  if (submit?.state === 'failed') state = 'failed';
  else if (submit?.state === 'needs_action') state = 'needs_action';
  else if (submit && !remote) state = 'queued';
  else state = status && (LISTING_STATES as readonly string[]).includes(status) ? status : remote ? 'in_review' : 'not_submitted';
  const queued = pricing?.payload as { priceCents?: unknown; model?: unknown; interval?: unknown } | undefined;
  const queuedCents = typeof queued?.priceCents === 'number' ? queued.priceCents : null;
  return {
    assetId,
    state,
    remoteId: remote?.remoteId ?? null,
    priceCents: queuedCents ?? remote?.remote?.priceCents ?? null,
    pricingModel: queuedCents !== null ? ((queued?.model as AssetView['pricingModel']) ?? null) : (remote?.remote?.pricingModel ?? null),
    billingInterval:
      queuedCents !== null ? ((queued?.interval as AssetView['billingInterval']) ?? null) : (remote?.remote?.billingInterval ?? null),
    pricePending: queuedCents !== null,
    sales: remote ? sales : null,
    problem: problem?.lastError ?? null,
  };
}

export const LISTING_STATE_TEXT: Record<ListingState, string> = {
  not_submitted: 'Not submitted',
  queued: 'Queued to submit',
  needs_action: 'Submission needs you',
  failed: 'Submission failed',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  rejected: 'Rejected',
  published: 'Published',
  withdrawn: 'Withdrawn',
  taken_down: 'Taken down',
};

/** The card's price line: "$4.99", "$2.00 / month", "$1.00 per use", "No price yet"; "(queued)" while a change waits. */
export function priceText(s: Pick<ListingSummary, 'priceCents' | 'pricingModel' | 'billingInterval' | 'pricePending'>): string {
  if (s.priceCents === null) return 'No price yet';
  const base = s.priceCents === 0 ? 'Free' : usdFromCents(s.priceCents);
  const unit = s.pricingModel === 'subscription' ? ` / ${s.billingInterval ?? 'month'}` : s.pricingModel === 'per_use' ? ' per use' : '';
  return `${base}${unit}${s.pricePending ? ' (queued)' : ''}`;
}

/** The card's sales line: "3 sales", "1 sale", "No sales yet"; nothing before the asset is on the marketplace. */
export function salesText(s: Pick<ListingSummary, 'sales' | 'remoteId'>): string | null {
  if (!s.remoteId) return null;
  if (!s.sales) return 'No sales yet';
  return `${s.sales} sale${s.sales === 1 ? '' : 's'}`;
}
