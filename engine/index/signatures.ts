/**
 * Nearest library images by shape signature (engine/image/perceptual.ts shapeSignature: 144 int8
 * low-frequency DCT values per view): the candidate source of the local layer's aligned check
 * (policy local.aligned), for copies the pHash search and the inverted file do not reach — a simple
 * drawing put in perspective keeps its outline's spectrum roughly while its hash bits and corners
 * change. An exact scan, not an approximation: every stored view's dot product with the query in
 * WebAssembly SIMD (dot-kernel.wat; a JavaScript loop where the runtime lacks it, the same sums),
 * then the cosine and the closest images. The rows live in the kernel's own memory, appended on
 * add and filled by the last row on remove.
 */
import { SIG } from '../image/perceptual.ts';
import { WASM_BASE64 } from './dot-wasm.ts';

/** int8 values per stored row (one view's signature). */
export const SIG_DIMS = SIG * SIG;
const CHUNKS = SIG_DIMS / 16;
/** Where the query (as int16) and the first row sit in the kernel's memory. */
const QUERY_AT = 0;
const ROWS_AT = 512;
const PAGE = 65536;

type Dots = (q: number, lib: number, n: number, chunks: number, out: number) => void;

let module: WebAssembly.Module | null | undefined;
let enabled = true;

/** Turns the WebAssembly kernel off (false) or back on for indexes made afterwards: tests compare the two. */
export function useSignatureKernel(on: boolean): void {
  enabled = on;
}

function kernelModule(): WebAssembly.Module | null {
  if (module !== undefined) return module;
  try {
    module = new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
  } catch {
    module = null; // no WebAssembly SIMD in this runtime: the JavaScript loop answers
  }
  return module;
}

/** The Euclidean length of the SIG_DIMS values of `v` from `at`: a stored row's, for its cosines. */
function norm(v: Int8Array, at: number): number {
  let n = 0;
  for (let d = at; d < at + SIG_DIMS; d++) n += (v[d] as number) * (v[d] as number);
  return Math.sqrt(n);
}

/** One library image near a query: its best cosine over the query's and its own views. */
export interface SignatureHit {
  rowid: number;
  cos: number;
}

export class SignatureIndex {
  private memory: WebAssembly.Memory;
  private dots: Dots | null;
  private rows = 0;
  private capacity = 0;
  private owner = new Int32Array(0);
  private norm = new Float32Array(0);
  private byRowid = new Map<number, number[]>();

  constructor() {
    const m = enabled ? kernelModule() : null;
    if (m) {
      const inst = new WebAssembly.Instance(m);
      this.memory = inst.exports.memory as WebAssembly.Memory;
      this.dots = inst.exports.dots as Dots;
    } else {
      this.memory = new WebAssembly.Memory({ initial: 1 });
      this.dots = null;
    }
  }

  /** Stored images. */
  get size(): number {
    return this.byRowid.size;
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = Math.max(rows, this.capacity * 2, 64);
    // Rows, then the scan's output (one i32 per row) after them.
    const need = ROWS_AT + cap * SIG_DIMS + cap * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    const owner = new Int32Array(cap);
    owner.set(this.owner.subarray(0, this.rows));
    const norm = new Float32Array(cap);
    norm.set(this.norm.subarray(0, this.rows));
    this.owner = owner;
    this.norm = norm;
    this.capacity = cap;
  }

  private get outAt(): number {
    return ROWS_AT + this.capacity * SIG_DIMS;
  }

  /** Stores an image's view signatures (each SIG_DIMS int8 values), replacing any it had. */
  add(rowid: number, sigs: readonly Int8Array[]): void {
    this.remove(rowid);
    const usable = sigs.filter((s) => s.length === SIG_DIMS);
    if (usable.length === 0) return;
    this.reserve(this.rows + usable.length);
    const mine: number[] = [];
    for (const s of usable) {
      const r = this.rows++;
      new Int8Array(this.memory.buffer, ROWS_AT + r * SIG_DIMS, SIG_DIMS).set(s);
      this.owner[r] = rowid;
      this.norm[r] = norm(s, 0);
      mine.push(r);
    }
    this.byRowid.set(rowid, mine);
  }

  remove(rowid: number): void {
    const mine = this.byRowid.get(rowid);
    if (!mine) return;
    this.byRowid.delete(rowid);
    // Highest first, so a row moved from the end is never one still to be removed.
    for (const r of [...mine].sort((a, b) => b - a)) {
      const last = --this.rows;
      if (r === last) continue;
      const bytes = new Int8Array(this.memory.buffer);
      bytes.copyWithin(ROWS_AT + r * SIG_DIMS, ROWS_AT + last * SIG_DIMS, ROWS_AT + (last + 1) * SIG_DIMS);
      const moved = this.owner[last] as number;
      this.owner[r] = moved;
      this.norm[r] = this.norm[last] as number;
      const list = this.byRowid.get(moved) as number[];
      list[list.indexOf(last)] = r;
    }
  }

  /** Every stored row's dot product with `q` (SIG_DIMS int8 values). */
  private scan(q: Int8Array): Int32Array {
    const out = new Int32Array(this.memory.buffer, this.outAt, this.rows);
    if (this.dots) {
      new Int16Array(this.memory.buffer, QUERY_AT, SIG_DIMS).set(q);
      this.dots(QUERY_AT, ROWS_AT, this.rows, CHUNKS, this.outAt);
      return out;
    }
    const rows = new Int8Array(this.memory.buffer, ROWS_AT, this.rows * SIG_DIMS);
    for (let r = 0; r < this.rows; r++) {
      let s = 0;
      for (let d = 0, o = r * SIG_DIMS; d < SIG_DIMS; d++) s += (q[d] as number) * (rows[o + d] as number);
      out[r] = s;
    }
    return out;
  }

  /**
   * The `k` stored images closest to any of the query's views (best cosine over every pair of a
   * query view and a stored view), closest first, leaving out those in `skip`; ties keep the
   * earlier stored row.
   */
  nearest(queries: readonly Int8Array[], k: number, skip: ReadonlySet<number> = new Set()): SignatureHit[] {
    if (k <= 0 || this.rows === 0) return [];
    // A running list of the k best rows' owners; those skipped never enter it.
    const top: SignatureHit[] = [];
    const offer = (rowid: number, cos: number) => {
      const at = top.findIndex((t) => t.rowid === rowid);
      if (at >= 0) {
        if (cos <= (top[at] as SignatureHit).cos) return;
        top.splice(at, 1);
      } else if (top.length === k && cos <= (top[k - 1] as SignatureHit).cos) return;
      let i = top.length;
      while (i > 0 && (top[i - 1] as SignatureHit).cos < cos) i--;
      top.splice(i, 0, { rowid, cos });
      if (top.length > k) top.pop();
    };
    for (const q of queries) {
      if (q.length !== SIG_DIMS) continue;
      const qn = norm(q, 0);
      if (qn === 0) continue;
      const dots = this.scan(q);
      const floor = () => (top.length === k ? (top[k - 1] as SignatureHit).cos : -Infinity);
      for (let r = 0; r < this.rows; r++) {
        const n = this.norm[r] as number;
        if (n === 0) continue;
        const cos = (dots[r] as number) / (qn * n);
        if (cos > floor() && !skip.has(this.owner[r] as number)) offer(this.owner[r] as number, cos);
      }
    }
    return top;
  }

  /** rows (u32), then each row's owner (i32), then the rows' int8 values. */
  toBuffer(): Buffer {
    const head = Buffer.alloc(4 + this.rows * 4);
    head.writeUInt32LE(this.rows, 0);
    for (let r = 0; r < this.rows; r++) head.writeInt32LE(this.owner[r] as number, 4 + r * 4);
    const body = Buffer.from(new Uint8Array(this.memory.buffer, ROWS_AT, this.rows * SIG_DIMS));
    return Buffer.concat([head, body]);
  }

  static fromBuffer(b: Uint8Array): SignatureIndex {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const rows = buf.readUInt32LE(0);
    if (buf.length !== 4 + rows * 4 + rows * SIG_DIMS) throw new Error('signature index snapshot: wrong length');
    const idx = new SignatureIndex();
    idx.loadRows(buf, rows);
    return idx;
  }

  /**
   * A snapshot's rows taken in as they lie, in its order: the memory reserved once and the values
   * copied in one step. Taken in one image at a time (add), the memory grew by doubling and was
   * copied at each step: at 100k images that took 650 ms of opening, this 300 ms (README, session 102).
   */
  private loadRows(buf: Buffer, rows: number): void {
    this.reserve(rows);
    const values = new Int8Array(this.memory.buffer, ROWS_AT, rows * SIG_DIMS);
    values.set(new Int8Array(buf.buffer, buf.byteOffset + 4 + rows * 4, rows * SIG_DIMS));
    for (let r = 0; r < rows; r++) {
      const owner = buf.readInt32LE(4 + r * 4);
      this.owner[r] = owner;
      this.norm[r] = norm(values, r * SIG_DIMS);
      const mine = this.byRowid.get(owner);
      if (mine) mine.push(r);
      else this.byRowid.set(owner, [r]);
    }
    this.rows = rows;
  }
}
