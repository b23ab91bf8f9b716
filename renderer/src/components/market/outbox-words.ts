/**
 * The outbox in words, for the Outbox panel: what an operation does, where it stands (sent,
 * failed, waiting for another operation, will retry at a time), and what a Sync now pass did.
 */
import type { OutboxOpView, SyncPassView } from '@shared/api.ts';
import { usdFromCents } from '@shared/format.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The operation in words, lower case: "submit for review", "set the price to $4.99", "offer a standard license for $20.00". */
export function operationWords(op: Pick<OutboxOpView, 'kind' | 'payload'>): string {
  const p = op.payload;
  if (op.kind === 'submit') return typeof p.parentAssetId === 'string' ? 'submit for review as a derivative' : 'submit for review';
  const cents = num(p.priceCents);
  const price = cents === null ? '' : ` ${usdFromCents(cents)}`;
  if (op.kind === 'pricing') {
    const per =
      p.model === 'subscription'
        ? p.interval === 'year'
          ? ' a month, billed yearly'
          : ' a month'
        : p.model === 'per_use'
          ? ' per use'
          : '';
    return `set the price to${price}${per}`;
  }
  const type = typeof p.licenseType === 'string' ? p.licenseType.replace(/_/g, '-') : '';
  return `offer a ${type ? `${type} ` : ''}license${price ? ` for${price}` : ''}`;
}

/**
 * Where an operation stands, in words; `all` is the outbox it is in (to name the operation it
 * waits for), `me` the signed-in account's id (another account's operation waits for it).
 */
export function stateWords(op: OutboxOpView, all: readonly OutboxOpView[], me: string | null, now = Date.now()): string {
  if (op.state === 'done') return 'done (sent)';
  if (op.state === 'failed') return 'failed';
  if (op.state === 'needs_action') return 'needs your action';
  if (op.account && op.account.id !== me) return `waiting for ${op.account.name || 'the account that queued it'} to sign in`;
  // A price or offer set before the asset was ever submitted (outbox-rules.ts FIRST_SUBMISSION_ID).
  if (op.waitingFor === 'submission') return 'waiting for the asset’s first submission';
  if (op.waitingFor) {
    const dep = all.find((o) => o.id === op.waitingFor);
    if (!dep) return 'waiting for an earlier operation';
    const what = dep.kind === 'submit' ? 'the submission' : `“${operationWords(dep)}”`;
    return dep.state === 'pending' ? `waiting for ${what} to be sent` : `waiting for ${what}, which ${stateWords(dep, all, me, now)}`;
  }
  if (op.nextAttemptAt && Date.parse(op.nextAttemptAt) > now) return `will retry at ${new Date(op.nextAttemptAt).toLocaleTimeString()}`;
  return 'sending';
}

/** What a Sync now pass did, in one sentence. */
export function passWords(pass: SyncPassView): string {
  const parts: string[] = [];
  if (pass.sent) parts.push(`${pass.sent} sent`);
  if (pass.failed) parts.push(`${pass.failed} failed (see the outbox)`);
  if (pass.retrying) parts.push(`${pass.retrying} will be retried`);
  if (pass.waiting) parts.push(`${pass.waiting} still waiting`);
  const sent = parts.length ? parts.join(', ') : 'nothing to send';
  if (pass.error) return `Sync: ${sent}; stopped: ${pass.error}`;
  return `Sync: ${sent}${pass.pulled ? '; review status and notifications updated' : ''}.`;
}
