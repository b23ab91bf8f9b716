/**
 * The pure parts of two studio screens: the editor's submission progress steps (a failed or
 * needs-action submission shows a red failed first step, never a reached "queued"; a refused
 * decision is red; the steps reached are the ones passed) and the Users screen's changes (which
 * take something away and are confirmed first; a role change never leaves an account with no role)
 * and its plain-word errors.
 */
import type { AdminUserView, OutboxOpView, Tracking } from '@shared/api.ts';
import type { AssetView } from '@shared/marketplace.ts';
import { describe, expect, it } from 'vitest';
import { submissionSteps } from '../../renderer/src/components/market/progress.ts';
import { banChange, plainError, roleChange, tierChange, verifiedChange } from '../../renderer/src/components/market/user-changes.ts';

const op = (state: OutboxOpView['state'], lastError: string | null = null): OutboxOpView => ({
  id: 'op1',
  kind: 'submit',
  assetId: 'a1',
  assetName: 'Wendel',
  account: null,
  payload: {},
  state,
  attempts: 1,
  nextAttemptAt: null,
  lastError,
  result: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  waitingFor: null,
});
const tracking = (ops: OutboxOpView[], status?: string): Tracking => ({
  assetId: 'a1',
  remoteId: status ? 'r1' : null,
  remote: status ? ({ status } as unknown as AssetView) : null,
  remoteStatus: status ?? null,
  conflict: null,
  ops,
});
const states = (t: Tracking) => submissionSteps(t).map((s) => `${s.label}:${s.state}${s.current ? '*' : ''}`);

describe('submission progress steps', () => {
  it('a failed submission is a red first step, nothing reached', () => {
    const steps = submissionSteps(tracking([op('failed', 'Creator tier required to sell assets')]));
    expect(steps[0]).toEqual({ label: 'failed: not sent', state: 'failed', current: true });
    expect(steps.filter((s) => s.state === 'reached')).toEqual([]);
    expect(steps.some((s) => s.label === 'queued' && s.state !== 'todo')).toBe(false);
  });

  it('a failed resubmission of a published listing is shown failed too, not published', () => {
    expect(states(tracking([op('done'), op('failed')], 'published'))).toEqual([
      'failed: not sent:failed*',
      'in review:todo',
      'decision:todo',
      'published:todo',
    ]);
    expect(submissionSteps(tracking([op('needs_action')]))[0]).toMatchObject({ state: 'failed', label: 'not sent: needs your action' });
  });

  it('pending, in review, refused and published', () => {
    expect(states(tracking([op('pending')]))).toEqual(['queued:reached*', 'in review:todo', 'decision:todo', 'published:todo']);
    expect(states(tracking([op('done')], 'in_review'))).toEqual([
      'queued:reached',
      'in review:reached*',
      'decision:todo',
      'published:todo',
    ]);
    expect(states(tracking([op('done')], 'rejected'))).toEqual([
      'queued:reached',
      'in review:reached',
      'rejected:failed*',
      'published:todo',
    ]);
    expect(states(tracking([op('done')], 'published'))).toEqual([
      'queued:reached',
      'in review:reached',
      'decision:reached',
      'published:reached*',
    ]);
  });
});

const user: AdminUserView = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'b@x',
  displayName: 'Bea',
  roles: ['buyer', 'creator'],
  creatorTier: false,
  verified: false,
  sellingBanned: false,
  reputation: 0,
  strikes: 0,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('Users screen changes', () => {
  it('granting is sent at once; revoking, un-verifying, banning and removing a role are confirmed first', () => {
    expect(tierChange(user, true)).toMatchObject({ patch: { creatorTier: true }, destructive: false });
    expect(tierChange({ ...user, creatorTier: true }, false)).toMatchObject({ patch: { creatorTier: false }, destructive: true });
    expect(tierChange({ ...user, creatorTier: true }, false).question).toMatch(/^Revoke Bea’s Creator tier\?/);
    expect(verifiedChange(user, true).destructive).toBe(false);
    expect(verifiedChange(user, false).destructive).toBe(true);
    expect(banChange(user, true)).toMatchObject({ patch: { sellingBanned: true }, destructive: true });
    expect(banChange(user, false)).toMatchObject({ patch: { sellingBanned: false }, destructive: false });
    expect(roleChange(user, 'moderator', true)).toMatchObject({ patch: { roles: ['buyer', 'creator', 'moderator'] }, destructive: false });
    expect(roleChange(user, 'creator', false)).toMatchObject({ patch: { roles: ['buyer'] }, destructive: true });
  });

  it('never leaves an account without a role', () => {
    expect(roleChange({ ...user, roles: ['buyer'] }, 'buyer', false)).toBeNull();
  });

  it('errors read as sentences', () => {
    expect(plainError({ code: 'forbidden', message: 'admins do not change their own account; another admin does' })).toBe(
      'Admins do not change their own account; another admin does.',
    );
    expect(plainError({ code: 'forbidden', message: 'admins only' })).toBe('Only admins can manage accounts.');
    expect(plainError({ code: 'offline', message: 'fetch failed' })).toMatch(/^The marketplace cannot be reached/);
    expect(plainError({ code: 'not_found', message: 'no such user' })).toBe('This account no longer exists. Refresh the list.');
    expect(plainError(new Error('something odd'))).toBe('Something odd.');
  });
});
