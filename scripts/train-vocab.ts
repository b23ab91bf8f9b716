/**
 * Trains the ORB vocabulary tree ONCE and writes engine/data/orb-vocab-v1.bin plus its provenance
 * (orb-vocab-v1.json). Training images: Debian's openclipart-png, only the categories below (the
 * other categories are kept for evaluation). Deterministic: sorted file list, seeded sampling and
 * seeding. Usage: npx tsx scripts/train-vocab.ts [--root /usr/share/openclipart/png] [--out engine/data]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UNIQUENESS_POLICY } from '../shared/policy/uniqueness.ts';
import { loadCv } from '../engine/image/local/cv.ts';
import { grayFrame } from '../engine/image/local/frame.ts';
import { describeOrb } from '../engine/image/local/orb.ts';
import { trainVocabulary } from '../engine/image/local/vocab.ts';
import { rng } from '../engine/rng.ts';

export const TRAIN_CATEGORIES = ['transportation', 'food', 'animals', 'office', 'tools', 'buildings'] as const;
const PARAMS = { k: 8, depth: 5, seed: 20261122, iterations: 8, perImage: 300 };

const args = z
  .object({ root: z.string().default('/usr/share/openclipart/png'), out: z.string().default('engine/data') })
  .parse(parseArgs({ options: { root: { type: 'string' }, out: { type: 'string' } } }).values);

function pngs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pngs(p));
    else if (name.endsWith('.png')) out.push(p);
  }
  return out;
}

const files = TRAIN_CATEGORIES.flatMap((c) => pngs(join(args.root, c)));
const { cv } = await loadCv();
const P = UNIQUENESS_POLICY.local;
const rand = rng(PARAMS.seed);
const chunks: Uint8Array[] = [];
let used = 0;
let skipped = 0;
const t0 = Date.now();
for (const [i, f] of files.entries()) {
  try {
    const g = await grayFrame(readFileSync(f), P.workSize, P.trimTolerance);
    // The frame as it was when orb-vocab-v1 was trained (no stretch, no margin), so this reproduces it.
    const { descriptors } = describeOrb(
      cv,
      { gray: g.gray, width: g.width, height: g.height, offset: 0 },
      {
        features: P.features,
        scaleFactor: P.scaleFactor,
        levels: P.levels,
      },
    );
    const n = descriptors.length / 32;
    // A seeded sample of at most perImage descriptors, so that busy images do not dominate.
    const idx = Array.from({ length: n }, (_, j) => j);
    for (let j = n - 1; j > 0; j--) {
      const r = Math.floor(rand() * (j + 1));
      [idx[j], idx[r]] = [idx[r] as number, idx[j] as number];
    }
    for (const j of idx.slice(0, PARAMS.perImage)) chunks.push(descriptors.subarray(j * 32, j * 32 + 32));
    used++;
  } catch {
    skipped++; // over the pixel limit or unreadable
  }
  if (i % 100 === 0) console.log(`${i}/${files.length} images, ${chunks.length} descriptors, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const all = new Uint8Array(chunks.length * 32);
chunks.forEach((c, i) => all.set(c, i * 32));
console.log(`training on ${chunks.length} descriptors from ${used} images (${skipped} skipped)`);
const vocab = trainVocabulary(new Uint32Array(all.buffer), PARAMS);
const bin = vocab.toBuffer();
writeFileSync(join(args.out, 'orb-vocab-v1.bin'), bin);
const debVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'openclipart-png']).toString().trim();
const provenance = {
  id: 'orb-vocab-v1',
  description: 'Hierarchical k-majority vocabulary tree for 256-bit ORB descriptors (DBoW2 scheme); leaves are visual words.',
  source: { debianPackage: 'openclipart-png', version: debVersion, root: args.root, categories: TRAIN_CATEGORIES },
  images: used,
  imagesSkipped: skipped,
  descriptors: chunks.length,
  leaves: vocab.leaves,
  nodes: vocab.firstChild.length,
  params: { ...PARAMS, workSize: P.workSize, orbFeatures: P.features, scaleFactor: P.scaleFactor, levels: P.levels },
  bytes: bin.length,
  sha256: createHash('sha256').update(bin).digest('hex'),
  trainedSeconds: Math.round((Date.now() - t0) / 1000),
};
writeFileSync(join(args.out, 'orb-vocab-v1.json'), JSON.stringify(provenance, null, 2) + '\n');
console.log(provenance);
