/**
 * The marketplace compares a submission with the submissions still waiting for review, not only with
 * published assets: a creator's second copy of an asset in review is refused (a card reusing only a
 * passage of it is queued, as the studio advises), another creator's copy
 * of it is held for a human with the match marked as unpublished, and a withdrawn submission no
 * longer counts; two copies sent at the same moment are compared with each other (one waits for the
 * other to be stored). Real HTTP on loopback, PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { artwork, transforms } from '../helpers/images.ts';
import { holdAnalysesUntil } from '../helpers/hold-analyses.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };

const card = (name: string, description: string) => ({ asset_type: 'item', name, description, tags: ['blade'] });

async function creator(email: string, name: string) {
  const u = await api.user(email, name);
  await api.grant(admin.token, u.id, { creatorTier: true });
  return u;
}

beforeAll(async () => {
  srv = await testServer();
  api = client(srv.url);
  admin = await api.user('admin@test.dev', 'Admin');
});
afterAll(() => srv.stop());

describe('submissions waiting for review are compared too', () => {
  it('refuses your own second copy, holds another creator’s copy, forgets a withdrawn one', async () => {
    const alice = await creator('alice@pending.dev', 'Alice');
    const bob = await creator('bob@pending.dev', 'Bob');
    const mod = await api.user('mod@pending.dev', 'Mod');
    await api.grant(admin.token, mod.id, { roles: ['buyer', 'moderator'] });
    const art = await artwork(4242);

    const first = await api.call('POST', '/v1/submissions', {
      token: alice.token,
      form: api.form(card('Glass sabre', 'A sabre of frosted glass that hums near running water and cracks in anger.'), art),
    });
    expect(first).toMatchObject({ status: 201, body: { status: 'in_review', check: { status: 'approved' } } });

    // The same picture again under another card, while the first still waits: refused, and told why.
    const again = await api.call('POST', '/v1/submissions', {
      token: alice.token,
      form: api.form(card('Frost sabre', 'Forged in a winter that never ended; its edge stays cold in any hand.'), art),
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate_self', details: { existingAssetId: first.body.assetId } });
    expect(again.body.error.message).toMatch(/your asset 'Glass sabre', which is waiting for review/);
    expect(again.body.error.details.check.matches[0]).toMatchObject({ assetId: first.body.assetId, pending: true });

    // Another creator's mirrored copy: accepted into review but held for a human, the match marked unpublished.
    const copy = await api.call('POST', '/v1/submissions', {
      token: bob.token,
      form: api.form(
        card('Ice cutlass', 'A pirate’s cutlass taken from a drowned captain, rimed with salt.'),
        await transforms.hflip!(art),
      ),
    });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ heldForManualReview: true, check: { status: 'flagged_plagiarism' } });
    expect(copy.body.check.matches[0]).toMatchObject({ assetId: first.body.assetId, pending: true });
    const queue = await api.call('GET', '/v1/moderation/queue', { token: mod.token });
    const item = queue.body.find((i: { assetId: string }) => i.assetId === copy.body.assetId);
    expect(item.flags[0]).toMatch(/^possible copy of “Glass sabre” \(a submission waiting for review\): /);
    // The evidence shows the version that was compared: the unpublished one in review.
    expect(item.evidence[0]).toMatchObject({
      matchedAssetId: first.body.assetId,
      matchedName: 'Glass sabre',
      matchedVersion: 1,
      matchedImageUrl: expect.stringContaining(first.body.assetId),
      details: expect.objectContaining({ pending: true }),
    });

    // Alice withdraws her first submission: her copy is no longer anyone's duplicate (Bob's in review still is).
    expect((await api.call('POST', `/v1/assets/${first.body.assetId}/withdraw`, { token: alice.token })).status).toBe(200);
    const bobAgain = await api.call('POST', '/v1/submissions', {
      token: alice.token,
      form: api.form(card('Frost sabre', 'Forged in a winter that never ended; its edge stays cold in any hand.'), art),
    });
    expect(bobAgain.status).toBe(201);
    expect(bobAgain.body.check.matches.map((m: { assetId: string }) => m.assetId)).not.toContain(first.body.assetId);
    expect(bobAgain.body.check.matches[0]).toMatchObject({ assetId: copy.body.assetId, pending: true });
  });

  it('queues a card that reuses only a passage of your own card in review, as the studio advised (policy ownPartReuse)', async () => {
    // The walkthrough's case: the studio called this reuse "allowed" and the marketplace then refused it.
    const erin = await creator('erin@pending.dev', 'Erin');
    const quote =
      'The lighthouse keeper counted the drowned bells every winter night, and each bell he counted rang once more beneath the grey water of the bay.';
    const first = await api.call('POST', '/v1/submissions', {
      token: erin.token,
      form: api.form({
        asset_type: 'location',
        name: 'Bellwater Light',
        description: `A tall white tower on the northern cliffs. ${quote} Sailors leave salt on the steps for luck.`,
        tags: ['lighthouse', 'coast'],
      }),
    });
    expect(first.status).toBe(201);
    const series = await api.call('POST', '/v1/submissions', {
      token: erin.token,
      form: api.form({
        asset_type: 'location',
        name: 'Grey Harbour Beacon',
        description: `Fishermen from three villages still argue about who built this place and why it was abandoned so quickly. ${quote} Nobody climbs the stairs after dusk, and the lamp has been dark for a hundred years.`,
        tags: ['beacon', 'ruin'],
      }),
    });
    expect(series.status).toBe(201);
    expect(series.body).toMatchObject({ status: 'in_review', heldForManualReview: false, check: { status: 'duplicate_self' } });
    expect(series.body.check.action).toBe(
      'Reusing part of your own “Bellwater Light” is allowed; change it if buyers should see two distinct assets',
    );
    expect(series.body.check.matches[0]).toMatchObject({ assetId: first.body.assetId, pending: true, copySignals: ['reused passage'] });
  });

  it('compares two copies sent at the same moment with each other: one is stored first, the other held as its copy', async () => {
    const carol = await creator('carol@pending.dev', 'Carol');
    const dave = await creator('dave@pending.dev', 'Dave');
    const art = await artwork(5151);
    // The real analysis, its answer held back (up to 1.5 s) until both submissions have been
    // analysed: without one-at-a-time comparing, both were compared before either was stored and
    // both came out clean (run here).
    holdAnalysesUntil(2);
    const [c, d] = await Promise.all([
      api.call('POST', '/v1/submissions', {
        token: carol.token,
        form: api.form(card('Reed flute', 'A flute cut from marsh reeds that plays only at dusk.'), art),
      }),
      api.call('POST', '/v1/submissions', {
        token: dave.token,
        form: api.form(
          card('Bone whistle', 'Carved from a heron’s wing; every dog in the valley answers it.'),
          await transforms.hflip!(art),
        ),
      }),
    ]);
    expect([c.status, d.status]).toEqual([201, 201]);
    // Whichever was stored first is clean; the other found it waiting for review.
    const [firstIn, second] = c.body.heldForManualReview ? [d, c] : [c, d];
    expect(firstIn.body).toMatchObject({ heldForManualReview: false, check: { status: 'approved' } });
    expect(second.body).toMatchObject({ heldForManualReview: true, check: { status: 'flagged_plagiarism' } });
    expect(second.body.check.matches[0]).toMatchObject({ assetId: firstIn.body.assetId, pending: true });
  });
});
