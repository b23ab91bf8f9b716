import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintImage, type ImageFingerprint as F } from '../engine/image/fingerprint.ts';
import { fromHex, hamming } from '../engine/hash/bits.ts';
const dir = process.argv[2]!;
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
const cache = '/tmp/fp-cache.json';
let fps: Record<string, F> = existsSync(cache) ? JSON.parse(readFileSync(cache, 'utf8')) : {};
if (!Object.keys(fps).length) { for (const x of [...labels.library, ...labels.queries]) fps[x.file] = await fingerprintImage(readFileSync(join(dir, x.file))); writeFileSync(cache, JSON.stringify(fps)); }
const H = (s: string) => fromHex(s);
function dists(q: F, t: F) {
  let p = 64, d = 64, e = 64;
  for (const qv of q.views) for (const tv of t.views) {
    for (let si = 0; si < qv.phash.length; si++) for (let k = 0; k < 8; k++) { if (si > 0 && k > 0) continue; for (const ls of tv.phash) p = Math.min(p, hamming(H(qv.phash[si]![k]!), H(ls[0]!))); }
    for (const v of qv.dhash) d = Math.min(d, hamming(H(v), H(tv.dhash[0]!)));
    for (const v of qv.ehash) e = Math.min(e, hamming(H(v), H(tv.ehash[0]!)));
  }
  return [p, d, e];
}
const by: Record<string, number[][]> = {};
for (const q of labels.queries) {
  const f = fps[q.file]!;
  if (q.expect) (by[q.transform] ??= []).push(dists(f, fps[`library/${q.expect}.png`]!));
  else { let best = [64, 64, 64]; for (const l of labels.library) { const ds = dists(f, fps[l.file]!); best = best.map((b, i) => Math.min(b, ds[i]!)); } (by.unrelated ??= []).push(best); }
}
const pct = (a: number[], q: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
for (const [t, rows] of Object.entries(by)) {
  const cols = ['p', 'd', 'e'].map((n, i) => { const a = rows.map((r) => r[i]!); return t === 'unrelated' ? `${n}: ${[...a].sort((x,y)=>x-y).slice(0,8).join(',')}` : `${n}: p50 ${pct(a, 0.5)} p95 ${pct(a, 0.95)} max ${pct(a, 1)}`; });
  console.log(t.padEnd(12), cols.join(' | '));
}
for (const T of [8, 10, 12, 14]) {
  const r = Object.entries(by).map(([t, rows]) => `${t}:${(rows.filter((x) => x[0]! <= T).length / rows.length).toFixed(3)}`);
  console.log(`T=${T}`, r.join(' '));
}
console.log('unrelated p sorted', by.unrelated!.map((r) => r[0]).sort((a, b) => a! - b!).slice(0, 20).join(','));
