/**
 * Check latency for the engine benchmark: each query (a transformed copy of a real library image) is
 * fingerprinted alone (decode, global hashes, local features: the fixed cost of a check), checked on
 * its precomputed fingerprints (retrieval + verification alone) and checked end to end, and checked
 * again without its zoom windows (fingerprinted with `zoom: false`, then checked: the cost of the
 * windows as a ratio), and its retrieval + verification again without the re-ranked tail of the
 * shortlist (policy local.rerank.take 0), and twice more with pages cached (in alternating order), with
 * putative matching's distances in the WebAssembly kernel and in JavaScript
 * (nearest2.ts), and twice more with and without probing symmetric drawings' hashes on their
 * reliable bits (policy visual.reliable). The brute-force baseline scans every stored pHash with the
 * hashes the engine probes.
 */
import { fromHex, popcount32 } from '../engine/hash/bits.ts';
import type { ImageFingerprint } from '../engine/image/fingerprint.ts';
import { UniquenessEngine } from '../engine/library.ts';
import type { AssetCard } from '../shared/asset.ts';
import type { UniquenessPolicy } from '../shared/policy/uniqueness.ts';
import { pct, timed } from './measure.ts';
import { useWasmKernel } from '../engine/image/local/nearest2.ts';

export interface Query {
  card: AssetCard;
  bytes: Buffer;
  sourceId: string;
  kind: string;
}

export interface CheckFigures {
  size: number;
  queries: number;
  fingerprintP50: number;
  fingerprintP95: number;
  retrievalP50: number;
  retrievalP95: number;
  fullP50: number;
  fullP95: number;
  /** The same check without the query's zoom windows (policy local.zoom). */
  noZoomP50: number;
  noZoomP95: number;
  /** Retrieval + verification without re-ranking the shortlist's tail (policy local.rerank). */
  noRerankP50: number;
  noRerankP95: number;
  /** Retrieval + verification again (pages cached) with weak models aligned by their pixels, and without (policy local.appearance.refine). */
  refineP50: number;
  refineP95: number;
  noRefineP50: number;
  noRefineP95: number;
  /** Retrieval + verification again (pages cached) with putative matching's WebAssembly kernel, and with its JavaScript loop instead. */
  wasmP50: number;
  wasmP95: number;
  noWasmP50: number;
  noWasmP95: number;
  /** Retrieval + verification again (pages cached) with the reliable-bit probe of the global hashes, and without (policy visual.reliable). */
  reliableP50: number;
  reliableP95: number;
  noReliableP50: number;
  noReliableP95: number;
  /** Retrieval + verification again (pages cached) with the whole frame's turned alignments probed, and without (policy visual.turnWhole). */
  turnWholeP50: number;
  turnWholeP95: number;
  noTurnWholeP50: number;
  noTurnWholeP95: number;
  /** Retrieval + verification again (pages cached) with what the global hashes found verified too, and without (policy local.rerank.hashes). */
  hashesP50: number;
  hashesP95: number;
  noHashesP50: number;
  noHashesP95: number;
  /**
   * Every query also described inverted (policy local.invert.always) against the rule before it
   * (only a query on a dark backdrop): fingerprinting, and retrieval + verification again (pages
   * cached) on each rule's fingerprints.
   */
  fpInvertP50: number;
  fpInvertP95: number;
  fpDarkOnlyP50: number;
  fpDarkOnlyP95: number;
  invertP50: number;
  invertP95: number;
  noInvertP50: number;
  noInvertP95: number;
  /** Queries whose first match is the image they were made from. */
  sourceFirst: number;
  /** Queries whose matches name the image they were made from at all (recall at this size). */
  sourceFound: number;
  /** The copy kinds of the queries whose matches do not name their source. */
  missedKinds: string[];
  bruteForceP50: number;
  bruteForceP95: number;
}

/** The pHashes the engine probes for a query: all 8 variants of each view at full scale (visual.turnWhole), variant 0 of the others. */
export function probedHashes(img: Pick<ImageFingerprint, 'views'>): string[] {
  return img.views.flatMap((v) => v.phash.flatMap((variants, qs) => (qs === 0 ? variants : variants.slice(0, 1))));
}

/** Every stored pHash (each view and scale as indexed) in a flat array: the brute-force baseline's index. */
export class FlatHashes {
  private data = new Uint32Array(1 << 16);
  private n = 0;
  add(img: Pick<ImageFingerprint, 'views'> | null): void {
    if (!img) return;
    for (const v of img.views)
      for (const variants of v.phash) {
        if (this.n * 2 + 2 > this.data.length) {
          const g = new Uint32Array(this.data.length * 2);
          g.set(this.data);
          this.data = g;
        }
        const h = fromHex(variants[0] as string);
        this.data[this.n * 2] = h.hi;
        this.data[this.n * 2 + 1] = h.lo;
        this.n++;
      }
  }
  /** Stored hashes within `radius` of any query hash. */
  scan(query: string[], radius: number): number {
    const qs = query.map(fromHex);
    let hits = 0;
    const d = this.data;
    for (let i = 0; i < this.n; i++) {
      const hi = d[i * 2] as number;
      const lo = d[i * 2 + 1] as number;
      for (const q of qs) if (popcount32((hi ^ q.hi) >>> 0) + popcount32((lo ^ q.lo) >>> 0) <= radius) hits++;
    }
    return hits;
  }
}

export async function measureChecks(engine: UniquenessEngine, queries: Query[], flat: FlatHashes, radius: number): Promise<CheckFigures> {
  const fpMs: number[] = [];
  const retrMs: number[] = [];
  const fullMs: number[] = [];
  const noZoomMs: number[] = [];
  const noRerankMs: number[] = [];
  const noRefineMs: number[] = [];
  const refineMs: number[] = [];
  const noWasmMs: number[] = [];
  const wasmMs: number[] = [];
  const reliableMs: number[] = [];
  const noReliableMs: number[] = [];
  const turnWholeMs: number[] = [];
  const noTurnWholeMs: number[] = [];
  const hashesMs: number[] = [];
  const noHashesMs: number[] = [];
  const invertMs: number[] = [];
  const noInvertMs: number[] = [];
  const fpInvertMs: number[] = [];
  const fpDarkOnlyMs: number[] = [];
  // Fingerprints under the rule before local.invert.always (nothing is stored in it).
  const inv = engine.policy.local.invert;
  const darkOnly = UniquenessEngine.open({
    dbPath: ':memory:',
    policy: { ...engine.policy, local: { ...engine.policy.local, invert: { ...inv, always: false } } },
  });
  const noHashes = { ...engine.policy, local: { ...engine.policy.local, rerank: { ...engine.policy.local.rerank, hashes: 0 } } };
  const noTurnWhole = { ...engine.policy, visual: { ...engine.policy.visual, turnWhole: false } };
  const noReliable = { ...engine.policy, visual: { ...engine.policy.visual, reliable: { ...engine.policy.visual.reliable, on: false } } };
  const noRerank = { ...engine.policy, local: { ...engine.policy.local, rerank: { ...engine.policy.local.rerank, take: 0 } } };
  const ap = engine.policy.local.appearance;
  const noRefine = { ...engine.policy, local: { ...engine.policy.local, appearance: { ...ap, refine: { ...ap.refine, iterations: 0 } } } };
  const bruteMs: number[] = [];
  let sourceFirst = 0;
  let sourceFound = 0;
  const missedKinds: string[] = [];
  // Warm-up: prepared statements, JIT, the feature workers.
  const w = queries[0] as Query;
  await engine.check({ card: w.card, image: w.bytes, creatorId: 'bench' });
  for (const q of queries) {
    const [fp, t1] = await timed(() => engine.fingerprint(q.card, q.bytes));
    fpMs.push(t1);
    // Retrieval + verification on these fingerprints, under the engine's policy or `policy`.
    const retrieval = async (policy?: UniquenessPolicy) =>
      (await timed(() => engine.checkFingerprints({ card: q.card, creatorId: 'bench', fp, ...(policy ? { policy } : {}) })))[1];
    retrMs.push(await retrieval());
    noRerankMs.push(await retrieval(noRerank));
    // A setting on and off (`run(on)`), both after the cold measurement above (pages cached
    // alike), in alternating order so neither always runs second.
    const order = queries.indexOf(q) % 2 ? [false, true] : [true, false];
    const onAndOff = async (withMs: number[], withoutMs: number[], run: (on: boolean) => Promise<number>) => {
      for (const on of order) (on ? withMs : withoutMs).push(await run(on));
    };
    // A policy setting: the engine's policy on, `off` off.
    const setting = (off: UniquenessPolicy) => (on: boolean) => retrieval(on ? undefined : off);
    // Alignment of weak models by their pixels.
    await onAndOff(refineMs, noRefineMs, setting(noRefine));
    // The kernel against the JavaScript loop, likewise.
    const wasmRun = async (on: boolean) => {
      useWasmKernel(on);
      try {
        return await retrieval();
      } finally {
        useWasmKernel(true);
      }
    };
    await onAndOff(wasmMs, noWasmMs, wasmRun);
    // The reliable-bit probe, the whole frame's turned alignments and the hashes' finds, likewise.
    await onAndOff(reliableMs, noReliableMs, setting(noReliable));
    await onAndOff(turnWholeMs, noTurnWholeMs, setting(noTurnWhole));
    await onAndOff(hashesMs, noHashesMs, setting(noHashes));
    // Every query described inverted too (local.invert.always) against only a dark backdrop's:
    // fingerprinting under each rule, then retrieval + verification on each rule's fingerprints.
    let darkFp = fp;
    await onAndOff(fpInvertMs, fpDarkOnlyMs, async (on) => {
      if (on) return (await timed(() => engine.fingerprint(q.card, q.bytes)))[1];
      const [f, t] = await timed(() => darkOnly.fingerprint(q.card, q.bytes));
      darkFp = f;
      return t;
    });
    await onAndOff(invertMs, noInvertMs, async (on) =>
      on ? retrieval() : (await timed(() => engine.checkFingerprints({ card: q.card, creatorId: 'bench', fp: darkFp })))[1],
    );
    const [res, t3] = await timed(() => engine.check({ card: q.card, image: q.bytes, creatorId: 'bench' }));
    fullMs.push(t3);
    if (res.matches[0]?.assetId === q.sourceId) sourceFirst++;
    if (res.matches.some((m) => m.assetId === q.sourceId)) sourceFound++;
    else missedKinds.push(q.kind);
    const [, t4] = await timed(async () => {
      const plain = await engine.fingerprint(q.card, q.bytes, { zoom: false });
      return engine.checkFingerprints({ card: q.card, creatorId: 'bench', fp: plain });
    });
    noZoomMs.push(t4);
    if (bruteMs.length < 20 && fp.image)
      bruteMs.push((await timed(() => flat.scan(probedHashes(fp.image as ImageFingerprint), radius)))[1]);
  }
  darkOnly.close();
  return {
    size: engine.size,
    queries: queries.length,
    fingerprintP50: pct(fpMs, 0.5),
    fingerprintP95: pct(fpMs, 0.95),
    retrievalP50: pct(retrMs, 0.5),
    retrievalP95: pct(retrMs, 0.95),
    fullP50: pct(fullMs, 0.5),
    fullP95: pct(fullMs, 0.95),
    noZoomP50: pct(noZoomMs, 0.5),
    noZoomP95: pct(noZoomMs, 0.95),
    noRerankP50: pct(noRerankMs, 0.5),
    noRerankP95: pct(noRerankMs, 0.95),
    refineP50: pct(refineMs, 0.5),
    refineP95: pct(refineMs, 0.95),
    noRefineP50: pct(noRefineMs, 0.5),
    noRefineP95: pct(noRefineMs, 0.95),
    wasmP50: pct(wasmMs, 0.5),
    wasmP95: pct(wasmMs, 0.95),
    noWasmP50: pct(noWasmMs, 0.5),
    noWasmP95: pct(noWasmMs, 0.95),
    reliableP50: pct(reliableMs, 0.5),
    reliableP95: pct(reliableMs, 0.95),
    noReliableP50: pct(noReliableMs, 0.5),
    noReliableP95: pct(noReliableMs, 0.95),
    turnWholeP50: pct(turnWholeMs, 0.5),
    turnWholeP95: pct(turnWholeMs, 0.95),
    noTurnWholeP50: pct(noTurnWholeMs, 0.5),
    noTurnWholeP95: pct(noTurnWholeMs, 0.95),
    hashesP50: pct(hashesMs, 0.5),
    hashesP95: pct(hashesMs, 0.95),
    fpInvertP50: pct(fpInvertMs, 0.5),
    fpInvertP95: pct(fpInvertMs, 0.95),
    fpDarkOnlyP50: pct(fpDarkOnlyMs, 0.5),
    fpDarkOnlyP95: pct(fpDarkOnlyMs, 0.95),
    invertP50: pct(invertMs, 0.5),
    invertP95: pct(invertMs, 0.95),
    noInvertP50: pct(noInvertMs, 0.5),
    noInvertP95: pct(noInvertMs, 0.95),
    noHashesP50: pct(noHashesMs, 0.5),
    noHashesP95: pct(noHashesMs, 0.95),
    sourceFirst,
    sourceFound,
    missedKinds,
    bruteForceP50: pct(bruteMs, 0.5),
    bruteForceP95: pct(bruteMs, 0.95),
  };
}
