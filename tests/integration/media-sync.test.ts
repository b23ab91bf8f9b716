/**
 * Marketplace media in the studio's offline copy: a track published on the server travels through
 * the index feed (its compact media fingerprint) into the studio's engine on sync, so a local check
 * of a re-encoded excerpt finds it with the matched ranges — with no call to the server. A
 * withdrawal reaches the studio as a tombstone and, as on the server, the track still counts as
 * published earlier; a takedown's tombstone removes the track from the copy, media index included.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { type Connected, connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { RunningServer } from '../../server/server.ts';
import { ff, makeMelody, mediaCard, tempDir } from '../helpers/media.ts';
import { client, testServer } from '../helpers/server.ts';

const t = tempDir('media-sync-');
const studioDir = mkdtempSync(join(tmpdir(), 'studio-media-'));
let srv: RunningServer;
let api: ReturnType<typeof client>;
let studio: Studio;
let connected: Connected;
let call: (m: string, i?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let trackId = '';
let admin: { id: string; token: string };
let alice: { id: string; token: string };

async function publish(name: string, file: string): Promise<string> {
  const f = new FormData();
  f.set('card', JSON.stringify(card(name, `${name}, an original piece.`)));
  f.set('media', new Blob([new Uint8Array(readFileSync(file))]), 'track.wav');
  const sub = await api.call('POST', '/v1/submissions', { token: alice.token, form: f });
  if (sub.status !== 201) throw new Error(JSON.stringify(sub.body));
  await api.approve(admin.token, sub.body.assetId);
  return sub.body.assetId as string;
}

const card = mediaCard;

beforeAll(async () => {
  makeMelody(t.file('track.wav'), 41, 36);
  makeMelody(t.file('march.wav'), 43, 24);
  ff(['-ss', '6', '-t', '12', '-i', t.file('march.wav'), '-c:a', 'libmp3lame', '-b:a', '96k', t.file('march-excerpt.mp3')]);
  // 14 s from 0:12, played 4 % faster (pitch raised) and re-encoded to AAC.
  ff([
    '-ss',
    '12',
    '-t',
    '14',
    '-i',
    t.file('track.wav'),
    '-af',
    'asetrate=22050*1.04,aresample=22050',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    t.file('excerpt.m4a'),
  ]);
  srv = await testServer(['admin@msync.dev']);
  api = client(srv.url);
  admin = await api.user('admin@msync.dev');
  alice = await api.user('alice@msync.dev');
  await api.grant(admin.token, alice.id, { creatorTier: true });
  trackId = await publish('Lighthouse waltz', t.file('track.wav'));

  studio = await Studio.open({ dataDir: studioDir, mode: 'browser', version: 'test' });
  connected = await connectStudio({
    studio,
    dataDir: studioDir,
    secrets: new OwnerOnlyFileSecretStore(join(studioDir, 'marketplace-session')),
    localMarketplace: false,
    syncIntervalMs: 3_600_000,
  });
  const h: Handlers = createHandlers(studio, connected);
  call = async (m, i = {}) => {
    const r = await dispatch(h, m, i);
    if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.message}`), r.error);
    return r.value;
  };
  await call('settings.set', { marketplaceUrl: srv.url });
  await call('account.signUp', { email: 'maker@msync.dev', password: 'a long enough password', displayName: 'Maker' });
}, 120_000);
afterAll(async () => {
  await connected?.close();
  await studio?.close();
  await srv?.stop();
  t.cleanup();
});

describe('media in the studio’s offline marketplace copy', () => {
  it('syncs a published track and finds a sped-up AAC excerpt of it locally', async () => {
    const status = await call('sync.now');
    expect(status.lastError).toBeNull();
    expect(studio.engine.has(`mp:${trackId}`)).toBe(true);
    // Offline from here on: the server is not asked anything by a local check.
    const r = await studio.engine.checkMedia({
      card: card('Coastal tune', 'Something of mine.'),
      path: t.file('excerpt.m4a'),
      creatorId: studio.creatorId,
    });
    const m = r.matches.find((x) => x.assetId === `mp:${trackId}`);
    expect(m, JSON.stringify(r.matches.map((x) => x.assetId))).toBeDefined();
    expect(m!.copySignals.join(' ')).toMatch(/audio/);
    const media = m!.media![0]!;
    expect(media.speedRatio).toBeCloseTo(1.04, 2);
    const first = media.ranges[0]!;
    // Second 0 of the excerpt is second 12 of the track.
    expect(first.match[0] - first.query[0] * media.speedRatio).toBeGreaterThan(11.5);
    expect(first.match[0] - first.query[0] * media.speedRatio).toBeLessThan(12.5);
    expect(m!.summary).toContain('“Lighthouse waltz”');
  }, 120_000);

  it('applies the withdrawal tombstone and still counts the track as published before', async () => {
    const alice = await api.call('POST', '/v1/auth/login', { json: { email: 'alice@msync.dev', password: 'a long enough password' } });
    const w = await api.call('POST', `/v1/assets/${trackId}/withdraw`, { token: alice.body.token });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    const before = (await call('sync.status')).index.cursor as number;
    const after = await call('sync.now');
    expect(after.lastError).toBeNull();
    expect(after.index.cursor).toBeGreaterThan(before);
    const r = await studio.engine.checkMedia({
      card: card('Coastal tune', 'Something of mine.'),
      path: t.file('excerpt.m4a'),
      creatorId: studio.creatorId,
    });
    expect(r.matches.map((x) => x.assetId)).toContain(`mp:${trackId}`);
  }, 120_000);

  it('drops a taken-down track from the copy, so its excerpt no longer matches it offline', async () => {
    const marchId = await publish('Storm march', t.file('march.wav'));
    await call('sync.now');
    const check = () =>
      studio.engine.checkMedia({ card: card('Rain', 'Mine.'), path: t.file('march-excerpt.mp3'), creatorId: studio.creatorId });
    expect((await check()).matches.map((x) => x.assetId)).toContain(`mp:${marchId}`);
    const reporter = await api.user('reporter@msync.dev');
    const rep = await api.call('POST', `/v1/assets/${marchId}/reports`, {
      token: reporter.token,
      json: { kind: 'copyright', details: 'this march is my composition, uploaded without permission' },
    });
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    const d = await api.call('POST', `/v1/moderation/cases/${rep.body.caseId}/decision`, {
      token: admin.token,
      json: { action: 'takedown', reason: 'the reporter showed the original score' },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    await call('sync.now');
    expect(studio.engine.has(`mp:${marchId}`)).toBe(false);
    expect((await check()).matches.map((x) => x.assetId)).not.toContain(`mp:${marchId}`);
    // The withdrawn track is still there.
    expect(studio.engine.has(`mp:${trackId}`)).toBe(true);
  }, 120_000);
});
