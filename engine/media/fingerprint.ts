/**
 * Fingerprinting a media file end to end: probe (refuses bad files before decoding), decode in
 * pooled FFmpeg processes, then audio fingerprints (landmarks + Chromaprint) for the audio stream
 * and frame hashes plus keyframe local features for the video stream. Nothing is stored here: the caller adds the result to a
 * MediaIndex only once fingerprinting has fully succeeded.
 */
import type { MediaInfo } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import type { AudioFingerprint } from './audio-index.ts';
import { chromaprintRaw } from './chromaprint.ts';
import { decodeAudio, decodeFrames } from './decode.ts';
import { describeKeyframes } from './keyframes.ts';
import { computePeaks } from './landmarks.ts';
import { probeMedia } from './probe.ts';
import { type VideoFingerprint, videoFingerprintFromFrames } from './video.ts';

export interface MediaFingerprint {
  info: MediaInfo;
  audio: AudioFingerprint | null;
  video: VideoFingerprint | null;
}

export interface FingerprintOptions {
  signal?: AbortSignal;
  policy?: MediaPolicy;
  /**
   * Whether the keyframes get their mirrored views (default true). Only a query uses them (a
   * mirrored copy of a stored video is found by the query's mirrored view), and a library stores
   * the plain view alone, so a fingerprint that is only stored is made without them: describing
   * the mirror is about half of the keyframes' cost.
   */
  mirror?: boolean;
}

/** Audio fingerprints of mono PCM at policy.audio.sampleRate. */
export async function audioFingerprintFromPcm(pcm: Float32Array, policy: MediaPolicy = MEDIA_POLICY): Promise<AudioFingerprint> {
  const peaks = computePeaks(pcm, policy);
  const chromaprint = await chromaprintRaw(pcm, policy.audio.sampleRate);
  return { durationSeconds: pcm.length / policy.audio.sampleRate, peaks, chromaprint };
}

/** Probes, decodes and fingerprints the file at `path` (audio and, for a video, its frames too). */
export async function fingerprintMedia(path: string, opts: FingerprintOptions = {}): Promise<MediaFingerprint> {
  const policy = opts.policy ?? MEDIA_POLICY;
  const info = await probeMedia(path, { signal: opts.signal, limits: policy.limits });
  // One failing decode stops the other (a corrupt file should not keep a second FFmpeg busy).
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const failFast = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      stop.abort();
      throw err;
    });
  let pcm: Float32Array | null;
  let frames: Awaited<ReturnType<typeof decodeFrames>> | null;
  try {
    [pcm, frames] = await Promise.all([
      info.audio ? failFast(decodeAudio(path, info, { signal: stop.signal, policy })) : null,
      info.video ? failFast(decodeFrames(path, info, { signal: stop.signal, policy })) : null,
    ]);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  opts.signal?.throwIfAborted();
  const audio = pcm ? await audioFingerprintFromPcm(pcm, policy) : null;
  const video = frames ? videoFingerprintFromFrames(frames, policy) : null;
  if (video && frames?.keyframes) {
    opts.signal?.throwIfAborted();
    video.keyframes = await describeKeyframes(frames.keyframes.kept, frames.keyframes.geometry, opts.mirror ?? true, policy);
  }
  return { info, audio, video };
}
