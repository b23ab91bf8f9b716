/**
 * Reading assets from disk for the CLI and bulk import: an image with an optional sidecar card
 * (`<name>.json` beside it), or a standalone asset card. Every failure is an EngineError naming
 * the file and, for cards, the offending field.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import type { AssetCard, AssetType } from '../shared/asset.ts';
import { parseAssetCard } from './cards.ts';
import { EngineError } from './errors.ts';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.avif', '.tif', '.tiff']);

export interface LoadedAsset {
  card: AssetCard;
  image?: Uint8Array | undefined;
  /** The sidecar card used, if any. */
  cardPath?: string | undefined;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new EngineError('unreadable_file', `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
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

/** Loads one asset: a standalone .json card, or an image (with its sidecar card when present). */
export function loadAssetFile(path: string, defaults: { type?: AssetType | undefined } = {}): LoadedAsset {
  if (extname(path).toLowerCase() === '.json') return { card: readCardFile(path) };
  const image = readBytes(path);
  const side = sidecarOf(path);
  if (existsSync(side)) return { card: readCardFile(side), image, cardPath: side };
  const name = basename(path, extname(path));
  return { card: { asset_type: defaults.type ?? 'media', name, description: '', tags: [] }, image };
}

export interface DirEntry {
  /** Asset id: the path relative to the root, without extension, with / separators. */
  id: string;
  path: string;
}

/** Every image and every standalone card under a folder (sidecar cards belong to their image). */
export function listAssetFiles(root: string): DirEntry[] {
  const out: DirEntry[] = [];
  const walk = (dir: string) => {
    const names = readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .sort();
    const images = new Set(names.filter((n) => isImagePath(n)).map((n) => basename(n, extname(n))));
    for (const n of names) {
      const p = join(dir, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (isImagePath(n) || (extname(n).toLowerCase() === '.json' && !images.has(basename(n, '.json')))) {
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
  walk(root);
  return out;
}
