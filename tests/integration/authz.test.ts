/**
 * The authorization matrix: every route of the API × every role. The table must name every route
 * (a new route without a row fails this test), and each cell says what that role gets.
 */
import { openAsBlob } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/create-app.ts';
import type { RunningServer } from '../../server/server.ts';
import { artwork } from '../helpers/images.ts';
import { makeMelody, tempDir } from '../helpers/media.ts';
import { client, testServer } from '../helpers/server.ts';
import { expireSessions } from '../helpers/seed.ts';

type Role = 'anon' | 'buyer' | 'creator' | 'tiered' | 'moderator' | 'admin';
const ROLES: Role[] = ['anon', 'buyer', 'creator', 'tiered', 'moderator', 'admin'];
/** allow: not refused (2xx, or a business error such as 409); 401/403/404: refused that way. */
type Expect = 'allow' | 401 | 403 | 404;

let srv: RunningServer;
let api: ReturnType<typeof client>;
const tokens: Partial<Record<Role, string>> = {};
const ids: Partial<Record<Role, string>> = {};
let published = '';
let unpublished = '';
let itemId = 0;
let offerId = '';
let spareOfferId = '';
let purchaseId = '';
let disputeId = 0;
let caseId = 0;
/** A published track the buyer holds a license to (approved by mod2, so the roles under test decided nothing about it). */
let track = '';
const media = tempDir('authz-media-');
/** A second moderator, outside the role matrix: it takes the matrix's case down, so the roles under test decided nothing. */
let mod2 = { id: '', token: '' };

beforeAll(async () => {
  srv = await testServer(['admin@authz.dev']);
  api = client(srv.url);
  for (const r of ROLES) {
    if (r === 'anon') continue;
    const u = await api.user(r === 'admin' ? 'admin@authz.dev' : `${r}@authz.dev`);
    tokens[r] = u.token;
    ids[r] = u.id;
  }
  const adm = tokens.admin as string;
  await api.grant(adm, ids.buyer as string, { roles: ['buyer'] });
  await api.grant(adm, ids.tiered as string, { creatorTier: true });
  await api.grant(adm, ids.moderator as string, { roles: ['buyer', 'moderator'] });
  mod2 = await api.user('mod2@authz.dev');
  await api.grant(adm, mod2.id, { roles: ['buyer', 'moderator'] });
  const img = await artwork(77);
  const p = await api.call('POST', '/v1/submissions', {
    token: tokens.tiered,
    form: api.form({ asset_type: 'item', name: 'Published thing', description: 'public' }, img),
  });
  await api.approve(tokens.moderator as string, p.body.assetId);
  published = p.body.assetId;
  const u = await api.call('POST', '/v1/submissions', {
    token: tokens.tiered,
    form: api.form({ asset_type: 'item', name: 'Private thing', description: 'in review' }, await artwork(78)),
  });
  unpublished = u.body.assetId;
  itemId = (await api.call('GET', '/v1/moderation/queue', { token: tokens.moderator })).body.find(
    (i: { assetId: string }) => i.assetId === unpublished,
  ).id;
  // Money: a priced asset, two license offers, one license bought by the buyer, one open dispute.
  await api.call('POST', `/v1/assets/${published}/pricing`, { token: tokens.tiered, json: { model: 'one_time', priceCents: 999 } });
  const offer = (json: unknown) => api.call('POST', `/v1/assets/${published}/licenses`, { token: tokens.tiered, json });
  offerId = (await offer({ licenseType: 'royalty_free', priceCents: 1999, terms: { usageRights: ['web'] } })).body.id;
  spareOfferId = (await offer({ licenseType: 'commercial', priceCents: 2999, terms: { usageRights: ['print'] } })).body.id;
  const bought = await api.call('POST', `/v1/licenses/${offerId}/purchase`, { token: tokens.buyer, json: {} });
  await fetch(`${bought.body.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await srv.processor?.settled();
  purchaseId = bought.body.id;
  disputeId = (
    await api.call('POST', `/v1/purchases/${purchaseId}/disputes`, { token: tokens.buyer, json: { reason: 'matrix probe dispute text' } })
  ).body.id;
  // A case about a second published asset, taken down, so its appeal routes have something to act on.
  const other = await api.call('POST', '/v1/submissions', {
    token: tokens.tiered,
    form: api.form({ asset_type: 'item', name: 'Reported thing', description: 'to be reported' }, await artwork(79)),
  });
  await api.approve(tokens.moderator as string, other.body.assetId);
  const rep = await api.call('POST', `/v1/assets/${other.body.assetId}/reports`, {
    token: tokens.buyer,
    json: { kind: 'offensive', details: 'matrix probe report text' },
  });
  if (rep.status !== 201) throw new Error(`report: ${JSON.stringify(rep.body)} / submission ${JSON.stringify(other.body).slice(0, 300)}`);
  caseId = rep.body.caseId;
  await api.call('POST', `/v1/moderation/cases/${caseId}/decision`, {
    token: mod2.token,
    json: { action: 'takedown', reason: 'matrix probe takedown', strike: false },
  });
  track = await submitTrack('Matrix track', 61);
  await api.approve(mod2.token, track);
  await api.call('POST', `/v1/assets/${track}/pricing`, { token: tokens.tiered, json: { model: 'one_time', priceCents: 499 } });
  const trackOffer = await api.call('POST', `/v1/assets/${track}/licenses`, {
    token: tokens.tiered,
    json: { licenseType: 'royalty_free', priceCents: 999, terms: { usageRights: ['web'] } },
  });
  const trackBought = await api.call('POST', `/v1/licenses/${trackOffer.body.id}/purchase`, { token: tokens.buyer, json: {} });
  await fetch(`${trackBought.body.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await srv.processor?.settled();
}, 240_000);
afterAll(async () => {
  await srv.stop();
  media.cleanup();
});

/** A few seconds of a seeded melody submitted as a media asset by the tiered creator. */
async function submitTrack(name: string, seed: number): Promise<string> {
  const file = media.file(`${seed}.wav`);
  makeMelody(file, seed, 6);
  const f = new FormData();
  f.set('card', JSON.stringify({ asset_type: 'media', name, description: `matrix track ${seed}`, tags: [] }));
  f.set('media', await openAsBlob(file), `${seed}.wav`);
  const r = await api.call('POST', '/v1/submissions', { token: tokens.tiered, form: f });
  if (r.status !== 201) throw new Error(`track: ${JSON.stringify(r.body)}`);
  return r.body.assetId as string;
}

const staff = (): Record<Role, Expect> => ({ anon: 401, buyer: 403, creator: 403, tiered: 403, moderator: 'allow', admin: 'allow' });
const signedIn = (): Record<Role, Expect> => ({
  anon: 401,
  buyer: 'allow',
  creator: 'allow',
  tiered: 'allow',
  moderator: 'allow',
  admin: 'allow',
});
const everyone = (): Record<Role, Expect> => ({
  anon: 'allow',
  buyer: 'allow',
  creator: 'allow',
  tiered: 'allow',
  moderator: 'allow',
  admin: 'allow',
});
const ownerOrStaff404 = (): Record<Role, Expect> => ({
  anon: 404,
  buyer: 404,
  creator: 404,
  tiered: 'allow',
  moderator: 'allow',
  admin: 'allow',
});
const buyerOnly404 = (): Record<Role, Expect> => ({ anon: 401, buyer: 'allow', creator: 404, tiered: 404, moderator: 404, admin: 404 });
const ownerOnly = (): Record<Role, Expect> => ({ anon: 401, buyer: 403, creator: 403, tiered: 'allow', moderator: 403, admin: 403 });

interface Case {
  expect: Record<Role, Expect>;
  call: (role: Role, n: number) => { method: string; path: string; json?: unknown; form?: FormData };
}

const MATRIX: Record<string, Case> = {
  'POST /v1/auth/register': {
    expect: everyone(),
    call: (r, n) => ({
      method: 'POST',
      path: '/v1/auth/register',
      json: { email: `new-${r}-${n}@authz.dev`, password: 'long enough password', displayName: 'N' },
    }),
  },
  'POST /v1/auth/login': {
    expect: everyone(),
    call: () => ({ method: 'POST', path: '/v1/auth/login', json: { email: 'buyer@authz.dev', password: 'a long enough password' } }),
  },
  'POST /v1/auth/logout': { expect: signedIn(), call: () => ({ method: 'POST', path: '/v1/auth/logout' }) },
  'GET /v1/me': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me' }) },
  // Any signed-in account may redeem the one-time token; with an admin already there it answers 409.
  'POST /v1/admin/bootstrap': {
    expect: signedIn(),
    call: () => ({ method: 'POST', path: '/v1/admin/bootstrap', json: { token: 'x'.repeat(32) } }),
  },
  'GET /v1/admin/users': {
    expect: { anon: 401, buyer: 403, creator: 403, tiered: 403, moderator: 403, admin: 'allow' },
    call: () => ({ method: 'GET', path: '/v1/admin/users?q=authz' }),
  },
  'POST /v1/admin/users/{id}': {
    expect: { anon: 401, buyer: 403, creator: 403, tiered: 403, moderator: 403, admin: 'allow' },
    call: () => ({ method: 'POST', path: `/v1/admin/users/${ids.creator}`, json: { verified: false } }),
  },
  // The bootstrapped first admin holds the Creator tier (policy firstAdminCreatorTier), so it may sell.
  'POST /v1/submissions': {
    expect: { anon: 401, buyer: 403, creator: 403, tiered: 'allow', moderator: 403, admin: 'allow' },
    call: (r, n) => ({
      method: 'POST',
      path: '/v1/submissions',
      form: api.form({ asset_type: 'item', name: `Matrix ${r} ${n}`, description: `submitted by ${r}` }),
    }),
  },
  'POST /v1/assets/{id}/versions': {
    expect: ownerOnly(),
    call: (r) => ({
      method: 'POST',
      path: `/v1/assets/${published}/versions`,
      form: api.form({ asset_type: 'item', name: 'Published thing', description: `v2 by ${r}` }),
    }),
  },
  'POST /v1/assets/{id}/appeal': {
    expect: ownerOnly(),
    call: () => ({ method: 'POST', path: `/v1/assets/${published}/appeal`, json: { reason: 'please reconsider' } }),
  },
  'POST /v1/assets/{id}/withdraw': { expect: ownerOnly(), call: () => ({ method: 'POST', path: `/v1/assets/${unpublished}/withdraw` }) },
  'GET /v1/my/library': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/my/library' }) },
  'GET /v1/my/assets': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/my/assets' }) },
  'GET /v1/assets/{id}': { expect: ownerOrStaff404(), call: () => ({ method: 'GET', path: `/v1/assets/${unpublished}` }) },
  'GET /v1/assets/{id}/image': { expect: ownerOrStaff404(), call: () => ({ method: 'GET', path: `/v1/assets/${unpublished}/image` }) },
  // Published and bought by the buyer: the creator role neither owns nor bought it (403); staff may play a published file.
  'GET /v1/assets/{id}/media': {
    expect: { anon: 401, buyer: 'allow', creator: 403, tiered: 'allow', moderator: 'allow', admin: 'allow' },
    call: () => ({ method: 'GET', path: `/v1/assets/${track}/media` }),
  },
  'GET /v1/assets/{id}/provenance': { expect: everyone(), call: () => ({ method: 'GET', path: `/v1/assets/${published}/provenance` }) },
  'GET /v1/provenance/key': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/provenance/key' }) },
  'GET /v1/provenance/keys': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/provenance/keys' }) },
  'POST /v1/assets/{id}/reviews': {
    // The buyer holds a license (verified purchase); other signed-in users are refused by that rule (403), the creator by the own-asset rule.
    expect: { anon: 401, buyer: 'allow', creator: 403, tiered: 403, moderator: 403, admin: 403 },
    call: () => ({ method: 'POST', path: `/v1/assets/${published}/reviews`, json: { rating: 5 } }),
  },
  'GET /v1/assets/{id}/reviews': { expect: everyone(), call: () => ({ method: 'GET', path: `/v1/assets/${published}/reviews` }) },
  'POST /v1/assets/{id}/reports': {
    expect: signedIn(),
    call: () => ({ method: 'POST', path: `/v1/assets/${published}/reports`, json: { kind: 'spam', details: 'matrix probe report' } }),
  },
  'GET /v1/creators/{id}/reputation': {
    expect: everyone(),
    call: () => ({ method: 'GET', path: `/v1/creators/${ids.tiered}/reputation` }),
  },
  'GET /v1/moderation/queue': { expect: staff(), call: () => ({ method: 'GET', path: '/v1/moderation/queue' }) },
  'POST /v1/moderation/items/{itemId}/claim': {
    expect: staff(),
    call: () => ({ method: 'POST', path: `/v1/moderation/items/${itemId}/claim` }),
  },
  'POST /v1/moderation/items/{itemId}/decision': {
    expect: staff(),
    call: () => ({
      method: 'POST',
      path: `/v1/moderation/items/${itemId}/decision`,
      json: { decision: 'request_changes', reason: 'matrix probe' },
    }),
  },
  'GET /v1/notifications': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/notifications' }) },
  'POST /v1/notifications/{id}/read': { expect: signedIn(), call: () => ({ method: 'POST', path: '/v1/notifications/1/read' }) },
  'GET /v1/search': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/search?q=thing' }) },
  'GET /v1/creators': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/creators' }) },
  'GET /v1/index': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/index' }) },
  'GET /v1/policy': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/policy' }) },
  'GET /v1/assets/{id}/pricing': { expect: everyone(), call: () => ({ method: 'GET', path: `/v1/assets/${published}/pricing` }) },
  'POST /v1/assets/{id}/pricing': {
    expect: ownerOnly(),
    call: () => ({ method: 'POST', path: `/v1/assets/${published}/pricing`, json: { model: 'one_time', priceCents: 999 } }),
  },
  'GET /v1/assets/{id}/pricing/recommendation': {
    expect: ownerOnly(),
    call: () => ({ method: 'GET', path: `/v1/assets/${published}/pricing/recommendation` }),
  },
  'GET /v1/assets/{id}/licenses': { expect: everyone(), call: () => ({ method: 'GET', path: `/v1/assets/${published}/licenses` }) },
  'POST /v1/assets/{id}/licenses': {
    expect: ownerOnly(),
    call: () => ({
      method: 'POST',
      path: `/v1/assets/${published}/licenses`,
      json: { licenseType: 'editorial', priceCents: 999, terms: { usageRights: ['web'] } },
    }),
  },
  'POST /v1/licenses/{id}': {
    expect: ownerOnly(),
    call: () => ({
      method: 'POST',
      path: `/v1/licenses/${spareOfferId}`,
      json: { licenseType: 'commercial', priceCents: 3999, terms: { usageRights: ['print'] } },
    }),
  },
  'POST /v1/licenses/{id}/withdraw': {
    expect: ownerOnly(),
    call: () => ({ method: 'POST', path: `/v1/licenses/${spareOfferId}/withdraw` }),
  },
  'GET /v1/licenses/{id}/purchases': { expect: ownerOnly(), call: () => ({ method: 'GET', path: `/v1/licenses/${offerId}/purchases` }) },
  'POST /v1/licenses/{id}/purchase': {
    expect: signedIn(),
    call: () => ({ method: 'POST', path: `/v1/licenses/${offerId}/purchase`, json: {} }),
  },
  'GET /v1/licenses/verify': { expect: everyone(), call: () => ({ method: 'GET', path: '/v1/licenses/verify?key=OSL1.bm90.YQ' }) },
  'GET /v1/purchases/{id}/validity': {
    expect: { anon: 401, buyer: 'allow', creator: 404, tiered: 'allow', moderator: 'allow', admin: 'allow' },
    call: () => ({ method: 'GET', path: `/v1/purchases/${purchaseId}/validity` }),
  },
  'POST /v1/purchases/{id}/usage': {
    expect: buyerOnly404(),
    call: () => ({ method: 'POST', path: `/v1/purchases/${purchaseId}/usage`, json: { usageType: 'download' } }),
  },
  'POST /v1/assets/{id}/purchase': {
    expect: signedIn(),
    call: () => ({ method: 'POST', path: `/v1/assets/${published}/purchase`, json: {} }),
  },
  'POST /v1/assets/{id}/use': { expect: signedIn(), call: () => ({ method: 'POST', path: `/v1/assets/${published}/use`, json: {} }) },
  'GET /v1/me/purchases': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/purchases' }) },
  // What a purchase delivers (card, files, license text) goes to its buyer alone: staff included, everyone else is refused.
  'GET /v1/purchases/{id}/delivery': {
    expect: { anon: 401, buyer: 'allow', creator: 403, tiered: 403, moderator: 403, admin: 403 },
    call: () => ({ method: 'GET', path: `/v1/purchases/${purchaseId}/delivery` }),
  },
  'GET /v1/purchases/{id}': {
    expect: { anon: 401, buyer: 'allow', creator: 404, tiered: 404, moderator: 'allow', admin: 'allow' },
    call: () => ({ method: 'GET', path: `/v1/purchases/${purchaseId}` }),
  },
  'POST /v1/purchases/{id}/cancel': {
    expect: buyerOnly404(),
    call: () => ({ method: 'POST', path: `/v1/purchases/${purchaseId}/cancel` }),
  },
  'POST /v1/purchases/{id}/disputes': {
    expect: { anon: 401, buyer: 'allow', creator: 404, tiered: 'allow', moderator: 404, admin: 404 },
    call: () => ({ method: 'POST', path: `/v1/purchases/${purchaseId}/disputes`, json: { reason: 'another matrix dispute' } }),
  },
  'GET /v1/disputes': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/disputes' }) },
  'POST /v1/disputes/{id}/resolve': {
    expect: staff(),
    call: () => ({ method: 'POST', path: `/v1/disputes/${disputeId}/resolve`, json: { outcome: 'no_refund', resolution: 'matrix probe' } }),
  },
  'POST /v1/purchases/{id}/refund': {
    expect: buyerOnly404(),
    call: () => ({ method: 'POST', path: `/v1/purchases/${purchaseId}/refund`, json: { reason: 'other' } }),
  },
  'GET /v1/me/balance': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/balance' }) },
  'POST /v1/me/balance/top-up': {
    expect: signedIn(),
    call: () => ({ method: 'POST', path: '/v1/me/balance/top-up', json: { amountCents: 500 } }),
  },
  'GET /v1/me/earnings': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/earnings' }) },
  'GET /v1/me/sales': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/sales' }) },
  'GET /v1/me/earnings.csv': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/earnings.csv' }) },
  'GET /v1/me/payouts': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/payouts' }) },
  'POST /v1/me/payouts': { expect: signedIn(), call: () => ({ method: 'POST', path: '/v1/me/payouts' }) },
  'POST /v1/me/payout-account': { expect: signedIn(), call: () => ({ method: 'POST', path: '/v1/me/payout-account', json: {} }) },
  // The signature is the authentication: an unsigned call is refused with 400, never 401.
  'POST /v1/webhooks/stripe': {
    expect: everyone(),
    call: () => ({ method: 'POST', path: '/v1/webhooks/stripe', json: { id: 'evt_x', type: 'ping', data: { object: {} } } }),
  },
  'GET /v1/moderation/cases': { expect: staff(), call: () => ({ method: 'GET', path: '/v1/moderation/cases?state=all' }) },
  'POST /v1/moderation/cases/{id}/decision': {
    expect: staff(),
    call: () => ({ method: 'POST', path: `/v1/moderation/cases/${caseId}/decision`, json: { action: 'dismiss', reason: 'matrix probe' } }),
  },
  'POST /v1/moderation/cases/{id}/appeal': {
    // Only the creator whose listing was taken down may appeal; everyone else is told it does not exist.
    expect: { anon: 401, buyer: 404, creator: 404, tiered: 'allow', moderator: 404, admin: 404 },
    call: () => ({ method: 'POST', path: `/v1/moderation/cases/${caseId}/appeal`, json: { reason: 'matrix probe appeal' } }),
  },
  'POST /v1/moderation/cases/{id}/appeal-decision': {
    expect: staff(),
    call: () => ({
      method: 'POST',
      path: `/v1/moderation/cases/${caseId}/appeal-decision`,
      json: { decision: 'uphold', reason: 'matrix probe' },
    }),
  },
  'GET /v1/me/cases': { expect: signedIn(), call: () => ({ method: 'GET', path: '/v1/me/cases' }) },
  'GET /v1/assets/{id}/badges': { expect: everyone(), call: () => ({ method: 'GET', path: `/v1/assets/${published}/badges` }) },
  'GET /v1/admin/audit-log': {
    expect: { anon: 401, buyer: 403, creator: 403, tiered: 403, moderator: 403, admin: 'allow' },
    call: () => ({ method: 'GET', path: '/v1/admin/audit-log' }),
  },
  'POST /v1/admin/blocklist': {
    expect: { anon: 401, buyer: 403, creator: 403, tiered: 403, moderator: 403, admin: 'allow' },
    call: () => ({ method: 'POST', path: '/v1/admin/blocklist', json: { list: 'matrix', entries: [{ label: 'x', fingerprints: {} }] } }),
  },
  'POST /v1/admin/payouts/reconcile': {
    expect: { anon: 401, buyer: 403, creator: 403, tiered: 403, moderator: 403, admin: 'allow' },
    call: () => ({ method: 'POST', path: '/v1/admin/payouts/reconcile' }),
  },
};

describe('authorization matrix', () => {
  it('has a row for every route', () => {
    const { routes } = createApp(srv.marketplace);
    expect(Object.keys(MATRIX).sort()).toEqual(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
  });

  it('gives every role exactly what the matrix says on every route', async () => {
    const mismatches: string[] = [];
    let n = 0;
    for (const [name, c] of Object.entries(MATRIX)) {
      for (const role of ROLES) {
        n++;
        // Logout revokes the token it is called with: use a fresh session for it.
        let token = tokens[role];
        if (name === 'POST /v1/auth/logout' && role !== 'anon') {
          token = (
            await api.call('POST', '/v1/auth/login', {
              json: { email: role === 'admin' ? 'admin@authz.dev' : `${role}@authz.dev`, password: 'a long enough password' },
            })
          ).body.token;
        }
        const req = c.call(role, n);
        const res = await api.call(req.method, req.path, {
          token,
          ...(req.json !== undefined ? { json: req.json } : {}),
          ...(req.form ? { form: req.form } : {}),
        });
        const want = c.expect[role];
        const ok = want === 'allow' ? ![401, 403, 404].includes(res.status) && res.status < 500 : res.status === want;
        if (!ok) mismatches.push(`${name} as ${role}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('lets the public read published listings, and owners only mark their own notifications', async () => {
    for (const role of ROLES) expect((await api.call('GET', `/v1/assets/${published}`, { token: tokens[role] })).status).toBe(200);
    const mine = (await api.call('GET', '/v1/notifications', { token: tokens.tiered })).body[0].id;
    expect((await api.call('POST', `/v1/notifications/${mine}/read`, { token: tokens.buyer })).body).toEqual({ updated: 0 });
    expect((await api.call('POST', `/v1/notifications/${mine}/read`, { token: tokens.tiered })).body).toEqual({ updated: 1 });
  });

  it('refuses expired, revoked and malformed tokens', async () => {
    expect((await api.call('GET', '/v1/me', { token: 'not-a-token' })).status).toBe(401);
    const fresh = (await api.call('POST', '/v1/auth/login', { json: { email: 'buyer@authz.dev', password: 'a long enough password' } }))
      .body.token;
    await api.call('POST', '/v1/auth/logout', { token: fresh });
    expect((await api.call('GET', '/v1/me', { token: fresh })).status).toBe(401);
    await expireSessions(srv.marketplace.db, ids.creator as string);
    expect((await api.call('GET', '/v1/me', { token: tokens.creator })).status).toBe(401);
    expect(
      (await api.call('POST', '/v1/auth/login', { json: { email: 'buyer@authz.dev', password: 'wrong password!' } })).body.error.code,
    ).toBe('invalid_credentials');
    const row = (await srv.marketplace.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [ids.buyer]))
      .rows[0];
    expect(row?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const sess = await srv.marketplace.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions WHERE user_id = $1', [ids.buyer]);
    expect(sess.rows.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash) && s.token_hash !== fresh)).toBe(true);
  });
});

/**
 * Conflict of interest: staff never decide anything where they are the creator, the buyer, a
 * reporter or the previous decider (or, for admins, the account changed). Every staff route has a
 * row: a scenario where the caller is conflicted and is refused (403, recorded in the audit log),
 * or hidden from the item in a queue — or, for routes that decide about no one, why none applies.
 */
describe('conflict of interest', () => {
  // A moderator who is also a creator with the Creator tier, and buys things.
  let modc = { id: '', token: '' };
  let ownItem = 0;
  let ownCase = 0;
  let reportedCase = 0;
  let ownDispute = 0;
  let appealCase = 0;
  const refusals: string[] = [];

  const submitAs = async (token: string, name: string, seed: number) =>
    (
      await api.call('POST', '/v1/submissions', {
        token,
        form: api.form({ asset_type: 'item', name, description: `conflict probe ${name}` }, await artwork(seed)),
      })
    ).body.assetId as string;
  const report = async (token: string, assetId: string) =>
    (await api.call('POST', `/v1/assets/${assetId}/reports`, { token, json: { kind: 'offensive', details: 'conflict probe report' } })).body
      .caseId as number;

  beforeAll(async () => {
    const adm = tokens.admin as string;
    modc = await api.user('modc@authz.dev');
    await api.grant(adm, modc.id, { roles: ['buyer', 'creator', 'moderator'], creatorTier: true });
    // Their own submission in the review queue, and their own published listing, reported by a buyer.
    const pending = await submitAs(modc.token, 'Moderator’s own draft', 91);
    ownItem = (await api.call('GET', '/v1/moderation/queue', { token: tokens.moderator })).body.find(
      (i: { assetId: string }) => i.assetId === pending,
    ).id;
    const mine = await submitAs(modc.token, 'Moderator’s own listing', 92);
    await api.approve(tokens.moderator as string, mine);
    ownCase = await report(tokens.buyer as string, mine);
    // A listing they reported themselves.
    const theirs = await submitAs(tokens.tiered as string, 'Reported by a moderator', 93);
    await api.approve(tokens.moderator as string, theirs);
    reportedCase = await report(modc.token, theirs);
    // A purchase of theirs, disputed by them.
    const bought = await api.call('POST', `/v1/licenses/${offerId}/purchase`, { token: modc.token, json: {} });
    await fetch(`${bought.body.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    await srv.processor?.settled();
    ownDispute = (
      await api.call('POST', `/v1/purchases/${bought.body.id}/disputes`, {
        token: modc.token,
        json: { reason: 'my own purchase, disputed' },
      })
    ).body.id;
    // A takedown by mod2, appealed by the creator: the appeal is mod2's own decision under review.
    const appealed = await submitAs(tokens.tiered as string, 'Taken down, appealed', 94);
    await api.approve(tokens.moderator as string, appealed);
    appealCase = await report(tokens.buyer as string, appealed);
    await api.call('POST', `/v1/moderation/cases/${appealCase}/decision`, {
      token: mod2.token,
      json: { action: 'takedown', reason: 'conflict probe takedown', strike: false },
    });
    await api.call('POST', `/v1/moderation/cases/${appealCase}/appeal`, { token: tokens.tiered, json: { reason: 'please look again' } });
  }, 240_000);

  const refused = async (who: { token: string }, method: string, path: string, json?: unknown) => {
    const r = await api.call(method, path, { token: who.token, ...(json !== undefined ? { json } : {}) });
    expect([r.status, r.body.error?.code], `${method} ${path}`).toEqual([403, 'conflict_of_interest']);
    refusals.push(path);
  };
  const idsOf = (r: { body: { id: number }[] }) => r.body.map((x) => x.id);

  const CONFLICTS: Record<string, { check: () => Promise<void> } | { none: string }> = {
    'GET /v1/moderation/queue': {
      check: async () => {
        // Their own submission is listed to them, marked with why they may not decide it.
        const own = (await api.call('GET', '/v1/moderation/queue', { token: modc.token })).body.find(
          (i: { id: number }) => i.id === ownItem,
        );
        expect(own?.conflict).toBe('you are the creator of this listing');
        expect(idsOf(await api.call('GET', '/v1/moderation/queue', { token: tokens.moderator }))).toContain(ownItem);
      },
    },
    'POST /v1/moderation/items/{itemId}/claim': {
      check: () => refused(modc, 'POST', `/v1/moderation/items/${ownItem}/claim`),
    },
    'POST /v1/moderation/items/{itemId}/decision': {
      check: () => refused(modc, 'POST', `/v1/moderation/items/${ownItem}/decision`, { decision: 'approve' }),
    },
    'POST /v1/disputes/{id}/resolve': {
      check: async () => {
        await refused(modc, 'POST', `/v1/disputes/${ownDispute}/resolve`, { outcome: 'refund', resolution: 'refund myself' });
        const d = (await api.call('GET', '/v1/disputes', { token: modc.token })).body.find((x: { id: number }) => x.id === ownDispute);
        expect(d.state).toBe('open');
      },
    },
    'GET /v1/moderation/cases': {
      check: async () => {
        const open = idsOf(await api.call('GET', '/v1/moderation/cases?state=open', { token: modc.token }));
        expect(open).not.toContain(ownCase);
        expect(open).not.toContain(reportedCase);
        expect(idsOf(await api.call('GET', '/v1/moderation/cases?state=open', { token: tokens.moderator }))).toEqual(
          expect.arrayContaining([ownCase, reportedCase]),
        );
        expect(idsOf(await api.call('GET', '/v1/moderation/cases?state=appeals', { token: mod2.token }))).not.toContain(appealCase);
        expect(idsOf(await api.call('GET', '/v1/moderation/cases?state=appeals', { token: tokens.moderator }))).toContain(appealCase);
      },
    },
    'POST /v1/moderation/cases/{id}/decision': {
      check: async () => {
        await refused(modc, 'POST', `/v1/moderation/cases/${ownCase}/decision`, { action: 'dismiss', reason: 'my own listing is fine' });
        await refused(modc, 'POST', `/v1/moderation/cases/${reportedCase}/decision`, { action: 'takedown', reason: 'as I reported' });
      },
    },
    'POST /v1/moderation/cases/{id}/appeal-decision': {
      check: () =>
        refused(mod2, 'POST', `/v1/moderation/cases/${appealCase}/appeal-decision`, { decision: 'uphold', reason: 'I was right' }),
    },
    'POST /v1/admin/users/{id}': {
      check: () => refused({ token: tokens.admin as string }, 'POST', `/v1/admin/users/${ids.admin}`, { verified: true }),
    },
    'GET /v1/admin/users': { none: 'lists accounts; decides about no one' },
    'GET /v1/admin/audit-log': { none: 'reads the log; decides about no one' },
    'POST /v1/admin/blocklist': { none: 'imports fingerprints; no creator, buyer or reporter is involved' },
    'POST /v1/admin/payouts/reconcile': { none: 're-sends transfers already decided, with the same idempotency keys' },
  };

  it('has a row for every staff route', () => {
    const { routes } = createApp(srv.marketplace);
    const staffRoutes = routes
      .filter((r) => r.action === 'moderation.queue' || r.action === 'admin.users')
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(Object.keys(CONFLICTS).sort()).toEqual(staffRoutes.sort());
  });

  it('refuses or hides every conflicted decision, and the audit log records each refusal', async () => {
    for (const [name, row] of Object.entries(CONFLICTS)) {
      if ('none' in row) {
        expect(row.none.length, name).toBeGreaterThan(10);
        continue;
      }
      await row.check();
    }
    const log = (await api.call('GET', '/v1/admin/audit-log', { token: tokens.admin })).body as {
      action: string;
      actorId: string;
      reason: string;
    }[];
    const logged = log.filter((e) => e.action === 'conflict_of_interest_refused');
    expect(logged).toHaveLength(refusals.length);
    expect(new Set(logged.map((e) => e.actorId))).toEqual(new Set([modc.id, mod2.id, ids.admin]));
    expect(logged.every((e) => e.reason.length > 10)).toBe(true);
  });
});

/**
 * A media file in review: staff may play it to review it — except the moderator whose rejection an
 * appeal puts under review (the conflict-of-interest rule) — its creator always, nobody else (404,
 * as for the unpublished listing itself).
 */
describe('media files in review', () => {
  const status = async (token: string | undefined, id: string) => (await api.call('GET', `/v1/assets/${id}/media`, { token })).status;

  it('lets staff and the creator play a submission in review, and hides it from everyone else', async () => {
    const pending = await submitTrack('Pending track', 62);
    expect(await status(undefined, pending)).toBe(401);
    expect(await status(tokens.buyer, pending)).toBe(404);
    // (The creator role's session was expired by an earlier test: a new account stands in for it.)
    expect(await status((await api.user('stranger@authz.dev')).token, pending)).toBe(404);
    for (const role of ['tiered', 'moderator', 'admin'] as const) expect(await status(tokens[role], pending), role).toBe(200);
  }, 120_000);

  it('keeps a rejected file from staff, and from the moderator whose rejection is under appeal', async () => {
    const rejected = await submitTrack('Rejected track', 63);
    const item = (await api.call('GET', '/v1/moderation/queue', { token: mod2.token })).body.find(
      (i: { assetId: string }) => i.assetId === rejected,
    ).id as number;
    await api.call('POST', `/v1/moderation/items/${item}/claim`, { token: mod2.token });
    const d = await api.call('POST', `/v1/moderation/items/${item}/decision`, {
      token: mod2.token,
      json: { decision: 'reject', reason: 'matrix probe rejection' },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(await status(tokens.moderator, rejected)).toBe(404);
    expect(await status(tokens.tiered, rejected)).toBe(200);
    const a = await api.call('POST', `/v1/assets/${rejected}/appeal`, { token: tokens.tiered, json: { reason: 'please listen again' } });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(await status(tokens.moderator, rejected)).toBe(200);
    expect(await status(mod2.token, rejected)).toBe(404);
  }, 120_000);
});
