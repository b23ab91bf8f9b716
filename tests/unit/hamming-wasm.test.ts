/**
 * The WebAssembly kernel of putative matching (engine/image/local/hamming-kernel.wat): the committed
 * module is what the .wat compiles to, it loads in this runtime, and it gives exactly the JavaScript
 * loop's distances, runners-up and tie-breaks on random and planted descriptors — and both give
 * those of a plain scan of every library descriptor of the query's node, pair by pair.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated } from '../../scripts/build-wasm.ts';
import { groupByNode, matchGrouped } from '../../engine/image/local/putative.ts';
import { nearestTwo, wasmKernelAvailable } from '../../engine/image/local/nearest2.ts';
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
  // The kernel reads the library's descriptors in node order (putative.ts groupByNode's `sorted`).
  const sorted = new Uint8Array(nl * 32);
  order.forEach((j, s) => sorted.set(lDesc.subarray(j * 32, j * 32 + 32), s * 32));
  return { q: { descriptors: qDesc, node: qNode }, lib: { descriptors: lDesc, sorted, node: lNode, order, base: 5, start } };
}

const bits = (a: Uint8Array, i: number, b: Uint8Array, j: number) =>
  Array.from({ length: 32 }, (_, k) => (a[i * 32 + k]! ^ b[j * 32 + k]!).toString(2).replace(/0/g, '').length).reduce((x, y) => x + y, 0);

/** The reference: every library descriptor of the query's node, in ascending index (the first of equals wins). */
function plainScan(q: { descriptors: Uint8Array; node: Uint32Array }, lib: { descriptors: Uint8Array; node: Uint32Array }): number[] {
  const out: number[] = [];
  for (let i = 0; i < q.node.length; i++) {
    let d1 = 257;
    let d2 = 257;
    let j1 = -1;
    for (let j = 0; j < lib.node.length; j++) {
      if (lib.node[j] !== q.node[i]) continue;
      const d = bits(q.descriptors, i, lib.descriptors, j);
      if (d < d1) [d2, d1, j1] = [d1, d, j];
      else if (d < d2) d2 = d;
    }
    out.push(d1, d2, j1);
  }
  return out;
}

describe('putative matching kernel (WebAssembly)', () => {
  it('every committed module (this kernel and the signature index) is what scripts/build-wasm.ts compiles from its .wat', async () => {
    for (const [path, source] of await generated()) expect(readFileSync(path, 'utf8'), path).toBe(source);
  });

  it('loads in this runtime (Node 20 and Electron have WebAssembly)', () => {
    expect(wasmKernelAvailable()).toBe(true);
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
    expect(Array.from(js)).toEqual(plainScan(q, lib));
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
      expect(bits(q.descriptors, i, lib.descriptors, j)).toBeLessThanOrEqual(64);
    }
  });
});
