/**
 * The studio's media service: the file store (media-store.ts), the probe facts of each stored file,
 * cached previews (thumbnail strip, poster, frames as WebP; waveform peaks as JSON) under
 * `<data>/media-cache`, and each file's media fingerprint, computed once on the engine's media
 * worker (engine/media-pool.ts: FFmpeg processes plus a worker thread, never this event loop) and
 * kept for the live checks that follow every keystroke.
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
import { type IngestOptions, MediaStore } from './media-store.ts';

/** Fingerprints kept in memory (a few MB each at most): the files the creator is working on. */
const FINGERPRINT_CACHE = 16;

export class StudioMedia {
  readonly store: MediaStore;
  readonly cacheDir: string;
  private readonly infos = new Map<string, MediaInfo>();
  private readonly fps = new Map<string, Promise<MediaData>>();
  /** Previews being computed, so concurrent requests for one share the work. */
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(dataDir: string, limits?: MediaPolicy['limits']) {
    this.store = new MediaStore(join(dataDir, 'media'), limits);
    this.cacheDir = join(dataDir, 'media-cache');
    mkdirSync(this.cacheDir, { recursive: true });
  }

  private remember(sha: string, info: MediaInfo): void {
    this.infos.set(sha, info);
  }

  async importPath(path: string, name?: string): Promise<MediaRef> {
    const { info, ...ref } = await this.store.importPath(path, name);
    this.remember(ref.sha, info);
    return ref;
  }

  async ingest(source: Readable, name: string, opts?: IngestOptions): Promise<MediaRef> {
    const { info, ...ref } = await this.store.ingest(source, name, opts);
    this.remember(ref.sha, info);
    return ref;
  }

  private async probe(sha: string): Promise<MediaInfo> {
    const known = this.infos.get(sha);
    if (known) return known;
    const info = await probeMedia(this.store.require(sha));
    this.remember(sha, info);
    return info;
  }

  async info(sha: string): Promise<MediaFileInfo> {
    const path = this.store.require(sha);
    const i = await this.probe(sha);
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

  /** Runs `make` once per cache file; later calls read the file. */
  private cached(file: string, make: () => Promise<Buffer | string>): Promise<string> {
    const path = join(this.cacheDir, file);
    if (existsSync(path)) return Promise.resolve(path);
    let p = this.inflight.get(path) as Promise<string> | undefined;
    if (!p) {
      p = make()
        .then((data) => {
          atomicWrite(path, data);
          return path;
        })
        .finally(() => this.inflight.delete(path));
      this.inflight.set(path, p);
    }
    return p;
  }

  async waveform(sha: string, bins: number = MEDIA_PREVIEW.waveformBins): Promise<Waveform> {
    const path = this.store.require(sha);
    const info = await this.probe(sha);
    if (!info.audio) throw new ApiError('no_audio', 'this file has no audio track', 'sha', 404);
    const file = await this.cached(`${sha}.peaks-${bins}.json`, async () => JSON.stringify(await waveformPeaks(path, info, bins)));
    return { sha, durationSeconds: info.durationSeconds, peaks: JSON.parse(readFileSync(file, 'utf8')) as number[] };
  }

  /** The cached preview image file for a request (made on first use). */
  async imageFile(r: MediaImageRequest): Promise<{ path: string }> {
    const path = this.store.require(r.sha);
    const info = await this.probe(r.sha);
    if (!info.video) throw new ApiError('not_video', 'this file has no video to take frames from', 'sha', 404);
    if (r.kind === 'strip') return { path: await this.cached(`${r.sha}.strip.webp`, () => thumbnailStrip(path, info)) };
    if (r.kind === 'poster') {
      const t = info.durationSeconds * MEDIA_PREVIEW.posterAt;
      return {
        path: await this.cached(`${r.sha}.poster.webp`, () => frameAt(path, info, t, MEDIA_PREVIEW.posterHeight, { noUpscale: true })),
      };
    }
    const ms = r.ms ?? 0;
    return {
      path: await this.cached(`${r.sha}.f${ms}.webp`, () =>
        frameAt(path, info, ms / 1000, MEDIA_PREVIEW.pairFrameHeight, { noUpscale: true }),
      ),
    };
  }

  /** The file's media fingerprint (computed on the media worker once, then kept). */
  fingerprint(sha: string): Promise<MediaData> {
    let p = this.fps.get(sha);
    if (!p) {
      p = mediaData(this.store.require(sha));
      p.catch(() => this.fps.delete(sha));
      this.fps.set(sha, p);
      if (this.fps.size > FINGERPRINT_CACHE) this.fps.delete(this.fps.keys().next().value as string);
    } else {
      // Most recently used last.
      this.fps.delete(sha);
      this.fps.set(sha, p);
    }
    return p;
  }
}
