/**
 * Cancelled media submissions on the marketplace server, started in-process: a client that aborts
 * its request while the server is decoding a long video, and a server that shuts down meanwhile,
 * both stop FFmpeg at once (the processes are gone from the OS) and leave nothing stored — no
 * blob, no asset row, no temporary upload — and after the client's abort the server takes the
 * next media submission as usual.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { expectNoFfmpeg, ffmpegChildren, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { makeMelody, tempDir } from '../helpers/media.ts';
import { blobCount, client, mediaForm, testServer, uploadsLeft } from '../helpers/server.ts';

const t = tempDir('server-media-cancel-');
const card = (name: string) => ({ asset_type: 'media', name, description: 'A long test pattern.', tags: [] });

/** A server with one creator who may submit. */
async function creatorServer(dataDir: string): Promise<{ srv: RunningServer; token: string }> {
  mkdirSync(dataDir, { recursive: true });
  const srv = await testServer(['admin@cancel.dev'], { dataDir });
  const api = client(srv.url);
  const admin = await api.user('admin@cancel.dev');
  const alice = await api.user('alice@cancel.dev');
  await api.grant(admin.token, alice.id, { creatorTier: true });
  return { srv, token: alice.token };
}

/** Posts a submission; resolves with the status, or with the error once the request is aborted or cut. */
function submit(srv: RunningServer, token: string, form: FormData, signal?: AbortSignal): Promise<number | Error> {
  return fetch(new URL('/v1/submissions', srv.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal,
  }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    (e: unknown) => e as Error,
  );
}

beforeAll(() => {
  makeLongVideo(t.file('long.mp4'), 10);
  makeMelody(t.file('tune.flac'), 41, 8);
}, 60_000);
afterAll(() => t.cleanup());

describe('cancelled media submissions', () => {
  it('a client that goes away mid-analysis stops FFmpeg and stores nothing; the next submission is stored', async () => {
    const { srv, token } = await creatorServer(t.file('one'));
    try {
      const before = uploadsLeft();
      const ac = new AbortController();
      const reply = submit(srv, token, mediaForm(card('Long pattern'), t.file('long.mp4')), ac.signal);
      // The upload is on disk and the media worker is decoding it.
      const pids = await waitForFfmpeg(1);
      await new Promise((r) => setTimeout(r, 150));
      ac.abort();
      expect(await reply).toBeInstanceOf(Error);
      await expectNoFfmpeg(pids, 1500);
      // The request's handler finishes its cleanup just after the kill.
      const end = Date.now() + 3000;
      while (uploadsLeft() > before && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(uploadsLeft()).toBe(before);
      expect(blobCount(t.file('one'))).toBe(0);
      expect((await srv.marketplace.db.query(`SELECT 1 FROM assets WHERE name = 'Long pattern'`)).rows).toEqual([]);

      expect(await submit(srv, token, mediaForm(card('Tune'), t.file('tune.flac')))).toBe(201);
      expect(blobCount(t.file('one'))).toBe(1);
      expect(ffmpegChildren()).toEqual([]);
    } finally {
      await srv.stop();
    }
  }, 120_000);

  it('a server shutting down cancels the analysis at once and stores nothing', async () => {
    const { srv, token } = await creatorServer(t.file('two'));
    const before = uploadsLeft();
    const reply = submit(srv, token, mediaForm(card('Long pattern'), t.file('long.mp4')));
    const pids = await waitForFfmpeg(1);
    await new Promise((r) => setTimeout(r, 150));
    const stopping = Date.now();
    const stopped = srv.stop();
    // The submission is answered as cancelled (503) rather than analysed to the end.
    expect(await reply).toBe(503);
    await expectNoFfmpeg(pids, 1500);
    await stopped;
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(blobCount(t.file('two'))).toBe(0);
    expect(uploadsLeft()).toBe(before);
  }, 120_000);
});
