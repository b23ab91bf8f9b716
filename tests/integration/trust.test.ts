/**
 * Trust and safety through the HTTP API: takedowns refund every buyer through the ledger, strikes
 * accumulate to a selling ban and an appeal decided by a different moderator restores listing,
 * strike and reputation; a flood of near-identical submissions is throttled and queued as spam
 * with nothing removed automatically; reports and blocklist hits become cases; every moderator
 * action lands in an append-only audit log that admins export; badges follow their rules; a new
 * account's stored reputation is the one its Reputation screen computes.
 */
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { fingerprintsToJson } from '../../engine/serialize.ts';
import { computeReputation } from '../../shared/policy/reputation.ts';
import { TRUST_POLICY } from '../../shared/policy/trust.ts';
import { artwork } from '../helpers/images.ts';
import { type Person, moneyWorld, uniqueCard } from '../helpers/money.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
beforeAll(async () => {
  w = await moneyWorld();
}, 60_000);
afterAll(() => w.stop());
afterEach(async () => {
  const s = await w.srv.marketplace.db.query<{ s: string | null }>('SELECT sum(amount_micros) AS s FROM ledger_entries');
  expect(Number(s.rows[0]?.s ?? 0)).toBe(0);
});

const notes = async (who: Person) =>
  (await w.api.call('GET', '/v1/notifications', { token: who.token })).body as { kind: string; payload: Record<string, unknown> }[];
const report = (who: Person, assetId: string, kind = 'copyright', details = 'this is my artwork, posted without permission') =>
  w.api.call('POST', `/v1/assets/${assetId}/reports`, { token: who.token, json: { kind, details } });
const decide = (caseId: number, json: unknown, token = w.mod.token) =>
  w.api.call('POST', `/v1/moderation/cases/${caseId}/decision`, { token, json });

describe('takedowns', () => {
  it('takes a listing down after a report: all 10 buyers refunded, the ledger balanced, a takedown state instead of a 404, everyone told', async () => {
    const creator = await w.creator('tara');
    const id = await w.publish(creator, { model: 'one_time', priceCents: 1500 });
    const buyers = await Promise.all(Array.from({ length: 10 }, (_, i) => w.buyer(`tb${i}`)));
    for (const b of buyers) expect((await w.buy(b, `/v1/assets/${id}/purchase`)).status).toBe('paid');
    const r = await report(buyers[0] as Person, id);
    expect(r.status).toBe(201);
    // A report reaches a human; nothing happens to the listing by itself.
    expect((await w.api.call('GET', `/v1/assets/${id}`)).body.status).toBe('published');
    const queue = (await w.api.call('GET', '/v1/moderation/cases', { token: w.mod.token })).body as {
      id: number;
      reports: unknown[];
      kind: string;
    }[];
    const c = queue.find((x) => x.id === r.body.caseId);
    expect(c).toMatchObject({ kind: 'copyright', reports: [expect.objectContaining({ reporter: 'tb0' })] });
    const taken = await decide(r.body.caseId, { action: 'takedown', reason: 'the reporter showed the original, published in 2019' });
    expect(taken.status).toBe(200);
    // Every buyer refunded, with the takedown reason code.
    const paid = await w.srv.marketplace.db.query<{ status: string; refund_reason: string }>(
      'SELECT status, refund_reason FROM purchases WHERE asset_id = $1',
      [id],
    );
    expect(paid.rows).toHaveLength(10);
    expect(paid.rows.every((p) => p.status === 'refunded' && p.refund_reason === 'copyright_takedown')).toBe(true);
    expect(
      w.processor
        .list('refund')
        .filter((x) => paid.rows.length && (x.metadata as Record<string, string>).reason_code === 'copyright_takedown').length,
    ).toBeGreaterThanOrEqual(10);
    for (const b of buyers) expect((await notes(b)).map((n) => n.kind)).toContain('refund_issued');
    // The listing shows its takedown, not a 404, and no longer its content.
    const view = await w.api.call('GET', `/v1/assets/${id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      status: 'taken_down',
      imageUrl: null,
      takedown: { reason: 'the reporter showed the original, published in 2019' },
    });
    // The creator is told why, with the appeal link and the strike count.
    const n = (await notes(creator)).find((x) => x.kind === 'taken_down');
    expect(n?.payload).toMatchObject({
      reason: 'the reporter showed the original, published in 2019',
      strikes: 1,
      appeal: `/v1/moderation/cases/${r.body.caseId}/appeal`,
    });
    // The creator's earnings show the refunds; their balance is back to what it was before the sales.
    const e = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: creator.token }));
    expect(e.totals.refundCount).toBe(10);
    expect(e.totals.net).toBe(0);
  });
});

describe('takedowns of subscriptions', () => {
  it('ends a subscriber’s subscription at once and refunds its current period', async () => {
    const creator = await w.creator('ulla');
    const id = await w.publish(creator, { model: 'subscription', priceCents: 499, interval: 'month' });
    const sub = await w.buyer('subscriber');
    const p = await w.buy(sub, `/v1/assets/${id}/purchase`);
    expect(p.subscription.status).toBe('active');
    const r = await report(sub, id, 'offensive', 'the room template embeds hateful imagery');
    expect((await decide(r.body.caseId, { action: 'takedown', reason: 'hateful imagery in the template' })).status).toBe(200);
    await w.processor.settled();
    const after = w.must('purchase', await w.api.call('GET', `/v1/purchases/${p.id}`, { token: sub.token }));
    expect(after).toMatchObject({ status: 'refunded', refundReason: 'copyright_takedown', subscription: { status: 'canceled' } });
    expect(w.processor.list('subscription').find((x) => x.id === p.subscription.id)?.status).toBe('canceled');
    const kinds = (
      await w.srv.marketplace.db.query<{ kind: string }>('SELECT kind FROM ledger_transactions WHERE purchase_id = $1 ORDER BY id', [p.id])
    ).rows.map((x) => x.kind);
    expect(kinds.filter((k) => k === 'refund')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'refund_settled')).toHaveLength(1);
    const e = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: creator.token }));
    expect(e.totals.net).toBe(0);
  });
});

describe('a new account’s reputation', () => {
  // Migration 012: the stored value the account shows is the policy's value for no inputs, as the
  // Reputation screen computes it live (the account said 0.00 and the screen 0.100 before).
  it('is the policy’s value for no inputs, the same on the account and on the Reputation screen', async () => {
    const none = computeReputation({
      ratings: { count: 0, sum: 0 },
      sales: { count: 0, refunds: 0, excusedRefunds: 0 },
      community: { reviewsWritten: 0, derivativesAcknowledged: 0, helpfulReports: 0 },
      behavior: { violations: 0, upheldReportsAgainst: 0 },
    }).total;
    const u = await w.api.user('newcomer@rep.dev', 'Newcomer');
    const me = await w.api.call('GET', '/v1/me', { token: u.token });
    const screen = await w.api.call('GET', `/v1/creators/${u.id}/reputation`);
    expect(screen.body.total).toBe(none);
    expect(me.body.reputation).toBe(screen.body.total);
    expect(screen.body.history).toEqual([]);
  });
});

describe('strikes and appeals', () => {
  it('bans selling after three upheld strikes; an appeal decided by a different moderator restores listing, strike and reputation', async () => {
    const creator = await w.creator('sam');
    const reporter = await w.buyer('rita');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await w.publish(creator, null));
    const before = (await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body;
    const cases: number[] = [];
    for (const id of ids) {
      const r = await report(reporter, id, 'offensive', 'slurs written into the character backstory');
      cases.push(r.body.caseId);
      expect((await decide(r.body.caseId, { action: 'takedown', reason: 'hateful content in the backstory' })).status).toBe(200);
    }
    const banned = (await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body;
    expect(banned).toMatchObject({ strikes: 3, sellingBanned: true });
    expect(banned.components.behavior.score).toBeLessThan(before.components.behavior.score);
    expect(banned.strikeHistory).toHaveLength(3);
    const sub = await w.api.call('POST', '/v1/submissions', { token: creator.token, form: w.api.form(uniqueCard('After the ban', 7777)) });
    expect(sub.status).toBe(403);
    expect(sub.body.error.code).toBe('selling_banned');
    expect((await notes(creator)).find((x) => x.kind === 'taken_down' && x.payload.strikes === 3)?.payload).toMatchObject({
      strikes: 3,
      sellingBanned: true,
    });

    // The creator appeals the last takedown; the moderator who decided it may not decide the appeal.
    const caseId = cases[2] as number;
    const ap = await w.api.call('POST', `/v1/moderation/cases/${caseId}/appeal`, {
      token: creator.token,
      json: { reason: 'the quoted words are from a historical source, with context' },
    });
    expect(ap.status).toBe(201);
    expect(
      (await w.api.call('POST', `/v1/moderation/cases/${caseId}/appeal`, { token: creator.token, json: { reason: 'again please' } }))
        .status,
    ).toBe(409);
    const same = await w.api.call('POST', `/v1/moderation/cases/${caseId}/appeal-decision`, {
      token: w.mod.token,
      json: { decision: 'overturn', reason: 'context given' },
    });
    expect(same.status).toBe(403);
    expect(same.body.error.code).toBe('conflict_of_interest');
    const pending = (await w.api.call('GET', '/v1/moderation/cases?state=appeals', { token: w.admin.token })).body as { id: number }[];
    expect(pending.map((c) => c.id)).toContain(caseId);
    const over = await w.api.call('POST', `/v1/moderation/cases/${caseId}/appeal-decision`, {
      token: w.admin.token,
      json: { decision: 'overturn', reason: 'historical quotation with context is allowed' },
    });
    expect(over.status).toBe(200);
    // Listing, strike and selling rights restored; reputation recomputed.
    expect((await w.api.call('GET', `/v1/assets/${ids[2]}`)).body.status).toBe('published');
    const after = (await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body;
    expect(after).toMatchObject({ strikes: 2, sellingBanned: false });
    expect(after.components.behavior.score).toBeGreaterThan(banned.components.behavior.score);
    expect(after.strikeHistory.filter((s: { active: boolean }) => !s.active)).toHaveLength(1);
    expect(
      (await w.api.call('POST', '/v1/submissions', { token: creator.token, form: w.api.form(uniqueCard('Back in business', 7778)) }))
        .status,
    ).toBe(201);
    expect((await notes(creator)).find((x) => x.kind === 'appeal_decided')?.payload).toMatchObject({
      decision: 'overturn',
      strikes: 2,
      sellingBanned: false,
    });
    // The creator sees their cases.
    const mine = (await w.api.call('GET', '/v1/me/cases', { token: creator.token })).body as {
      id: number;
      appeal: { state: string } | null;
    }[];
    expect(mine.find((c) => c.id === caseId)?.appeal?.state).toBe('overturned');
  });
  it('an admin’s selling ban is not lifted when strikes are recounted (a takedown, an appeal granted); only an admin lifts it', async () => {
    const creator = await w.creator('abe');
    const reporter = await w.buyer('ray');
    const id = await w.publish(creator, null);
    await w.api.grant(w.admin.token, creator.id, { sellingBanned: true });
    const r = await report(reporter, id, 'offensive', 'slurs written into the item description');
    expect((await decide(r.body.caseId, { action: 'takedown', reason: 'hateful content in the description' })).status).toBe(200);
    expect((await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body).toMatchObject({ strikes: 1, sellingBanned: true });
    const sub = await w.api.call('POST', '/v1/submissions', {
      token: creator.token,
      form: w.api.form(uniqueCard('Banned by an admin', 7781)),
    });
    expect(sub.body.error?.code).toBe('selling_banned');
    await w.api.grant(w.admin.token, creator.id, { sellingBanned: false });
    expect((await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body).toMatchObject({ strikes: 1, sellingBanned: false });
  });
});

describe('spam', () => {
  it('refuses a flood of copies of one submission still in review as duplicates: one is stored', async () => {
    const flooder = await w.creator('dup', false);
    const base = await artwork(9001, 256);
    const codes: (string | number)[] = [];
    for (let i = 0; i < 6; i++) {
      const img = await sharp(base)
        .modulate({ brightness: 1 + (i % 5) * 0.01 })
        .png()
        .toBuffer();
      const r = await w.api.call('POST', '/v1/submissions', {
        token: flooder.token,
        form: w.api.form(
          { asset_type: 'item', name: `Copied sword ${i}`, description: 'a sword. buy now. cheap sword.', tags: ['sword'] },
          img,
        ),
      });
      codes.push(r.status === 201 ? 201 : r.body.error.code);
    }
    expect(codes).toEqual([201, ...Array(5).fill('duplicate_self')]);
    expect((await w.api.call('GET', '/v1/my/assets', { token: flooder.token })).body).toHaveLength(1);
  });

  it('throttles a flood of 60 close variants of one motif and queues it as spam, removing nothing', async () => {
    // Copies of one motif are refused as duplicates of the one in review (above); variants that are not
    // copies pass. Here they are alike in their text only (combined ≈ 0.45), so this server counts
    // that as close (policy spam.closeVariantSimilarity, 0.6 by default).
    const sw = await moneyWorld({
      extra: { trustPolicy: { ...TRUST_POLICY, spam: { ...TRUST_POLICY.spam, closeVariantSimilarity: 0.4 } } },
    });
    onTestFinished(() => sw.stop());
    const flooder = await sw.creator('flo', false);
    const results: number[] = [];
    const accepted: string[] = [];
    for (let i = 0; i < 60; i++) {
      // One listing text (its name numbered), a different picture each time: none a copy of another.
      const img = await artwork(9001 + i, 256);
      const r = await sw.api.call('POST', '/v1/submissions', {
        token: flooder.token,
        form: sw.api.form(
          { asset_type: 'item', name: `Cheap sword ${i + 10}`, description: 'a sword. buy now. cheap sword.', tags: ['sword'] },
          img,
        ),
      });
      results.push(r.status);
      if (r.status === 201) accepted.push(r.body.assetId);
      if (r.status === 429)
        expect(r.body.error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    }
    expect(results.filter((s) => s === 201)).toHaveLength(20);
    expect(results.filter((s) => s === 429)).toHaveLength(40);
    const cases = (await sw.api.call('GET', '/v1/moderation/cases', { token: sw.mod.token })).body as {
      kind: string;
      source: string;
      creatorId: string;
      evidence: { summary: string }[];
    }[];
    const spam = cases.filter((c) => c.kind === 'spam' && c.creatorId === flooder.id);
    expect(spam).toHaveLength(1);
    expect(spam[0]?.source).toBe('automatic');
    const summaries = spam[0]?.evidence.map((e) => e.summary).join('\n') ?? '';
    expect(summaries).toMatch(/submissions in 10 minutes/);
    expect(summaries).toMatch(/close variants of one motif/);
    // Nothing was removed or rejected automatically: all 20 wait for a human.
    const mine = (await sw.api.call('GET', '/v1/my/assets', { token: flooder.token })).body as { id: string; status: string }[];
    expect(mine.filter((a) => accepted.includes(a.id)).map((a) => a.status)).toEqual(Array(20).fill('in_review'));
  }, 120_000);
});

describe('reports, blocklists, audit log, badges, rate limits', () => {
  it('turns blocklisted fingerprints into held submissions and copyright cases', async () => {
    const studioImg = await artwork(4242, 256);
    const fp = await w.srv.marketplace.index.engine.fingerprint(
      { asset_type: 'media', name: 'x', description: '', tags: [] } as never,
      studioImg,
    );
    const imp = await w.api.call('POST', '/v1/admin/blocklist', {
      token: w.admin.token,
      json: { list: 'Acme Pictures', entries: [{ label: 'Acme mascot', fingerprints: fingerprintsToJson(fp, false) }] },
    });
    expect(imp.status).toBe(201);
    const bad = await w.api.call('POST', '/v1/admin/blocklist', {
      token: w.admin.token,
      json: { list: 'x', entries: [{ label: 'y', fingerprints: { nope: 1 } }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('entries.0.fingerprints');
    const copier = await w.creator('cody', false);
    const copy = await sharp(studioImg).flop().png().toBuffer();
    const sub = await w.api.call('POST', '/v1/submissions', {
      token: copier.token,
      form: w.api.form(uniqueCard('Totally my mascot', 31337), copy),
    });
    expect(sub.status).toBe(201);
    expect(sub.body.heldForManualReview).toBe(true);
    const cases = (await w.api.call('GET', '/v1/moderation/cases', { token: w.mod.token })).body as {
      kind: string;
      assetId: string;
      evidence: { blocklist?: unknown[] }[];
    }[];
    expect(cases.find((c) => c.assetId === sub.body.assetId && c.kind === 'copyright')?.evidence[0]?.blocklist).toEqual([
      expect.objectContaining({ list: 'Acme Pictures', label: 'Acme mascot' }),
    ]);
  });

  it('dismisses a report; a misrepresentation report without models goes to a human; reports of your own asset are refused', async () => {
    const creator = await w.creator('mia');
    const buyer = await w.buyer('rob');
    const id = await w.publish(creator, null);
    expect((await report(creator, id)).status).toBe(409);
    const r = await report(buyer, id, 'misrepresentation', 'the description promises a dragon, the image shows a cat');
    const c = (
      (await w.api.call('GET', '/v1/moderation/cases', { token: w.mod.token })).body as {
        id: number;
        evidence: { clipAgreement?: unknown }[];
      }[]
    ).find((x) => x.id === r.body.caseId);
    expect(String(c?.evidence[0]?.clipAgreement)).toContain('for a human to judge');
    expect((await decide(r.body.caseId, { action: 'dismiss', reason: 'the image does show a dragon' })).body.state).toBe('dismissed');
    const rep = await w.srv.marketplace.db.query<{ state: string }>('SELECT state FROM reports WHERE case_id = $1', [r.body.caseId]);
    expect(rep.rows).toEqual([{ state: 'dismissed' }]);
    expect((await decide(r.body.caseId, { action: 'dismiss', reason: 'again' })).status).toBe(409);
  });

  it('records every moderator action in an append-only audit log that admins export', async () => {
    const log = (await w.api.call('GET', '/v1/admin/audit-log', { token: w.admin.token })).body as {
      action: string;
      actor: string;
      reason: string | null;
      at: string;
    }[];
    const actions = new Set(log.map((e) => e.action));
    for (const a of [
      'review_approve',
      'takedown',
      'strike',
      'selling_ban',
      'buyers_refunded',
      'appeal_overturned',
      'strike_lifted',
      'listing_restored',
      'case_dismissed',
      'blocklist_imported',
      'user_updated',
      'case_opened',
    ])
      expect(actions, a).toContain(a);
    const takedown = log.find((e) => e.action === 'takedown');
    expect(takedown).toMatchObject({ actor: 'mod', reason: expect.any(String) });
    await expect(w.srv.marketplace.db.query(`UPDATE audit_log SET reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(w.srv.marketplace.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    const csv = await fetch(new URL('/v1/admin/audit-log?format=csv', w.srv.url), {
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_id,actor,action,target_type,target_id,reason,details');
    expect(lines.length - 1).toBe(log.length);
    expect((await w.api.call('GET', '/v1/admin/audit-log', { token: w.mod.token })).status).toBe(403);
  });

  it('awards badges by their published rules, and the verified badge by an admin', async () => {
    const creator = await w.creator('quinn');
    const id = await w.publish(creator, { model: 'one_time', priceCents: 199 });
    for (let i = 0; i < 5; i++) {
      const b = await w.buyer(`fan${i}`);
      await w.buy(b, `/v1/assets/${id}/purchase`);
      expect((await w.api.call('POST', `/v1/assets/${id}/reviews`, { token: b.token, json: { rating: 5, body: 'superb' } })).status).toBe(
        201,
      );
    }
    const badges = (await w.api.call('GET', `/v1/assets/${id}/badges`)).body;
    expect(badges.badges).toEqual(expect.arrayContaining(['quality', 'trending']));
    expect(badges.rules.quality).toContain('4.5');
    expect((await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body.badges).toEqual([]);
    await w.api.grant(w.admin.token, creator.id, { verified: true });
    expect((await w.api.call('GET', `/v1/creators/${creator.id}/reputation`)).body.badges).toEqual(['verified']);
  });

  it('rate-limits sign-in attempts per account', async () => {
    await w.buyer('lockme');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await w.api.call('POST', '/v1/auth/login', { json: { email: 'lockme@money.dev', password: 'wrong password here' } })).status,
      );
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
