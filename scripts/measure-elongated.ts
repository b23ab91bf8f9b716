/**
 * Copies of the elongated dev images (3.5:1 or longer once their border is trimmed), one per image
 * generator family, each verified against its source by the local layer alone, with the working
 * frame cut by its longest side only (policy local.elongated off) and as the engine cuts it now.
 *
 *   npx tsx scripts/measure-elongated.ts [--seed N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { z } from 'zod';
import { extractLocalFeaturesInThread } from '../engine/image/local/extract.ts';
import type { LocalFeatureSet } from '../engine/image/local/types.ts';
import { verify } from '../engine/image/local/verify.ts';
import { UNIQUENESS_POLICY } from '../shared/policy/uniqueness.ts';
import type { ImageContext } from './eval/image-family.ts';
import { drawImageSteps, renderImage } from './eval/image-gen.ts';
import { CLIPART_ROOT, atLibrarySize, listClipart } from './eval/image-sources.ts';
import { type RawImage, encodePng, flatten, toRaw } from './eval/raw.ts';
import { Rng } from './eval/rng.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '7' } } });
const seed = z.coerce.number().int().nonnegative().parse(values.seed);
const P = UNIQUENESS_POLICY.local;
const rule = P.elongated as { minShort: number; maxLong: number };
const SETTINGS = [
  { name: 'longest side only', minShort: 0, maxLong: 1 },
  { name: 'local.elongated', ...UNIQUENESS_POLICY.local.elongated },
];
const FAMILIES = ['crop', 'rotate', 'shear', 'perspective', 'paste', 'stretch', 'mirror', 'blur', 'combo'];
// Paste hosts: dev images that are not elongated.
const HOSTS = ['food/fruit/banana.png', 'office/lcd_monitor_shandy_brown_.png', 'buildings/homes/abitazione_villa_con_gi_01.png'];

const read = (file: string) => readFileSync(join(CLIPART_ROOT, file));
const elongated: string[] = [];
for (const file of listClipart()) {
  // Files over sharp's pixel limit are left out (the engine refuses them too).
  const trimmed = await sharp(read(file))
    .flatten({ background: '#ffffff' })
    .trim({ threshold: 10 })
    .toBuffer({ resolveWithObject: true })
    .catch(() => null);
  if (!trimmed) continue;
  const { width, height } = trimmed.info;
  if (Math.max(width, height) >= 3.5 * Math.min(width, height)) elongated.push(file);
}
const hosts = new Map<string, RawImage>();
for (const h of HOSTS) hosts.set(h, flatten(await toRaw(sharp(read(h)))));
const ctx: ImageContext = { hosts: HOSTS, loadHost: async (f) => hosts.get(f) as RawImage };

const found = SETTINGS.map(() => 0);
let copies = 0;
for (const file of elongated) {
  const rgba = await atLibrarySize(read(file));
  const base = { rgba, flat: flatten(rgba) };
  const libraryBytes = await encodePng(base.flat);
  // The source described once per setting (the frame rule changes it), for all of its copies.
  const libraries = [];
  for (const s of SETTINGS) {
    Object.assign(rule, { minShort: s.minShort, maxLong: s.maxLong });
    libraries.push(await extractLocalFeaturesInThread(libraryBytes, { mirror: false }));
  }
  const row: string[] = [];
  for (const family of FAMILIES) {
    const copy = await renderImage(base, drawImageSteps(new Rng(seed, file).fork(family), family, ctx), ctx);
    copies++;
    let marks = '';
    for (const [k, s] of SETTINGS.entries()) {
      Object.assign(rule, { minShort: s.minShort, maxLong: s.maxLong });
      const q = await extractLocalFeaturesInThread(copy.bytes);
      const hit = verify(q, libraries[k] as LocalFeatureSet, P) !== null;
      if (hit) found[k] = (found[k] ?? 0) + 1;
      marks += hit ? 'Y' : '.';
    }
    row.push(`${family}:${marks}`);
  }
  console.log(file.padEnd(52), row.join(' '));
}
console.log(
  `seed ${seed}: ${elongated.length} elongated images, ${copies} copies; found ${SETTINGS.map((s, k) => `${s.name} ${found[k]}`).join(', ')}`,
);
process.exit(0);
