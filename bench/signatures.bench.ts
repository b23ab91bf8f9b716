/**
 * The aligned check's candidate search (`npx tsx bench/signatures.bench.ts`; part of `npm run bench`):
 * SignatureIndex.nearest — the 5 images closest to a query's two views by shape-signature cosine —
 * over BENCH_SIG_IMAGES (100 000) images of two stored views each (random int8 signatures: the scan
 * reads every row whatever the values), with the WebAssembly SIMD kernel against the same index
 * scanning in JavaScript (the baseline, built in the same run from the same rows). Both must return
 * the same images. Reports medians of BENCH_SIG_ROUNDS (15) queries, the ratio, and the index's bytes.
 */
import { rng } from '../engine/rng.ts';
import { SIG_DIMS, SignatureIndex, useSignatureKernel } from '../engine/index/signatures.ts';
import { fmt, mib, pct } from './measure.ts';

const N = Number(process.env.BENCH_SIG_IMAGES ?? 100_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_SIG_ROUNDS ?? 15));
const rand = rng(61_001);
const sig = () => Int8Array.from({ length: SIG_DIMS }, () => Math.floor(rand() * 255) - 127);

const rows = Array.from({ length: N }, () => [sig(), sig()]);
const build = (kernel: boolean) => {
  useSignatureKernel(kernel);
  const idx = new SignatureIndex();
  rows.forEach((views, i) => idx.add(i + 1, views));
  return idx;
};
const wasm = build(true);
const js = build(false);
useSignatureKernel(true);

const times = { wasm: [] as number[], js: [] as number[] };
let same = true;
for (let r = 0; r < ROUNDS; r++) {
  const q = [sig(), sig()];
  const t0 = performance.now();
  const a = wasm.nearest(q, 5);
  const t1 = performance.now();
  const b = js.nearest(q, 5);
  const t2 = performance.now();
  times.wasm.push(t1 - t0);
  times.js.push(t2 - t1);
  same &&= a.map((h) => h.rowid).join() === b.map((h) => h.rowid).join();
}
const w = pct(times.wasm, 0.5);
const j = pct(times.js, 0.5);
console.log(
  `signature search, ${N} images × 2 views, 2 query views, k 5: WebAssembly SIMD ${fmt(w)} ms median vs JavaScript ${fmt(j)} ms ` +
    `(${fmt(j / w)}× faster; p95 ${fmt(pct(times.wasm, 0.95))} vs ${fmt(pct(times.js, 0.95))} ms); same images: ${same ? 'yes' : 'NO'}; ` +
    `snapshot ${mib(wasm.toBuffer().length)} MiB`,
);
if (!same) process.exitCode = 1;
