/**
 * Audio and video submissions on the marketplace server: the media file streamed as a multipart
 * part, fingerprinted on the engine's media worker and checked against published media; a copy is
 * held for review with its time ranges (and frame pair for video) stored and shown in the queue, and
 * so is a copy of a track still waiting for review (the match marked unpublished); a corrupt or oversized file is a clear 4xx naming "media" with nothing stored; the index feed
 * carries the compact media fingerprint; a withdrawn track leaves the feed (tombstone) yet a copy
 * of it is still caught at submission.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsBlobStore } from '../../server/blobs.ts';
import type { RunningServer } from '../../server/server.ts';
import { MARKETPLACE_POLICY } from '../../shared/policy/marketplace.ts';
import { submissionLimits } from '../../server/http/submission.ts';
import { cutSilentVideo, ff, makeMelody, makeVideo, tempDir } from '../helpers/media.ts';
import { blobCount, client, mediaForm, testServer, uploadsLeft } from '../helpers/server.ts';

const t = tempDir('server-media-');
let srv: RunningServer;
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };
let alice: { id: string; token: string };
let bob: { id: string; token: string };

const card = (name: string, description: string) => ({ asset_type: 'media', name, description, tags: [] });

const dataDir = t.file('server');

/** Submits a media card with one of the files made below as `who`, expects it accepted (201) and returns the answer. */
async function submitMedia(who: { token: string }, name: string, description: string, file: string) {
  const r = await api.call('POST', '/v1/submissions', { token: who.token, form: mediaForm(card(name, description), t.file(file)) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r;
}

/** A multipart body sent with chunked transfer encoding (no Content-Length): `mediaBytes` of filler as the media part. */
function chunkedUpload(token: string, mediaBytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const boundary = 'xBoundary42';
    const req = request(new URL('/v1/submissions', srv.url), {
      method: 'POST',
      agent: false,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may close the connection once it has answered: the upload being cut is expected.
    req.on('error', (e) => setTimeout(() => reject(e), 1000));
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="card"\r\n\r\n${JSON.stringify(card('Huge', 'Too big.'))}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="huge.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    );
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    let sent = 0;
    const pump = () => {
      while (sent < mediaBytes) {
        sent += chunk.length;
        if (req.destroyed) return;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

let trackId = '';
let clipId = '';

/**
 * A smaller media limit than the policy's (which is sized for real video) so the oversized uploads
 * below stay quick; the production default is checked in its own test.
 */
const UPLOADS = { media: 16 * 1024 * 1024, image: MARKETPLACE_POLICY.maxUploadBytes };

beforeAll(async () => {
  makeMelody(t.file('track.wav'), 31, 40);
  makeMelody(t.file('unrelated.flac'), 32, 20);
  makeMelody(t.file('waiting.wav'), 33, 30);
  makeMelody(t.file('slow.wav'), 36, 20);
  makeMelody(t.file('quick.flac'), 37, 15);
  // 15 s from 0:08 of a track still waiting for review, re-encoded to 96 kbps MP3.
  ff(['-ss', '8', '-t', '15', '-i', t.file('waiting.wav'), '-c:a', 'libmp3lame', '-b:a', '96k', t.file('waiting-excerpt.mp3')]);
  // A 12 s excerpt from 0:17, mixed with noise and re-encoded to 64 kbps MP3.
  ff([
    '-ss',
    '17',
    '-t',
    '12',
    '-i',
    t.file('track.wav'),
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=c=pink:a=0.05:r=22050:d=12',
    '-filter_complex',
    '[0:a][1:a]amix=inputs=2:duration=first,volume=2',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '64k',
    t.file('excerpt.mp3'),
  ]);
  // The whole track again, re-encoded to Ogg Vorbis at a low bitrate.
  ff(['-i', t.file('track.wav'), '-c:a', 'libvorbis', '-q:a', '0', t.file('copy.ogg')]);
  makeVideo(t.file('clip.mp4'), 12, 5);
  // 6 s from 0:05 of the clip, scaled down and without its soundtrack.
  cutSilentVideo(t.file('clip.mp4'), t.file('cut.mkv'), 5, 6);
  // Not media: a zip archive renamed .mp4.
  writeFileSync(t.file('archive.mp4'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(5000, 0x33)]));
  mkdirSync(dataDir);
  srv = await testServer(['admin@media.dev'], { dataDir, uploads: UPLOADS });
  api = client(srv.url);
  admin = await api.user('admin@media.dev');
  alice = await api.user('alice@media.dev');
  bob = await api.user('bob@media.dev');
  for (const u of [alice, bob]) await api.grant(admin.token, u.id, { creatorTier: true });
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  t.cleanup();
});

describe('media submissions', () => {
  it('fingerprints a submitted track and publishes it into the media index', async () => {
    const r = await submitMedia(alice, 'Harbour lights', 'A slow theme.', 'track.wav');
    expect(r.body.check.layers.media).toEqual({ state: 'ran' });
    expect(r.body.heldForManualReview).toBe(false);
    trackId = r.body.assetId;
    const v = (
      await srv.marketplace.db.query<{ media_sha256: string | null }>('SELECT media_sha256 FROM asset_versions WHERE asset_id = $1', [
        trackId,
      ])
    ).rows[0];
    expect(v?.media_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(`${dataDir}/blobs/${v!.media_sha256!.slice(0, 2)}/${v!.media_sha256}`).size).toBe(statSync(t.file('track.wav')).size);
    await api.approve(admin.token, trackId);
    const clip = await submitMedia(alice, 'Fractal intro', 'An opening.', 'clip.mp4');
    clipId = clip.body.assetId;
    await api.approve(admin.token, clipId);
  }, 120_000);

  it('streams a version’s file whole and by byte range (206), so players can seek', async () => {
    const original = readFileSync(t.file('track.wav'));
    const get = (headers: Record<string, string> = {}, token: string | null = alice.token) =>
      fetch(new URL(`/v1/assets/${trackId}/media`, srv.url), {
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);
    const part = await get({ range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${original.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(original.subarray(1000, 2000))).toBe(true);
    const tail = await get({ range: 'bytes=-500' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(original.subarray(original.length - 500))).toBe(true);
    const open = await get({ range: `bytes=${original.length - 10}-` });
    expect(Buffer.from(await open.arrayBuffer()).equals(original.subarray(original.length - 10))).toBe(true);
    const past = await get({ range: `bytes=${original.length}-` });
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${original.length}`]);
    // Published: staff may play it; a signed-in account that bought nothing may not; nobody anonymously.
    expect((await get({}, admin.token)).status).toBe(200);
    expect((await get({}, bob.token)).status).toBe(403);
    expect((await get({}, null)).status).toBe(401);
    // A version that does not exist.
    const v = await api.call('GET', `/v1/assets/${trackId}/media?version=9`, { token: alice.token });
    expect(v.status).toBe(404);
  }, 120_000);

  it('holds a noisy MP3 excerpt for review with the matched ranges, stored and shown in the queue', async () => {
    const r = await submitMedia(bob, 'Sea song', 'My own song.', 'excerpt.mp3');
    expect(r.body.heldForManualReview).toBe(true);
    const m = r.body.check.matches.find((x: { assetId: string }) => x.assetId === trackId);
    expect(m.copySignals.join(' ')).toMatch(/audio/);
    const range = m.media[0].ranges[0];
    // The excerpt starts at second 17 of the original.
    expect(range.match[0] - range.query[0]).toBeGreaterThan(16.5);
    expect(range.match[0] - range.query[0]).toBeLessThan(17.5);
    expect(m.media[0].speedRatio).toBeCloseTo(1, 2);
    expect(m.summary).toMatch(/of this track is .* of “Harbour lights”/);

    const q = await api.call('GET', '/v1/moderation/queue', { token: admin.token });
    const item = q.body.find((i: { assetId: string }) => i.assetId === r.body.assetId);
    expect(item.flags.join(' ')).toContain('Harbour lights');
    const ev = item.evidence.find((e: { matchedAssetId: string }) => e.matchedAssetId === trackId);
    expect(ev.details.media[0].ranges[0]).toEqual(range);
    expect(ev.details.summary).toBe(m.summary);
    expect(ev.mediaSeconds.query).toBeCloseTo(12, 0);
    expect(ev.mediaSeconds.match).toBeCloseTo(40, 0);
  }, 120_000);

  it('holds a resized video excerpt with the ranges and a frame pair', async () => {
    const r = await submitMedia(bob, 'Cut', 'A short cut.', 'cut.mkv');
    expect(r.body.heldForManualReview).toBe(true);
    const m = r.body.check.matches.find((x: { assetId: string }) => x.assetId === clipId);
    const frames = m.media.find((x: { method: string }) => x.method === 'frames');
    expect(frames.framePair.matchT - frames.framePair.queryT).toBeGreaterThan(4);
    expect(frames.framePair.matchT - frames.framePair.queryT).toBeLessThan(6);
    expect(frames.ranges[0].match[0]).toBeGreaterThan(4);
  }, 120_000);

  it('approves unrelated music without a media match', async () => {
    const r = await submitMedia(bob, 'Other tune', 'Different.', 'unrelated.flac');
    expect(r.body.heldForManualReview).toBe(false);
    expect(r.body.check.matches.filter((x: { media?: unknown }) => x.media)).toEqual([]);
  }, 60_000);

  it('refuses a file that is not media with a 400 naming "media", storing nothing', async () => {
    const before = { blobs: blobCount(dataDir), uploads: uploadsLeft() };
    const r = await api.call('POST', '/v1/submissions', {
      token: bob.token,
      form: mediaForm(card('Archive', 'Not media.'), t.file('archive.mp4')),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('media');
    expect(r.body.error.message).toMatch(/^media: /);
    const rows = await srv.marketplace.db.query(`SELECT 1 FROM assets WHERE name = 'Archive'`);
    expect(rows.rows).toEqual([]);
    expect(blobCount(dataDir)).toBe(before.blobs);
    expect(uploadsLeft()).toBe(before.uploads);
    // A media file on a card that is not a media asset.
    const wrong = mediaForm({ asset_type: 'item', name: 'Sword', description: 'A blade.', tags: [] }, t.file('unrelated.flac'));
    const w = await api.call('POST', '/v1/submissions', { token: bob.token, form: wrong });
    expect([w.status, w.body.error.field]).toEqual([400, 'media']);
    // The file as a text field.
    const f = new FormData();
    f.set('card', JSON.stringify(card('Text', 'x')));
    f.set('media', 'not a file');
    const tf = await api.call('POST', '/v1/submissions', { token: bob.token, form: f });
    expect([tf.status, tf.body.error.field]).toEqual([400, 'media']);
  }, 60_000);

  it('answers 413 for an oversized upload: at once for a declared length, while streaming for a chunked one', async () => {
    const before = { blobs: blobCount(dataDir), uploads: uploadsLeft() };
    const declared = await fetch(new URL('/v1/submissions', srv.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bob.token}`,
        'content-type': 'multipart/form-data; boundary=b',
        'content-length': String(submissionLimits(UPLOADS).body + 1),
      },
      body: '--b--\r\n',
    }).catch((e: Error) => e);
    // Either the 413 arrives or the client gives up on its false length after the server answered.
    if (declared instanceof Response) expect(declared.status).toBe(413);
    const r = await chunkedUpload(bob.token, UPLOADS.media + 1024 * 1024);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.field).toBe('media');
    expect(blobCount(dataDir)).toBe(before.blobs);
    expect(uploadsLeft()).toBe(before.uploads);
  }, 60_000);

  it('carries the compact media fingerprint in the index feed', async () => {
    const feed = await api.call('GET', '/v1/index?since=0&limit=100');
    const e = feed.body.entries.find((x: { assetId: string; kind: string }) => x.assetId === trackId && x.kind === 'upsert');
    const media = e.fingerprints.media;
    expect(media.info).toMatchObject({ kind: 'audio' });
    const bytes = Buffer.from(media.data, 'base64').length;
    // Smaller than the same 40 s at 16 kbps (speech-grade Opus), let alone the file itself.
    expect(bytes).toBeLessThan((16_000 / 8) * 40);
    console.log(
      `[media feed] 40 s track: ${bytes} B fingerprint (${(bytes / 40).toFixed(0)} B/s), WAV ${statSync(t.file('track.wav')).size} B`,
    );
    // A video's keyframes (local features) stay on the server: stored beside its fingerprint, not in the feed.
    const clip = feed.body.entries.find((x: { assetId: string; kind: string }) => x.assetId === clipId && x.kind === 'upsert');
    expect(clip.fingerprints.media.info).toMatchObject({ kind: 'video' });
    expect(clip.fingerprints.media.keyframes).toBeUndefined();
    const stored = await srv.marketplace.db.query<{ keyframes: string | null }>(
      `SELECT fingerprints->'media'->>'keyframes' AS keyframes FROM asset_versions WHERE asset_id = $1 AND version = 1`,
      [clipId],
    );
    expect(Buffer.from(stored.rows[0]!.keyframes ?? '', 'base64').length).toBeGreaterThan(
      Buffer.from(clip.fingerprints.media.data, 'base64').length,
    );
  });

  it('a new version sent without its file keeps the previous version’s media', async () => {
    const f = new FormData();
    f.set('card', JSON.stringify(card('Fractal intro', 'An opening, now with a longer description.')));
    const r = await api.call('POST', `/v1/assets/${clipId}/versions`, { token: alice.token, form: f });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.check.layers.media).toEqual({ state: 'ran' });
    const rows = await srv.marketplace.db.query<{ version: number; media_sha256: string | null; kind: string | null }>(
      `SELECT version, media_sha256, fingerprints->'media'->'info'->>'kind' AS kind FROM asset_versions WHERE asset_id = $1 ORDER BY version`,
      [clipId],
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[1]).toEqual({ version: 2, media_sha256: rows.rows[0]!.media_sha256, kind: 'video' });
  }, 60_000);

  it('holds a copy of a track that is still waiting for review, the match marked unpublished', async () => {
    const first = await submitMedia(alice, 'Tide clock', 'A ticking theme.', 'waiting.wav');
    expect(first.body.heldForManualReview).toBe(false);
    // Not approved: the track is only in the review queue, not in the published index.
    const copy = await submitMedia(bob, 'Clockwork tide', 'Mine.', 'waiting-excerpt.mp3');
    expect(copy.body.heldForManualReview).toBe(true);
    const m = copy.body.check.matches.find((x: { assetId: string }) => x.assetId === first.body.assetId);
    expect(m).toMatchObject({ pending: true });
    const range = m.media[0].ranges[0];
    // The excerpt starts at second 8 of the waiting track.
    expect(range.match[0] - range.query[0]).toBeGreaterThan(7.5);
    expect(range.match[0] - range.query[0]).toBeLessThan(8.5);
    // Leave the queue as the later tests expect it: the track published.
    await api.approve(admin.token, first.body.assetId);
  }, 120_000);

  it('a file still being copied into the blob store does not hold the next submission', async () => {
    // The first file's copy is held until the second submission has been answered: the copy is
    // made before the compare-and-store step, so the second is compared and stored meanwhile.
    const stageFile = FsBlobStore.prototype.stageFile;
    let release = () => undefined as void;
    const released = new Promise<void>((r) => (release = r));
    let copying = () => undefined as void;
    const started = new Promise<void>((r) => (copying = r));
    let calls = 0;
    const spy = vi.spyOn(FsBlobStore.prototype, 'stageFile').mockImplementation(async function (this: FsBlobStore, path: string) {
      if (calls++ === 0) {
        copying();
        await released;
      }
      return stageFile.call(this, path);
    });
    try {
      const slow = api.call('POST', '/v1/submissions', {
        token: alice.token,
        form: mediaForm(card('Slow tide', 'Mine.'), t.file('slow.wav')),
      });
      await started;
      const quick = await Promise.race([
        api.call('POST', '/v1/submissions', { token: bob.token, form: mediaForm(card('Quick tide', 'Mine.'), t.file('quick.flac')) }),
        new Promise<{ status: string; body: null }>((r) => setTimeout(() => r({ status: 'still waiting after 30 s', body: null }), 30_000)),
      ]);
      expect(quick.status, JSON.stringify(quick.body)).toBe(201);
      release();
      const first = await slow;
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const v = (
        await srv.marketplace.db.query<{ media_sha256: string }>('SELECT media_sha256 FROM asset_versions WHERE asset_id = $1', [
          first.body.assetId,
        ])
      ).rows[0];
      expect(statSync(`${dataDir}/blobs/${v!.media_sha256.slice(0, 2)}/${v!.media_sha256}`).size).toBe(statSync(t.file('slow.wav')).size);
    } finally {
      release();
      spy.mockRestore();
    }
  }, 120_000);

  it('withdrawn: a tombstone in the feed, and a copy of the track is still caught at submission', async () => {
    const w = await api.call('POST', `/v1/assets/${trackId}/withdraw`, { token: alice.token });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    const feed = await api.call('GET', '/v1/index?since=0&limit=100');
    expect(feed.body.entries.at(-1)).toMatchObject({ kind: 'tombstone', assetId: trackId, fingerprints: null });
    const r = await submitMedia(bob, 'Night harbour', 'Mine.', 'copy.ogg');
    expect(r.body.heldForManualReview).toBe(true);
    const m = r.body.check.matches.find((x: { assetId: string }) => x.assetId === trackId);
    expect(m.media[0].ranges.length).toBeGreaterThan(0);
  }, 60_000);
});
