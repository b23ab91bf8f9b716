/**
 * Image sources for the generated eval: Debian's openclipart-png, only the categories set aside
 * for development. Files are shuffled by seed and accepted one by one unless they are the same
 * artwork as one already accepted (a symlink or identical bytes, a name variant such as bus2 /
 * bus2_bw, or a near-identical silhouette or picture in any of the 8 rotations/reflections: recolours,
 * mirrored or turned pictograms), then split into library items,
 * unrelated items and host pictures, disjoint by artwork.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { type ImageBase } from './image-gen.ts';
import { type RawImage, flatten, toRaw, toSharp, transparentShare } from './raw.ts';
import type { Rng } from './rng.ts';

export const CLIPART_ROOT = '/usr/share/openclipart/png';
/** The only categories the eval may use; the others are kept for evaluating the product. */
export const DEV_CATEGORIES = ['transportation', 'food', 'animals', 'office', 'tools', 'buildings'] as const;
/** Longest side of a library image (the art is scaled down to it, never up). */
export const LIBRARY_SIZE = 384;

/** An image as the pools hold it: scaled down to LIBRARY_SIZE on its longer side (never up), transparency kept. */
export function atLibrarySize(bytes: Buffer): Promise<RawImage> {
  return toRaw(sharp(bytes).resize(LIBRARY_SIZE, LIBRARY_SIZE, { fit: 'inside', withoutEnlargement: true }));
}

/** A clip-art file's content as a hash of its bytes (null when unreadable): the label audit's identical copies. */
export function clipartContent(file: string): string | null {
  try {
    return createHash('sha256')
      .update(readFileSync(join(CLIPART_ROOT, file)))
      .digest('hex');
  } catch {
    return null;
  }
}

/** A file under CLIPART_ROOT as the pools hold it (atLibrarySize). */
export const clipartAtLibrarySize = (file: string): Promise<RawImage> => atLibrarySize(readFileSync(join(CLIPART_ROOT, file)));

export interface ImageSource extends ImageBase {
  /** Path under the openclipart root, e.g. "animals/bison_leif_lodahl_01.png". */
  file: string;
  /** Share of transparent pixels in the source art. */
  transparent: number;
}

export function listClipart(root = CLIPART_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.png') && (e.isFile() || (e.isSymbolicLink() && statSync(p).isFile()))) out.push(relative(root, p));
    }
  };
  if (!existsSync(root)) throw new Error(`${root} is missing: install it with \`apt-get install -y openclipart-png\``);
  for (const c of DEV_CATEGORIES) if (existsSync(join(root, c))) walk(join(root, c));
  return out.sort();
}

function nameTokens(file: string): string[] {
  const base = (file.split('/').pop() as string).replace(/\.png$/i, '').toLowerCase();
  return base.split(/[_\-\s.]+/).filter((t) => t && !/^\d+$/.test(t));
}

/** bus2 / bus2_bw, sleeping_cat_x / sleeping_cat_y: the same artwork is often saved under variant names. */
export function relatedNames(a: string, b: string): boolean {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return false;
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  if (short.every((t, i) => long[i] === t)) return true;
  return ta.length >= 2 && tb.length >= 2 && ta[0] === tb[0] && ta[1] === tb[1];
}

/** 256-bit sign hash of a 16×16 reduction of one channel (alpha: silhouette; grey: picture), row-major. */
async function channelHash(img: RawImage, channel: 'alpha' | 'grey'): Promise<Uint8Array> {
  const s = toSharp(channel === 'alpha' ? img : flatten(img));
  const small = await (channel === 'alpha' ? s.extractChannel(3) : s.removeAlpha().greyscale())
    .resize(16, 16, { fit: 'fill' })
    .raw()
    .toBuffer();
  const mean = small.reduce((a, v) => a + v, 0) / small.length;
  return Uint8Array.from(small, (v) => (v > mean ? 1 : 0));
}

/**
 * The 8 rotations/reflections of a 16×16 grid, with whether each swaps the axes: a left arrow and
 * a right arrow, or an up arrow and a down arrow, are one pictogram.
 */
export function dihedral(grid: Uint8Array): { bits: Uint8Array; swaps: boolean }[] {
  const maps: [(x: number, y: number) => number, boolean][] = [
    [(x, y) => y * 16 + x, false],
    [(x, y) => y * 16 + (15 - x), false],
    [(x, y) => (15 - y) * 16 + x, false],
    [(x, y) => (15 - y) * 16 + (15 - x), false],
    [(x, y) => x * 16 + y, true],
    [(x, y) => x * 16 + (15 - y), true],
    [(x, y) => (15 - x) * 16 + y, true],
    [(x, y) => (15 - x) * 16 + (15 - y), true],
  ];
  return maps.map(([m, swaps]) => {
    const bits = new Uint8Array(256);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) bits[y * 16 + x] = grid[m(x, y)] as number;
    return { bits, swaps };
  });
}

const distance = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);

interface Candidate extends ImageSource {
  real: string;
  sha: string;
  aspect: number;
  mask: Uint8Array;
  grey: Uint8Array;
}

function sameArtwork(a: Candidate, b: Candidate): boolean {
  if (a.real === b.real || a.sha === b.sha || relatedNames(a.file, b.file)) return true;
  // Silhouettes only say something when both pieces of art have transparency around them.
  const masks = a.transparent > 0.05 && b.transparent > 0.05;
  const [ma, ga] = [dihedral(a.mask), dihedral(a.grey)];
  return ma.some(({ bits, swaps }, i) => {
    if (Math.abs(Math.log((swaps ? 1 / a.aspect : a.aspect) / b.aspect)) > 0.08) return false;
    return (masks && distance(bits, b.mask) <= 20) || distance((ga[i] as { bits: Uint8Array }).bits, b.grey) <= 20;
  });
}

async function load(root: string, file: string): Promise<Candidate | null> {
  const path = join(root, file);
  const bytes = readFileSync(path);
  let rgba: RawImage;
  try {
    rgba = await atLibrarySize(bytes);
  } catch {
    return null; // A few files are over libvips' pixel limit or unreadable: not usable as art.
  }
  if (Math.min(rgba.width, rgba.height) < 48) return null;
  const transparent = transparentShare(rgba);
  if (transparent > 0.97) return null;
  return {
    file,
    real: realpathSync(path),
    sha: createHash('sha256').update(bytes).digest('hex'),
    rgba,
    flat: flatten(rgba),
    transparent,
    aspect: rgba.width / rgba.height,
    mask: await channelHash(rgba, 'alpha'),
    grey: await channelHash(rgba, 'grey'),
  };
}

export interface ImagePools {
  library: ImageSource[];
  unrelated: ImageSource[];
  hosts: ImageSource[];
}

/** Draws disjoint artworks for the three roles; fails when the collection has too few. */
export async function selectImages(
  rng: Rng,
  counts: { library: number; unrelated: number; hosts: number },
  root = CLIPART_ROOT,
): Promise<ImagePools> {
  const want = counts.library + counts.unrelated + counts.hosts;
  const accepted: Candidate[] = [];
  for (const file of rng.shuffle(listClipart(root))) {
    if (accepted.length >= want) break;
    const c = await load(root, file);
    if (c && !accepted.some((a) => sameArtwork(a, c))) accepted.push(c);
  }
  if (accepted.length < want) throw new Error(`only ${accepted.length} distinct artworks in ${root}, need ${want}`);
  const strip = ({ file, rgba, flat, transparent }: Candidate): ImageSource => ({ file, rgba, flat, transparent });
  return {
    library: accepted.slice(0, counts.library).map(strip),
    unrelated: accepted.slice(counts.library, counts.library + counts.unrelated).map(strip),
    hosts: accepted.slice(counts.library + counts.unrelated).map(strip),
  };
}
