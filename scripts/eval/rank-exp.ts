/**
 * Experiment: rank of the expected library image among candidates under alternative inverted-file
 * scores (the current containment score; raw idf sums; ÷ √words; damped by the shared-word count;
 * weak geometric consistency votes over orientation and scale differences of same-word keypoint
 * pairs, after Jégou et al.; and unions of two rankings), on features computed by the engine
 * itself (its worker pool), with the eval's seed and draws. Prints recall@20/@40 per variant.
 *   npx tsx scripts/eval/rank-exp.ts [--seed N] [--per-family N]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import type { LocalFeatureSet, LocalView } from '../../engine/image/local/types.ts';
import { diagLibrary, diagPools } from './diag-pools.ts';

const { values } = parseArgs({ options: { seed: { type: 'string' }, 'per-family': { type: 'string' } } });
const opts = z.object({ seed: z.coerce.number().int().default(4242), 'per-family': z.coerce.number().int().default(20) }).parse(values);
const P = UNIQUENESS_POLICY.local;
const { pools, queries } = await diagPools(opts.seed);
const { feat, lib, index } = await diagLibrary(pools.library, P);
// word → list of (image, keypoint) for WGC
const df = new Map<number, number>();
for (const l of lib) for (const w of new Set(l.primary.words)) df.set(w, (df.get(w) ?? 0) + 1);
const maxDf = Math.max(2, P.maxWordShare * lib.length);
const post = new Map<number, { img: number; kp: number }[]>();
lib.forEach((l, img) => l.primary.words.forEach((w, kp) => (post.get(w) ?? post.set(w, []).get(w)!).push({ img, kp })));
const A_BINS = 12;
const S_BINS = 16; // log2 scale from -4..4 in 0.5 steps
function wgc(view: LocalView, norm: (raw: number, img: number) => number): Float64Array {
  const votes = new Map<number, Float64Array>();
  for (let i = 0; i < view.words.length; i++) {
    const w = view.words[i] as number;
    const n = df.get(w) ?? 0;
    if (n === 0 || n > maxDf) continue;
    const idf = Math.log((lib.length + 1) / n);
    const qa = view.keypoints[i * 4 + 3] as number;
    const qs = view.keypoints[i * 4 + 2] as number;
    for (const { img, kp } of post.get(w) ?? []) {
      const L = (lib[img] as LocalFeatureSet).primary;
      const da = (((L.keypoints[kp * 4 + 3] as number) - qa + 720) % 360) / (360 / A_BINS);
      const ds = Math.log2((L.keypoints[kp * 4 + 2] as number) / qs);
      const sb = Math.max(0, Math.min(S_BINS - 1, Math.floor((ds + 4) * 2)));
      const ab = Math.floor(da) % A_BINS;
      let v = votes.get(img);
      if (!v) votes.set(img, (v = new Float64Array(A_BINS * S_BINS)));
      v[ab * S_BINS + sb] = (v[ab * S_BINS + sb] as number) + idf;
    }
  }
  const out = new Float64Array(lib.length);
  for (const [img, v] of votes) {
    // best 2×2 neighbourhood (angle wraps)
    let best = 0;
    for (let a = 0; a < A_BINS; a++)
      for (let s = 0; s < S_BINS - 1; s++) {
        const a2 = (a + 1) % A_BINS;
        const sum =
          (v[a * S_BINS + s] as number) +
          (v[a * S_BINS + s + 1] as number) +
          (v[a2 * S_BINS + s] as number) +
          (v[a2 * S_BINS + s + 1] as number);
        if (sum > best) best = sum;
      }
    out[img] = norm(best, img);
  }
  return out;
}
const libN = lib.map((l) => new Set(l.primary.words).size);
const libSets = lib.map((l) => new Set(l.primary.words));
function bow(view: LocalView, norm: (raw: number, shared: number, qn: number, ln: number) => number): Float64Array {
  const q = new Set(view.words);
  const out = new Float64Array(lib.length);
  libSets.forEach((ws, k) => {
    let raw = 0;
    let shared = 0;
    for (const w of q) {
      const n = df.get(w) ?? 0;
      if (n > 0 && n <= maxDf && ws.has(w)) {
        raw += Math.log((lib.length + 1) / n);
        shared++;
      }
    }
    out[k] = raw > 0 ? norm(raw, shared, q.size, ws.size) : 0;
  });
  return out;
}
const variants: Record<string, (set: LocalFeatureSet) => Float64Array> = {
  raw: (set) => maxOf(set, (v) => bow(v, (raw) => raw)),
  sqrtL: (set) => maxOf(set, (v) => bow(v, (raw, _s, _q, ln) => raw / Math.sqrt(ln))),
  minDamp: (set) => maxOf(set, (v) => bow(v, (raw, sh, qn, ln) => (raw / Math.min(qn, ln)) * (1 - Math.exp(-sh / 10)))),
  minDamp20: (set) => maxOf(set, (v) => bow(v, (raw, sh, qn, ln) => (raw / Math.min(qn, ln)) * (1 - Math.exp(-sh / 20)))),
  wgcMin: (set) => maxOf(set, (v) => wgc(v, (raw, img) => raw / Math.max(1, Math.min(libN[img] as number, new Set(v.words).size)))),
};
function maxOf(set: LocalFeatureSet, f: (v: LocalView) => Float64Array): Float64Array {
  const out = new Float64Array(lib.length);
  for (const v of [set.primary, set.mirror]) {
    if (!v) continue;
    const s = f(v);
    for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i] as number, s[i] as number);
  }
  return out;
}
const rankOf = (scores: Float64Array, want: number) => {
  const mine = scores[want] as number;
  return mine > 0 ? scores.filter((v, k) => v > mine || (v === mine && k < want)).length : 999;
};
const names = ['current', ...Object.keys(variants)];
const at = (_k: number): Record<string, number> => Object.fromEntries(names.map((n) => [n, 0]));
const hit20 = at(20);
const hit40 = at(40);
const union: Record<string, number> = { 'min10+raw10': 0, 'min15+raw15': 0, 'min10+sqrtL10': 0, 'min15+sqrtL15': 0, 'min20+raw10': 0 };
const byFam = new Map<string, Record<string, number>>();
let n = 0;
for await (const q of queries(opts['per-family'])) {
  if (q.expect === null) continue;
  const want = Number(q.expect.slice(3));
  const set = await feat(q.image.bytes, 'query');
  const cur = index.candidates(set, 1000).findIndex((c) => c.rowid === want);
  const ranks: Record<string, number> = { current: cur < 0 ? 999 : cur };
  for (const [name, f] of Object.entries(variants)) ranks[name] = rankOf(f(set), want);
  n++;
  const fam = byFam.get(q.family) ?? byFam.set(q.family, at(0)).get(q.family)!;
  for (const name of names) {
    if ((ranks[name] as number) < 20) {
      hit20[name] = (hit20[name] ?? 0) + 1;
      fam[name] = (fam[name] ?? 0) + 1;
    }
    if ((ranks[name] as number) < 40) hit40[name] = (hit40[name] ?? 0) + 1;
  }
  const r = ranks as Record<string, number>;
  if (r.current! < 10 || r.raw! < 10) union['min10+raw10']!++;
  if (r.current! < 15 || r.raw! < 15) union['min15+raw15']!++;
  if (r.current! < 10 || r.sqrtL! < 10) union['min10+sqrtL10']!++;
  if (r.current! < 15 || r.sqrtL! < 15) union['min15+sqrtL15']!++;
  if (r.current! < 20 || r.raw! < 10) union['min20+raw10']!++;
  if ((ranks.current as number) >= 20 || Object.values(ranks).some((r) => r >= 20)) console.log(q.id, JSON.stringify(ranks));
}
console.log(`queries ${n}`);
console.log('recall@20', JSON.stringify(hit20));
console.log('recall@40', JSON.stringify(hit40));
console.log('union', JSON.stringify(union));
for (const [f, r] of byFam) console.log(f.padEnd(12), JSON.stringify(r));
process.exit(0);
