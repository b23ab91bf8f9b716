/**
 * The FFmpeg pool's bound (MEDIA_POLICY.limits.maxProcesses, a semaphore in engine/media/ffmpeg.ts):
 * three times the cap of real audio decodes started at once never run more FFmpeg processes than
 * the cap — counted both by the pool and by this process's FFmpeg children in /proc (or `ps`) —
 * reach the cap, and all finish with the whole track decoded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../engine/media/decode.ts';
import { runningProcesses } from '../../engine/media/ffmpeg.ts';
import { probeMedia } from '../../engine/media/probe.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { ffmpegChildren, makeLongMp3 } from '../helpers/ffmpeg-processes.ts';
import { tempDir } from '../helpers/media.ts';

const t = tempDir('media-pool-');
afterAll(() => t.cleanup());

describe('bounded FFmpeg processes', () => {
  beforeAll(() => makeLongMp3(t.file('long.mp3'), 5));

  it('runs at most maxProcesses decodes at once, queues the rest, and finishes them all', async () => {
    const cap = MEDIA_POLICY.limits.maxProcesses;
    expect(cap).toBe(2);
    const info = await probeMedia(t.file('long.mp3'));
    expect(info.durationSeconds).toBeCloseTo(300, 0);
    const started = cap * 3;
    let maxPool = 0;
    let maxChildren = 0;
    let samples = 0;
    const sample = () => {
      samples++;
      maxPool = Math.max(maxPool, runningProcesses());
      maxChildren = Math.max(maxChildren, ffmpegChildren().length);
    };
    const timer = setInterval(sample, 1);
    let spawned = 0;
    let done = 0;
    const decodes = Array.from({ length: started }, () =>
      decodeAudio(t.file('long.mp3'), info, {
        onSpawn: () => {
          spawned++;
          sample();
        },
      }).then((pcm) => {
        done++;
        return pcm;
      }),
    );
    // Right after the start, only `cap` processes were spawned; the others wait in the pool's queue.
    await new Promise((r) => setTimeout(r, 20));
    expect(spawned).toBeLessThanOrEqual(cap);
    expect(done).toBe(0);
    const pcms = await Promise.all(decodes);
    clearInterval(timer);
    expect(spawned).toBe(started);
    expect(samples).toBeGreaterThan(started);
    // The bound held, and was reached (the decodes really overlapped).
    expect(maxPool).toBe(cap);
    expect(maxChildren).toBe(cap);
    for (const pcm of pcms) expect(pcm.length / MEDIA_POLICY.audio.sampleRate).toBeGreaterThan(299);
    expect(runningProcesses()).toBe(0);
  }, 60_000);
});
