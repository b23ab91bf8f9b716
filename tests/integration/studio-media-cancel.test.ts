/**
 * Cancelling the studio's media work (electron/main/services/media.ts, media-jobs.ts): a waveform,
 * a thumbnail strip or a fingerprint still being computed stops — its FFmpeg processes killed and
 * gone, its promise rejected as `cancelled`, nothing written to the preview cache — when the
 * editor cancels the file (the `media.cancel` method, through the real dispatcher) or when the
 * only caller's signal aborts; a caller that still waits keeps the shared work alive, a save's
 * fingerprint is never cancelled, and the next request computes the preview afresh.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateMediaWorker } from '../../engine/media-pool.ts';
import { runBrowserMode } from '../../electron/main/browser-mode.ts';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { StudioMedia } from '../../electron/main/services/media.ts';
import { expectNoFfmpeg, ffmpegChildren, makeLongMp3, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { tempDir } from '../helpers/media.ts';

const t = tempDir('studio-media-cancel-');
let media: StudioMedia;
let song = '';
let clip = '';

beforeAll(async () => {
  makeLongMp3(t.file('long.mp3'), 40);
  makeLongVideo(t.file('long.mp4'), 10);
  media = new StudioMedia(t.file('data'));
  song = (await media.importPath(t.file('long.mp3'), 'long.mp3')).sha;
  clip = (await media.importPath(t.file('long.mp4'), 'long.mp4')).sha;
}, 60_000);
afterAll(async () => {
  await terminateMediaWorker();
  t.cleanup();
});

/** Everything in the preview cache (finished files and atomicWrite's temporary ones). */
const cacheFiles = () => readdirSync(media.cacheDir);

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return (err as { code?: string }).code ?? '(no code)';
}

describe('studio media cancellation', () => {
  it('cancel(sha) stops a waveform mid-decode: FFmpeg killed, rejected as cancelled, nothing cached; the next one works', async () => {
    const wave = media.waveform(song, 200);
    const pids = await waitForFfmpeg(1);
    expect(media.jobs.running).toBe(1);
    expect(media.cancel(song)).toBe(1);
    expect(await code(wave)).toBe('cancelled');
    await expectNoFfmpeg(pids, 1000);
    expect(media.jobs.running).toBe(0);
    expect(cacheFiles()).toEqual([]);

    const again = await media.waveform(song, 200);
    expect(again.peaks).toHaveLength(200);
    // FFmpeg's sine source is at an eighth of full scale.
    expect(Math.max(...again.peaks)).toBeCloseTo(0.125, 1);
    expect(cacheFiles()).toEqual([`${song}.peaks-200.json`]);
  }, 60_000);

  it('a caller whose signal aborts stops waiting; the shared job stops only when no caller is left', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const first = media.waveform(song, 300, { signal: a.signal });
    const second = media.waveform(song, 300, { signal: b.signal });
    const pids = await waitForFfmpeg(1);
    a.abort();
    expect(await code(first)).toBe('cancelled');
    // The second caller still waits: the decode goes on.
    await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter((p) => ffmpegChildren().includes(p))).toEqual(pids);
    b.abort();
    expect(await code(second)).toBe('cancelled');
    await expectNoFfmpeg(pids, 1000);
    expect(cacheFiles().filter((f) => f.includes('peaks-300'))).toEqual([]);
  }, 60_000);

  it('a thumbnail strip cancelled mid-way kills all its frame processes and caches nothing', async () => {
    const ac = new AbortController();
    const strip = media.imageFile({ sha: clip, kind: 'strip' }, ac.signal);
    const pids = await waitForFfmpeg(1);
    ac.abort();
    expect(await code(strip)).toBe('cancelled');
    await expectNoFfmpeg(pids, 1000);
    expect(cacheFiles().filter((f) => f.startsWith(clip))).toEqual([]);
    expect((await media.imageFile({ sha: clip, kind: 'strip' })).path).toBe(join(media.cacheDir, `${clip}.strip.webp`));
  }, 60_000);

  it('cancel(sha) stops the live check’s fingerprint on the media worker, but never a save’s', async () => {
    const check = media.fingerprint(clip);
    const pids = await waitForFfmpeg(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(media.cancel(clip)).toBe(1);
    expect(await code(check)).toBe('cancelled');
    await expectNoFfmpeg(pids, 1000);

    const save = media.fingerprint(clip, { pinned: true });
    const live = media.fingerprint(clip);
    await waitForFfmpeg(1);
    // The live check leaves; the save's fingerprint goes on to the end.
    expect(media.cancel(clip)).toBe(0);
    expect(await code(live)).toBe('cancelled');
    const d = await save;
    expect(d.info.kind).toBe('video');
    expect(d.info.durationSeconds).toBeCloseTo(600, -1);
    expect(ffmpegChildren()).toEqual([]);
  }, 60_000);
});

describe('the media.cancel method', () => {
  it('is validated by the contract and cancels the file’s previews through the dispatcher', async () => {
    mkdirSync(t.file('static'));
    writeFileSync(t.file('static/index.html'), '<!doctype html><title>studio</title>');
    const s = await runBrowserMode({ dataDir: t.file('studio'), staticDir: t.file('static') });
    const studio = s.studio;
    const handlers = createHandlers(studio, s.connected);
    const sha = (await studio.media.importPath(t.file('long.mp3'), 'long.mp3')).sha;
    const bad = await dispatch(handlers, 'media.cancel', { sha: 'not-a-sha' });
    expect(bad).toMatchObject({ ok: false, status: 400, error: { code: 'invalid_input', field: 'sha' } });
    expect(await dispatch(handlers, 'media.cancel', { sha })).toEqual({ ok: true, value: { cancelled: 0 } });

    const wave = dispatch(handlers, 'media.waveform', { sha, bins: 100 });
    const pids = await waitForFfmpeg(1);
    expect(await dispatch(handlers, 'media.cancel', { sha })).toEqual({ ok: true, value: { cancelled: 1 } });
    expect(await wave).toMatchObject({ ok: false, status: 503, error: { code: 'cancelled' } });
    await expectNoFfmpeg(pids, 1000);
    expect(readdirSync(studio.media.cacheDir)).toEqual([]);
    await s.stop();
  }, 60_000);

  it('never stops restoring an asset from the trash: its fingerprint is pinned like a save', async () => {
    mkdirSync(t.file('static2'));
    writeFileSync(t.file('static2/index.html'), '<!doctype html><title>studio</title>');
    const open = () => runBrowserMode({ dataDir: t.file('studio2'), staticDir: t.file('static2') });
    const first = await open();
    const h1 = createHandlers(first.studio, first.connected);
    const up = await first.studio.media.importPath(t.file('long.mp3'), 'long.mp3');
    const card = {
      asset_type: 'media',
      name: 'Long tone',
      description: 'A test tone',
      tags: [],
      media: { type: 'audio', format: up.format, size: up.size, sha256: up.sha },
    };
    const created = await dispatch(h1, 'assets.create', { card });
    expect(created).toMatchObject({ ok: true });
    const id = (created as { value: { id: string } }).value.id;
    expect(await dispatch(h1, 'assets.delete', { ids: [id] })).toMatchObject({ ok: true });
    await first.stop();

    // A fresh studio on the same data has no fingerprint cached: restoring decodes the file again,
    // and a view's cancel of that file (with or without its token) must not stop it.
    const second = await open();
    const h2 = createHandlers(second.studio, second.connected);
    const restore = dispatch(h2, 'assets.undoDelete', { ids: [id] });
    await waitForFfmpeg(1);
    expect(await dispatch(h2, 'media.cancel', { sha: up.sha })).toEqual({ ok: true, value: { cancelled: 0 } });
    expect(await restore).toEqual({ ok: true, value: { restored: [id] } });
    const list = await dispatch(h2, 'library.list', {});
    expect(list).toMatchObject({ ok: true, value: [{ id }] });
    await second.stop();
  }, 90_000);
});
