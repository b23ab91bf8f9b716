/**
 * Browser mode aborts the media work of a request that closes early (electron/main/http.ts → the
 * dispatcher's call signal → media-jobs.ts), over real HTTP with real FFmpeg: a waveform, a live
 * check's fingerprint and a thumbnail strip whose client goes away have their FFmpeg killed and
 * cache nothing — but only that requester's interest is dropped: the same work shared with another
 * requester still live runs on and answers that one.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateMediaWorker } from '../../engine/media-pool.ts';
import { type RunningStudio, runBrowserMode } from '../../electron/main/browser-mode.ts';
import { expectNoFfmpeg, ffmpegChildren, makeLongMp3, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { tempDir } from '../helpers/media.ts';

const t = tempDir('browser-media-abort-');
let s: RunningStudio;
let song = '';
let clip = { sha: '', size: 0 };

beforeAll(async () => {
  makeLongMp3(t.file('long.mp3'), 40);
  makeLongVideo(t.file('long.mp4'), 10);
  mkdirSync(t.file('static'));
  writeFileSync(t.file('static/index.html'), '<!doctype html><title>studio</title>');
  s = await runBrowserMode({ dataDir: t.file('studio'), staticDir: t.file('static') });
  song = (await s.studio.media.importPath(t.file('long.mp3'), 'long.mp3')).sha;
  const v = await s.studio.media.importPath(t.file('long.mp4'), 'long.mp4');
  clip = { sha: v.sha, size: v.size };
}, 120_000);
afterAll(async () => {
  await s.stop();
  await terminateMediaWorker();
  t.cleanup();
});

/** An API call over HTTP; resolves with the status and body, or with the error once aborted. */
function call(method: string, input: unknown, signal?: AbortSignal): Promise<{ status: number; body: unknown } | Error> {
  return fetch(new URL(`/api/${method}`, s.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
    body: JSON.stringify(input),
    signal,
  }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as unknown }),
    (e: unknown) => e as Error,
  );
}

const cacheFiles = () => readdirSync(s.studio.media.cacheDir);
const videoCard = () => ({
  asset_type: 'media',
  name: 'Long pattern',
  description: 'A test pattern.',
  tags: [],
  media: { type: 'video', format: 'mp4', size: clip.size, sha256: clip.sha },
});

describe('browser mode aborts the media work of a closed request', () => {
  it('a waveform request closed mid-decode: FFmpeg killed, nothing cached, no job left', async () => {
    const ac = new AbortController();
    const reply = call('media.waveform', { sha: song, bins: 200 }, ac.signal);
    const pids = await waitForFfmpeg(1);
    ac.abort();
    expect(await reply).toBeInstanceOf(Error);
    await expectNoFfmpeg(pids, 1500);
    expect(s.studio.media.jobs.running).toBe(0);
    expect(cacheFiles()).toEqual([]);
  }, 60_000);

  it('a waveform shared with a live requester goes on for it when the other one closes', async () => {
    const ac = new AbortController();
    const leaving = call('media.waveform', { sha: song, bins: 250 }, ac.signal);
    const staying = call('media.waveform', { sha: song, bins: 250 });
    const pids = await waitForFfmpeg(1);
    // Both requests have joined the one job before the first leaves.
    await new Promise((r) => setTimeout(r, 100));
    expect(s.studio.media.jobs.running).toBe(1);
    ac.abort();
    expect(await leaving).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 150));
    expect(pids.filter((p) => ffmpegChildren().includes(p))).toEqual(pids);
    const r = (await staying) as { status: number; body: { value: { peaks: number[] } } };
    expect(r.status).toBe(200);
    expect(r.body.value.peaks).toHaveLength(250);
    expect(cacheFiles()).toEqual([`${song}.peaks-250.json`]);
  }, 60_000);

  it('a live check closed while its video is fingerprinted: FFmpeg killed, no job left; a live one still answers', async () => {
    const ac = new AbortController();
    const reply = call('check.run', { card: videoCard() }, ac.signal);
    const pids = await waitForFfmpeg(1);
    await new Promise((r) => setTimeout(r, 150));
    ac.abort();
    expect(await reply).toBeInstanceOf(Error);
    await expectNoFfmpeg(pids, 1500);
    expect(s.studio.media.jobs.running).toBe(0);

    const done = (await call('check.run', { card: videoCard() })) as { status: number; body: { value: { status: string } } };
    expect(done.status).toBe(200);
    expect(typeof done.body.value.status).toBe('string');
    expect(ffmpegChildren()).toEqual([]);
  }, 120_000);

  it('a thumbnail strip request closed mid-way kills its frames’ FFmpeg and caches nothing', async () => {
    const ac = new AbortController();
    const reply = fetch(new URL(`/files/media/${clip.sha}/strip.webp?t=${s.token}`, s.url), { signal: ac.signal }).catch(
      (e: unknown) => e as Error,
    );
    const pids = await waitForFfmpeg(1);
    ac.abort();
    expect(await reply).toBeInstanceOf(Error);
    await expectNoFfmpeg(pids, 1500);
    expect(cacheFiles().filter((f) => f.startsWith(clip.sha))).toEqual([]);
  }, 60_000);
});

describe('media.cancel drops only its caller’s interest', () => {
  const A = 'view-a-0123456789';
  const B = 'view-b-0123456789';

  it('view A’s cancel leaves view B’s waveform of the same file running to the end', async () => {
    const a = call('media.waveform', { sha: song, bins: 300, caller: A });
    const b = call('media.waveform', { sha: song, bins: 300, caller: B });
    const pids = await waitForFfmpeg(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await call('media.cancel', { sha: song, caller: A })).toEqual({ status: 200, body: { value: { cancelled: 0 } } });
    expect(await a).toMatchObject({ status: 503, body: { error: { code: 'cancelled' } } });
    expect(pids.filter((p) => ffmpegChildren().includes(p))).toEqual(pids);
    const rb = (await b) as { status: number; body: { value: { peaks: number[] } } };
    expect(rb.status).toBe(200);
    expect(rb.body.value.peaks).toHaveLength(300);
  }, 60_000);

  it('a cancel naming no caller leaves named callers’ work alone; the owner’s cancel stops it', async () => {
    const b = call('media.waveform', { sha: song, bins: 320, caller: B });
    const pids = await waitForFfmpeg(1);
    expect(await call('media.cancel', { sha: song })).toEqual({ status: 200, body: { value: { cancelled: 0 } } });
    await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter((p) => ffmpegChildren().includes(p))).toEqual(pids);
    expect(await call('media.cancel', { sha: song, caller: B })).toEqual({ status: 200, body: { value: { cancelled: 1 } } });
    expect(await b).toMatchObject({ status: 503, body: { error: { code: 'cancelled' } } });
    await expectNoFfmpeg(pids, 1500);
    expect(cacheFiles().filter((f) => f.includes('peaks-320'))).toEqual([]);
  }, 60_000);

  it('a strip image asked for with c=<caller> is stopped by that caller’s cancel (503), FFmpeg gone', async () => {
    const url = (c: string) => new URL(`/files/media/${clip.sha}/strip.webp?t=${s.token}&c=${c}`, s.url);
    expect((await fetch(url('bad token!'))).status).toBe(404);
    const reply = fetch(url(A)).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
    const pids = await waitForFfmpeg(1);
    expect(await call('media.cancel', { sha: clip.sha, caller: B })).toEqual({ status: 200, body: { value: { cancelled: 0 } } });
    expect(await call('media.cancel', { sha: clip.sha, caller: A })).toEqual({ status: 200, body: { value: { cancelled: 1 } } });
    expect(await reply).toMatchObject({ status: 503, body: { error: { code: 'cancelled' } } });
    await expectNoFfmpeg(pids, 1500);
    expect(cacheFiles().filter((f) => f.startsWith(clip.sha))).toEqual([]);
  }, 60_000);

  it('the caller token is validated by the contract', async () => {
    for (const [method, input] of [
      ['media.cancel', { sha: song, caller: 'x' }],
      ['media.waveform', { sha: song, caller: 'no spaces allowed' }],
      ['check.run', { card: videoCard(), caller: 'a/b/c/d/e/f' }],
    ] as const)
      expect(await call(method, input)).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', field: 'caller' } } });
  });
});
