/**
 * Reading assets from disk for the CLI and bulk import: an image or an audio/video file with an
 * optional sidecar card (`<name>.json` beside it), or a standalone asset card. Every failure is an EngineError naming
 * the file and, for cards, the offending field; folder walks skip links that loop or leave the
 * folder, with a reason per entry.
 */
import { type Stats, existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import type { AssetCard, AssetType } from '../shared/asset.ts';
import { parseAssetCard } from './cards.ts';
import { EngineError } from './errors.ts';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.avif', '.tif', '.tiff']);
/** Audio and video files the media layer fingerprints (the probe checks the actual container). */
export const MEDIA_EXTENSIONS = new Set(['.mp4', '.webm', '.mov', '.mkv', '.mp3', '.ogg', '.opus', '.wav', '.flac', '.m4a']);

export interface LoadedAsset {
  card: AssetCard;
  image?: Uint8Array | undefined;
  /** An audio/video file: fingerprinted from disk by the media layer (not read into memory here). */
  mediaPath?: string | undefined;
  /** The sidecar card used, if any. */
  cardPath?: string | undefined;
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'symbolic link loop',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error reading the disk',
};

/** A file-system error in words a person reads, with the errno code after (for searching). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words = code ? FS_ERRORS[code] : undefined;
  if (words) return `${words} (${code})`;
  return code ?? (err as Error).message;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new EngineError('unreadable_file', `cannot read the file: ${describeFsError(err)}`);
  }
}

export function readCardFile(path: string): AssetCard {
  const text = readBytes(path).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EngineError('bad_json', `${basename(path)} is not valid JSON: ${(err as Error).message}`);
  }
  const r = parseAssetCard(raw);
  if (!r.ok) throw new EngineError('bad_card', `${basename(path)}: ${r.message}`, r.field);
  return r.card;
}

function sidecarOf(imagePath: string): string {
  return imagePath.slice(0, imagePath.length - extname(imagePath).length) + '.json';
}

export function isImagePath(p: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(p).toLowerCase());
}

export function isMediaPath(p: string): boolean {
  return MEDIA_EXTENSIONS.has(extname(p).toLowerCase());
}

/**
 * Loads one asset: a standalone .json card, or an image or audio/video file (with its sidecar card
 * when present). An audio/video file is only checked to be a readable file here; the media layer
 * probes and decodes it.
 */
export function loadAssetFile(path: string, defaults: { type?: AssetType | undefined } = {}): LoadedAsset {
  if (extname(path).toLowerCase() === '.json') return { card: readCardFile(path) };
  const media = isMediaPath(path);
  let image: Buffer | undefined;
  if (media) {
    let st: Stats;
    try {
      st = statSync(path);
    } catch (err) {
      throw new EngineError('unreadable_file', `cannot read the file: ${describeFsError(err)}`);
    }
    if (!st.isFile()) throw new EngineError('unreadable_file', 'not a regular file');
  } else image = readBytes(path);
  const file = media ? { mediaPath: path } : { image };
  const side = sidecarOf(path);
  if (existsSync(side)) return { card: readCardFile(side), ...file, cardPath: side };
  const name = basename(path, extname(path));
  return { card: { asset_type: defaults.type ?? 'media', name, description: '', tags: [] }, ...file };
}

export interface DirEntry {
  /** Asset id: the path relative to the root, without extension, with / separators. */
  id: string;
  path: string;
}

export interface SkippedEntry {
  path: string;
  reason: string;
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Every image, audio/video file and standalone card under a folder (sidecar cards belong to their image).
 * Symbolic links are followed only while they stay inside the folder: a link that leaves it, a
 * broken link, a link loop (ELOOP, or a link back to a folder already walked) and an unreadable
 * folder are skipped with a reason, and the walk goes on.
 */
export function listAssetFiles(root: string, onSkip: (s: SkippedEntry) => void = () => {}): DirEntry[] {
  const out: DirEntry[] = [];
  const rootReal = realpathSync(root);
  const walked = new Set<string>();
  const walk = (dir: string, real: string) => {
    walked.add(real);
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => !n.startsWith('.'))
        .sort();
    } catch (err) {
      onSkip({ path: dir, reason: `cannot read the folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    const images = new Set(names.filter((n) => isImagePath(n) || isMediaPath(n)).map((n) => basename(n, extname(n))));
    for (const n of names) {
      const p = join(dir, n);
      let target = p;
      let st: Stats;
      try {
        if (lstatSync(p).isSymbolicLink()) {
          target = realpathSync(p);
          if (!inside(rootReal, target)) {
            onSkip({ path: p, reason: `symbolic link to ${target}, outside ${root}: not followed` });
            continue;
          }
        }
        st = statSync(target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        onSkip({
          path: p,
          reason:
            code === 'ELOOP'
              ? 'symbolic link loop: not followed'
              : code === 'ENOENT'
                ? 'broken symbolic link: its target does not exist'
                : `cannot read it: ${describeFsError(err)}`,
        });
        continue;
      }
      if (st.isDirectory()) {
        const real = target === p ? realpathSync(p) : target;
        if (walked.has(real)) onSkip({ path: p, reason: `symbolic link loop: ${real} is already being indexed` });
        else walk(p, real);
      } else if (
        st.isFile() &&
        (isImagePath(n) || isMediaPath(n) || (extname(n).toLowerCase() === '.json' && !images.has(basename(n, '.json'))))
      ) {
        const rel = relative(root, p);
        out.push({
          id: rel
            .slice(0, rel.length - extname(rel).length)
            .split(sep)
            .join('/'),
          path: p,
        });
      }
    }
  };
  walk(root, rootReal);
  return out;
}
