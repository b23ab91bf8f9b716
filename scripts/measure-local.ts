/**
 * Measures the local-feature layer: ~100 dev images (openclipart categories used for the vocabulary)
 * are indexed; queries are made by transforms drawn at random from ranges; recall per family (the
 * source verified among the top candidates), false positives for queries made from ~100 other
 * unrelated dev images, extraction / candidates / verification latency, and candidates() latency
 * and memory with 100k synthetic entries built from real word lists.
 * Usage: npx tsx scripts/measure-local.ts [--images 100] [--perImage 2] [--seed 7] [--synthetic 100000]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LocalIndex, type LocalFeatureSet, extractLocalFeaturesInThread, loadVocabulary, verify } from '../engine/image/local/index.ts';
import { rng } from '../engine/rng.ts';
import { UNIQUENESS_POLICY } from '../shared/policy/uniqueness.ts';
import * as T from '../tests/helpers/image-transforms.ts';

const args = z
  .object({
    images: z.coerce.number().int().min(10).default(100),
    fpOnly: z.coerce.boolean().default(false),
    perImage: z.coerce.number().int().min(1).default(2),
    seed: z.coerce.number().int().default(7),
    synthetic: z.coerce.number().int().min(0).default(100_000),
    root: z.string().default('/usr/share/openclipart/png'),
  })
  .parse(
    parseArgs({
      options: {
        fpOnly: { type: 'boolean' },
        images: { type: 'string' },
        perImage: { type: 'string' },
        seed: { type: 'string' },
        synthetic: { type: 'string' },
        root: { type: 'string' },
      },
    }).values,
  );

const P = UNIQUENESS_POLICY.local;
const DEV = ['transportation', 'food', 'animals', 'office', 'tools', 'buildings'];
const rand = rng(args.seed);
const U = (a: number, b: number): number => a + rand() * (b - a);
const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;

function pngs(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? pngs(p) : n.endsWith('.png') ? [p] : [];
    });
}
const all = DEV.flatMap((c) => pngs(join(args.root, c)));
for (let i = all.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [all[i], all[j]] = [all[j] as string, all[i] as string];
}

const time = async <X>(f: () => Promise<X>, into: number[]): Promise<X> => {
  const t = performance.now();
  const x = await f();
  into.push(performance.now() - t);
  return x;
};
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const extractMs: number[] = [];

// Library: the first images that decode and carry information; unrelated: the next ones.
const library: { path: string; bytes: Buffer; set: LocalFeatureSet }[] = [];
const unrelated: { path: string; bytes: Buffer }[] = [];
let lowInfo = 0;
for (const path of all) {
  if (library.length >= args.images && unrelated.length >= args.images) break;
  const bytes = readFileSync(path);
  if (library.length < args.images) {
    try {
      const set = await time(() => extractLocalFeaturesInThread(bytes, { mirror: false }), extractMs);
      if (set.info.score < P.minInfo) lowInfo++;
      else library.push({ path, bytes, set });
    } catch {
      /* over the pixel limit */
    }
  } else if (bytes.length < 4_000_000) unrelated.push({ path, bytes });
}
const vocab = loadVocabulary();
const index = new LocalIndex({ words: vocab.leaves, maxWordShare: P.maxWordShare, postingBudget: P.postingBudget });
library.forEach((l, i) => index.add(i, l.set));
console.log(`library ${library.length} images (${lowInfo} skipped as low-information), unrelated ${unrelated.length}`);

type Family = (b: Buffer) => Promise<Buffer>;
const bgColour = (): T.Rgb => ({ r: Math.floor(U(0, 255)), g: Math.floor(U(0, 255)), b: Math.floor(U(0, 255)) });
const families: Record<string, Family> = {
  crop: (b) => {
    const area = U(0.4, 0.9);
    const aspect = U(0.7, 1.4);
    const w = Math.min(1, Math.sqrt(area * aspect));
    const h = Math.min(1, area / w);
    return T.cropFrac(b, { x: U(0, 1 - w), y: U(0, 1 - h), w, h });
  },
  rotate: (b) => T.rotate(b, U(-180, 180)),
  shear: (b) => T.affine(b, [1, U(-0.4, 0.4), U(-0.2, 0.2), 1]),
  perspective: (b) =>
    T.perspective(
      b,
      Array.from({ length: 4 }, () => [U(0, 0.15), U(0, 0.15)] as [number, number]),
    ),
  stretch: (b) => T.affine(b, [U(0.6, 1.5), 0, 0, U(0.6, 1.5)]),
  mirror: (b) => T.mirror(b),
  paste: async (b) =>
    (await T.pasteInto(b, pick(unrelated).bytes, Math.round(U(600, 1000)), Math.round(U(500, 900)), U(0.3, 0.8), rand(), rand())).png,
  background: (b) => T.flattenOn(b, bgColour()),
  text: (b) => T.textOverlay(b, pick(['SALE 50%', 'Copyright 2026', 'My Art', 'www.example.com']), U(0.2, 0.95)),
  jpeg: (b) => T.jpeg(b, Math.round(U(30, 80))),
  blur: (b) => T.blur(b, U(0.6, 2)),
  noise: (b) => T.noise(b, U(10, 40), rand),
};
const names = Object.keys(families);
const composite: Family = async (b) => {
  const n = rand() < 0.5 ? 2 : 3;
  const chosen = new Set<string>();
  while (chosen.size < n) chosen.add(pick(names.filter((x) => x !== 'perspective')));
  let out = b;
  for (const f of chosen) out = await (families[f] as Family)(out);
  return out;
};
const allFamilies: Record<string, Family> = { ...families, combo: composite };

const candMs: number[] = [];
const verifyMs: number[] = [];
const stats = new Map<string, { n: number; retrieved: number; verified: number }>();
async function check(q: LocalFeatureSet, expected: number | null): Promise<{ retrieved: boolean; verified: number[] }> {
  const t = performance.now();
  const cands = index.candidates(q, P.candidates);
  candMs.push(performance.now() - t);
  const t2 = performance.now();
  const verified: number[] = [];
  for (const c of cands) {
    const m = verify(q, (library[c.rowid] as { set: LocalFeatureSet }).set);
    if (!m) continue;
    verified.push(c.rowid);
    if (expected === null || c.rowid !== expected) {
      const r = m.region;
      console.log(
        `  verified ${expected === null ? 'an unrelated query' : `#${expected}`} against ${library[c.rowid]?.path}: inliers ${r.inliers}, putative ${m.putative}, scale ${r.scale.toFixed(2)}, coverage ${r.matchCoverage.toFixed(2)}/${r.queryCoverage.toFixed(2)}`,
      );
    }
  }
  verifyMs.push(performance.now() - t2);
  return { retrieved: expected !== null && cands.some((c) => c.rowid === expected), verified };
}

const famNames = Object.keys(allFamilies);
let q = 0;
for (const [i, l] of args.fpOnly ? [] : library.entries()) {
  for (let r = 0; r < args.perImage; r++) {
    const fam = famNames[q++ % famNames.length] as string;
    let bytes: Buffer;
    try {
      bytes = await (allFamilies[fam] as Family)(l.bytes);
    } catch {
      continue;
    }
    const set = await time(() => extractLocalFeaturesInThread(bytes), extractMs);
    const res = await check(set, i);
    const s = stats.get(fam) ?? { n: 0, retrieved: 0, verified: 0 };
    s.n++;
    if (res.retrieved) s.retrieved++;
    if (res.verified.includes(i)) s.verified++;
    stats.set(fam, s);
  }
}
let fp = 0;
let fpQueries = 0;
for (const u of unrelated) {
  const fam = famNames[q++ % famNames.length] as string;
  try {
    const set = await time(async () => extractLocalFeaturesInThread(await (allFamilies[fam] as Family)(u.bytes)), extractMs);
    fpQueries++;
    const res = await check(set, null);
    if (res.verified.length) {
      fp++;
      console.log(`  ^ false positive: ${fam} of ${u.path}`);
    }
  } catch {
    /* skipped */
  }
}
console.log('family       queries  retrieved@%d  verified', P.candidates);
let tn = 0,
  tv = 0;
for (const [f, s] of [...stats.entries()].sort()) {
  tn += s.n;
  tv += s.verified;
  console.log(
    `${f.padEnd(12)} ${String(s.n).padStart(7)}  ${((100 * s.retrieved) / s.n).toFixed(0).padStart(9)} %  ${((100 * s.verified) / s.n).toFixed(0).padStart(6)} %`,
  );
}
console.log(`all          ${tn}  verified ${((100 * tv) / tn).toFixed(1)} %`);
console.log(`false positives: ${fp} of ${fpQueries} unrelated queries (each against the top ${P.candidates} candidates)`);
console.log(`extract ms p50 ${pct(extractMs, 0.5).toFixed(1)} p95 ${pct(extractMs, 0.95).toFixed(1)} (queries include the mirrored view)`);
console.log(
  `candidates ms p50 ${pct(candMs, 0.5).toFixed(2)}; verify top ${P.candidates} ms p50 ${pct(verifyMs, 0.5).toFixed(1)} p95 ${pct(verifyMs, 0.95).toFixed(1)}`,
);

if (args.synthetic > 0) {
  // 100k synthetic entries: each a real library word list with a third of its words replaced by
  // words drawn from the library's own word distribution.
  const pool: number[] = library.flatMap((l) => Array.from(l.set.primary.words));
  const big = new LocalIndex({ words: vocab.leaves, maxWordShare: P.maxWordShare, postingBudget: P.postingBudget });
  const before = process.memoryUsage();
  const tb = performance.now();
  for (let i = 0; i < args.synthetic; i++) {
    const src = (library[i % library.length] as { set: LocalFeatureSet }).set;
    const words = Uint32Array.from(src.primary.words, (w) => (rand() < 0.33 ? (pool[Math.floor(rand() * pool.length)] as number) : w));
    big.add(i, { ...src, primary: { ...src.primary, words } });
  }
  const buildS = (performance.now() - tb) / 1000;
  const after = process.memoryUsage();
  const ms: number[] = [];
  const total: number[] = [];
  const queries = library.slice(0, 40).map((l) => l.bytes);
  for (const b of queries) {
    const set = await extractLocalFeaturesInThread(await T.cropFrac(b, { x: U(0, 0.3), y: U(0, 0.3), w: 0.7, h: 0.7 }));
    const t = performance.now();
    const cands = big.candidates(set, P.candidates);
    ms.push(performance.now() - t);
    for (const c of cands) verify(set, (library[c.rowid % library.length] as { set: LocalFeatureSet }).set);
    total.push(performance.now() - t);
  }
  const buf = big.toBuffer();
  const tl = performance.now();
  const loaded = LocalIndex.fromBuffer(buf, P);
  const loadMs = performance.now() - tl;
  console.log(
    `synthetic ${args.synthetic}: built in ${buildS.toFixed(1)} s, heap+arrays +${((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20).toFixed(0)} MiB; ` +
      `candidates p50 ${pct(ms, 0.5).toFixed(1)} ms p95 ${pct(ms, 0.95).toFixed(1)} ms; candidates+verify top ${P.candidates} p50 ${pct(total, 0.5).toFixed(1)} p95 ${pct(total, 0.95).toFixed(1)} ms; ` +
      `toBuffer ${(buf.length / 2 ** 20).toFixed(1)} MiB, fromBuffer ${loadMs.toFixed(0)} ms (${loaded.size} images)`,
  );
}
