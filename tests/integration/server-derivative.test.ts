/**
 * The derivative_potential outcome. With the copy layers alone a combined score between the
 * derivative (0.85) and duplicate (0.95) thresholds needs the semantic layers, so this marketplace
 * runs with its derivative threshold lowered to 0.5 (thresholds are per-marketplace policy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import type { RunningServer } from '../../server/server.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  srv = await testServer(['admin@deriv.dev'], { uniquenessPolicy: { ...UNIQUENESS_POLICY, derivative: 0.4 } });
  api = client(srv.url);
});
afterAll(() => srv.stop());

describe('derivative potential', () => {
  it('is refused with the candidate parents; declaring the parent records the royalty and queues it', async () => {
    const admin = await api.user('admin@deriv.dev');
    const a = await api.user('a@deriv.dev');
    const b = await api.user('b@deriv.dev');
    for (const u of [a, b]) await api.grant(admin.token, u.id, { creatorTier: true });
    const original = {
      asset_type: 'quest_hook',
      name: 'The Lantern Ferry',
      description:
        'A ferryman who only crosses the black river when someone lights a green lantern on the far bank, and who never says what he charges.',
    };
    const p = await api.call('POST', '/v1/submissions', { token: a.token, form: api.form(original) });
    await api.approve(admin.token, p.body.assetId);

    // A remix of the premise in its own words: similar, but no reused passage and below the copy thresholds.
    const remix = {
      asset_type: 'quest_hook',
      name: 'The Ferryman’s Debt',
      description:
        'A ferryman crosses the black river when someone lights a lantern, and tonight he comes back to collect what the village owes.',
    };
    const refused = await api.call('POST', '/v1/submissions', { token: b.token, form: api.form(remix) });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'derivative_potential',
      field: 'parentAssetId',
      details: { candidates: [{ assetId: p.body.assetId, name: 'The Lantern Ferry' }] },
    });
    expect(refused.body.error.details.check.status).toBe('derivative_potential');

    const declared = await api.call('POST', '/v1/submissions', { token: b.token, form: api.form(remix, undefined, p.body.assetId) });
    expect(declared).toMatchObject({ status: 201, body: { parentAssetId: p.body.assetId, heldForManualReview: false } });
    const link = await srv.marketplace.db.query('SELECT royalty_basis_points FROM asset_derivations WHERE child_asset_id = $1', [
      declared.body.assetId,
    ]);
    expect(link.rows).toEqual([{ royalty_basis_points: 1000 }]);
    const analysis = await srv.marketplace.db.query<{ is_derivative: boolean }>(
      'SELECT is_derivative FROM similarity_analysis WHERE asset_id = $1 AND matched_asset_id = $2',
      [declared.body.assetId, p.body.assetId],
    );
    expect(analysis.rows[0]?.is_derivative).toBe(true);
  });
});
