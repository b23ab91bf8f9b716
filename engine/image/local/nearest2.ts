/**
 * The two nearest library descriptors of each query descriptor within its vocabulary node (the hot
 * loop of putative matching): in WebAssembly (hamming-kernel.wat, 64-bit popcounts) where the
 * runtime has it, else in JavaScript — the same distances, the same ties (the first in the group's
 * order wins), so both give identical matches (tests/unit/hamming-wasm.test.ts compares them with
 * each other and with a plain pair-by-pair scan).
 */
import { asWords, popcount32 } from './hamming.ts';
import { WASM_BASE64 } from './hamming-wasm.ts';

/** The query side: each descriptor (32 bytes) and its vocabulary node. */
export interface QueryNodes {
  descriptors: Uint8Array;
  node: Uint32Array;
}

/** The library side, grouped by node (putative.ts Grouped): only the groups are read, not each keypoint's node. */
export interface LibraryGroups {
  /** Descriptors in node order, 32 bytes each: the s-th is keypoint order[s]'s (read one after the other). */
  sorted: Uint8Array;
  /** Keypoint indices sorted by node; node b's keypoints are order[start[b − base] .. start[b − base + 1]). */
  order: Uint32Array;
  base: number;
  start: Uint32Array;
}

interface Kernel {
  memory: WebAssembly.Memory;
  best2: (q: number, node: number, nq: number, base: number, lib: number, order: number, start: number, span: number, out: number) => void;
}

let kernel: Kernel | null | undefined;
let enabled = true;

/** Turns the WebAssembly kernel off (false) or back on: benchmarks measure the JavaScript loop with it. */
export function useWasmKernel(on: boolean): void {
  enabled = on;
}

function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Buffer.from(WASM_BASE64, 'base64');
    // Synchronous compile: the module is under 1 KiB, and the engine never runs on a browser's main thread.
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    kernel = inst.exports as unknown as Kernel;
  } catch {
    kernel = null; // no WebAssembly in this runtime: the JavaScript loop answers
  }
  return kernel;
}

/** Whether the WebAssembly kernel is in use (false: the JavaScript loop). */
export function wasmKernelAvailable(): boolean {
  return loadKernel() !== null;
}

const align = (n: number) => (n + 15) & ~15;

/**
 * For each query descriptor i: out[3i] the smallest Hamming distance to a library descriptor of its
 * node, out[3i + 1] the second smallest, out[3i + 2] the library index of the smallest (257, 257, −1
 * when its node has none). `useKernel` false forces the JavaScript loop (tests).
 */
export function nearestTwo(q: QueryNodes, lib: LibraryGroups, useKernel = true): Int32Array {
  const k = useKernel && enabled ? loadKernel() : null;
  return k ? nearestTwoWasm(k, q, lib) : nearestTwoJs(q, lib);
}

function nearestTwoWasm(k: Kernel, q: QueryNodes, lib: LibraryGroups): Int32Array {
  const nq = q.node.length;
  const span = lib.start.length - 1;
  const at = { q: 0, node: 0, lib: 0, order: 0, start: 0, out: 0 };
  let end = 0;
  const place = (key: keyof typeof at, bytes: number) => {
    at[key] = end;
    end = align(end + bytes);
  };
  place('q', nq * 32);
  place('node', nq * 4);
  place('lib', lib.sorted.byteLength);
  place('order', lib.order.byteLength);
  place('start', lib.start.byteLength);
  place('out', nq * 12);
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));
  const mem = new Uint8Array(k.memory.buffer);
  const bytesOf = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  mem.set(q.descriptors.subarray(0, nq * 32), at.q);
  mem.set(bytesOf(q.node), at.node);
  mem.set(lib.sorted, at.lib);
  mem.set(bytesOf(lib.order), at.order);
  mem.set(bytesOf(lib.start), at.start);
  k.best2(at.q, at.node, nq, lib.base, at.lib, at.order, at.start, span, at.out);
  return new Int32Array(k.memory.buffer.slice(at.out, at.out + nq * 12));
}

function nearestTwoJs(q: QueryNodes, lib: LibraryGroups): Int32Array {
  const qd = asWords(q.descriptors);
  const ld = asWords(lib.sorted);
  const nq = q.node.length;
  const out = new Int32Array(nq * 3);
  const { order, start } = lib;
  const span = start.length - 1;
  for (let i = 0; i < nq; i++) {
    let d1 = 257,
      d2 = 257,
      s1 = -1;
    const b = (q.node[i] as number) - lib.base;
    if (b >= 0 && b < span) {
      const qo = i * 8;
      const q0 = qd[qo] as number,
        q1 = qd[qo + 1] as number,
        q2 = qd[qo + 2] as number,
        q3 = qd[qo + 3] as number;
      const q4 = qd[qo + 4] as number,
        q5 = qd[qo + 5] as number,
        q6 = qd[qo + 6] as number,
        q7 = qd[qo + 7] as number;
      const to = start[b + 1] as number;
      for (let s = start[b] as number; s < to; s++) {
        const o = s * 8;
        const d =
          popcount32((q0 ^ (ld[o] as number)) >>> 0) +
          popcount32((q1 ^ (ld[o + 1] as number)) >>> 0) +
          popcount32((q2 ^ (ld[o + 2] as number)) >>> 0) +
          popcount32((q3 ^ (ld[o + 3] as number)) >>> 0) +
          popcount32((q4 ^ (ld[o + 4] as number)) >>> 0) +
          popcount32((q5 ^ (ld[o + 5] as number)) >>> 0) +
          popcount32((q6 ^ (ld[o + 6] as number)) >>> 0) +
          popcount32((q7 ^ (ld[o + 7] as number)) >>> 0);
        if (d < d1) {
          d2 = d1;
          d1 = d;
          s1 = s;
        } else if (d < d2) d2 = d;
      }
    }
    out[i * 3] = d1;
    out[i * 3 + 1] = d2;
    out[i * 3 + 2] = s1 < 0 ? -1 : (order[s1] as number);
  }
  return out;
}
