/**
 * Compact binary form of a LocalFeatureSet for SQLite blobs (little-endian):
 * "OLF1", u8 flags (1 = has mirror view, 2 = views carry a fine octave), u8 vocab-id length, u16 width,
 * u16 height, 4 × f32 frame, 5 × f32 info, vocab id (ASCII), then per view: u32 n, [u32 base when
 * flag 2], n × (u16 x·64, u16 y·64, u16 size·16, u16 angle·65536/360), n × 32 descriptor bytes,
 * n × u16 word. 42 bytes per keypoint. Flag 4: then u16 sketch width, u16 height, u32 length and
 * its grey bytes deflated (appearance.ts; 2–4 KB for clip art); flag 8: then the query's grey working frame (width × height bytes).
 * Flag 16: each view's u32 base is followed by a u32 where a blurred query's unsharp-masked
 * keypoints start (sharpen.ts; n when it has none). Flag 32: the views end with a query's inverted
 * view (invert.ts), written like the others; flag 64: then its mirror's. Flag 128: each view's
 * header then holds a u32 where the keypoints of its frame with the backdrop whitened start
 * (background.ts; where its unsharp-masked ones start, or n, when it has none). Flags 2, 8, 16, 32, 64 and 128 only travel from the worker pool with a query: a library stores forLibrary(set), which has
 * neither the mirror, the inverted view, the fine octave nor the frame. Blobs written before the sketch have no flag 4.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { LocalFeatureSet, LocalView, Sketch } from './types.ts';
import { loadVocabulary } from './vocab-file.ts';

const MAGIC = 0x31464c4f; // "OLF1"
const HEAD = 4 + 1 + 1 + 2 + 2 + 16 + 20;

function viewBytes(v: LocalView, fine: boolean, sharp: boolean, flat: boolean): number {
  return (fine ? 8 : 4) + (sharp ? 4 : 0) + (flat ? 4 : 0) + v.words.length * 42;
}

function hasFlat(set: LocalFeatureSet): boolean {
  return set.primary.flat !== undefined || set.mirror?.flat !== undefined;
}

function hasSharp(set: LocalFeatureSet): boolean {
  return set.primary.sharp !== undefined || set.mirror?.sharp !== undefined;
}

function hasFine(set: LocalFeatureSet): boolean {
  return set.primary.base !== undefined || set.mirror?.base !== undefined;
}

export function serialize(set: LocalFeatureSet): Buffer {
  const views = [set.primary, set.mirror, set.inverse, set.inverseMirror].filter((v): v is LocalView => v !== undefined);
  // A view with unsharp-masked keypoints also has a base (they come after the working frame's).
  const sharp = hasSharp(set);
  // So does one with keypoints of its whitened backdrop.
  const flat = hasFlat(set);
  const fine = sharp || flat || hasFine(set);
  const id = Buffer.from(set.vocab, 'ascii');
  const sk = set.sketch;
  const packed = sk && deflateRawSync(sk.gray);
  const fg = set.frameGray;
  const tail = (sk && packed ? 8 + packed.length : 0) + (fg ? fg.length : 0);
  const buf = Buffer.alloc(HEAD + id.length + views.reduce((a, v) => a + viewBytes(v, fine, sharp, flat), 0) + tail);
  let o = 0;
  o = buf.writeUInt32LE(MAGIC, o);
  o = buf.writeUInt8(
    (set.mirror ? 1 : 0) |
      (fine ? 2 : 0) |
      (sk ? 4 : 0) |
      (fg ? 8 : 0) |
      (sharp ? 16 : 0) |
      (set.inverse ? 32 : 0) |
      (set.inverseMirror ? 64 : 0) |
      (flat ? 128 : 0),
    o,
  );
  o = buf.writeUInt8(id.length, o);
  o = buf.writeUInt16LE(set.width, o);
  o = buf.writeUInt16LE(set.height, o);
  for (const f of [set.frame.x, set.frame.y, set.frame.w, set.frame.h]) o = buf.writeFloatLE(f, o);
  const i = set.info;
  for (const f of [i.keypoints, i.spread, i.effectiveWords, i.diversity, i.score]) o = buf.writeFloatLE(f, o);
  o += id.copy(buf, o);
  for (const v of views) {
    const n = v.words.length;
    o = buf.writeUInt32LE(n, o);
    if (fine) o = buf.writeUInt32LE(v.base ?? n, o);
    if (sharp) o = buf.writeUInt32LE(v.sharp ?? n, o);
    if (flat) o = buf.writeUInt32LE(v.flat ?? v.sharp ?? n, o);
    for (let k = 0; k < n; k++) {
      o = buf.writeUInt16LE(Math.min(65535, Math.round((v.keypoints[k * 4] as number) * 64)), o);
      o = buf.writeUInt16LE(Math.min(65535, Math.round((v.keypoints[k * 4 + 1] as number) * 64)), o);
      o = buf.writeUInt16LE(Math.min(65535, Math.round((v.keypoints[k * 4 + 2] as number) * 16)), o);
      o = buf.writeUInt16LE(Math.round(((((v.keypoints[k * 4 + 3] as number) % 360) + 360) % 360) * (65536 / 360)) & 0xffff, o);
    }
    o += Buffer.from(v.descriptors.buffer, v.descriptors.byteOffset, n * 32).copy(buf, o);
    for (let k = 0; k < n; k++) {
      const w = v.words[k] as number;
      if (w > 0xffff) throw new Error('visual word id does not fit 16 bits');
      o = buf.writeUInt16LE(w, o);
    }
  }
  if (sk && packed) {
    o = buf.writeUInt16LE(sk.width, o);
    o = buf.writeUInt16LE(sk.height, o);
    o = buf.writeUInt32LE(packed.length, o);
    o += packed.copy(buf, o);
  }
  if (fg) Buffer.from(fg.buffer, fg.byteOffset, fg.length).copy(buf, o);
  return buf;
}

export interface DeserializeOptions {
  /**
   * The sketch's grey bytes inflated when first read (the check path: a check reads ~130 library
   * sets and looks at the sketch of a few; inflating every one cost ~5 ms of a check at 100k). Its
   * header is still checked here; damaged deflated bytes throw when the sketch is first read.
   */
  lazySketch?: boolean;
}

export function deserialize(data: Uint8Array, opts: DeserializeOptions = {}): LocalFeatureSet {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const fail = (why: string): never => {
    throw new Error(`not a local-feature blob: ${why}`);
  };
  if (buf.length < HEAD || buf.readUInt32LE(0) !== MAGIC) fail('bad header');
  const leaves = loadVocabulary().leaves;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const flags = buf.readUInt8(4);
  const idLen = buf.readUInt8(5);
  const width = buf.readUInt16LE(6);
  const height = buf.readUInt16LE(8);
  const fl = (k: number): number => buf.readFloatLE(10 + 4 * k);
  const frame = { x: fl(0), y: fl(1), w: fl(2), h: fl(3) };
  const info = { keypoints: fl(4), spread: fl(5), effectiveWords: fl(6), diversity: fl(7), score: fl(8) };
  let o = HEAD;
  if (buf.length < o + idLen) fail('truncated');
  const vocab = buf.toString('ascii', o, o + idLen);
  o += idLen;
  const readView = (): LocalView => {
    if (buf.length < o + 4) fail('truncated');
    const n = buf.readUInt32LE(o);
    o += 4;
    let base: number | undefined;
    if (flags & 2) {
      if (buf.length < o + 4) fail('truncated');
      base = buf.readUInt32LE(o);
      o += 4;
      if (base > n) fail('fine octave outside the view');
    }
    let sharp: number | undefined;
    if (flags & 16) {
      if (buf.length < o + 4) fail('truncated');
      sharp = buf.readUInt32LE(o);
      o += 4;
      if (sharp > n || sharp < (base ?? 0)) fail('unsharp-masked keypoints outside the view');
    }
    let flat: number | undefined;
    if (flags & 128) {
      if (buf.length < o + 4) fail('truncated');
      flat = buf.readUInt32LE(o);
      o += 4;
      if (flat > (sharp ?? n) || flat < (base ?? 0)) fail('whitened-backdrop keypoints outside the view');
    }
    if (buf.length < o + n * 42) fail('truncated');
    const keypoints = new Float32Array(n * 4);
    // A DataView reads the u16s several times faster than Buffer's checked readers (same values).
    for (let k = 0; k < n; k++) {
      keypoints[k * 4] = dv.getUint16(o, true) / 64;
      keypoints[k * 4 + 1] = dv.getUint16(o + 2, true) / 64;
      keypoints[k * 4 + 2] = dv.getUint16(o + 4, true) / 16;
      keypoints[k * 4 + 3] = dv.getUint16(o + 6, true) * (360 / 65536);
      o += 8;
    }
    const descriptors = new Uint8Array(n * 32);
    descriptors.set(buf.subarray(o, o + n * 32));
    o += n * 32;
    const words = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const w = dv.getUint16(o + 2 * k, true);
      // A word the shipped vocabulary does not have would be refused by every index later, half-added.
      if (w >= leaves) fail(`visual word ${w} outside the vocabulary`);
      words[k] = w;
    }
    o += 2 * n;
    const view: LocalView = base === undefined || base === n ? { keypoints, descriptors, words } : { keypoints, descriptors, words, base };
    if (sharp !== undefined && sharp < n) view.sharp = sharp;
    if (flat !== undefined && flat < (sharp ?? n)) view.flat = flat;
    return view;
  };
  const primary = readView();
  const mirror = flags & 1 ? readView() : undefined;
  const inverse = flags & 32 ? readView() : undefined;
  const inverseMirror = flags & 64 ? readView() : undefined;
  if (!(width > 0 && height > 0)) fail('empty frame');
  const set: LocalFeatureSet = { version: 1, vocab, width, height, frame, primary, mirror, info };
  if (inverse) set.inverse = inverse;
  if (inverseMirror) set.inverseMirror = inverseMirror;
  if (flags & 4) {
    if (buf.length < o + 8) fail('truncated');
    const sw = buf.readUInt16LE(o);
    const sh = buf.readUInt16LE(o + 2);
    const n = buf.readUInt32LE(o + 4);
    o += 8;
    if (!(sw > 0 && sh > 0) || buf.length < o + n) fail('truncated sketch');
    const packed = buf.subarray(o, o + n);
    set.sketch = opts.lazySketch
      ? lazySketch(sw, sh, new Uint8Array(packed)) // a copy: the row's blob need not stay alive
      : { width: sw, height: sh, gray: inflateSketch(packed, sw, sh) };
    o += n;
  }
  if (flags & 8) {
    if (buf.length < o + width * height) fail('truncated frame');
    set.frameGray = Uint8Array.from(buf.subarray(o, o + width * height));
    o += width * height;
  }
  if (o !== buf.length) fail('trailing bytes');
  return set;
}

/** A sketch's grey bytes from their deflated form (exactly width × height of them). */
function inflateSketch(packed: Uint8Array, width: number, height: number): Uint8Array {
  let gray: Uint8Array;
  try {
    gray = new Uint8Array(inflateRawSync(packed, { maxOutputLength: width * height }));
  } catch {
    throw new Error('not a local-feature blob: bad sketch');
  }
  if (gray.length !== width * height) throw new Error('not a local-feature blob: bad sketch');
  return gray;
}

/** A sketch whose grey bytes are inflated on first read, once. */
function lazySketch(width: number, height: number, packed: Uint8Array): Sketch {
  let gray: Uint8Array | undefined;
  return {
    width,
    height,
    get gray(): Uint8Array {
      gray ??= inflateSketch(packed, width, height);
      return gray;
    },
  };
}

/** The view's working-frame keypoints only (a query's fine octave dropped). */
export function baseView(v: LocalView): LocalView {
  const n = v.base;
  if (n === undefined) return v;
  return { keypoints: v.keypoints.slice(0, n * 4), descriptors: v.descriptors.slice(0, n * 32), words: v.words.slice(0, n) };
}

/** The set without its mirrored view, fine octave, grey frame, zoom windows, tilted, inverted and relief views: what a library stores. */
export function forLibrary(set: LocalFeatureSet): LocalFeatureSet {
  const {
    frameGray: _frame,
    windows: _windows,
    tilts: _tilts,
    inverse: _inverse,
    inverseMirror: _inverseMirror,
    relief: _relief,
    embossed: _embossed,
    ...rest
  } = set;
  return { ...rest, primary: baseView(set.primary), mirror: undefined };
}
