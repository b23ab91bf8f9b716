/**
 * Decoding through FFmpeg child processes (pooled and cancellable, see ffmpeg.ts): audio to mono
 * 32-bit float PCM at the policy's fixed rate, video to small grayscale frames at a fixed frame
 * rate, both streamed over a pipe. A file that decodes to much less than its header promised, or
 * that FFmpeg cannot decode, is refused as corrupt or truncated.
 */
import type { ChildProcess } from 'node:child_process';
import type { MediaInfo } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';
import { inputArgs, runFfmpeg } from './ffmpeg.ts';
import { type KeyframeGeometry, type KeyframePixels, KeyframeSampler, keyframeGeometry } from './keyframes.ts';

export interface DecodeOptions {
  signal?: AbortSignal;
  /** Called with each FFmpeg process started (for diagnostics and tests). */
  onSpawn?: (child: ChildProcess) => void;
  policy?: MediaPolicy;
}

/** Growable byte sink with a hard cap (a header that lies about the duration cannot exhaust memory). */
class Sink {
  private buf: Buffer;
  length = 0;
  constructor(
    initial: number,
    private readonly cap: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, Math.min(initial, cap)));
  }
  push(c: Buffer): void {
    if (this.length + c.length > this.cap)
      throw new EngineError('too_long', 'the decoded media is longer than its header said and the limit allows');
    if (this.length + c.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.min(this.cap, Math.max(this.buf.length * 2, this.length + c.length)));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    c.copy(this.buf, this.length);
    this.length += c.length;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function failure(stderr: string, what: string): EngineError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /error|invalid|corrupt|truncat|missing|not found/i.test(l));
  const why = lines.slice(-2).join('; ') || 'FFmpeg stopped without a reason';
  return new EngineError('corrupt_media', `the ${what} could not be decoded (corrupt or truncated file): ${why}`, 'file');
}

/** FFmpeg warnings that mean the stream itself is damaged (not merely unusual). */
const DAMAGE =
  /corrupt|partial file|invalid data found|invalid nal|error while decoding|truncat|concealing|header damaged|overread|missing picture|invalid frame/i;

function checkComplete(decodedSeconds: number, info: MediaInfo, stderr: string, what: string): void {
  const damage = stderr.split('\n').find((l) => DAMAGE.test(l));
  if (damage) throw new EngineError('corrupt_media', `the ${what} is damaged or truncated: ${damage.trim()}`, 'file');
  // Container durations are approximate (priming samples, last frame length): allow 10 % + 1 s.
  if (decodedSeconds < info.durationSeconds * 0.9 - 1) {
    throw new EngineError(
      'truncated_media',
      `the ${what} stops after ${decodedSeconds.toFixed(1)} s of the ${info.durationSeconds.toFixed(1)} s its header promises (truncated or corrupt)${stderr ? `: ${stderr.split('\n')[0]}` : ''}`,
      'file',
    );
  }
}

/** Decodes the first audio stream of a probed file to mono float PCM at policy.audio.sampleRate. */
export async function decodeAudio(path: string, info: MediaInfo, opts: DecodeOptions = {}): Promise<Float32Array> {
  const policy = opts.policy ?? MEDIA_POLICY;
  if (!info.audio) throw new EngineError('no_audio', 'the file has no audio stream', 'file');
  const rate = policy.audio.sampleRate;
  const cap = Math.ceil((info.durationSeconds * 1.1 + 2) * rate) * 4;
  const sink = new Sink(Math.ceil(info.durationSeconds * rate) * 4 + 4096, cap);
  const run = await runFfmpeg(
    ['-v', 'warning', ...inputArgs(path), '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'],
    {
      signal: opts.signal,
      onSpawn: opts.onSpawn,
      onStdout: (c) => sink.push(c),
    },
  );
  if (run.code !== 0 || sink.length < 4) throw failure(run.stderr, 'audio');
  const n = Math.floor(sink.length / 4);
  const pcm = new Float32Array(n);
  const b = sink.bytes();
  for (let i = 0; i < n; i++) pcm[i] = b.readFloatLE(i * 4);
  checkComplete(n / rate, info, run.stderr, 'audio');
  return pcm;
}

export interface DecodedFrames {
  /** side × side grayscale matrices, one per 1 / fps seconds from the start. */
  frames: Uint8Array[];
  side: number;
  fps: number;
  /** Keyframes at the local layer's working size (keyframes.ts), from the same decode. */
  keyframes?: { geometry: KeyframeGeometry; kept: KeyframePixels[] } | undefined;
}

/**
 * Decodes the first video stream to side×side grayscale frames at policy.video.decodeFps and, in
 * the same FFmpeg run (a split filter, the second output on pipe 3), to keyframes at the local
 * layer's working size (keyframes.ts) unless `keyframes` is false.
 */
export async function decodeFrames(
  path: string,
  info: MediaInfo,
  opts: DecodeOptions & { keyframes?: boolean } = {},
): Promise<DecodedFrames> {
  const policy = opts.policy ?? MEDIA_POLICY;
  if (!info.video) throw new EngineError('no_video', 'the file has no video stream', 'file');
  const { decodeFps: fps, frameSide: side } = policy.video;
  const frameBytes = side * side;
  const cap = Math.ceil((info.durationSeconds * 1.1 + 2) * fps) * frameBytes;
  const sink = new Sink(Math.ceil(info.durationSeconds * fps) * frameBytes + frameBytes, cap);
  const small = `fps=${fps},scale=${side}:${side}:flags=area,format=gray`;
  const geometry = opts.keyframes === false ? null : keyframeGeometry(info, policy);
  const sampler = geometry ? new KeyframeSampler(geometry, policy) : null;
  const args = geometry
    ? [
        '-filter_complex',
        `[0:v:0]split=2[a][b];[a]${small}[small];[b]fps=1/${geometry.interval.toFixed(4)},scale=${geometry.width}:${geometry.height}:flags=area,format=gray[key]`,
        '-map',
        '[small]',
        '-f',
        'rawvideo',
        'pipe:1',
        '-map',
        '[key]',
        '-f',
        'rawvideo',
        'pipe:3',
      ]
    : ['-map', '0:v:0', '-an', '-sn', '-vf', small, '-f', 'rawvideo', '-'];
  const run = await runFfmpeg(['-v', 'warning', ...inputArgs(path), ...args], {
    signal: opts.signal,
    onSpawn: opts.onSpawn,
    onStdout: (c) => sink.push(c),
    onPipe3: sampler ? (c) => sampler.push(c) : undefined,
  });
  const count = Math.floor(sink.length / frameBytes);
  if (run.code !== 0 || count === 0) throw failure(run.stderr, 'video');
  const all = sink.bytes();
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) frames.push(new Uint8Array(all.subarray(i * frameBytes, (i + 1) * frameBytes)));
  checkComplete(count / fps, info, run.stderr, 'video');
  return { frames, side, fps, keyframes: geometry && sampler ? { geometry, kept: sampler.kept } : undefined };
}
