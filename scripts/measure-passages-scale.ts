/**
 * `npx tsx scripts/measure-passages-scale.ts [cards]`: cost of the passage layer at library scale
 * (default 100 000 synthetic cards, each 2–6 real sentences from Debian's fortunes): fingerprint
 * time and bytes per card, index build from stored blobs versus loading the persisted indexes, and
 * query latency of passage and word-cosine candidate retrieval (plus alignment of the top hits).
 */
import { performance } from 'node:perf_hooks';
import { sharedPassages } from '../engine/text/align.ts';
import { decodePassageFingerprints, encodePassageFingerprint } from '../engine/text/passage-codec.ts';
import { PassageIndex } from '../engine/text/passage-index.ts';
import { PassageLayer } from '../engine/text/passage-layer.ts';
import { TermIndex } from '../engine/text/term-index.ts';
import { DEFAULT_PASSAGE_PARAMS, type PassageFingerprint, passageFingerprint } from '../engine/text/winnow.ts';
import * as C from './passage-corpus.ts';

const N = Number(process.argv[2] ?? 100_000);
const r = C.rng(7);
const sents = C.loadFortunes()
  .texts.flatMap(C.sentences)
  .filter((s) => s.split(' ').length >= 4);
// The machine is shared: report process CPU time next to wall time.
let cpu = process.cpuUsage();
const ms = (t: number) => {
  const c = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  return `${(performance.now() - t).toFixed(0)} ms wall / ${((c.user + c.system) / 1000).toFixed(0)} ms CPU`;
};
const mark = () => {
  cpu = process.cpuUsage();
  return performance.now();
};

let t = mark();
const cards = Array.from({ length: N }, (_, i) =>
  C.itemCard(`Card ${i}`, Array.from({ length: C.between(r, 2, 6) }, () => C.pick(r, sents)).join(' ')),
);
const blobs = cards.map((c) => encodePassageFingerprint(passageFingerprint(c), DEFAULT_PASSAGE_PARAMS));
const fpMs = performance.now() - t;
const bytes = blobs.reduce((s, b) => s + b.length, 0);
const words = cards.reduce((s, c) => s + c.description.split(' ').length, 0) / N;
console.log(`${N} synthetic cards (2-6 of ${sents.length} real sentences, ${words.toFixed(0)} words on average)`);
console.log(
  `  fingerprint + encode ${(fpMs / N).toFixed(3)} ms/card; stored ${(bytes / N).toFixed(0)} B/card (${(bytes / 2 ** 20).toFixed(1)} MiB)`,
);

const heap0 = process.memoryUsage().heapUsed;
t = mark();
const fps: [number, PassageFingerprint][] = decodePassageFingerprints(
  blobs.map((b, i) => [i + 1, b]),
  DEFAULT_PASSAGE_PARAMS,
).items;
const dec = ms(t);
t = mark();
const pi = PassageIndex.build(fps);
const pib = ms(t);
t = mark();
const ti = TermIndex.build(fps);
console.log(`  rebuild from stored blobs: decode ${dec}, PassageIndex.build ${pib}, TermIndex.build ${ms(t)}`);
console.log(
  `  heap of decoded fingerprints + both indexes: ${((process.memoryUsage().heapUsed - heap0) / 2 ** 20).toFixed(0)} MiB (+ array buffers)`,
);

t = mark();
const pbuf = pi.toBuffer();
const tbuf = ti.toBuffer();
console.log(
  `  toBuffer ${ms(t)}: PassageIndex ${(pbuf.length / 2 ** 20).toFixed(1)} MiB, TermIndex ${(tbuf.length / 2 ** 20).toFixed(1)} MiB`,
);
const lbuf = new PassageLayer(pi, ti).toBuffer();
t = mark();
const layer = PassageLayer.fromBuffer(lbuf);
const pi2 = layer.passages;
const ti2 = layer.terms;
console.log(`  PassageLayer.fromBuffer (both indexes, one ${(lbuf.length / 2 ** 20).toFixed(1)} MiB blob) ${ms(t)}`);

const lat: Record<string, { wall: number[]; cpu: number[] }> = {};
const timed = <T>(name: string, fn: () => T): T => {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const out = fn();
  const c = process.cpuUsage(c0);
  const l = lat[name] ?? (lat[name] = { wall: [], cpu: [] });
  l.wall.push(performance.now() - w0);
  l.cpu.push((c.user + c.system) / 1000);
  return out;
};
for (let i = 0; i < 300; i++) {
  // Queries: a card with one sentence replaced and one new sentence added.
  const src = C.pick(r, cards);
  const s = C.sentences(src.description);
  s[0] = C.pick(r, sents);
  const q = C.itemCard('Query', [...s, C.pick(r, sents)].join(' '));
  const qfp = passageFingerprint(q);
  const pc = timed('passage', () => pi2.candidates(qfp, { limit: 10 }));
  timed('cosine', () => ti2.similar(qfp, { limit: 5 }));
  timed('align', () => pc.slice(0, 5).map((c) => sharedPassages(q, cards[c.rowid - 1] as never)));
}
const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(p * (a.length - 1))]?.toFixed(2);
for (const [k, a] of Object.entries(lat)) {
  console.log(
    `  ${k.padEnd(8)} latency p50 ${q(a.wall, 0.5)} ms wall / ${q(a.cpu, 0.5)} ms CPU, p95 ${q(a.wall, 0.95)} ms wall / ${q(a.cpu, 0.95)} ms CPU (300 queries)`,
  );
}

t = mark();
for (let i = 0; i < 1000; i++) {
  const [, fp] = fps[i] as [number, PassageFingerprint];
  pi2.add(N + 10 + i, fp);
  ti2.add(N + 10 + i, fp);
}
for (let i = 0; i < 1000; i++) {
  pi2.remove(N + 10 + i);
  ti2.remove(N + 10 + i);
}
console.log(`  1000 adds + 1000 removes on both loaded indexes: ${ms(t)}`);
