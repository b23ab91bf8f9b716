/**
 * The studio's contract, media domain: importing images and audio/video files, what a stored file
 * is (its probe), its waveform, the preview files the main process streams, and cancelling the
 * work still running on a file the editor has left.
 */
import { z } from 'zod';
import { MEDIA_PREVIEW, MediaCaller, MediaImageRequest } from '../../media-files.ts';
import { type HandlerMap, base64, sha256 } from './common.ts';

export interface ImageRef {
  sha: string;
  width: number;
  height: number;
  format: 'webp';
  bytes: number;
  /** The format of the file that was imported. */
  sourceFormat: string;
}

export interface MediaRef {
  sha: string;
  kind: 'image' | 'video' | 'audio';
  format: string;
  size: number;
}

/** A stored audio/video file as the editor shows it: what the probe read from its header. */
export interface MediaFileInfo extends MediaRef {
  kind: 'video' | 'audio';
  durationSeconds: number;
  /** FFmpeg's demuxer name (mov, matroska, ogg, …). */
  container: string;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  video: { codec: string; width: number; height: number; fps: number } | null;
}

/** Peaks of an audio track for drawing its waveform: per bin, the largest absolute sample (0..1). */
export interface Waveform {
  sha: string;
  durationSeconds: number;
  peaks: number[];
}

export const mediaInputs = {
  'images.import': z.object({ name: z.string().max(500), data: base64 }),
  'media.info': z.object({ sha: sha256 }),
  // Internal: called by the Electron main process only (after its file dialog, for the app:// protocol).
  'media.importPath': z.object({ path: z.string().min(1).max(4096), name: z.string().max(500).optional() }),
  'media.imageFile': MediaImageRequest,
  'media.waveform': z.object({
    sha: sha256,
    bins: z.number().int().min(16).max(4096).default(MEDIA_PREVIEW.waveformBins),
    caller: MediaCaller.optional(),
  }),
  // A view leaves a file (the editor: another one picked, the editor closed): the previews and
  // live-check fingerprint it asked for under `caller` stop waiting, and the work nobody else waits
  // for is stopped, its FFmpeg processes killed (a save's work is kept). Without `caller` only work
  // asked for without one is dropped: another view's work on the file goes on.
  'media.cancel': z.object({ sha: sha256, caller: MediaCaller.optional() }),
} as const;

export interface MediaOutputs {
  'images.import': ImageRef;
  'media.info': MediaFileInfo;
  'media.importPath': MediaRef;
  'media.imageFile': { path: string };
  'media.waveform': Waveform;
  /** How many jobs on the file were stopped (0: nothing was running, or another view still waits for it). */
  'media.cancel': { cancelled: number };
}

export type MediaHandlers = HandlerMap<typeof mediaInputs, MediaOutputs>;
