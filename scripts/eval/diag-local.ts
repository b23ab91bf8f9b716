/**
 * Diagnostic for the local-feature layer on the generated eval's queries (same seed, same draws as
 * `scripts/eval/main.ts`; features computed as the engine computes them, the rest of the layer run
 * step by step): for each copy query, the rank of the expected library image
 * among the inverted file's candidates, its putative matches and inliers (after RANSAC and after the
 * orientation check), whether verify() accepts it, the share of RANSAC inliers in the middle of their
 * box, and the expected image's rank under alternative candidate scores (containment ÷ smaller word
 * count, ÷ its square root, cosine), computed exhaustively. Usage:
 *   npx tsx scripts/eval/diag-local.ts [--seed N] [--families paste,crop] [--per-family 20] [--k 20] [--set matchLevel=1 ...] [--save DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { ransacAffine } from '../../engine/image/local/ransac.ts';
import type { LocalFeatureSet } from '../../engine/image/local/types.ts';
import { putativeMatches, verify } from '../../engine/image/local/verify.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import { diagLibrary, diagPools } from './diag-pools.ts';
import { encodePng } from './raw.ts';
import { describeSteps } from './params.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    families: { type: 'string' },
    k: { type: 'string' },
    set: { type: 'string', multiple: true },
    save: { type: 'string' },
    'per-family': { type: 'string' },
  },
});
const opts = z
  .object({
    seed: z.coerce.number().int().default(20261122),
    families: z.string().default('paste,crop'),
    k: z.coerce.number().int().default(20),
    set: z.array(z.string().regex(/^(guided\.)?\w+=[\d.]+$/)).default([]),
    save: z.string().min(1).optional(),
    'per-family': z.coerce.number().int().min(1).default(20),
  })
  .parse(values);
const families = new Set(opts.families.split(','));
// --set name=value (or guided.name=value) overrides a numeric `local` policy field for verification (what-if runs).
const top = opts.set.filter((kv) => !kv.startsWith('guided.'));
const inGuided = opts.set.filter((kv) => kv.startsWith('guided.')).map((kv) => kv.slice('guided.'.length));
const pairs = (list: string[]): Record<string, number> =>
  Object.fromEntries(list.map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])]));
const P = { ...UNIQUENESS_POLICY.local, ...pairs(top), guided: { ...UNIQUENESS_POLICY.local.guided, ...pairs(inGuided) } };
const vocab = loadVocabulary();
const { pools, queries } = await diagPools(opts.seed);

const { feat, lib, index } = await diagLibrary(pools.library, P);
// Alternative candidate scores, computed exhaustively (what-if for the inverted file's normalisation).
const libWords = lib.map((l) => new Set(l.primary.words));
const df = new Map<number, number>();
for (const ws of libWords) for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1);
const maxDf = Math.max(2, P.maxWordShare * lib.length);
const norms: Record<string, (raw: number, qn: number, ln: number) => number> = {
  min: (raw, qn, ln) => raw / Math.max(1, Math.min(qn, ln)),
  sqrtMin: (raw, qn, ln) => raw / Math.sqrt(Math.max(1, Math.min(qn, ln))),
  cosine: (raw, qn, ln) => raw / Math.sqrt(Math.max(1, qn * ln)),
  min40: (raw, qn, ln) => raw / Math.max(40, Math.min(qn, ln)),
  min80: (raw, qn, ln) => raw / Math.max(80, Math.min(qn, ln)),
  min150: (raw, qn, ln) => raw / Math.max(150, Math.min(qn, ln)),
};
const altHits = Object.fromEntries(Object.keys(norms).map((k) => [k, 0]));
function altRank(set: LocalFeatureSet, want: number, norm: (raw: number, qn: number, ln: number) => number): number {
  const best = new Float64Array(lib.length);
  for (const view of [set.primary, set.mirror]) {
    if (!view) continue;
    const q = new Set(view.words);
    libWords.forEach((ws, k) => {
      let raw = 0;
      for (const w of q) {
        const n = df.get(w) ?? 0;
        if (n > 0 && n <= maxDf && ws.has(w)) raw += Math.log((lib.length + 1) / n);
      }
      best[k] = Math.max(best[k] as number, norm(raw, q.size, ws.size));
    });
  }
  const mine = best[want] as number;
  return mine > 0 ? best.filter((v, k) => v > mine || (v === mine && k < want)).length : -1;
}
/**
 * Share of the inliers (library positions) inside the middle half (each axis) of their bounding
 * box: near 0 when only an outline or frame matches (two signs sharing a ring), larger for content.
 */
export function centralShare(xy: Float64Array, idx: number[]): number {
  if (!idx.length) return 0;
  const xs = idx.map((i) => xy[2 * i] as number);
  const ys = idx.map((i) => xy[2 * i + 1] as number);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const inside = idx.filter((_, k) => {
    const u = ((xs[k] as number) - x0) / Math.max(1e-9, x1 - x0);
    const v = ((ys[k] as number) - y0) / Math.max(1e-9, y1 - y0);
    return u >= 0.25 && u <= 0.75 && v >= 0.25 && v <= 0.75;
  }).length;
  return inside / idx.length;
}
const stats = { n: 0, retrieved: 0, accepted: 0 };
for await (const q of queries(opts['per-family'])) {
  if (!families.has(q.family) || q.expect === null) continue;
  const want = Number(q.expect.slice(3));
  const set = await feat(q.image.bytes, 'query');
  const all = index.candidates(set, 1000);
  const rank = all.findIndex((c) => c.rowid === want);
  const target = lib[want] as LocalFeatureSet;
  let best = { put: 0, raw: 0, central: 0 };
  for (const view of [set.primary, set.mirror]) {
    if (!view) continue;
    const put = putativeMatches(vocab, view, target.primary, P);
    const r =
      put.count >= 3
        ? ransacAffine(put.src, put.dst, {
            tolerance: P.inlierPx,
            iterations: P.iterations,
            scaleRange: P.scaleRange,
            maxAnisotropy: P.maxAnisotropy,
          })
        : null;
    const raw = r?.inliers.length ?? 0;
    if (raw > best.raw || (raw === best.raw && put.count > best.put))
      best = { put: put.count, raw, central: r ? centralShare(put.src, r.inliers) : 0 };
  }
  const why: string[] = [];
  const ok = verify(set, target, P, vocab, (w) => why.push(w));
  const alt = Object.entries(norms).map(([name, f]) => {
    const r = altRank(set, want, f);
    if (r >= 0 && r < opts.k && ok) altHits[name] = (altHits[name] as number) + 1;
    return `${name} ${r}`;
  });
  const inTop = rank >= 0 && rank < opts.k;
  // --save DIR: the missed queries and their library images as PNG files, to look at.
  if (opts.save && !(inTop && ok)) {
    mkdirSync(opts.save, { recursive: true });
    writeFileSync(join(opts.save, `${q.id}-query.png`), q.image.bytes);
    writeFileSync(join(opts.save, `${q.id}-library.png`), await encodePng(pools.library[want]!.flat));
  }
  stats.n++;
  if (inTop) stats.retrieved++;
  if (inTop && ok) stats.accepted++;
  const c = all[rank];
  console.log(
    [
      q.id,
      `rank ${rank}`,
      `score ${c ? c.score.toFixed(2) : '-'} (top ${all[0]?.score.toFixed(2) ?? '-'})`,
      `shared ${c?.shared ?? 0}`,
      `qwords ${new Set(set.primary.words).size} libwords ${new Set(target.primary.words).size}`,
      `kp ${set.primary.words.length}`,
      `put ${best.put} ransac ${best.raw} verified ${ok ? `${ok.region.inliers} spots ${ok.spots} interior ${ok.interior} ${why.filter((w) => w.startsWith('chance')).join(',')}` : `no (${why.join('; ')})`} central ${best.central.toFixed(2)}`,
      `info ${set.info.score.toFixed(2)}`,
      alt.join(' '),
      describeSteps(q.steps),
    ].join(' | '),
  );
}
console.log(
  `queries ${stats.n}: retrieved@${opts.k} ${stats.retrieved}, retrieved+verified ${stats.accepted}; retrieved+verified by norm ${JSON.stringify(altHits)}`,
);
process.exit(0);
