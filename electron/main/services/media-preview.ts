/**
 * Previews of stored audio/video files, computed with FFmpeg child processes (the engine's bounded
 * pool, so previews never block the process's event loop): a video frame at a given time (sought
 * before decoding, one frame decoded, encoded as WebP with sharp), a thumbnail strip of evenly
 * spread frames, and waveform peaks from the decoded mono PCM, aggregated while it streams (the
 * track is never held in memory). Every preview takes an AbortSignal: aborting kills its FFmpeg
 * processes and rejects with the `cancelled` EngineError, and a strip settles only once all of its
 * frames' processes are gone.
 */
import sharp from 'sharp';
import { EngineError } from '../../../engine/errors.ts';
import { inputArgs, runFfmpeg } from '../../../engine/media/ffmpeg.ts';
import { MEDIA_PREVIEW } from '../../../shared/media-files.ts';
import type { MediaInfo } from '../../../shared/media.ts';

const TIMEOUT_MS = 60_000;

const cancelled = (): EngineError => new EngineError('cancelled', 'media processing was cancelled');

function failed(what: string, stderr: string): EngineError {
  const last = stderr.trim().split('\n').at(-1) ?? '';
  return new EngineError('preview_failed', `FFmpeg could not ${what}${last ? `: ${last}` : ''}`, 'media');
}

/** One video frame at `t` seconds, `height` pixels high (at most, with `noUpscale`), as WebP. */
export async function frameAt(
  path: string,
  info: MediaInfo,
  t: number,
  height: number,
  opts: { signal?: AbortSignal | undefined; noUpscale?: boolean } = {},
): Promise<Buffer> {
  const h = opts.noUpscale ? Math.min(height, info.video?.height ?? height) : height;
  if (!info.video) throw new EngineError('not_video', 'the file has no video stream', 'media');
  // Seeking past the last frame yields nothing: stay half a second (or a tenth of the file) inside it.
  const at = Math.max(0, Math.min(t, info.durationSeconds - Math.min(0.5, info.durationSeconds / 10)));
  const chunks: Buffer[] = [];
  const run = await runFfmpeg(
    [
      '-ss',
      at.toFixed(3),
      ...inputArgs(path),
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-vf',
      `scale=-2:${h}`,
      '-f',
      'image2pipe',
      '-c:v',
      'png',
      'pipe:1',
    ],
    { signal: opts.signal, timeoutMs: TIMEOUT_MS, onStdout: (c) => chunks.push(c) },
  );
  // FFmpeg may have finished just as the abort came: nothing more is done for a cancelled preview.
  if (opts.signal?.aborted) throw cancelled();
  const png = Buffer.concat(chunks);
  if (run.code !== 0 || png.length === 0) throw failed(`read a frame at ${at.toFixed(1)} s`, run.stderr);
  return sharp(png).webp({ quality: 80 }).toBuffer();
}

/** The times (seconds) of a strip's frames: the middles of `n` equal slices of the video. */
export function stripTimes(durationSeconds: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i + 0.5) * durationSeconds) / n);
}

/** A thumbnail strip: `frames` frames side by side, as one WebP image. */
export async function thumbnailStrip(
  path: string,
  info: MediaInfo,
  frames: number = MEDIA_PREVIEW.stripFrames,
  height: number = MEDIA_PREVIEW.frameHeight,
  signal?: AbortSignal,
): Promise<Buffer> {
  // Cancelled before it starts: no FFmpeg is started at all.
  if (signal?.aborted) throw cancelled();
  // One failed frame stops the others; the strip settles only when every frame's FFmpeg has exited.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let settled: PromiseSettledResult<Buffer>[];
  try {
    settled = await Promise.allSettled(
      stripTimes(info.durationSeconds, frames).map((t) =>
        frameAt(path, info, t, height, { signal: stop.signal }).catch((err: unknown) => {
          stop.abort();
          throw err;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw cancelled();
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length) throw failures.find((e) => !(e instanceof EngineError && e.code === 'cancelled')) ?? failures[0];
  const images = settled.map((r) => (r as PromiseFulfilledResult<Buffer>).value);
  const metas = await Promise.all(images.map((b) => sharp(b).metadata()));
  const widths = metas.map((m) => m.width ?? height);
  let left = 0;
  const composite = images.map((input, i) => {
    const c = { input, left, top: 0 };
    left += widths[i] as number;
    return c;
  });
  return sharp({ create: { width: left, height, channels: 3, background: '#000000' } })
    .composite(composite)
    .webp({ quality: 75 })
    .toBuffer();
}

/**
 * Waveform peaks: the largest absolute sample of each of `bins` equal slices of the first audio
 * stream, decoded to mono 16-bit PCM at MEDIA_PREVIEW.waveformRate, as fractions of full scale.
 */
export async function waveformPeaks(path: string, info: MediaInfo, bins: number, signal?: AbortSignal): Promise<number[]> {
  if (!info.audio) throw new EngineError('no_audio', 'the file has no audio stream', 'media');
  const rate = MEDIA_PREVIEW.waveformRate;
  const expected = Math.max(1, Math.round(info.durationSeconds * rate));
  const perBin = Math.max(1, Math.ceil(expected / bins));
  const peaks = new Array<number>(bins).fill(0);
  let index = 0;
  let carry: Buffer | null = null;
  const run = await runFfmpeg([...inputArgs(path), '-map', '0:a:0', '-ac', '1', '-ar', String(rate), '-f', 's16le', 'pipe:1'], {
    signal,
    timeoutMs: TIMEOUT_MS * 5,
    onStdout: (chunk) => {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const whole = buf.length - (buf.length % 2);
      carry = whole < buf.length ? buf.subarray(whole) : null;
      for (let o = 0; o < whole; o += 2) {
        // The header's duration may be a little short: late samples go to the last bin.
        const b = Math.min(bins - 1, Math.floor(index / perBin));
        const v = Math.abs(buf.readInt16LE(o)) / 32768;
        if (v > (peaks[b] as number)) peaks[b] = v;
        index++;
      }
    },
  });
  if (signal?.aborted) throw cancelled();
  if (run.code !== 0 || index === 0) throw failed('decode the audio', run.stderr);
  return peaks.map((p) => Math.round(p * 1000) / 1000);
}
