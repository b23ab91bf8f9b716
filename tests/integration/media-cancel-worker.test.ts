/**
 * Cancelling media fingerprinting on the engine's media worker (engine/media-pool.ts): an
 * AbortSignal aborted while a long real video is being decoded reaches the worker thread, its
 * FFmpeg processes are killed (gone from the OS, not merely forgotten), the caller's promise
 * rejects at once with the `cancelled` EngineError, and the worker's FFmpeg pool is free again for
 * the next job. An already-aborted signal starts nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { mediaData, terminateMediaWorker } from '../../engine/media-pool.ts';
import { expectNoFfmpeg, ffmpegChildren, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { makeMelody, tempDir } from '../helpers/media.ts';

const t = tempDir('media-cancel-worker-');

beforeAll(() => {
  makeLongVideo(t.file('long.mp4'), 10);
  makeMelody(t.file('short.flac'), 7, 6);
});
afterAll(async () => {
  await terminateMediaWorker();
  t.cleanup();
});

async function refusal(p: Promise<unknown>): Promise<EngineError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

describe('media worker cancellation', () => {
  it('kills the FFmpeg decodes of an aborted job, rejects it as cancelled and runs the next job', async () => {
    expect(ffmpegChildren()).toEqual([]);
    const ac = new AbortController();
    const started = Date.now();
    const job = mediaData(t.file('long.mp4'), ac.signal);
    // Mid-way: the probe is over and the decodes are running (the video one takes seconds).
    const pids = await waitForFfmpeg(1);
    await new Promise((r) => setTimeout(r, 200));
    // On a loaded machine the decodes may start well after the probe ended (CI once saw none 200 ms
    // after it): wait for them rather than for a fixed time.
    const running = await waitForFfmpeg(1);
    expect(running.length).toBeGreaterThan(0);
    const abortedAt = Date.now();
    ac.abort();
    const err = await refusal(job);
    expect([err.code, err.message]).toEqual(['cancelled', 'media processing was cancelled']);
    // The rejection does not wait for the decode: it comes at once.
    expect(Date.now() - abortedAt).toBeLessThan(500);
    // Every FFmpeg process the job started is gone (killed and reaped), promptly.
    await expectNoFfmpeg([...new Set([...pids, ...running])], 1000);
    expect(Date.now() - started).toBeLessThan(15_000);

    // The worker and its FFmpeg pool serve the next job as before.
    const next = await mediaData(t.file('short.flac'));
    expect(next.info.kind).toBe('audio');
    expect(next.fp.audio?.peaks.t.length).toBeGreaterThan(0);
    expect(next.fp.audio?.durationSeconds).toBeCloseTo(6, 0);
    expect(next.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ffmpegChildren()).toEqual([]);
  }, 60_000);

  it('an aborted signal never starts FFmpeg; jobs beside a cancelled one still finish', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await refusal(mediaData(t.file('long.mp4'), ac.signal))).code).toBe('cancelled');
    expect(ffmpegChildren()).toEqual([]);

    const doomed = new AbortController();
    const cancelled = mediaData(t.file('long.mp4'), doomed.signal);
    const kept = mediaData(t.file('short.flac'));
    await waitForFfmpeg(1);
    doomed.abort();
    expect((await refusal(cancelled)).code).toBe('cancelled');
    const d = await kept;
    expect(d.fp.audio?.peaks.t.length).toBeGreaterThan(0);
    await expectNoFfmpeg([], 2000);
  }, 60_000);
});
