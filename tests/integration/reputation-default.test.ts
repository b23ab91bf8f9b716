/**
 * A new account's reputation reads the same on its account (the stored `users.reputation`, migration
 * 012) as on the Reputation screen (computed live from its inputs): a creator with no ratings, sales
 * or reports yet. Before, the account said 0.00 and the screen 0.100 until a first event recomputed
 * it. Real HTTP on loopback, PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { computeReputation } from '../../shared/policy/reputation.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  srv = await testServer();
  api = client(srv.url);
});
afterAll(() => srv.stop());

describe('a new account’s reputation', () => {
  it('is the policy’s value for no inputs, the same on the account and on the Reputation screen', async () => {
    const none = computeReputation({
      ratings: { count: 0, sum: 0 },
      sales: { count: 0, refunds: 0, excusedRefunds: 0 },
      community: { reviewsWritten: 0, derivativesAcknowledged: 0, helpfulReports: 0 },
      behavior: { violations: 0, upheldReportsAgainst: 0 },
    }).total;
    const u = await api.user('newcomer@rep.dev', 'Newcomer');
    const me = await api.call('GET', '/v1/me', { token: u.token });
    const screen = await api.call('GET', `/v1/creators/${u.id}/reputation`);
    expect(screen.body.total).toBe(none);
    expect(me.body.reputation).toBe(screen.body.total);
    expect(screen.body.history).toEqual([]);
  });
});
