/**
 * Compact binary form of a PassageFingerprint for a SQLite BLOB: a 3-byte header (format version,
 * k, window), varint counts, kept-hash positions as varint deltas, kept hashes as raw little-endian
 * u32, term hashes as varint deltas (they are sorted) and term counts as varints.
 */
import { ByteReader, ByteWriter } from '../store/binary.ts';
import type { PassageFingerprint, PassageParams } from './winnow.ts';

export const PASSAGE_FORMAT = 1;

export function encodePassageFingerprint(fp: PassageFingerprint, params: PassageParams): Buffer {
  const w = new ByteWriter();
  w.byte(PASSAGE_FORMAT);
  w.byte(params.k);
  w.byte(params.window);
  w.varint(fp.words);
  w.varint(fp.hashes.length);
  w.varint(fp.terms.length);
  let prev = 0;
  for (const p of fp.positions) {
    w.varint(p - prev);
    prev = p;
  }
  for (const h of fp.hashes) w.u32(h);
  prev = 0;
  for (const t of fp.terms) {
    w.varint(t - prev);
    prev = t;
  }
  for (const c of fp.counts) w.varint(c);
  return w.bytes();
}

export interface DecodedPassageFingerprint {
  params: PassageParams;
  fp: PassageFingerprint;
}

interface Header {
  params: PassageParams;
  words: number;
  nh: number;
  nt: number;
  /** Byte offset of the body. */
  at: number;
}

function readHeader(b: Uint8Array): Header {
  if (b.length < 3) throw new Error('passage fingerprint: truncated');
  if (b[0] !== PASSAGE_FORMAT) throw new Error(`passage fingerprint: unknown format ${b[0]}`);
  const r = new ByteReader(b, (why) => new Error(`passage fingerprint: ${why}`), 3);
  const words = r.varint();
  const nh = r.varint();
  const nt = r.varint();
  const at = r.pos;
  if (nh * 5 + nt * 2 > b.length) throw new Error('passage fingerprint: bad counts');
  return { params: { k: b[1] as number, window: b[2] as number }, words, nh, nt, at };
}

interface Target {
  hashes: Uint32Array;
  positions: Uint32Array;
  terms: Uint32Array;
  counts: Uint16Array;
}

/** Decodes the body of one fingerprint into target arrays at hash offset ho and term offset to. */
function decodeBody(b: Uint8Array, h: Header, t: Target, ho: number, to: number): void {
  const n = b.length;
  let i = h.at;
  // Hot path (a library load decodes every card): plain loops, inlined varints.
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let c = 0; c < 5; c++) {
      if (i >= n) throw new Error('passage fingerprint: truncated');
      const x = b[i++] as number;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
    throw new Error('passage fingerprint: bad varint');
  };
  let prev = 0;
  for (let j = 0; j < h.nh; j++) t.positions[ho + j] = prev += varint();
  if (i + 4 * h.nh > n) throw new Error('passage fingerprint: truncated');
  for (let j = 0; j < h.nh; j++, i += 4) {
    t.hashes[ho + j] = ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;
  }
  prev = 0;
  for (let j = 0; j < h.nt; j++) t.terms[to + j] = prev += varint();
  for (let j = 0; j < h.nt; j++) t.counts[to + j] = varint();
  if (i !== n) throw new Error('passage fingerprint: trailing bytes');
}

export function decodePassageFingerprint(buf: Uint8Array): DecodedPassageFingerprint {
  const h = readHeader(buf);
  const t: Target = {
    hashes: new Uint32Array(h.nh),
    positions: new Uint32Array(h.nh),
    terms: new Uint32Array(h.nt),
    counts: new Uint16Array(h.nt),
  };
  decodeBody(buf, h, t, 0, 0);
  return { params: h.params, fp: { words: h.words, ...t } };
}

/**
 * Decodes many stored fingerprints (a library load) into four shared arrays, handing out views:
 * hundreds of thousands of small typed arrays each with its own buffer make V8's garbage collector
 * crawl, views of one buffer do not. Fingerprints made with other parameters are skipped and
 * returned in `stale` (recompute them from their cards).
 */
export function decodePassageFingerprints(
  rows: Iterable<[number, Uint8Array]>,
  params: PassageParams,
): { items: [number, PassageFingerprint][]; stale: number[] } {
  const list: [number, Uint8Array, Header][] = [];
  const stale: number[] = [];
  let th = 0;
  let tt = 0;
  for (const [rowid, b] of rows) {
    const h = readHeader(b);
    if (h.params.k !== params.k || h.params.window !== params.window) {
      stale.push(rowid);
      continue;
    }
    list.push([rowid, b, h]);
    th += h.nh;
    tt += h.nt;
  }
  const t: Target = {
    hashes: new Uint32Array(th),
    positions: new Uint32Array(th),
    terms: new Uint32Array(tt),
    counts: new Uint16Array(tt),
  };
  const items: [number, PassageFingerprint][] = [];
  let ho = 0;
  let to = 0;
  for (const [rowid, b, h] of list) {
    decodeBody(b, h, t, ho, to);
    items.push([
      rowid,
      {
        words: h.words,
        hashes: t.hashes.subarray(ho, ho + h.nh),
        positions: t.positions.subarray(ho, ho + h.nh),
        terms: t.terms.subarray(to, to + h.nt),
        counts: t.counts.subarray(to, to + h.nt),
      },
    ]);
    ho += h.nh;
    to += h.nt;
  }
  return { items, stale };
}
