/**
 * An asset's listing state machine, in one place. Statuses: in_review, published, rejected,
 * changes_requested, withdrawn, taken_down. Only server/services/listings/listings.ts writes a
 * status, and only after `transition` allowed it; this module is pure (no SQL, no I/O).
 *
 *   submit     a new version goes to review (refused once withdrawn or taken down)
 *   publish    a version is approved (or its rejection overturned): on sale
 *   refuse     a version is rejected or sent back; a listing with a published version stays on sale
 *   withdraw   the creator takes the listing off sale (tombstone when it was published)
 *   take_down  a moderator removes the listing, whatever its state (tombstone when it was published)
 *   restore    an overturned takedown gives back what the case took away
 */
import { ApiError } from '../../../shared/api.ts';
import type { AssetView } from '../../../shared/marketplace.ts';

export type ListingStatus = AssetView['status'];
export type ListingTransition = 'submit' | 'publish' | 'refuse' | 'withdraw' | 'take_down' | 'restore';

/** Where the listing stands: its status and whether a version was ever published. */
export interface ListingState {
  status: ListingStatus;
  publishedVersion: number | null;
}

/** What a transition does to the listing: its next status and the index feed event it emits. */
export interface TransitionResult {
  status: ListingStatus;
  feed: 'upsert' | 'tombstone' | null;
}

const OPEN: readonly ListingStatus[] = ['in_review', 'published', 'rejected', 'changes_requested'];

function refusal(t: ListingTransition, from: ListingStatus): ApiError {
  if (t === 'submit' && from === 'taken_down')
    return new ApiError('taken_down', 'this asset was taken down; appeal the takedown first', 'id', 409);
  if (t === 'submit' && from === 'withdrawn') return new ApiError('withdrawn', 'this asset was withdrawn from sale', 'id', 409);
  return new ApiError('not_listed', 'this asset is not on sale', 'id', 409);
}

/** Whether the transition is allowed from this status (take_down and restore always are). */
export function allowed(t: ListingTransition, from: ListingStatus): boolean {
  return t === 'take_down' || t === 'restore' || OPEN.includes(from);
}

/**
 * The next state of a listing, or the refusal (an ApiError) when the transition is not allowed.
 * `refuse` takes the decision (rejected or changes_requested); `restore` the status the listing had
 * before the takedown (null when unknown).
 */
export function transition(
  t: ListingTransition,
  from: ListingState,
  arg?: { refusal?: 'rejected' | 'changes_requested'; previousStatus?: string | null },
): TransitionResult {
  if (!allowed(t, from.status)) throw refusal(t, from.status);
  const published = from.publishedVersion !== null;
  switch (t) {
    case 'submit':
      return { status: 'in_review', feed: null };
    case 'publish':
      return { status: 'published', feed: 'upsert' };
    case 'refuse':
      // A rejected update leaves the published version on sale.
      return { status: published ? 'published' : (arg?.refusal ?? 'rejected'), feed: null };
    case 'withdraw':
      return { status: 'withdrawn', feed: published ? 'tombstone' : null };
    case 'take_down':
      return { status: 'taken_down', feed: published ? 'tombstone' : null };
    case 'restore': {
      const prev = arg?.previousStatus;
      const status = prev && prev !== 'taken_down' ? (prev as ListingStatus) : published ? 'published' : 'in_review';
      return { status, feed: published ? 'upsert' : null };
    }
  }
}
