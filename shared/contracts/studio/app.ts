/** The studio's contract, app domain: what the studio is (version, mode, data folder, creator) and the media limits it enforces. */
import { z } from 'zod';
import { MEDIA_POLICY } from '../../policy/media.ts';
import type { HandlerMap } from './common.ts';

export interface MediaLimits {
  image: { formats: string[]; maxBytes: number; maxPixels: number };
  video: { formats: string[]; maxBytes: number };
  audio: { formats: string[]; maxBytes: number };
}

/** Media limits shown in the editor and enforced on import. */
export const MEDIA_LIMITS: MediaLimits = {
  image: { formats: ['png', 'jpeg', 'webp', 'gif', 'avif', 'tiff'], maxBytes: 50 * 1024 * 1024, maxPixels: 40_000_000 },
  video: { formats: ['mp4', 'mov', 'webm', 'mkv'], maxBytes: MEDIA_POLICY.limits.maxBytes },
  audio: { formats: ['mp3', 'ogg', 'opus', 'wav', 'flac', 'm4a'], maxBytes: MEDIA_POLICY.limits.maxBytes },
};

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  dataDir: string;
  creatorId: string;
  assetCount: number;
  limits: MediaLimits;
  /**
   * Damage the background check of a large library file found after it opened (null while none was
   * found): what is wrong, with the newest backup and how to restore it.
   */
  libraryDamage: LibraryDamage | null;
}

/** A library file found damaged after it opened (the `library.damaged` push, AppInfo.libraryDamage). */
export const LibraryDamage = z.object({ message: z.string(), backup: z.string().nullable() });
export type LibraryDamage = z.infer<typeof LibraryDamage>;

export const appInputs = {
  'app.info': z.object({}),
} as const;

export interface AppOutputs {
  'app.info': AppInfo;
}

export type AppHandlers = HandlerMap<typeof appInputs, AppOutputs>;
