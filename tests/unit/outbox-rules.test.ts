/**
 * The outbox's pure rules and words: what an operation waits for (only earlier operations on its
 * own asset still being sent, or an unlisted asset's submission), what a new operation replaces,
 * how an error settles an attempt (transient ones retried, refusals failed with their reason), and
 * the Outbox panel's words for operations, states and a Sync now pass.
 */
import type { OutboxOpView } from '@shared/api.ts';
import { describe, expect, it } from 'vitest';
import { FIRST_SUBMISSION_ID, type QueuedOp, settle, supersedes, waitingFor } from '../../electron/main/services/outbox-rules.ts';
import { operationWords, passWords, stateWords } from '../../renderer/src/components/market/outbox-words.ts';
import { ApiError } from '../../shared/errors.ts';

const q = (id: string, kind: QueuedOp['kind'], assetId: string, state: QueuedOp['state']): QueuedOp => ({ id, kind, assetId, state });

describe('waitingFor', () => {
  it('never waits for another asset, whatever its state', () => {
    const earlier = [q('a1', 'submit', 'A', 'failed'), q('a2', 'submit', 'A', 'pending'), q('a3', 'pricing', 'A', 'needs_action')];
    expect(waitingFor(q('b1', 'submit', 'B', 'pending'), earlier, false)).toBeNull();
    expect(waitingFor(q('b2', 'pricing', 'B', 'pending'), earlier, true)).toBeNull();
  });

  it('a new submission does not wait for a failed or refused one of the same asset, but keeps order behind one being sent', () => {
    expect(waitingFor(q('x', 'submit', 'A', 'pending'), [q('a1', 'submit', 'A', 'failed')], false)).toBeNull();
    expect(waitingFor(q('x', 'submit', 'A', 'pending'), [q('a1', 'submit', 'A', 'needs_action')], false)).toBeNull();
    expect(waitingFor(q('x', 'submit', 'A', 'pending'), [q('a1', 'submit', 'A', 'pending')], false)?.id).toBe('a1');
    expect(waitingFor(q('x', 'submit', 'A', 'pending'), [q('a1', 'submit', 'A', 'done')], true)).toBeNull();
  });

  it('a price of an unlisted asset waits for its submission in any state; of a listed one, only for operations being sent', () => {
    const failedSubmit = [q('a1', 'submit', 'A', 'failed')];
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), failedSubmit, false)?.id).toBe('a1');
    expect(waitingFor(q('p', 'offer', 'A', 'pending'), failedSubmit, false)?.id).toBe('a1');
    // Listed already (a later version was refused): the price goes.
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), failedSubmit, true)).toBeNull();
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), [q('p0', 'pricing', 'A', 'failed')], true)).toBeNull();
    // The nearest blocker is named.
    const two = [q('a1', 'submit', 'A', 'failed'), q('p0', 'pricing', 'A', 'pending')];
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), two, false)?.id).toBe('p0');
  });
});

describe('a price or offer set before the first submission', () => {
  it("waits for a submission queued after it, or for the first one when none is queued; a listed asset's goes at once", () => {
    const later = [q('b1', 'submit', 'B', 'pending'), q('a9', 'submit', 'A', 'pending')];
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), [], false, later)?.id).toBe('a9');
    expect(waitingFor(q('o', 'offer', 'A', 'pending'), [], false, later)?.id).toBe('a9');
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), [], false, [q('b1', 'submit', 'B', 'pending')])).toMatchObject({
      id: FIRST_SUBMISSION_ID,
      kind: 'submit',
      assetId: 'A',
    });
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), [], false)?.id).toBe(FIRST_SUBMISSION_ID);
    // The first submission does not wait for them (they wait for it), nor for a later operation.
    const set = [q('p', 'pricing', 'A', 'pending'), q('o', 'offer', 'A', 'failed')];
    expect(waitingFor(q('s', 'submit', 'A', 'pending'), set, false, later)).toBeNull();
    // Once listed, a new version keeps its place behind a price being sent, and a price does not wait for a later version.
    expect(waitingFor(q('s', 'submit', 'A', 'pending'), set, true)?.id).toBe('p');
    expect(waitingFor(q('p', 'pricing', 'A', 'pending'), [], true, later)).toBeNull();
  });

  it("says it waits for the asset's first submission", () => {
    const price = view({
      id: 'p',
      kind: 'pricing',
      state: 'pending',
      waitingFor: FIRST_SUBMISSION_ID,
      payload: { model: 'one_time', priceCents: 1230 },
    });
    expect(stateWords(price, [price], null)).toBe('waiting for the asset’s first submission');
  });
});

describe('supersedes', () => {
  it('a submission replaces refused submissions; a price replaces failed prices; offers and operations being sent are kept', () => {
    expect(supersedes('submit', q('a', 'submit', 'A', 'failed'))).toBe(true);
    expect(supersedes('submit', q('a', 'submit', 'A', 'needs_action'))).toBe(true);
    expect(supersedes('submit', q('a', 'submit', 'A', 'pending'))).toBe(false);
    expect(supersedes('submit', q('a', 'pricing', 'A', 'failed'))).toBe(false);
    expect(supersedes('pricing', q('a', 'pricing', 'A', 'failed'))).toBe(true);
    expect(supersedes('pricing', q('a', 'pricing', 'A', 'pending'))).toBe(false);
    expect(supersedes('offer', q('a', 'offer', 'A', 'failed'))).toBe(false);
  });
});

describe('settle', () => {
  it('retries transient problems with backoff and fails refusals with their reason', () => {
    const offline = settle(new ApiError('offline', 'the marketplace at http://x is unreachable (fetch failed)', undefined, 503));
    expect(offline).toMatchObject({ state: 'pending', backoff: true, stopPass: true });
    expect(offline.error).toContain('unreachable');
    expect(settle(new ApiError('internal', 'boom', undefined, 502))).toMatchObject({ state: 'pending', backoff: true, stopPass: false });
    expect(settle(new ApiError('rate_limited', 'slow', undefined, 429)).error).toBe('the marketplace asked to slow down');
    expect(settle(new ApiError('unauthorized', 'x', undefined, 401)).error).toBe('sign in again to send this');
    expect(settle(new Error('socket hang up'))).toMatchObject({ state: 'pending', backoff: true });
    const tier = settle(
      new ApiError('creator_tier_required', 'Creator tier required to sell assets; ask an admin to grant it', undefined, 403),
    );
    expect(tier).toMatchObject({
      state: 'failed',
      backoff: false,
      error: 'Creator tier required to sell assets; ask an admin to grant it',
    });
    expect(tier.result).toMatchObject({ code: 'creator_tier_required' });
    const deriv = settle(new ApiError('derivative_potential', 'declare a parent', undefined, 409, { candidates: [] }));
    expect(deriv).toMatchObject({ state: 'needs_action', result: { code: 'derivative_potential', candidates: [] } });
  });

  it('a refused field is said in plain words; its path and zod words stay in the result for programs', () => {
    const issues = [{ field: 'terms.territory.0', message: 'Territory must be “worldwide” or two-letter country codes' }];
    const out = settle(new ApiError('invalid_input', 'terms.territory.0: Invalid input', 'terms.territory.0', 400, { issues }));
    expect(out).toMatchObject({ state: 'failed', error: 'Territory must be “worldwide” or two-letter country codes' });
    expect(out.result).toMatchObject({ code: 'invalid_input', field: 'terms.territory.0', issues });
  });
});

const view = (o: Partial<OutboxOpView> & Pick<OutboxOpView, 'id' | 'kind' | 'state'>): OutboxOpView => ({
  assetId: 'A',
  assetName: 'Wendel',
  account: null,
  payload: {},
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  result: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  waitingFor: null,
  ...o,
});

describe('outbox words', () => {
  it('names the operation', () => {
    expect(operationWords({ kind: 'submit', payload: {} })).toBe('submit for review');
    expect(operationWords({ kind: 'submit', payload: { parentAssetId: 'p' } })).toBe('submit for review as a derivative');
    expect(operationWords({ kind: 'pricing', payload: { model: 'one_time', priceCents: 499 } })).toBe('set the price to $4.99');
    expect(operationWords({ kind: 'pricing', payload: { model: 'subscription', priceCents: 300, interval: 'month' } })).toBe(
      'set the price to $3.00 a month',
    );
    expect(operationWords({ kind: 'offer', payload: { licenseType: 'royalty_free', priceCents: 2000 } })).toBe(
      'offer a royalty-free license for $20.00',
    );
  });

  it('says where an operation stands, naming what it waits for and when it retries', () => {
    const failed = view({ id: 's', kind: 'submit', state: 'failed' });
    const price = view({ id: 'p', kind: 'pricing', state: 'pending', waitingFor: 's', payload: { model: 'one_time', priceCents: 100 } });
    expect(stateWords(failed, [failed, price], null)).toBe('failed');
    expect(stateWords(price, [failed, price], null)).toBe('waiting for the submission, which failed');
    const now = Date.parse('2026-01-01T10:00:00Z');
    const retrying = view({ id: 'r', kind: 'submit', state: 'pending', nextAttemptAt: '2026-01-01T10:05:00Z' });
    expect(stateWords(retrying, [retrying], null, now)).toMatch(/^will retry at /);
    expect(stateWords(view({ id: 'd', kind: 'submit', state: 'done' }), [], null)).toBe('done (sent)');
    // Another account's operation waits for it; the signed-in account's own one does not.
    const bens = view({ id: 'b', kind: 'submit', state: 'pending', account: { id: 'ben', name: 'Ben Maker' } });
    expect(stateWords(bens, [bens], 'ada')).toBe('waiting for Ben Maker to sign in');
    expect(stateWords(bens, [bens], 'ben')).toBe('sending');
  });

  it('says what a Sync now pass did', () => {
    expect(passWords({ sent: 1, failed: 1, retrying: 0, waiting: 2, pulled: true, error: null })).toBe(
      'Sync: 1 sent, 1 failed (see the outbox), 2 still waiting; review status and notifications updated.',
    );
    expect(passWords({ sent: 0, failed: 0, retrying: 1, waiting: 0, pulled: false, error: 'the marketplace is unreachable' })).toBe(
      'Sync: 1 will be retried; stopped: the marketplace is unreachable',
    );
    expect(passWords({ sent: 0, failed: 0, retrying: 0, waiting: 0, pulled: true, error: null })).toBe(
      'Sync: nothing to send; review status and notifications updated.',
    );
  });
});
