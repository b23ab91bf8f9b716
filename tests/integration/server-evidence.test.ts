/**
 * The marketplace runs the same layers as the studio: a submission that reuses a passage of a
 * published card is flagged, and the review queue carries the evidence the review screen draws —
 * the plain-words summary and the shared passages with their context in both cards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchEvidenceDetails } from '../../shared/marketplace.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: Awaited<ReturnType<typeof testServer>>;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  srv = await testServer(['admin@evidence.dev']);
  api = client(srv.url);
});
afterAll(() => srv.stop());

const quote =
  'The lighthouse keeper counted the drowned bells every winter night, and each bell he counted rang once more beneath the grey water of the bay.';

describe('review evidence', () => {
  it('a reused passage is flagged on submission and shown to the moderator with context in both cards', async () => {
    const admin = await api.user('admin@evidence.dev');
    const a = await api.user('a@evidence.dev');
    const b = await api.user('b@evidence.dev');
    for (const u of [a, b]) await api.grant(admin.token, u.id, { creatorTier: true });
    const original = { asset_type: 'location', name: 'Bellwater Light', description: `A white tower on the northern cliffs. ${quote}` };
    const p = await api.call('POST', '/v1/submissions', { token: a.token, form: api.form(original) });
    await api.approve(admin.token, p.body.assetId);

    const copy = {
      asset_type: 'location',
      name: 'Grey Harbour Beacon',
      description: `Nobody climbs it after dusk. ${quote} The lamp is dark now.`,
    };
    const s = await api.call('POST', '/v1/submissions', { token: b.token, form: api.form(copy) });
    expect(s.status).toBe(201);
    expect(s.body.check.status).toBe('flagged_plagiarism');
    const m = s.body.check.matches[0];
    expect(m.copySignals).toContain('reused passage');
    expect(m.summary).toMatch(/reuses .*Bellwater Light/);

    const q = await api.call('GET', '/v1/moderation/queue', { token: admin.token });
    const item = (q.body as { assetId: string; evidence: { details: unknown }[] }[]).find((i) => i.assetId === s.body.assetId);
    const details = MatchEvidenceDetails.parse(item?.evidence[0]?.details);
    expect(details.summary).toMatch(/reuses/);
    const passage = details.passages?.[0];
    expect(passage?.text).toContain('drowned bells every winter night');
    expect(passage?.context?.query[0]).toContain('after dusk');
    expect(passage?.context?.match[0]).toContain('northern cliffs');
  });
});
