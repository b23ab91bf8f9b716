/**
 * The media layer's view of one file for the library: its fingerprint (decoded in the pooled FFmpeg
 * processes, see media/ffmpeg.ts), the probe's facts about it and its SHA-256, ready to be stored
 * beside an asset's card fingerprints. Computed in the calling thread: the library goes through
 * media-pool.ts, which runs this on a worker thread.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { EngineError } from './errors.ts';
import type { MediaData } from './fingerprints.ts';
import { fingerprintMedia } from './media/index.ts';

async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** What a file's media data is for. */
export interface MediaDataOptions {
  /** Only stored, never used as a query: the keyframes' mirrored views are not computed (see FingerprintOptions.mirror). */
  forIndexOnly?: boolean;
}

/** Fingerprints an audio or video file; throws an EngineError naming what is wrong with a bad one. */
export async function mediaDataInThread(path: string, signal?: AbortSignal, opts: MediaDataOptions = {}): Promise<MediaData> {
  try {
    // The probe runs first: it turns a missing, empty or non-media file into a clear EngineError.
    const fp = await fingerprintMedia(path, { signal, mirror: !opts.forIndexOnly });
    return { fp: { audio: fp.audio, video: fp.video }, info: fp.info, sha256: await sha256File(path, signal) };
  } catch (err) {
    // Once cancelled, whatever the abort interrupted (a killed decode, the hashing stream, the
    // signal's own reason) is reported as the one cancelled error.
    if (signal?.aborted) throw new EngineError('cancelled', 'media processing was cancelled');
    throw err;
  }
}
