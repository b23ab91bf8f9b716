/**
 * `npx tsx scripts/measure-passages.ts [queriesPerFamily]`: recall per copy family and false-positive
 * rate of the passage layer (winnowed passages + word cosine, policy thresholds) on 1000 library
 * cards made from Debian's fortunes, the old whole-text MinHash for comparison, threshold grids and a
 * sweep of the winnowing k and window. Scale (100k cards) is measured by measure-passages-scale.ts.
 */
import type { AssetCard } from '../shared/asset.ts';
import { UNIQUENESS_POLICY } from '../shared/policy/uniqueness.ts';
import { lexicalScore } from '../engine/library.ts';
import { metadataText } from '../engine/text/metadata.ts';
import { sharedPassages } from '../engine/text/align.ts';
import { encodePassageFingerprint } from '../engine/text/passage-codec.ts';
import { PassageIndex } from '../engine/text/passage-index.ts';
import { PassageLayer, passageVerdict } from '../engine/text/passage-layer.ts';
import { charShingles, minhash, normalizeText } from '../engine/text/shingles.ts';
import { TermIndex, contentWords } from '../engine/text/term-index.ts';
import { type PassageFingerprint, type PassageParams, passageFingerprint } from '../engine/text/winnow.ts';
import * as C from './passage-corpus.ts';

const PER_FAMILY = Number(process.argv[2] ?? 150);
const POL = UNIQUENESS_POLICY.passage;
const r = C.rng(20261122);

// ---- corpus: library of 1000 cards (1–3 fortunes each), held-out fortunes for new text ----
const loaded = C.loadFortunes();
const totalFortunes = loaded.texts.length;
const fortunes = C.shuffle(r, loaded.texts);
const held = fortunes.splice(0, Math.floor(fortunes.length / 3));
const library: AssetCard[] = [];
while (library.length < 1000) {
  const n = C.between(r, 1, 3);
  library.push(C.itemCard(`Curio ${library.length}`, fortunes.splice(0, n).join(' ')));
}
const fresh = (n: number) => C.freshText(r, held, n);
const nameOf = () => C.freshText(r, held, 3).replace(/[.]$/, '');
console.log(
  `fortunes: ${totalFortunes} prose fortunes (${loaded.variants} variants of the same quotes dropped); ${fortunes.length} left after building 1000 library cards; held-out pool ${held.length}`,
);

// ---- families of copies ----
type Make = (src: AssetCard) => AssetCard;
const edit =
  (e: C.Edit): Make =>
  (src) =>
    C.itemCard(nameOf(), e(r, src.description, fresh));
const moveToBackstory =
  (e?: C.Edit): Make =>
  (src) => ({
    asset_type: 'character',
    name: nameOf(),
    description: fresh(C.between(r, 10, 30)),
    tags: ['npc'],
    character: { backstory_summary: e ? e(r, src.description, fresh) : src.description },
  });
const combo: Make = (src) => {
  const pool: C.Edit[] = [C.deleteWords(0.1, 0.25), C.insertWords(0.1, 0.25), C.reorder, C.reformat, C.keepMost];
  const chosen = C.shuffle(r, [...pool]).slice(0, C.between(r, 2, 3));
  const e: C.Edit = (rr, t, f) => chosen.reduce((acc, x) => x(rr, acc, f), t);
  return r() < 0.3 ? moveToBackstory(e)(src) : edit(e)(src);
};
const families: [string, Make, (c: AssetCard) => boolean][] = [
  ['passage 15-25 words inside new text', edit(C.passageInside), (c) => c.description.split(' ').length >= 25],
  ['short card = passage of a long library text', edit(C.shortPassage), (c) => c.description.split(' ').length >= 60],
  ['most kept + new ending', edit(C.keepMost), () => true],
  ['delete 10-40 % of words', edit(C.deleteWords(0.1, 0.4)), (c) => c.description.split(' ').length >= 25],
  ['insert 10-40 % new words', edit(C.insertWords(0.1, 0.4)), () => true],
  ['sentence reordering', edit(C.reorder), (c) => C.sentences(c.description).length >= 3],
  ['reformat (list/upper/punct)', edit(C.reformat), () => true],
  ['moved to backstory', moveToBackstory(), () => true],
  ['2-3 edits combined', combo, (c) => c.description.split(' ').length >= 25],
];

// ---- detection, as the engine would run it: PassageLayer candidates, then passageVerdict ----
function buildIndexes(params: PassageParams) {
  const fps = library.map((c) => passageFingerprint(c, params));
  const items = fps.map((f, i) => [i, f] as [number, PassageFingerprint]);
  return { fps, layer: new PassageLayer(PassageIndex.build(items, params), TermIndex.build(items)) };
}
type Idx = ReturnType<typeof buildIndexes>;
interface Signal {
  passage: number;
  cosine: number;
  containment: number;
  /** Content words of the smaller of the two texts. */
  content: number;
  /** The policy's verdict. */
  flagged: boolean;
}
function detect(idx: Idx, q: AssetCard, params: PassageParams): Map<number, Signal> {
  const fp = passageFingerprint(q, params);
  const out = new Map<number, Signal>();
  for (const c of idx.layer.candidates(fp, { limit: 10 })) {
    const lfp = idx.fps[c.rowid] as PassageFingerprint;
    const v = passageVerdict(q, fp, library[c.rowid] as AssetCard, lfp, idx.layer.terms.stats);
    out.set(c.rowid, {
      passage: v.longest,
      cosine: v.cosine,
      containment: v.containment,
      content: Math.min(contentWords(fp), contentWords(lfp)),
      flagged: v.signals.length > 0,
    });
  }
  return out;
}
const cosineFlag = (s: Signal | undefined, min: number = POL.copyCosine, words: number = POL.minCosineWords) =>
  !!s && s.cosine >= min && s.content >= words;
const flagged = (s: Signal | undefined) => !!s?.flagged;
const GRID: [number, number][] = [0.5, 0.55, 0.6].flatMap((c) => [8, 10, 12, 15].map((w) => [c, w] as [number, number]));
const CGRID: [number, number][] = [0.75, 0.8, 0.85, 0.9].flatMap((c) => [10, 15, 20].map((w) => [c, w] as [number, number]));
const contFlag = (s: Signal | undefined, min: number, words: number) => !!s && s.containment >= min && s.content >= words;
const cgridHits = new Map<string, number[]>();
const cgridFp = CGRID.map(() => 0);
let maxContU = 0;
const gridHits = new Map<string, number[]>();

const base = { k: POL.k, window: POL.window };
const idx = buildIndexes(base);
const sigs = library.map((c) => {
  const sh = charShingles(normalizeText(metadataText(c)));
  return { sig: minhash(sh), size: sh.size };
});
const pct = (a: number, n: number) => `${((100 * a) / Math.max(1, n)).toFixed(1)} %`;

console.log(
  `\nrecall per family (${PER_FAMILY} copies each; policy k=${POL.k} window=${POL.window}, passage ≥ ${POL.minSharedWords} words, cosine ≥ ${POL.copyCosine})`,
);
const queriesByFamily: [string, [AssetCard, number][]][] = [];
for (const [name, make, ok] of families) {
  const eligible = library.map((c, i) => [c, i] as const).filter(([c]) => ok(c));
  const qs: [AssetCard, number][] = [];
  for (let i = 0; i < PER_FAMILY; i++) {
    const [src, row] = C.pick(r, eligible);
    qs.push([make(src), row]);
  }
  queriesByFamily.push([name, qs]);
  let p = 0;
  let cz = 0;
  let any = 0;
  let old = 0;
  const cos: number[] = [];
  for (const [q, row] of qs) {
    const s = detect(idx, q, base).get(row);
    if (s && s.passage >= POL.minSharedWords) p++;
    if (cosineFlag(s)) cz++;
    if (/delete|insert|combined|reorder/.test(name)) {
      const g = gridHits.get(name) ?? GRID.map(() => 0);
      gridHits.set(name, g);
      GRID.forEach(([c, w], i) => (g[i] = (g[i] as number) + (cosineFlag(s, c, w) ? 1 : 0)));
      const h = cgridHits.get(name) ?? CGRID.map(() => 0);
      cgridHits.set(name, h);
      CGRID.forEach(([c, w], i) => (h[i] = (h[i] as number) + (contFlag(s, c, w) || cosineFlag(s) ? 1 : 0)));
    }
    if (flagged(s)) any++;
    cos.push(s?.cosine ?? 0);
    const sh = charShingles(normalizeText(metadataText(q)));
    if (
      lexicalScore(
        { sig: minhash(sh), size: sh.size },
        sigs[row] as never,
        UNIQUENESS_POLICY.text.minShinglesForContainment,
        UNIQUENESS_POLICY.text.maxContainmentRatio,
      ) >= UNIQUENESS_POLICY.text.copyScore
    )
      old++;
  }
  cos.sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(46)} passage ${pct(p, qs.length).padStart(7)}  cosine ${pct(cz, qs.length).padStart(7)}  either ${pct(any, qs.length).padStart(7)}  | whole-text MinHash ${pct(old, qs.length).padStart(7)}  | cosine p10 ${(cos[Math.floor(qs.length / 10)] ?? 0).toFixed(2)}`,
  );
}

// ---- false positives: unrelated cards (held-out fortunes) ----
const N_UNREL = 1000;
let fpAny = 0;
let maxPassage = 0;
let maxCos = 0;
const cosU: number[] = [];
const gridFp = GRID.map(() => 0);
for (let i = 0; i < N_UNREL; i++) {
  const q = C.itemCard(
    nameOf(),
    C.shuffle(r, [...held])
      .slice(0, C.between(r, 1, 3))
      .join(' '),
  );
  let top = 0;
  const sig = [...detect(idx, q, base).values()];
  GRID.forEach(([c, w], i) => (gridFp[i] = (gridFp[i] as number) + (sig.some((s) => cosineFlag(s, c, w)) ? 1 : 0)));
  CGRID.forEach(([c, w], i) => (cgridFp[i] = (cgridFp[i] as number) + (sig.some((s) => contFlag(s, c, w)) ? 1 : 0)));
  for (const s of sig) if (s.content >= 10) maxContU = Math.max(maxContU, s.containment);
  for (const s of sig) {
    maxPassage = Math.max(maxPassage, s.passage);
    top = Math.max(top, s.cosine);
    if (flagged(s)) fpAny++;
  }
  cosU.push(top);
  maxCos = Math.max(maxCos, top);
}
cosU.sort((a, b) => a - b);
console.log(
  `\nunrelated: ${N_UNREL} queries, flagged ${pct(fpAny, N_UNREL)}; longest aligned passage ${maxPassage} words; best cosine p50 ${cosU[500]?.toFixed(2)} p99 ${cosU[990]?.toFixed(2)} max ${maxCos.toFixed(2)}`,
);

console.log('cosine threshold × minimum content words: recall on delete / insert / reorder / combined, and unrelated flagged');
GRID.forEach(([c, w], i) => {
  const rec = [...gridHits].map(([n, g]) => pct(g[i] as number, queriesByFamily.find(([x]) => x === n)?.[1].length ?? 1));
  console.log(`  cosine ≥ ${c} words ≥ ${w}: ${rec.join(' / ')}  unrelated ${pct(gridFp[i] as number, N_UNREL)}`);
});

console.log(`containment (or the policy cosine) × minimum content words; unrelated max containment (≥ 10 words) ${maxContU.toFixed(2)}`);
CGRID.forEach(([c, w], i) => {
  const rec = [...cgridHits].map(([n, g]) => pct(g[i] as number, queriesByFamily.find(([x]) => x === n)?.[1].length ?? 1));
  console.log(`  containment ≥ ${c} words ≥ ${w}: ${rec.join(' / ')}  unrelated ${pct(cgridFp[i] as number, N_UNREL)}`);
});

// ---- sweep of k and window (passage signal only) ----
console.log('\nk/window sweep: passage-signal recall on the passage-inside, keep-most, insert and combined families; bytes/card');
const sweepFamilies = queriesByFamily.filter(([n]) => /passage|most kept|insert|combined/.test(n));
for (const [k, window] of [
  [4, 7],
  [4, 9],
  [5, 6],
  [5, 8],
  [5, 11],
  [6, 7],
  [6, 10],
] as const) {
  const params = { k, window };
  const sx = buildIndexes(params);
  const bytes = sx.fps.reduce((s, f) => s + encodePassageFingerprint(f, params).length, 0) / sx.fps.length;
  // Retrieval by the passage index alone (the word index would find most sources anyway), then alignment.
  const found = (q: AssetCard, row: number) =>
    sx.layer.passages.candidates(passageFingerprint(q, params), { limit: 10 }).some((c) => c.rowid === row) &&
    sharedPassages(q, library[row] as AssetCard).some((p) => p.words >= POL.minSharedWords);
  const recs = sweepFamilies.map(([, qs]) => qs.filter(([q, row]) => found(q, row)).length / qs.length);
  console.log(
    `  k=${k} w=${window} guarantee ${k + window - 1} words: ${recs.map((x) => `${(100 * x).toFixed(0)} %`).join(' / ')}  hashes/word ${(sx.fps.reduce((s, f) => s + f.hashes.length, 0) / sx.fps.reduce((s, f) => s + f.words, 0)).toFixed(3)}  ${bytes.toFixed(0)} B/card`,
  );
}
