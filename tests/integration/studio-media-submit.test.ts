/**
 * Media submitted from the studio: the outbox streams the stored audio file as the `media` part,
 * the server stores the same bytes and fingerprints them; an excerpt of the published track
 * submitted from another creator's studio is held for review with the matched ranges; a card whose
 * file has gone from the media folder fails with an error that says so; a moderator's studio streams
 * both files to the page (Range passed through), the marketplace token staying in the studio.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { type Connected, connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { startBrowserMode } from '../../electron/main/http.ts';
import { proxyMarketMedia } from '../../electron/main/services/market-media.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { RunningServer } from '../../server/server.ts';
import type { MediaRef } from '../../shared/api.ts';
import type { AssetCard } from '../../shared/asset.ts';
import { marketMediaPath } from '../../shared/media-files.ts';
import { ff, makeMelody, tempDir } from '../helpers/media.ts';
import { client, testServer } from '../helpers/server.ts';

const t = tempDir('studio-media-submit-');
let srv: RunningServer;
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };

interface StudioHandle {
  studio: Studio;
  handlers: Handlers;
  call: (m: string, i?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}
const studios: StudioHandle[] = [];

/** A studio connected to the test marketplace, signed up as `email` with the Creator tier (or signed in to an existing account). */
async function openStudio(email: string, existing = false): Promise<StudioHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'studio-msub-'));
  const studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  const connected: Connected = await connectStudio({
    studio,
    dataDir: dir,
    secrets: new OwnerOnlyFileSecretStore(join(dir, 'marketplace-session')),
    localMarketplace: false,
    syncIntervalMs: 3_600_000,
  });
  const h: Handlers = createHandlers(studio, connected);
  const call: StudioHandle['call'] = async (m, i = {}) => {
    const r = await dispatch(h, m, i);
    if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.message}`), r.error);
    return r.value;
  };
  await call('settings.set', { marketplaceUrl: srv.url });
  if (existing) await call('account.signIn', { email, password: 'a long enough password' });
  else {
    const st = await call('account.signUp', { email, password: 'a long enough password', displayName: email.split('@')[0] });
    await api.grant(admin.token, st.user.id, { creatorTier: true });
  }
  const handle = {
    studio,
    handlers: h,
    call,
    async close() {
      await connected.close();
      await studio.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  studios.push(handle);
  return handle;
}

const mediaCard = (name: string, ref: MediaRef): AssetCard => ({
  asset_type: 'media',
  name,
  description: `${name}, made here.`,
  tags: [],
  media: { type: ref.kind, format: ref.format, size: ref.size, sha256: ref.sha },
});

beforeAll(async () => {
  makeMelody(t.file('song.wav'), 29, 30);
  // 12 s from 0:08, re-encoded to MP3.
  ff(['-ss', '8', '-t', '12', '-i', t.file('song.wav'), '-c:a', 'libmp3lame', '-b:a', '128k', t.file('excerpt.mp3')]);
  makeMelody(t.file('other.wav'), 31, 8);
  srv = await testServer(['admin@msubmit.dev']);
  api = client(srv.url);
  admin = await api.user('admin@msubmit.dev');
}, 120_000);
afterAll(async () => {
  for (const s of studios) await s.close();
  await srv?.stop();
  t.cleanup();
});

describe('media submitted from the studio', () => {
  let trackRemote = '';
  let copyRemote = '';

  it('streams the stored file as the media part; the server keeps the same bytes and fingerprints them', async () => {
    const maker = await openStudio('maker@msubmit.dev');
    const ref = await maker.studio.media.importPath(t.file('song.wav'), 'song.wav');
    const a = await maker.call('assets.create', { card: mediaCard('Tidal song', ref) });
    const op = await maker.call('market.submit', { assetId: a.id });
    expect(op.state, op.lastError).toBe('done');
    expect(op.result.check.layers.media).toEqual({ state: 'ran' });
    trackRemote = (await maker.call('market.track', { assetId: a.id })).remoteId;
    const v = (
      await srv.marketplace.db.query<{ media_sha256: string | null; seconds: string | null }>(
        `SELECT media_sha256, fingerprints->'media'->'info'->>'durationSeconds' AS seconds FROM asset_versions WHERE asset_id = $1`,
        [trackRemote],
      )
    ).rows[0];
    // Content-addressed on both sides: the same SHA-256 means the server stored exactly the studio's file.
    expect(v?.media_sha256).toBe(ref.sha);
    expect(Number(v?.seconds)).toBeCloseTo(30, 0);
    expect(statSync(maker.studio.media.store.require(ref.sha)).size).toBe(ref.size);
    await api.approve(admin.token, trackRemote);
  }, 180_000);

  it('holds an excerpt submitted from another creator’s studio for review with the matched ranges', async () => {
    const copier = await openStudio('copier@msubmit.dev');
    const ref = await copier.studio.media.importPath(t.file('excerpt.mp3'), 'excerpt.mp3');
    const a = await copier.call('assets.create', { card: mediaCard('Shore tune', ref) });
    const op = await copier.call('market.submit', { assetId: a.id });
    expect(op.state, op.lastError).toBe('done');
    expect(op.result.heldForManualReview).toBe(true);
    const remote = (await copier.call('market.track', { assetId: a.id })).remoteId as string;
    copyRemote = remote;
    const q = await api.call('GET', '/v1/moderation/queue', { token: admin.token });
    const item = q.body.find((i: { assetId: string }) => i.assetId === remote);
    const ev = item.evidence.find((e: { matchedAssetId: string }) => e.matchedAssetId === trackRemote);
    const range = ev.details.media[0].ranges[0] as { query: [number, number]; match: [number, number] };
    // Second 0 of the excerpt is second 8 of the track.
    expect(range.match[0] - range.query[0]).toBeGreaterThan(7.5);
    expect(range.match[0] - range.query[0]).toBeLessThan(8.5);
    expect(ev.mediaSeconds.match).toBeCloseTo(30, 0);
    expect(ev.matchedVersion).toBe(1);
  }, 180_000);

  it('lets a moderator’s studio play both files, streamed and seekable, without the page holding the marketplace token', async () => {
    const mod = await openStudio('admin@msubmit.dev', true);
    const root = mkdtempSync(join(tmpdir(), 'bm-msub-'));
    const bm = await startBrowserMode({ handlers: mod.handlers, images: mod.studio.images, media: mod.studio.media, staticDir: root });
    try {
      const get = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${bm.port}${path}`, { headers });
      const excerpt = readFileSync(t.file('excerpt.mp3'));
      const url = `${marketMediaPath({ assetId: copyRemote, version: 1 })}?t=${encodeURIComponent(bm.token)}`;
      const whole = await get(url);
      expect([whole.status, whole.headers.get('content-type'), whole.headers.get('accept-ranges')]).toEqual([200, 'audio/mpeg', 'bytes']);
      expect(Buffer.from(await whole.arrayBuffer()).equals(excerpt)).toBe(true);
      const part = await get(url, { range: 'bytes=100-199' });
      expect([part.status, part.headers.get('content-range')]).toEqual([206, `bytes 100-199/${excerpt.length}`]);
      expect(Buffer.from(await part.arrayBuffer()).equals(excerpt.subarray(100, 200))).toBe(true);
      const song = readFileSync(t.file('song.wav'));
      const matched = await get(`${marketMediaPath({ assetId: trackRemote, version: 1 })}?t=${encodeURIComponent(bm.token)}`, {
        range: `bytes=-64`,
      });
      expect(matched.status).toBe(206);
      expect(Buffer.from(await matched.arrayBuffer()).equals(song.subarray(song.length - 64))).toBe(true);
      // Without the studio's session token: refused; the page may not ask for the marketplace source itself.
      expect((await get(marketMediaPath({ assetId: copyRemote }))).status).toBe(401);
      const page = await fetch(`http://127.0.0.1:${bm.port}/api/market.mediaSource`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bm.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ assetId: copyRemote }),
      });
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain('Bearer');
    } finally {
      await bm.close();
      rmSync(root, { recursive: true, force: true });
    }
    // A creator who neither made nor bought the published track gets the marketplace's refusal through the proxy.
    const copier = studios[1] as StudioHandle;
    const src = await dispatch(copier.handlers, 'market.mediaSource', { assetId: trackRemote }, { internal: true });
    expect(src.ok).toBe(true);
    const refused = await proxyMarketMedia(
      src.ok ? (src.value as { url: string; authorization: string | null }) : { url: '', authorization: null },
      null,
    );
    expect(refused.status).toBe(403);
  }, 120_000);

  it('fails a submission whose media file is missing from the media folder, saying so', async () => {
    const maker = studios[0] as StudioHandle;
    const ref = await maker.studio.media.importPath(t.file('other.wav'), 'other.wav');
    const a = await maker.call('assets.create', { card: mediaCard('Lost song', ref) });
    rmSync(maker.studio.media.store.require(ref.sha));
    const op = await maker.call('market.submit', { assetId: a.id });
    expect(op.state).toBe('failed');
    expect(op.lastError).toMatch(/"Lost song".*missing from the studio's media folder: import it again/);
    expect(op.result).toMatchObject({ code: 'media_not_found', field: 'card.media' });
  }, 120_000);
});
