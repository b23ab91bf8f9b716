/**
 * Real clip art for the engine benchmarks: every openclipart PNG of the allowed categories (read
 * recursively), a card per file named after it, and transformed copies of library images (crops,
 * rotations, mirroring, JPEG re-encoding, pasting into a larger image) to check against the library.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import type { AssetCard } from '../shared/asset.ts';
import { cropFrac, jpeg, mirror, pasteInto, rotate } from '../tests/helpers/image-transforms.ts';

export const CLIPART_ROOT = '/usr/share/openclipart/png';
export const CATEGORIES = ['transportation', 'food', 'animals', 'office', 'tools', 'buildings'] as const;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.png') ? [p] : [];
  });
}

/** Every PNG of the allowed categories, sorted (a stable order across runs). */
export function clipartFiles(root = CLIPART_ROOT): string[] {
  return CATEGORIES.flatMap((c) => walk(join(root, c))).sort();
}

/** A card for a clip-art file: its words as the name, its folder as a tag. */
export function cardOf(path: string): AssetCard {
  const words = basename(path, '.png')
    .replace(/[_\-.]+/g, ' ')
    .trim();
  const folder = basename(join(path, '..'));
  return { asset_type: 'item', name: words || folder, description: `${words} (${folder} clip art)`, tags: [folder] };
}

export const readImage = (p: string): Buffer => readFileSync(p);

/** The transformed copies a check is timed on (each a realistic re-upload of a library image). */
export const COPY_KINDS = ['crop60', 'rotate15', 'mirror', 'jpeg50', 'paste40'] as const;
export type CopyKind = (typeof COPY_KINDS)[number];

export async function transformed(bytes: Buffer, kind: CopyKind, background: Buffer): Promise<Buffer> {
  switch (kind) {
    case 'crop60':
      return cropFrac(bytes, { x: 0.1, y: 0.15, w: 0.6, h: 0.6 });
    case 'rotate15':
      return rotate(bytes, 15);
    case 'mirror':
      return mirror(bytes);
    case 'jpeg50':
      return jpeg(await sharp(bytes).flatten({ background: '#ffffff' }).resize(300, 300, { fit: 'inside' }).toBuffer(), 50);
    case 'paste40':
      return (await pasteInto(bytes, background, 800, 600, 0.4, 0.3, 0.6)).png;
  }
}
