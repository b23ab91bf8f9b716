/**
 * A hierarchical k-majority vocabulary tree for 256-bit binary descriptors (the DBoW2 scheme):
 * each node splits its descriptors into k clusters whose centres are bitwise majorities, recursively
 * to a fixed depth; the leaves are the visual words. Trained once (scripts/train-vocab.ts) and
 * shipped as a versioned file; quantising a descriptor costs k × depth Hamming distances.
 *
 * File layout (little-endian): "OVOC", u32 version, u16 k, u16 depth, u32 nodes, u32 leaves, then
 * per node: 32-byte centre, i32 first child (−1 for a leaf), u8 child count, 3 bytes padding,
 * i32 leaf id (−1 for an inner node). Node 0 is the root; children of a node are contiguous.
 */
import { hamming, popcount32 } from './hamming.ts';
import { rng } from '../../rng.ts';

const MAGIC = 0x434f564f; // "OVOC"
const NODE_BYTES = 32 + 4 + 4 + 4;

export class Vocabulary {
  readonly leaves: number;
  /** Depth of each node (root = 0). */
  private readonly depthOf: Uint8Array;
  /** For each leaf id: its ancestor node at each level 0..depth. */
  private readonly ancestors: Int32Array;

  constructor(
    readonly k: number,
    readonly depth: number,
    readonly centres: Uint32Array,
    readonly firstChild: Int32Array,
    readonly childCount: Uint8Array,
    readonly leafId: Int32Array,
  ) {
    const nodes = firstChild.length;
    let leaves = 0;
    for (let i = 0; i < nodes; i++) if ((leafId[i] as number) >= 0) leaves++;
    this.leaves = leaves;
    this.depthOf = new Uint8Array(nodes);
    this.ancestors = new Int32Array(leaves * (depth + 1)).fill(-1);
    const path: number[] = [];
    const walk = (node: number, d: number): void => {
      path[d] = node;
      this.depthOf[node] = d;
      const leaf = leafId[node] as number;
      if (leaf >= 0) {
        for (let l = 0; l <= depth; l++) this.ancestors[leaf * (depth + 1) + l] = path[Math.min(l, d)] as number;
        return;
      }
      const f = firstChild[node] as number;
      for (let c = 0; c < (childCount[node] as number); c++) walk(f + c, d + 1);
    };
    walk(0, 0);
  }

  /** The visual word (leaf id) of descriptor i of `desc` (8 words per descriptor). */
  quantise(desc: Uint32Array, i: number): number {
    let node = 0;
    for (;;) {
      const f = this.firstChild[node] as number;
      if (f < 0) return this.leafId[node] as number;
      let best = f;
      let bestD = 257;
      for (let c = 0; c < (this.childCount[node] as number); c++) {
        const d = hamming(desc, i, this.centres, f + c);
        if (d < bestD) {
          bestD = d;
          best = f + c;
        }
      }
      node = best;
    }
  }

  /** The node at `level` above a leaf: descriptors sharing it are candidate matches. */
  bucket(leaf: number, level: number): number {
    return this.ancestors[leaf * (this.depth + 1) + Math.min(level, this.depth)] as number;
  }

  toBuffer(): Buffer {
    const nodes = this.firstChild.length;
    const buf = Buffer.alloc(20 + nodes * NODE_BYTES);
    buf.writeUInt32LE(MAGIC, 0);
    buf.writeUInt32LE(1, 4);
    buf.writeUInt16LE(this.k, 8);
    buf.writeUInt16LE(this.depth, 10);
    buf.writeUInt32LE(nodes, 12);
    buf.writeUInt32LE(this.leaves, 16);
    for (let i = 0; i < nodes; i++) {
      const o = 20 + i * NODE_BYTES;
      for (let w = 0; w < 8; w++) buf.writeUInt32LE(this.centres[i * 8 + w] as number, o + w * 4);
      buf.writeInt32LE(this.firstChild[i] as number, o + 32);
      buf.writeUInt8(this.childCount[i] as number, o + 36);
      buf.writeInt32LE(this.leafId[i] as number, o + 40);
    }
    return buf;
  }

  static fromBuffer(buf: Uint8Array): Vocabulary {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (b.length < 20 || b.readUInt32LE(0) !== MAGIC || b.readUInt32LE(4) !== 1) throw new Error('not an ORB vocabulary file (v1)');
    const k = b.readUInt16LE(8);
    const depth = b.readUInt16LE(10);
    const nodes = b.readUInt32LE(12);
    if (b.length !== 20 + nodes * NODE_BYTES || k < 2 || depth < 1 || nodes < 1)
      throw new Error('vocabulary file has the wrong size or shape');
    const centres = new Uint32Array(nodes * 8);
    const firstChild = new Int32Array(nodes);
    const childCount = new Uint8Array(nodes);
    const leafId = new Int32Array(nodes);
    for (let i = 0; i < nodes; i++) {
      const o = 20 + i * NODE_BYTES;
      for (let w = 0; w < 8; w++) centres[i * 8 + w] = b.readUInt32LE(o + w * 4);
      firstChild[i] = b.readInt32LE(o + 32);
      childCount[i] = b.readUInt8(o + 36);
      leafId[i] = b.readInt32LE(o + 40);
      const f = firstChild[i] as number;
      if (f >= nodes || f + (childCount[i] as number) > nodes || f < 0 !== (leafId[i] as number) >= 0)
        throw new Error(`vocabulary node ${i} is malformed`);
    }
    const v = new Vocabulary(k, depth, centres, firstChild, childCount, leafId);
    if (b.readUInt32LE(16) !== v.leaves) throw new Error('vocabulary leaf count mismatch');
    return v;
  }
}

export interface TrainOptions {
  k: number;
  depth: number;
  seed: number;
  iterations: number;
}

/** Trains a tree on n descriptors (8 words each) with k-means++ seeding and bitwise-majority centres. */
export function trainVocabulary(desc: Uint32Array, opts: TrainOptions): Vocabulary {
  const rand = rng(opts.seed);
  const centres: number[][] = [];
  const firstChild: number[] = [];
  const childCount: number[] = [];
  const leafId: number[] = [];
  let leaves = 0;
  const newNode = (centre: Uint32Array): number => {
    centres.push(Array.from(centre));
    firstChild.push(-1);
    childCount.push(0);
    leafId.push(-1);
    return centres.length - 1;
  };
  const root = newNode(
    majority(
      desc,
      Array.from({ length: desc.length / 8 }, (_, i) => i),
    ),
  );
  const queue: { node: number; members: number[]; d: number }[] = [
    { node: root, members: Array.from({ length: desc.length / 8 }, (_, i) => i), d: 0 },
  ];
  // Breadth-first so that each node's children are contiguous.
  while (queue.length) {
    const { node, members, d } = queue.shift() as { node: number; members: number[]; d: number };
    if (d >= opts.depth || members.length < opts.k * 2) {
      leafId[node] = leaves++;
      continue;
    }
    const groups = kMajority(desc, members, opts.k, opts.iterations, rand);
    firstChild[node] = centres.length;
    childCount[node] = groups.length;
    const kids = groups.map((g) => newNode(g.centre));
    groups.forEach((g, i) => queue.push({ node: kids[i] as number, members: g.members, d: d + 1 }));
  }
  const n = centres.length;
  const c = new Uint32Array(n * 8);
  centres.forEach((v, i) => c.set(v, i * 8));
  return new Vocabulary(opts.k, opts.depth, c, Int32Array.from(firstChild), Uint8Array.from(childCount), Int32Array.from(leafId));
}

function majority(desc: Uint32Array, members: number[]): Uint32Array {
  const counts = new Uint32Array(256);
  for (const m of members) {
    for (let w = 0; w < 8; w++) {
      const v = desc[m * 8 + w] as number;
      if (v === 0) continue;
      for (let b = 0; b < 32; b++) if ((v >>> b) & 1) counts[w * 32 + b] = (counts[w * 32 + b] as number) + 1;
    }
  }
  const out = new Uint32Array(8);
  const half = members.length / 2;
  for (let i = 0; i < 256; i++) if ((counts[i] as number) > half) out[i >>> 5] = ((out[i >>> 5] as number) | (1 << (i & 31))) >>> 0;
  return out;
}

function distTo(desc: Uint32Array, i: number, c: Uint32Array): number {
  let d = 0;
  for (let w = 0; w < 8; w++) d += popcount32(((desc[i * 8 + w] as number) ^ (c[w] as number)) >>> 0);
  return d;
}

function kMajority(
  desc: Uint32Array,
  members: number[],
  k: number,
  iterations: number,
  rand: () => number,
): { centre: Uint32Array; members: number[] }[] {
  // k-means++ seeding on squared Hamming distances.
  const first = members[Math.floor(rand() * members.length)] as number;
  const seeds: Uint32Array[] = [desc.slice(first * 8, first * 8 + 8)];
  const best = new Float64Array(members.length).fill(Infinity);
  while (seeds.length < k) {
    const last = seeds[seeds.length - 1] as Uint32Array;
    let total = 0;
    for (let j = 0; j < members.length; j++) {
      const d = distTo(desc, members[j] as number, last);
      if (d * d < (best[j] as number)) best[j] = d * d;
      total += best[j] as number;
    }
    if (total === 0) break;
    let r = rand() * total;
    let pick = members.length - 1;
    for (let j = 0; j < members.length; j++) {
      r -= best[j] as number;
      if (r <= 0) {
        pick = j;
        break;
      }
    }
    const m = members[pick] as number;
    seeds.push(desc.slice(m * 8, m * 8 + 8));
  }
  let cs = seeds;
  const assign = new Int32Array(members.length);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let j = 0; j < members.length; j++) {
      let bi = 0;
      let bd = 257;
      for (let c = 0; c < cs.length; c++) {
        const d = distTo(desc, members[j] as number, cs[c] as Uint32Array);
        if (d < bd) {
          bd = d;
          bi = c;
        }
      }
      if (assign[j] !== bi || it === 0) changed++;
      assign[j] = bi;
    }
    const groups = cs.map(() => [] as number[]);
    members.forEach((m, j) => groups[assign[j] as number]?.push(m));
    cs = groups.map((g, c) => (g.length ? majority(desc, g) : (cs[c] as Uint32Array)));
    if (changed === 0) break;
  }
  const groups = cs.map((centre) => ({ centre, members: [] as number[] }));
  members.forEach((m, j) => groups[assign[j] as number]?.members.push(m));
  return groups.filter((g) => g.members.length > 0);
}
