/**
 * The library's bulk actions on the selected assets, one call per asset through the studio's
 * existing calls: submit (queued in the outbox), one price (the outbox's pricing operation) and
 * export (each card as `cards.export` gives it, together in one card bundle file). Each says in
 * words what it did, what it skipped and why.
 */
import { cardBundle } from '@shared/card-bundle.ts';
import type { ListingSummary } from '@shared/listings.ts';
import type { PricingInput } from '@shared/payments.ts';
import { exportCard } from '../data/assets.ts';
import { setPricing, submit } from '../data/market.ts';
import { download } from '../market.ts';
import { asFieldError } from './types.ts';

export interface BulkResult {
  message: string;
  failed: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Runs `fn` on each id in turn; the first error message is kept for the summary. */
async function each(ids: string[], fn: (id: string) => Promise<unknown>) {
  let failed = 0;
  let firstError: string | null = null;
  for (const id of ids) {
    try {
      await fn(id);
    } catch (err) {
      failed += 1;
      firstError ??= asFieldError(err).message;
    }
  }
  return { failed, firstError };
}

/** Assets that may be submitted: never submitted, or whose last submission failed. */
export const canSubmit = (l: ListingSummary | undefined) => !l || l.state === 'not_submitted' || l.state === 'failed';
/** Assets that may be priced: submitted or queued to be (a price waits in the outbox for its submission). */
export const canPrice = (l: ListingSummary | undefined) => Boolean(l) && !canSubmit(l) && l?.state !== 'taken_down';

export async function submitEach(ids: string[], listings: Record<string, ListingSummary>): Promise<BulkResult> {
  const todo = ids.filter((id) => canSubmit(listings[id]));
  const r = await each(todo, (id) => submit(id));
  const skipped = ids.length - todo.length;
  const parts = [`Queued ${plural(todo.length - r.failed, 'submission')}`];
  if (skipped) parts.push(`${skipped} already on the marketplace or queued`);
  if (r.failed) parts.push(`${r.failed} could not be queued: ${r.firstError}`);
  return { message: parts.join('; '), failed: r.failed };
}

export async function priceEach(ids: string[], listings: Record<string, ListingSummary>, pricing: PricingInput): Promise<BulkResult> {
  const todo = ids.filter((id) => canPrice(listings[id]));
  const r = await each(todo, (assetId) => setPricing({ assetId, pricing }));
  const skipped = ids.length - todo.length;
  const parts = [`Price set on ${plural(todo.length - r.failed, 'asset')}`];
  if (skipped) parts.push(`${skipped} skipped (submit ${skipped === 1 ? 'it' : 'them'} first)`);
  if (r.failed) parts.push(`${r.failed} failed: ${r.firstError}`);
  return { message: parts.join('; '), failed: r.failed };
}

/** Exports the cards into one bundle file (originals-cards-<n>.json); resolves to the toast's words. */
export async function exportBundle(ids: string[]): Promise<string> {
  const cards = [];
  for (const id of ids) cards.push(await exportCard(id));
  const fileName = `originals-cards-${cards.length}.json`;
  download(fileName, JSON.stringify(cardBundle(cards), null, 2), 'application/json');
  return `Exported ${plural(cards.length, 'card')} to ${fileName}`;
}
