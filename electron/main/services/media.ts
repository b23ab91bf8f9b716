/**
 * The studio's media service: the file store (media-store.ts), the probe facts of each stored file,
 * cached previews (thumbnail strip, poster, frames as WebP; waveform peaks as JSON) under
 * `<data>/media-cache`, and each file's media fingerprint, computed once on the engine's media
 * worker (engine/media-pool.ts: FFmpeg processes plus a worker thread, never this event loop) and
 * kept for the live checks that follow every keystroke. Every such computation is a shared,
 * cancellable job (media-jobs.ts): a caller's AbortSignal, or cancel(sha, caller) when a view
 * leaves the file (only that view's waits), kills its FFmpeg processes once nobody waits for it,
 * and a cancelled preview writes nothing to the cache. An import by path takes a signal too.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaData } from '../../../engine/fingerprints.ts';
import { mediaData } from '../../../engine/media-pool.ts';
import { probeMedia } from '../../../engine/media/probe.ts';
import { ApiError, type MediaFileInfo, type MediaRef, type Waveform } from '../../../shared/api.ts';
import { MEDIA_PREVIEW, type MediaImageRequest } from '../../../shared/media-files.ts';
import type { MediaInfo } from '../../../shared/media.ts';
import type { MediaPolicy } from '../../../shared/policy/media.ts';
import { atomicWrite } from './images.ts';
import { frameAt, thumbnailStrip, waveformPeaks } from './media-preview.ts';
import { type JoinOptions, MediaJobs, cancelled } from './media-jobs.ts';
import { type IngestOptions, MediaStore } from './media-store.ts';

/** How a caller waits on a preview: its signal (it went away) and its view token (media.cancel). */
type Waiting = Pick<JoinOptions, 'signal' | 'caller'>;

/** Fingerprints kept in memory (a few MB each at most): the files the creator is working on. */
const FINGERPRINT_CACHE = 16;

export class StudioMedia {
  readonly store: MediaStore;
  readonly cacheDir: string;
  private readonly infos = new Map<string, MediaInfo>();
  /** Computed fingerprints, most recently used last. */
  private readonly fps = new Map<string, MediaData>();
  /** Previews and fingerprints being computed: concurrent requests for one share the work. */
  readonly jobs = new MediaJobs();

  constructor(dataDir: string, limits?: MediaPolicy['limits']) {
    this.store = new MediaStore(join(dataDir, 'media'), limits);
    this.cacheDir = join(dataDir, 'media-cache');
    mkdirSync(this.cacheDir, { recursive: true });
  }

  private remember(sha: string, info: MediaInfo): void {
    this.infos.set(sha, info);
  }

  /** Imports a local file; `signal` stops the copy and the probe's FFmpeg, storing nothing. */
  async importPath(path: string, name?: string, signal?: AbortSignal): Promise<MediaRef> {
    const { info, ...ref } = await this.store.importPath(path, name, signal);
    this.remember(ref.sha, info);
    return ref;
  }

  async ingest(source: Readable, name: string, opts?: IngestOptions): Promise<MediaRef> {
    const { info, ...ref } = await this.store.ingest(source, name, opts);
    this.remember(ref.sha, info);
    return ref;
  }

  private async probe(sha: string, signal?: AbortSignal): Promise<MediaInfo> {
    const known = this.infos.get(sha);
    if (known) return known;
    const info = await probeMedia(this.store.require(sha), { signal });
    this.remember(sha, info);
    return info;
  }

  async info(sha: string, signal?: AbortSignal): Promise<MediaFileInfo> {
    const path = this.store.require(sha);
    const i = await this.probe(sha, signal);
    return {
      sha,
      kind: i.kind,
      format: path.slice(path.lastIndexOf('.') + 1),
      size: i.bytes,
      durationSeconds: i.durationSeconds,
      container: i.container,
      audio: i.audio,
      video: i.video,
    };
  }

  /**
   * Runs `make` once per cache file of file `sha` (a shared, cancellable job); later calls read the
   * file. The cache file is written whole, and only when the job was not cancelled.
   */
  private cached(file: string, sha: string, make: (signal: AbortSignal) => Promise<Buffer | string>, wait: Waiting = {}): Promise<string> {
    const path = join(this.cacheDir, file);
    if (existsSync(path)) return Promise.resolve(path);
    return this.jobs.run(
      `preview:${file}`,
      sha,
      async (jobSignal) => {
        const data = await make(jobSignal);
        if (jobSignal.aborted) throw cancelled();
        atomicWrite(path, data);
        return path;
      },
      { signal: wait.signal, caller: wait.caller },
    );
  }

  /** The file's waveform peaks; `wait`: the caller's signal and view token (see MediaJobs.run). */
  async waveform(sha: string, bins: number = MEDIA_PREVIEW.waveformBins, wait: Waiting = {}): Promise<Waveform> {
    const path = this.store.require(sha);
    const info = await this.probe(sha, wait.signal);
    if (!info.audio) throw new ApiError('no_audio', 'this file has no audio track', 'sha', 404);
    const file = await this.cached(
      `${sha}.peaks-${bins}.json`,
      sha,
      async (s) => JSON.stringify(await waveformPeaks(path, info, bins, s)),
      wait,
    );
    return { sha, durationSeconds: info.durationSeconds, peaks: JSON.parse(readFileSync(file, 'utf8')) as number[] };
  }

  /** The cached preview image file for a request (made on first use; `r.caller`: the view asking). */
  async imageFile(r: MediaImageRequest, signal?: AbortSignal): Promise<{ path: string }> {
    const path = this.store.require(r.sha);
    const info = await this.probe(r.sha, signal);
    const wait: Waiting = { signal, caller: r.caller };
    if (!info.video) throw new ApiError('not_video', 'this file has no video to take frames from', 'sha', 404);
    if (r.kind === 'strip')
      return {
        path: await this.cached(`${r.sha}.strip.webp`, r.sha, (s) => thumbnailStrip(path, info, undefined, undefined, s), wait),
      };
    if (r.kind === 'poster') {
      const t = info.durationSeconds * MEDIA_PREVIEW.posterAt;
      return {
        path: await this.cached(
          `${r.sha}.poster.webp`,
          r.sha,
          (s) => frameAt(path, info, t, MEDIA_PREVIEW.posterHeight, { noUpscale: true, signal: s }),
          wait,
        ),
      };
    }
    const ms = r.ms ?? 0;
    return {
      path: await this.cached(
        `${r.sha}.f${ms}.webp`,
        r.sha,
        (s) => frameAt(path, info, ms / 1000, MEDIA_PREVIEW.pairFrameHeight, { noUpscale: true, signal: s }),
        wait,
      ),
    };
  }

  /**
   * The file's media fingerprint (computed on the media worker once, then kept). `signal` /
   * `pinned`: see MediaJobs.run; the live check joins unpinned, a save pinned.
   */
  async fingerprint(sha: string, opts: JoinOptions = {}): Promise<MediaData> {
    const known = this.fps.get(sha);
    if (known) {
      // Most recently used last.
      this.fps.delete(sha);
      this.fps.set(sha, known);
      return known;
    }
    const path = this.store.require(sha);
    const d = await this.jobs.run(`fingerprint:${sha}`, sha, (s) => mediaData(path, s), opts);
    this.fps.set(sha, d);
    if (this.fps.size > FINGERPRINT_CACHE) this.fps.delete(this.fps.keys().next().value as string);
    return d;
  }

  /**
   * Drops view `caller`'s waits on file `sha` (no caller: the waits that named none) — its live
   * check's fingerprint, its waveform and preview images, never a save's — and stops the work that
   * no one else waits for, killing its FFmpeg processes; returns how many jobs stopped.
   */
  cancel(sha: string, caller?: string): number {
    return this.jobs.cancel(sha, caller);
  }
}
