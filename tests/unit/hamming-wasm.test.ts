/**
 * The WebAssembly SIMD kernel of putative matching (engine/image/local/hamming-kernel.wat): the
 * committed module is what the .wat compiles to, it loads in this runtime, and it gives exactly the
 * JavaScript loop's distances, runners-up and tie-breaks on random and planted descriptors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated } from '../../scripts/build-wasm.ts';
import { groupByNode, matchGrouped } from '../../engine/image/local/putative.ts';
import { nearestTwo, simdKernelAvailable } from '../../engine/image/local/nearest2.ts';
import type { LocalView } from '../../engine/image/local/types.ts';
import { rng } from '../../engine/rng.ts';

/** Descriptors in a few nodes, some of them near copies of the query's (a few bits flipped). */
function groups(seed: number, nq: number, nl: number, nodes: number) {
  const r = rng(seed);
  const byte = () => Math.floor(r() * 256);
  const qDesc = Uint8Array.from({ length: nq * 32 }, byte);
  const lDesc = Uint8Array.from({ length: nl * 32 }, byte);
  // Nodes 5 … 5 + nodes − 1, and some query nodes outside the library's range (skipped).
  const lNode = Uint32Array.from({ length: nl }, () => 5 + Math.floor(r() * nodes));
  const qNode = Uint32Array.from({ length: nq }, () => 3 + Math.floor(r() * (nodes + 4)));
  for (let j = 0; j < nl; j += 3) {
    // Every third library descriptor is a query descriptor with a few bits flipped (and exact ties happen).
    const i = Math.floor(r() * nq);
    if (qNode[i]! >= 5 && qNode[i]! < 5 + nodes) lNode[j] = qNode[i]!;
    lDesc.set(qDesc.subarray(i * 32, i * 32 + 32), j * 32);
    for (let f = Math.floor(r() * 4); f > 0; f--) lDesc[j * 32 + Math.floor(r() * 32)]! ^= 1 << Math.floor(r() * 8);
  }
  const order = Uint32Array.from({ length: nl }, (_, j) => j).sort((a, b) => lNode[a]! - lNode[b]! || a - b);
  const start = new Uint32Array(nodes + 1);
  for (let s = 0, b = 0; b <= nodes; b++) {
    while (s < nl && lNode[order[s]!]! - 5 < b) s++;
    start[b] = s;
  }
  return { q: { descriptors: qDesc, node: qNode }, lib: { descriptors: lDesc, node: lNode, order, base: 5, start } };
}

describe('putative matching kernel (WebAssembly SIMD)', () => {
  it('the committed module is what scripts/build-wasm.ts compiles from the .wat', async () => {
    for (const [path, source] of await generated()) expect(readFileSync(path, 'utf8'), path).toBe(source);
  });

  it('loads in this runtime (Node 20 and Electron have WebAssembly SIMD)', () => {
    expect(simdKernelAvailable()).toBe(true);
  });

  it.each([
    [1, 50, 40, 4],
    [2, 700, 500, 60],
    [3, 1, 0, 1],
    [4, 300, 900, 1],
  ])('gives the JavaScript loop’s answers exactly (seed %i, %i query, %i library descriptors, %i nodes)', (seed, nq, nl, nodes) => {
    const { q, lib } = groups(seed, nq, nl, nodes);
    const wasm = nearestTwo(q, lib);
    const js = nearestTwo(q, lib, false);
    expect(Array.from(wasm)).toEqual(Array.from(js));
    if (nl > 0) {
      // Planted near copies are found: some distances are small, and empty or foreign nodes answer (257, 257, −1).
      const d1 = Array.from({ length: nq }, (_, i) => wasm[i * 3]!);
      expect(d1.some((d) => d <= 4)).toBe(true);
      expect(d1.every((d) => d <= 256 || d === 257)).toBe(true);
    }
    const skipped = Array.from(q.node).findIndex((n) => n < 5 || n >= 5 + nodes);
    if (skipped >= 0) expect(Array.from(wasm.subarray(skipped * 3, skipped * 3 + 3))).toEqual([257, 257, -1]);
  });

  it('a second, larger call grows the kernel’s memory and still agrees', () => {
    const { q, lib } = groups(9, 4000, 6000, 200);
    expect(Array.from(nearestTwo(q, lib))).toEqual(Array.from(nearestTwo(q, lib, false)));
  });

  it('putative matches through the kernel pair planted copies with their originals', () => {
    const { q, lib } = groups(11, 200, 150, 8);
    const view = (g: { descriptors: Uint8Array; node: Uint32Array }): LocalView => {
      const n = g.node.length;
      return {
        descriptors: g.descriptors,
        words: g.node,
        keypoints: Float32Array.from({ length: n * 4 }, (_, k) => (k % 4 === 3 ? 0 : Math.floor(k / 4))),
      };
    };
    const vocab = { bucket: (w: number) => w } as never;
    const m = matchGrouped(groupByNode(vocab, view(q), 1), groupByNode(vocab, view(lib), 1), {
      matchLevel: 1,
      maxHamming: 64,
      ratio: 0.85,
    });
    expect(m.count).toBeGreaterThan(20);
    for (let k = 0; k < m.count; k++) {
      const j = m.src[2 * k]!;
      const i = m.dst[2 * k]!;
      const d = Array.from(
        { length: 32 },
        (_, b) => (q.descriptors[i * 32 + b]! ^ lib.descriptors[j * 32 + b]!).toString(2).replace(/0/g, '').length,
      ).reduce((a, b) => a + b, 0);
      expect(d).toBeLessThanOrEqual(64);
    }
  });
});
