/**
 * The marketplace API over real HTTP on loopback, against PGlite with pgvector.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { artwork, pngHeader, transforms } from '../helpers/images.ts';
import { client, testServer } from '../helpers/server.ts';
import { licenseOffer, paidPurchase, publishedItem, setListingPrice, setReputation } from '../helpers/seed.ts';
import { submissionLimits } from '../../server/http/submission.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };

const knight = {
  asset_type: 'character',
  name: 'Ser Aldric the Ashen',
  description:
    'A knight who walked out of a burning chapel with no memory, his armour fused to his skin, hunting the cult that lit the fire.',
  tags: ['knight', 'undead'],
  character: { race: 'Human', class: 'Paladin', level: 7 },
};

async function creator(email: string) {
  const u = await api.user(email);
  await api.grant(admin.token, u.id, { creatorTier: true });
  return u;
}

async function moderator(email: string) {
  const u = await api.user(email);
  await api.grant(admin.token, u.id, { roles: ['buyer', 'moderator'] });
  return u;
}

const approve = (mod: { token: string }, assetId: string) => api.approve(mod.token, assetId);

beforeAll(async () => {
  srv = await testServer();
  api = client(srv.url);
  admin = await api.user('admin@test.dev', 'Admin');
});
afterAll(() => srv.stop());

describe('marketplace flow', () => {
  it('register → tier → submit → review → publish → search → index feed → update re-enters review', async () => {
    const alice = await api.user('alice@test.dev', 'Alice');
    const img = await artwork(101);
    // Without the Creator tier, submitting is refused with the spec's message.
    const noTier = await api.call('POST', '/v1/submissions', { token: alice.token, form: api.form(knight, img) });
    expect(noTier).toMatchObject({ status: 403, body: { error: { code: 'creator_tier_required' } } });
    await api.call('POST', `/v1/admin/users/${alice.id}`, { token: admin.token, json: { creatorTier: true } });
    const mod = await moderator('mod1@test.dev');

    const sub = await api.call('POST', '/v1/submissions', { token: alice.token, form: api.form(knight, img) });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({
      status: 'in_review',
      heldForManualReview: false,
      estimatedReviewTime: '24–48 hours',
      check: { status: 'approved' },
    });
    const id = sub.body.assetId as string;

    // Not public before a human approves it; the creator sees it.
    expect((await api.call('GET', `/v1/assets/${id}`)).status).toBe(404);
    expect((await api.call('GET', `/v1/assets/${id}`, { token: alice.token })).body).toMatchObject({
      status: 'in_review',
      estimatedReviewTime: '24–48 hours',
    });

    await approve(mod, id);
    const pub = await api.call('GET', `/v1/assets/${id}`);
    expect(pub).toMatchObject({ status: 200, body: { status: 'published', version: 1, name: knight.name, creatorName: 'Alice' } });
    const image = await api.call('GET', pub.body.imageUrl);
    expect(image.status).toBe(200);

    const s = await api.call('GET', '/v1/search?q=burning%20chapel%20knight');
    expect(s.status).toBe(200);
    expect(s.body.mode).toBe('keyword');
    expect(s.body.note).toMatch(/semantic search unavailable/);
    expect(s.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await api.call('GET', '/v1/search?type=location&q=knight')).body.total).toBe(0);
    expect((await api.call('GET', '/v1/search?tags=undead,knight')).body.items.map((i: { id: string }) => i.id)).toContain(id);

    const feed = await api.call('GET', '/v1/index?since=0');
    const entry = feed.body.entries.find((e: { assetId: string }) => e.assetId === id);
    expect(entry).toMatchObject({ kind: 'upsert', version: 1, creatorId: alice.id, creatorName: 'Alice', card: { name: knight.name } });
    expect(entry.fingerprints.image.views).toHaveLength(2);
    expect((await api.call('GET', `/v1/index?since=${feed.body.nextCursor}`)).body.entries).toEqual([]);

    const notes = await api.call('GET', '/v1/notifications', { token: alice.token });
    expect(notes.body.map((n: { kind: string }) => n.kind)).toEqual(['approved', 'submitted']);

    // The same asset again: refused, the creator is told to update the existing one.
    const dup = await api.call('POST', '/v1/submissions', {
      token: alice.token,
      form: api.form({ ...knight, name: 'Ser Aldric again' }, img),
    });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'duplicate_self', details: { existingAssetId: id } } } });
    expect(dup.body.error.message).toMatch(/update that asset instead/);

    // An update re-enters review; the public keeps seeing version 1 until it is approved.
    const v2 = await api.call('POST', `/v1/assets/${id}/versions`, {
      token: alice.token,
      form: api.form({ ...knight, description: `${knight.description} Now with a cursed blade.` }, img),
    });
    expect(v2).toMatchObject({ status: 201, body: { version: 2, status: 'in_review' } });
    expect((await api.call('GET', `/v1/assets/${id}`)).body.version).toBe(1);
    await approve(mod, id);
    expect((await api.call('GET', `/v1/assets/${id}`)).body).toMatchObject({ version: 2, publishedVersion: 2 });
    expect((await api.call('GET', `/v1/assets/${id}?version=1`)).status).toBe(404);
    expect((await api.call('GET', `/v1/assets/${id}?version=1`, { token: alice.token })).body.version).toBe(1);

    // Creator discovery lists Alice.
    expect((await api.call('GET', '/v1/creators?q=knight')).body.map((c: { id: string }) => c.id)).toContain(alice.id);
  });

  it('holds a likely plagiarism for manual review with evidence; rejection, appeal to a different moderator', async () => {
    const orig = await creator('orig@test.dev');
    const thief = await creator('thief@test.dev');
    const mod1 = await moderator('mod2@test.dev');
    const mod2 = await moderator('mod3@test.dev');
    const art = await artwork(202);
    const o = await api.call('POST', '/v1/submissions', {
      token: orig.token,
      form: api.form(
        { asset_type: 'item', name: 'Moon blade', description: 'A sword forged from fallen moonlight in the northern wastes.' },
        art,
      ),
    });
    await approve(mod1, o.body.assetId);

    const copy = await api.call('POST', '/v1/submissions', {
      token: thief.token,
      form: api.form(
        { asset_type: 'item', name: 'Star sabre', description: 'My own original sabre design.' },
        await transforms.hflip!(art),
      ),
    });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ heldForManualReview: true, check: { status: 'flagged_plagiarism' } });
    expect(copy.body.check.matches[0]).toMatchObject({ assetId: o.body.assetId, copySignals: expect.arrayContaining(['visual copy']) });

    const q = await api.call('GET', '/v1/moderation/queue', { token: mod1.token });
    const item = q.body.find((i: { assetId: string }) => i.assetId === copy.body.assetId);
    expect(q.body[0].id).toBe(item.id); // flagged items come first
    expect(item.priority).toBe(10);
    // The flag names the match for people (no ids: the evidence below links to it).
    expect(item.flags[0]).toMatch(/^possible copy of “Moon blade”: /);
    expect(item.flags[0]).not.toContain(o.body.assetId);
    expect(item.evidence[0]).toMatchObject({
      matchedAssetId: o.body.assetId,
      matchedName: 'Moon blade',
      matchedImageUrl: expect.stringContaining(o.body.assetId),
    });

    await api.call('POST', `/v1/moderation/items/${item.id}/claim`, { token: mod1.token });
    const noReason = await api.call('POST', `/v1/moderation/items/${item.id}/decision`, {
      token: mod1.token,
      json: { decision: 'reject' },
    });
    expect(noReason).toMatchObject({ status: 400, body: { error: { field: 'reason' } } });
    const rej = await api.call('POST', `/v1/moderation/items/${item.id}/decision`, {
      token: mod1.token,
      json: { decision: 'reject', reason: 'Mirrored copy of Moon blade by another creator.' },
    });
    expect(rej.status).toBe(200);
    const n = (await api.call('GET', '/v1/notifications', { token: thief.token })).body[0];
    expect(n).toMatchObject({
      kind: 'rejected',
      payload: { reason: 'Mirrored copy of Moon blade by another creator.', appeal: `/v1/assets/${copy.body.assetId}/appeal` },
    });

    const ap = await api.call('POST', `/v1/assets/${copy.body.assetId}/appeal`, {
      token: thief.token,
      json: { reason: 'I drew this myself, honestly.' },
    });
    expect(ap.status).toBe(201);
    expect(
      (await api.call('POST', `/v1/assets/${copy.body.assetId}/appeal`, { token: thief.token, json: { reason: 'again please' } })).status,
    ).toBe(409);
    const appealItem = (await api.call('GET', '/v1/moderation/queue', { token: mod2.token })).body.find(
      (i: { kind: string; assetId: string }) => i.kind === 'appeal' && i.assetId === copy.body.assetId,
    );
    expect(appealItem.appealReason).toBe('I drew this myself, honestly.');
    // The moderator who rejected it neither sees nor can claim the appeal.
    expect(
      (await api.call('GET', '/v1/moderation/queue', { token: mod1.token })).body.some((i: { id: number }) => i.id === appealItem.id),
    ).toBe(false);
    expect((await api.call('POST', `/v1/moderation/items/${appealItem.id}/claim`, { token: mod1.token })).body.error.code).toBe(
      'conflict_of_interest',
    );
    await api.call('POST', `/v1/moderation/items/${appealItem.id}/claim`, { token: mod2.token });
    const up = await api.call('POST', `/v1/moderation/items/${appealItem.id}/decision`, {
      token: mod2.token,
      json: { decision: 'uphold', reason: 'The evidence shows a mirrored copy.' },
    });
    expect(up.status).toBe(200);
    expect((await api.call('GET', '/v1/notifications', { token: thief.token })).body[0]).toMatchObject({
      kind: 'appeal_decided',
      payload: { decision: 'uphold' },
    });
    expect((await api.call('GET', `/v1/assets/${copy.body.assetId}`)).status).toBe(404);
  });

  it('records a declared derivative with the parent royalty', async () => {
    const a = await creator('parent@test.dev');
    const b = await creator('child@test.dev');
    const mod = await moderator('mod4@test.dev');
    const p = await api.call('POST', '/v1/submissions', {
      token: a.token,
      form: api.form(
        { asset_type: 'location', name: 'Glass Harbor', description: 'A port city built on frozen waves.' },
        await artwork(303),
      ),
    });
    await approve(mod, p.body.assetId);
    const c = await api.call('POST', '/v1/submissions', {
      token: b.token,
      form: api.form(
        { asset_type: 'location', name: 'Glass Harbor at Night', description: 'The port city on frozen waves, lit by lanterns.' },
        await artwork(304),
        p.body.assetId,
      ),
    });
    expect(c).toMatchObject({ status: 201, body: { parentAssetId: p.body.assetId } });
    const row = await srv.marketplace.db.query(
      'SELECT royalty_basis_points FROM asset_derivations WHERE parent_asset_id = $1 AND child_asset_id = $2',
      [p.body.assetId, c.body.assetId],
    );
    expect(row.rows).toEqual([{ royalty_basis_points: 1000 }]);
    const own = await api.call('POST', '/v1/submissions', {
      token: a.token,
      form: api.form({ asset_type: 'location', name: 'Other', description: 'x' }, undefined, p.body.assetId),
    });
    expect(own.body.error.code).toBe('own_parent');
  });
});

describe('bad input', () => {
  it('refuses oversized uploads from the header, before reading the body', async () => {
    const c = await creator('big@test.dev');
    const url = new URL('/v1/submissions', srv.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${c.token}`,
            'content-type': 'multipart/form-data; boundary=x',
            // One byte over the whole-body limit (the media policy's 2 GiB plus the card): only the header says so.
            'content-length': String(submissionLimits().body + 1),
          },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(status).toBe(413);
  });

  it('gives a clear error for wrong content types, malformed JSON, bad cards and image bombs', async () => {
    const c = await creator('bad@test.dev');
    expect((await api.call('POST', '/v1/submissions', { token: c.token, json: { card: knight } })).status).toBe(415);
    expect((await api.call('POST', '/v1/auth/login', { headers: { 'content-type': 'text/plain' }, form: undefined })).status).toBe(415);
    const broken = await fetch(new URL('/v1/auth/login', srv.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(await broken.json()).toEqual({
      error: { code: 'malformed_json', message: 'the request body is not valid JSON', field: '(body)' },
    });
    const f = new FormData();
    f.set('card', '{not json');
    expect((await api.call('POST', '/v1/submissions', { token: c.token, form: f })).body.error).toMatchObject({
      code: 'malformed_json',
      field: 'card',
    });
    const badCard = await api.call('POST', '/v1/submissions', {
      token: c.token,
      form: api.form({ asset_type: 'character', name: 'x', character: { level: 'high' } }),
    });
    expect(badCard.body.error).toMatchObject({ code: 'invalid_card', field: 'card.character.level' });
    const bomb = await api.call('POST', '/v1/submissions', {
      token: c.token,
      form: api.form({ asset_type: 'item', name: 'Bomb' }, pngHeader(30000, 30000)),
    });
    expect(bomb).toMatchObject({ status: 413, body: { error: { code: 'too_many_pixels', field: 'image' } } });
    expect((await api.call('GET', '/v1/search?sort=random')).body.error.field).toBe('sort');
    expect((await api.call('POST', '/v1/moderation/items/abc/claim', { token: admin.token })).body.error.field).toBe('itemId');
  });

  it('stores SQL and HTML in text fields inert and returns them verbatim', async () => {
    const c = await creator('inject@test.dev');
    const mod = await moderator('mod5@test.dev');
    const nasty = {
      asset_type: 'item',
      name: "Robert'); DROP TABLE assets;--",
      description: '<img src=x onerror=alert(1)><b>bold</b> %_\\',
      tags: ["' OR 1=1 --"],
    };
    const r = await api.call('POST', '/v1/submissions', { token: c.token, form: api.form(nasty) });
    expect(r.status).toBe(201);
    await approve(mod, r.body.assetId);
    const got = await api.call('GET', `/v1/assets/${r.body.assetId}`);
    expect(got.body.card).toMatchObject(nasty);
    expect((await api.call('GET', `/v1/search?q=${encodeURIComponent("'); DROP TABLE assets;--")}`)).status).toBe(200);
    expect((await api.call('GET', '/v1/search?q=%25_')).body.items.map((i: { id: string }) => i.id)).toContain(r.body.assetId);
    expect(
      (await srv.marketplace.db.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'assets'")).rows,
    ).toEqual([{ n: 1 }]);
  });
});

describe('concurrency', () => {
  it('two moderators claiming the same item: exactly one wins', async () => {
    const c = await creator('race@test.dev');
    const m1 = await moderator('race-m1@test.dev');
    const m2 = await moderator('race-m2@test.dev');
    const s = await api.call('POST', '/v1/submissions', {
      token: c.token,
      form: api.form({ asset_type: 'item', name: 'Race item', description: 'contested' }),
    });
    const item = (await api.call('GET', '/v1/moderation/queue', { token: m1.token })).body.find(
      (i: { assetId: string }) => i.assetId === s.body.assetId,
    );
    const [a, b] = await Promise.all([
      api.call('POST', `/v1/moderation/items/${item.id}/claim`, { token: m1.token }),
      api.call('POST', `/v1/moderation/items/${item.id}/claim`, { token: m2.token }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? m1 : m2;
    expect(
      (await api.call('POST', `/v1/moderation/items/${item.id}/decision`, { token: loser.token, json: { decision: 'approve' } })).body.error
        .code,
    ).toBe('not_claimed');
  });

  it('20 parallel submissions of the same card by one creator: exactly one is stored', async () => {
    const c = await creator('flood@test.dev');
    const card = { asset_type: 'quest_hook', name: 'The Drowned Bell', description: 'A bell rings under the lake every new moon.' };
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => api.call('POST', '/v1/submissions', { token: c.token, form: api.form(card) })),
    );
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = rs.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(19);
    // Refused as the same metadata, or (analysed after the first was stored) as a copy of the one in review.
    for (const r of refused) expect(r.status).toBe(409);
    for (const r of refused) expect(['duplicate_metadata', 'duplicate_self']).toContain(r.body.error.code);
    expect((await api.call('GET', '/v1/my/assets', { token: c.token })).body).toHaveLength(1);
  });
});

describe('OpenAPI', () => {
  it('documents every route with its schemas and authorization', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/submissions'].post.requestBody.content['multipart/form-data'].schema.properties).toHaveProperty('card');
    expect(doc.paths['/v1/auth/register'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['email', 'password']),
    );
    expect(doc.paths['/v1/moderation/queue'].get['x-authorization']).toBe('moderation.queue');
    expect(doc.paths['/v1/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'type', 'minPrice', 'maxPrice', 'license', 'tags', 'sort', 'page', 'pageSize']),
    );
  });
});

describe('discovery', () => {
  it('withdrawal leaves search and sends a tombstone through the paged index feed; copies of it are still caught', async () => {
    const c = await creator('feed@test.dev');
    const mod = await moderator('feed-mod@test.dev');
    const since = (await api.call('GET', '/v1/index?since=0&limit=1000')).body.nextCursor;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const s = await api.call('POST', '/v1/submissions', {
        token: c.token,
        form: api.form({ asset_type: 'item', name: `Feed item ${n}`, description: `paged feed item number ${n}` }, await artwork(400 + n)),
      });
      await approve(mod, s.body.assetId);
      ids.push(s.body.assetId);
    }
    const p1 = await api.call('GET', `/v1/index?since=${since}&limit=2`);
    expect(p1.body.entries.map((e: { assetId: string }) => e.assetId)).toEqual(ids.slice(0, 2));
    expect(p1.body.hasMore).toBe(true);
    const p2 = await api.call('GET', `/v1/index?since=${p1.body.nextCursor}&limit=2`);
    expect(p2.body).toMatchObject({ hasMore: false, entries: [{ assetId: ids[2], kind: 'upsert' }] });

    expect((await api.call('POST', `/v1/assets/${ids[0]}/withdraw`, { token: c.token })).body).toEqual({
      assetId: ids[0],
      status: 'withdrawn',
    });
    const p3 = await api.call('GET', `/v1/index?since=${p2.body.nextCursor}`);
    expect(p3.body.entries).toEqual([
      {
        seq: expect.any(Number),
        kind: 'tombstone',
        assetId: ids[0],
        version: null,
        creatorId: null,
        card: null,
        imageUrl: null,
        fingerprints: null,
        reason: 'withdrawn',
      },
    ]);
    expect((await api.call('GET', '/v1/search?q=paged%20feed')).body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      ids.slice(1).sort(),
    );
    expect((await api.call('GET', `/v1/assets/${ids[0]}`)).status).toBe(404);
    const other = await creator('feed-copier@test.dev');
    const copy = await api.call('POST', '/v1/submissions', {
      token: other.token,
      form: api.form({ asset_type: 'item', name: 'Mine', description: 'new' }, await transforms.rot90!(await artwork(401))),
    });
    // (Another test's submission of the same artwork, still in review, may be listed too.)
    expect(copy.body.heldForManualReview).toBe(true);
    expect(copy.body.check.matches.map((m: { assetId: string }) => m.assetId)).toContain(ids[0]);
  });

  it('ranks creators by reputation first, proximity second, and returns at most 20', async () => {
    const db = srv.marketplace.db;
    const made: { id: string; rep: number }[] = [];
    for (let i = 0; i < 23; i++) {
      const u = await api.user(`rank${i}@test.dev`);
      const rep = [0.9, 0.5, 0.5, 0.2][i % 4] as number;
      await setReputation(db, u.id, rep);
      const assetId = crypto.randomUUID();
      // Odd creators sell "zephyr" things (close to the query), even ones unrelated things.
      const text = i % 2 ? `zephyr zephyr lantern ${i}` : `granite millstone ${i}`;
      await publishedItem(db, { id: assetId, creatorId: u.id, name: text, metadataHash: `h${i}` });
      made.push({ id: u.id, rep });
    }
    const all = (await api.call('GET', '/v1/creators')).body as { id: string; reputation: number }[];
    expect(all.length).toBe(20);
    const reps = all.map((c) => c.reputation);
    expect(reps).toEqual([...reps].sort((a, b) => b - a));
    const near = (await api.call('GET', '/v1/creators?q=zephyr')).body as { id: string; reputation: number; proximity: number }[];
    expect(near.length).toBeGreaterThan(0);
    expect(near.every((c) => c.proximity > 0)).toBe(true);
    expect(near.map((c) => c.reputation)).toEqual([...near.map((c) => c.reputation)].sort((a, b) => b - a));
  }, 120_000); // 23 sign-ups at scrypt N=2^17: slow on a loaded 2-core machine
});

describe('versions and buyers', () => {
  it('a buyer keeps the version they bought after an update and a withdrawal, and can get the new one', async () => {
    const seller = await creator('versions@test.dev');
    const buyer = await api.user('versions-buyer@test.dev');
    const mod = await moderator('versions-mod@test.dev');
    const card = { asset_type: 'item', name: 'Ember lantern', description: 'A lantern that burns without oil.' };
    const s = await api.call('POST', '/v1/submissions', { token: seller.token, form: api.form(card, await artwork(610)) });
    await approve(mod, s.body.assetId);
    // The purchase flow (money issue) records what was bought as an entitlement to version 1.
    // A paid purchase (tests/integration/money.test.ts runs the real checkout; here only its record matters).
    const pid = randomUUID();
    await paidPurchase(srv.marketplace.db, { id: pid, buyerId: buyer.id, assetId: s.body.assetId });
    await api.call('POST', `/v1/assets/${s.body.assetId}/versions`, {
      token: seller.token,
      form: api.form({ ...card, description: 'A lantern that burns without oil, now with a blue flame.' }, await artwork(611)),
    });
    await approve(mod, s.body.assetId);
    expect((await api.call('GET', '/v1/my/library', { token: buyer.token })).body).toEqual([
      { assetId: s.body.assetId, name: 'Ember lantern', ownedVersions: [1], latestPublishedVersion: 2, updateAvailable: true },
    ]);
    expect((await api.call('GET', `/v1/assets/${s.body.assetId}?version=1`, { token: buyer.token })).body.card.description).toBe(
      card.description,
    );
    expect((await api.call('GET', `/v1/assets/${s.body.assetId}?version=1`)).status).toBe(404);
    expect((await api.call('GET', `/v1/assets/${s.body.assetId}`, { token: buyer.token })).body.version).toBe(2);
    await api.call('POST', `/v1/assets/${s.body.assetId}/withdraw`, { token: seller.token });
    expect((await api.call('GET', `/v1/assets/${s.body.assetId}`)).status).toBe(404);
    expect((await api.call('GET', `/v1/assets/${s.body.assetId}?version=1`, { token: buyer.token })).status).toBe(200);
    expect((await api.call('GET', `/v1/assets/${s.body.assetId}/image?version=1`, { token: buyer.token })).status).toBe(200);
  });

  it('filters search by license type and price range', async () => {
    const seller = await creator('lic@test.dev');
    const mod = await moderator('lic-mod@test.dev');
    const ids: string[] = [];
    for (const [i, price] of [500, 1500].entries()) {
      const s = await api.call('POST', '/v1/submissions', {
        token: seller.token,
        form: api.form({ asset_type: 'media', name: `Licensed clip ${i}`, description: 'a looping quasar clip' }),
      });
      await approve(mod, s.body.assetId);
      await setListingPrice(srv.marketplace.db, s.body.assetId, price);
      ids.push(s.body.assetId);
    }
    await licenseOffer(srv.marketplace.db, crypto.randomUUID(), ids[1] as string, 'editorial');
    const ed = await api.call('GET', '/v1/search?q=quasar&license=editorial');
    expect(ed.body.items.map((i: { id: string }) => i.id)).toEqual([ids[1]]);
    expect((await api.call('GET', '/v1/search?q=quasar&maxPrice=1000')).body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect((await api.call('GET', '/v1/search?q=quasar&sort=price')).body.items.map((i: { id: string }) => i.id)).toEqual(ids);
  });
});

describe('provenance', () => {
  it('signs a record at publication, chains a derivative to its parent, verifies offline, and a tampered record fails', async () => {
    const { verifyProof: verifyWith, keyIdOf } = await import('../../shared/provenance.ts');
    type Proof = Parameters<typeof verifyWith>[0];
    let trustedKeys: Parameters<typeof verifyWith>[1] = [];
    const verifyProof = (p: Proof) => verifyWith(p, trustedKeys);
    const a = await creator('prov-a@test.dev');
    const b = await creator('prov-b@test.dev');
    const mod = await moderator('prov-mod@test.dev');
    const p = await api.call('POST', '/v1/submissions', {
      token: a.token,
      form: api.form(
        { asset_type: 'character', name: 'Vela of the Tides', description: 'A navigator who reads currents like scripture.' },
        await artwork(720),
      ),
    });
    expect((await api.call('GET', `/v1/assets/${p.body.assetId}/provenance`, { token: a.token })).body.error.code).toBe('not_published');
    await approve(mod, p.body.assetId);
    const c = await api.call('POST', '/v1/submissions', {
      token: b.token,
      form: api.form(
        { asset_type: 'character', name: 'Vela, Storm-Blind', description: 'The navigator after the storm took her sight.' },
        await artwork(721),
        p.body.assetId,
      ),
    });
    await approve(mod, c.body.assetId);

    const key = (await api.call('GET', '/v1/provenance/key')).body;
    // The verifier's trusted keys come from the marketplace's key list (the studio pins them), never from the proof.
    const trusted = (await api.call('GET', '/v1/provenance/keys')).body.keys;
    trustedKeys = trusted;
    expect(trusted).toEqual([{ ...key, validFrom: expect.any(String), validUntil: null }]);
    expect(key.keyId).toBe(await keyIdOf(key.spkiBase64));
    expect(key.keyId).toMatch(/^ed25519:[0-9a-f]{64}$/);
    const proof = (await api.call('GET', `/v1/assets/${c.body.assetId}/provenance`)).body;
    expect(proof.publicKey).toEqual(key);
    expect(proof.record.record).toMatchObject({
      assetId: c.body.assetId,
      version: 1,
      creatorId: b.id,
      parent: { assetId: p.body.assetId },
    });
    expect(proof.record.record.fingerprints.metadataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(proof.chain.map((r: { record: { assetId: string } }) => r.record.assetId)).toEqual([p.body.assetId]);
    expect(await verifyProof(proof)).toEqual({ ok: true });

    // Offline: a copy of the JSON verifies; tampering with any byte of content or signature fails.
    const tampered = structuredClone(proof);
    tampered.record.record.creatorId = a.id;
    expect(await verifyProof(tampered)).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
    const forgedParent = structuredClone(proof);
    forgedParent.chain[0].record.name = 'Someone else’s';
    expect((await verifyProof(forgedParent)).ok).toBe(false);
    const broken = structuredClone(proof);
    broken.chain = [];
    expect(await verifyProof(broken)).toMatchObject({ ok: false, reason: expect.stringContaining('missing the parent') });
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect((await verifyProof({ ...proof, publicKey: { ...proof.publicKey, spkiBase64: other } })).ok).toBe(true); // the carried key is ignored
    // A forgery: records re-signed with the forger's own key, its id derived from that key, the key carried in the proof.
    const { createHash, sign } = await import('node:crypto');
    const { canonicalJson } = await import('../../shared/provenance.ts');
    const forger = generateKeyPairSync('ed25519');
    const fSpki = forger.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const fId = await keyIdOf(fSpki);
    const resign = (r: { record: Record<string, unknown> }) => {
      const record = { ...r.record, keyId: fId, creatorId: a.id, parent: null };
      const bytes = Buffer.from(canonicalJson(record));
      return {
        record,
        signature: sign(null, bytes, forger.privateKey).toString('base64'),
        recordHash: createHash('sha256').update(bytes).digest('hex'),
      };
    };
    const forged = { record: resign(proof.record), chain: [], publicKey: { keyId: fId, spkiBase64: fSpki } };
    expect(await verifyProof(forged as unknown as Proof)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not trust'),
    });
    // A trusted id with a substituted key fails too (the id is derived from the key).
    expect(await verifyWith(proof, [{ ...trusted[0], spkiBase64: other }])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not match its id'),
    });
  });
});

describe('trust', () => {
  it('verified buyers rate assets; the creator’s reputation follows, shows its components, inputs and history', async () => {
    const seller = await creator('rep@test.dev');
    const buyer = await api.user('rep-buyer@test.dev');
    const stranger = await api.user('rep-stranger@test.dev');
    const mod = await moderator('rep-mod@test.dev');
    const s = await api.call('POST', '/v1/submissions', {
      token: seller.token,
      form: api.form({ asset_type: 'item', name: 'Storm glass', description: 'A barometer that predicts curses.' }),
    });
    await approve(mod, s.body.assetId);
    const before = (await api.call('GET', `/v1/creators/${seller.id}/reputation`)).body;
    expect(before).toMatchObject({
      total: 0.1,
      level: 'new',
      components: { assetQuality: { score: 0, explanation: 'no verified ratings yet' } },
    });

    expect(
      (await api.call('POST', `/v1/assets/${s.body.assetId}/reviews`, { token: stranger.token, json: { rating: 5 } })).body.error.code,
    ).toBe('verified_purchase_required');
    expect(
      (await api.call('POST', `/v1/assets/${s.body.assetId}/reviews`, { token: seller.token, json: { rating: 5 } })).body.error.code,
    ).toBe('own_asset');
    // A paid purchase (tests/integration/money.test.ts runs the real checkout; here only its record matters).
    const pid = randomUUID();
    await paidPurchase(srv.marketplace.db, { id: pid, buyerId: buyer.id, assetId: s.body.assetId });
    expect(
      (await api.call('POST', `/v1/assets/${s.body.assetId}/reviews`, { token: buyer.token, json: { rating: 6 } })).body.error.field,
    ).toBe('rating');
    expect(
      (
        await api.call('POST', `/v1/assets/${s.body.assetId}/reviews`, {
          token: buyer.token,
          json: { rating: 5, body: 'Predicted my curse exactly.' },
        })
      ).status,
    ).toBe(201);

    expect((await api.call('GET', `/v1/assets/${s.body.assetId}/reviews`)).body).toMatchObject({
      count: 1,
      average: 5,
      reviews: [{ rating: 5, by: 'rep-buyer' }],
    });
    const after = (await api.call('GET', `/v1/creators/${seller.id}/reputation`)).body;
    // quality: (5 + 15) / 6 = 3.33★ → 0.583; sales: 1 sale → 1 − e^−0.04 = 0.039; behaviour 1.
    expect(after.components.assetQuality.score).toBe(0.583);
    expect(after.components.salesPerformance.score).toBe(0.039);
    expect(after.total).toBe(0.345);
    expect(after.level).toBe('rising');
    expect(after.inputs).toMatchObject({ ratings: { count: 1, sum: 5 }, sales: { count: 1, refunds: 0 } });
    expect(after.history[0]).toMatchObject({ total: 0.345, reason: 'a buyer rated one of your assets' });
    expect(after.components.communityContribution.toRaise).toMatch(/review assets you bought/);
    expect((await api.call('GET', `/v1/creators/${buyer.id}/reputation`)).body.inputs.community.reviewsWritten).toBe(1);

    const rep = await api.call('POST', `/v1/assets/${s.body.assetId}/reports`, {
      token: stranger.token,
      json: { kind: 'misrepresentation', details: 'It predicted nothing at all.' },
    });
    expect(rep).toMatchObject({ status: 201, body: { state: 'open' } });
    expect(
      (await api.call('POST', `/v1/assets/${s.body.assetId}/reports`, { token: stranger.token, json: { kind: 'rude', details: 'x' } })).body
        .error.field,
    ).toBe('kind');
  });
});
