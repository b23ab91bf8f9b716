/**
 * Probing: reads a media file's header with `ffmpeg -i` (the bundled static FFmpeg ships no
 * ffprobe) and refuses, before anything is decoded, files that are not audio/video at all, in an
 * unaccepted container, with streams other than audio/video (except the kinds the policy ignores,
 * such as a phone's timecode data stream), too long, too large, too many pixels
 * or too many frames per second. Every refusal is an EngineError with a stable code.
 */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { MediaInfo } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';
import { inputArgs, runFfmpeg } from './ffmpeg.ts';

type Limits = MediaPolicy['limits'];

const pathSchema = z.string().min(1, 'a media file path is required');

interface ParsedStream {
  type: string;
  codec: string;
  line: string;
  /** Degrees the player turns the picture (rotate tag or display matrix), 0 when none. */
  rotation: number;
}

/** The rotation a stream's metadata or side data asks the player for, from its lines of `ffmpeg -i`. */
function rotationOf(block: string): number {
  const tag = /^\s*rotate\s*:\s*(-?\d+(?:\.\d+)?)/m.exec(block);
  const matrix = /displaymatrix: rotation of (-?\d+(?:\.\d+)?) degrees/.exec(block);
  const r = Number((matrix ?? tag)?.[1] ?? 0);
  return Number.isFinite(r) ? Math.round(r) : 0;
}

/** Parses the "Input #0" block of `ffmpeg -i` output. Exported for tests. */
export function parseProbe(stderr: string): {
  container: string | null;
  durationSeconds: number | null;
  streams: ParsedStream[];
} {
  const input = /^Input #0, ([^ ]+), from /m.exec(stderr);
  const container = input ? ((input[1] as string).replace(/,$/, '').split(',')[0] ?? null) : null;
  const dur = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(stderr);
  const durationSeconds = dur ? Number(dur[1]) * 3600 + Number(dur[2]) * 60 + Number(dur[3]) : null;
  const streams: ParsedStream[] = [];
  const found = [...stderr.matchAll(/^\s*Stream #0:\d+[^:]*: (\w+): ([^\s,]+)(.*)$/gm)];
  found.forEach((m, i) => {
    // The stream's own metadata and side data follow its line, up to the next stream.
    const block = stderr.slice((m.index ?? 0) + m[0].length, found[i + 1]?.index ?? stderr.length);
    streams.push({ type: m[1] as string, codec: m[2] as string, line: m[0].trim(), rotation: rotationOf(block) });
  });
  return { container, durationSeconds, streams };
}

function videoGeometry(line: string): { width: number; height: number; fps: number } {
  const size = /, (\d{1,6})x(\d{1,6})[ ,]/.exec(line);
  const fps = /, ([\d.]+)(k?) fps/.exec(line) ?? /, ([\d.]+)(k?) tbr/.exec(line);
  return {
    width: size ? Number(size[1]) : 0,
    height: size ? Number(size[2]) : 0,
    fps: fps ? Number(fps[1]) * (fps[2] === 'k' ? 1000 : 1) : 0,
  };
}

function audioFormat(line: string): { sampleRate: number; channels: number } {
  const rate = /, (\d+) Hz/.exec(line);
  const ch = /Hz, ([^,]+),/.exec(line);
  const layout = ch ? (ch[1] as string).trim() : '';
  const named: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, quad: 4, '5.0': 5, '5.1': 6, '7.1': 8 };
  const channels = named[layout.replace(/\(.*\)/, '')] ?? (Number.parseInt(layout, 10) || 1);
  return { sampleRate: rate ? Number(rate[1]) : 0, channels };
}

/** Reads and checks the header of the media file at `path`. Decodes nothing. */
export async function probeMedia(path: string, opts: { signal?: AbortSignal; limits?: Limits } = {}): Promise<MediaInfo> {
  const file = pathSchema.parse(path);
  const limits = opts.limits ?? MEDIA_POLICY.limits;
  let bytes: number;
  try {
    bytes = (await stat(file)).size;
  } catch (err) {
    throw new EngineError('file_not_found', `cannot read the media file: ${(err as Error).message}`, 'file');
  }
  if (bytes === 0) throw new EngineError('empty_file', 'the file is empty (0 bytes)', 'file');
  if (bytes > limits.maxBytes) {
    throw new EngineError('file_too_large', `the file is ${bytes} bytes, above the ${limits.maxBytes}-byte limit`, 'file');
  }
  const run = await runFfmpeg(inputArgs(file), { signal: opts.signal, timeoutMs: limits.probeTimeoutMs });
  const p = parseProbe(run.stderr);
  if (!p.container) {
    throw new EngineError('not_media', 'not a readable audio or video file (damaged, truncated, or not media at all)', 'file');
  }
  if (!limits.containers.includes(p.container)) {
    throw new EngineError('unsupported_container', `"${p.container}" is not an accepted audio/video container`, 'file');
  }
  // Data streams (a phone's timecode or metadata track) are ignored by default: limits.ignoredStreams.
  const ignored = new Set(limits.ignoredStreams.map((k) => k.toLowerCase()));
  const extra = p.streams.filter((s) => !(s.type === 'Audio' || s.type === 'Video') && !ignored.has(s.type.toLowerCase()));
  if (extra.length > 0) {
    throw new EngineError(
      'unsupported_streams',
      `the file holds streams other than audio and video (${extra.map((s) => `${s.type.toLowerCase()}: ${s.codec}`).join(', ')})`,
      'file',
    );
  }
  const videos = p.streams.filter((s) => s.type === 'Video' && !s.line.includes('(attached pic)'));
  const audios = p.streams.filter((s) => s.type === 'Audio');
  if (videos.length === 0 && audios.length === 0) throw new EngineError('not_media', 'the file has no audio or video stream', 'file');
  const kind = videos.length > 0 ? 'video' : 'audio';
  const v = videos[0];
  let video: MediaInfo['video'] = null;
  if (v) {
    const coded = videoGeometry(v.line);
    // FFmpeg turns the picture upright when it decodes: the frame size the decoders get (and a
    // person sees) is the coded one turned by the stream's rotation.
    const g = Math.abs(v.rotation % 180) === 90 ? { ...coded, width: coded.height, height: coded.width } : coded;
    if (g.width <= 0 || g.height <= 0) throw new EngineError('corrupt_media', 'the video stream has no frame size', 'file');
    if (g.width > limits.maxWidth || g.height > limits.maxHeight || g.width * g.height > limits.maxPixels) {
      throw new EngineError(
        'too_many_pixels',
        `the video is ${g.width}×${g.height}, above the ${limits.maxWidth}×${limits.maxHeight} (${(limits.maxPixels / 1e6).toFixed(1)}-megapixel) limit`,
        'file',
      );
    }
    if (g.fps > limits.maxFps) {
      throw new EngineError('frame_rate_too_high', `the video runs at ${g.fps} fps, above the ${limits.maxFps}-fps limit`, 'file');
    }
    video = { codec: v.codec, ...g };
  }
  const dur = p.durationSeconds;
  if (dur === null || !Number.isFinite(dur)) {
    throw new EngineError('unknown_duration', 'the file does not say how long it is (damaged or a raw stream)', 'file');
  }
  const maxDur = kind === 'video' ? limits.maxVideoSeconds : limits.maxAudioSeconds;
  if (dur > maxDur) {
    throw new EngineError('too_long', `the ${kind} lasts ${Math.round(dur)} s, above the ${maxDur}-second limit`, 'file');
  }
  if (dur < limits.minSeconds) {
    throw new EngineError('too_short', `the ${kind} lasts ${dur.toFixed(2)} s, below the ${limits.minSeconds}-second minimum`, 'file');
  }
  const a = audios[0];
  const audio = a ? { codec: a.codec, ...audioFormat(a.line) } : null;
  return { kind, container: p.container, durationSeconds: dur, bytes, audio, video };
}
