/**
 * Retrieval and matching structures of the local-feature layer: keypoints grouped by vocabulary
 * node and the putative matches built from them (against a direct reading of the matching rules),
 * and the inverted file's slot bookkeeping (removal, compaction, snapshots); entries with too few
 * words to ever be verified are no candidates (they filled the shortlist of a 100k library).
 */
import { describe, expect, it } from 'vitest';
import { asWords, hamming } from '../../engine/image/local/hamming.ts';
import { measureInfo } from '../../engine/image/local/info.ts';
import { LocalIndex, minVerifiableWords } from '../../engine/image/local/inverted.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { groupByNode, putativeMatches } from '../../engine/image/local/putative.ts';
import type { LocalFeatureSet, LocalView } from '../../engine/image/local/types.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import { rng } from '../../engine/rng.ts';

const vocab = loadVocabulary();
const P = { matchLevel: 2, maxHamming: 64, ratio: 0.85 };

function viewOf(desc: Uint8Array, rand: () => number): LocalView {
  const n = desc.length / 32;
  const d = asWords(desc);
  const words = new Uint32Array(n);
  const keypoints = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    words[i] = vocab.quantise(d, i);
    keypoints.set([rand() * 480, rand() * 360, 10 + rand() * 20, rand() * 360], i * 4);
  }
  return { keypoints, descriptors: desc, words };
}

function randomDescriptors(n: number, rand: () => number): Uint8Array {
  const d = new Uint8Array(n * 32);
  for (let i = 0; i < d.length; i++) d[i] = Math.floor(rand() * 256);
  return d;
}

/** The first `n` descriptors of `src` with `flips` random bits flipped each, then `extra` random ones. */
function noisyCopy(src: Uint8Array, n: number, flips: number, extra: number, rand: () => number): Uint8Array {
  const out = new Uint8Array((n + extra) * 32);
  out.set(src.subarray(0, n * 32));
  for (let i = 0; i < n; i++)
    for (let f = 0; f < flips; f++) {
      const bit = Math.floor(rand() * 256);
      out[i * 32 + (bit >> 3)] = (out[i * 32 + (bit >> 3)] as number) ^ (1 << (bit & 7));
    }
  out.set(randomDescriptors(extra, rand), n * 32);
  return out;
}

/** The matching rules read directly: same node, best and second best, ratio test, best per library keypoint. */
function reference(q: LocalView, lib: LocalView): [number, number][] {
  const qd = asWords(q.descriptors);
  const ld = asWords(lib.descriptors);
  const best = new Map<number, { i: number; d: number }>();
  for (let i = 0; i < q.words.length; i++) {
    const node = vocab.bucket(q.words[i] as number, P.matchLevel);
    let d1 = 257;
    let d2 = 257;
    let j1 = -1;
    for (let j = 0; j < lib.words.length; j++) {
      if (vocab.bucket(lib.words[j] as number, P.matchLevel) !== node) continue;
      const d = hamming(qd, i, ld, j);
      if (d < d1) [d2, d1, j1] = [d1, d, j];
      else if (d < d2) d2 = d;
    }
    if (j1 < 0 || d1 > P.maxHamming || d1 >= P.ratio * d2) continue;
    const prev = best.get(j1);
    if (!prev || d1 < prev.d) best.set(j1, { i, d: d1 });
  }
  return [...best].map(([j, { i }]) => [j, i]);
}

describe('keypoints grouped by vocabulary node', () => {
  it('puts every keypoint once in its node’s slice, in ascending order', () => {
    const rand = rng(7);
    const v = viewOf(randomDescriptors(400, rand), rand);
    const g = groupByNode(vocab, v, 2);
    expect([...g.order].sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    for (let b = 0; b + 1 < g.start.length; b++) {
      const slice = [...g.order.subarray(g.start[b], g.start[b + 1])];
      expect(slice).toEqual([...slice].sort((x, y) => x - y));
      for (const j of slice) expect(vocab.bucket(v.words[j] as number, 2)).toBe(g.base + b);
    }
  });

  it('gives the same putative matches, in the same order, as the rules read directly', () => {
    const rand = rng(11);
    const libDesc = randomDescriptors(500, rand);
    const lib = viewOf(libDesc, rand);
    for (const flips of [4, 12, 24]) {
      const q = viewOf(noisyCopy(libDesc, 300, flips, 200, rand), rand);
      const got = putativeMatches(vocab, q, lib, P);
      const want = reference(q, lib);
      expect(got.count).toBe(want.length);
      want.forEach(([j, i], m) => {
        expect(got.src[2 * m]).toBe(lib.keypoints[j * 4]);
        expect(got.src[2 * m + 1]).toBe(lib.keypoints[j * 4 + 1]);
        expect(got.dst[2 * m]).toBe(q.keypoints[i * 4]);
        expect(got.turn[m]).toBe((q.keypoints[i * 4 + 3] as number) - (lib.keypoints[j * 4 + 3] as number));
      });
      if (flips === 4) expect(got.count).toBeGreaterThan(200);
    }
    expect(putativeMatches(vocab, viewOf(new Uint8Array(0), rand), lib, P).count).toBe(0);
  });
});

describe('LocalIndex slots', () => {
  const rand = rng(3);
  const sets: LocalFeatureSet[] = Array.from({ length: 240 }, () => {
    const n = 60 + Math.floor(rand() * 200);
    const words = new Uint32Array(n);
    // Skewed like real images: most words from a small common range.
    for (let i = 0; i < n; i++) words[i] = rand() < 0.7 ? Math.floor(rand() * 400) : Math.floor(rand() * vocab.leaves);
    const primary = { keypoints: new Float32Array(n * 4), descriptors: new Uint8Array(n * 32), words };
    return {
      version: 1,
      vocab: 'test',
      width: 480,
      height: 360,
      frame: { x: 0, y: 0, w: 1, h: 1 },
      primary,
      info: {} as LocalFeatureSet['info'],
    };
  });
  const opts = { words: vocab.leaves, maxWordShare: 0.2, postingBudget: 5000 };
  const query = (s: LocalFeatureSet): LocalFeatureSet => ({ ...s, mirror: sets[(sets.indexOf(s) + 1) % sets.length]?.primary });

  it('never returns a removed image, and ranks after compaction as an index built from the survivors', () => {
    const idx = new LocalIndex(opts);
    sets.forEach((s, i) => idx.add(i + 1, s));
    const removed = new Set<number>();
    // Removed slots are dropped lazily; the 65th removal (over 64 and a fifth of the slots) compacts.
    for (let i = 0; removed.size < 65; i += 2) {
      for (const s of sets.slice(0, 20)) for (const c of idx.candidates(query(s), 10)) expect(removed.has(c.rowid)).toBe(false);
      idx.remove(i + 1);
      removed.add(i + 1);
    }
    expect(idx.size).toBe(sets.length - removed.size);
    const fresh = new LocalIndex(opts);
    sets.forEach((s, i) => {
      if (!removed.has(i + 1)) fresh.add(i + 1, s);
    });
    for (const s of sets.slice(0, 40)) {
      const got = idx.candidates(query(s), 10);
      for (const c of got) expect(removed.has(c.rowid)).toBe(false);
      expect(got).toEqual(fresh.candidates(query(s), 10));
    }
  });

  it('finds an indexed image first for its own words, and answers the same after a snapshot round trip and further adds', () => {
    const idx = new LocalIndex(opts);
    sets.slice(0, 200).forEach((s, i) => idx.add(i + 1, s));
    const back = LocalIndex.fromBuffer(idx.toBuffer(), opts);
    sets.slice(200).forEach((s, i) => {
      idx.add(201 + i, s);
      back.add(201 + i, s);
    });
    back.remove(5);
    idx.remove(5);
    for (const [i, s] of sets.entries()) {
      const got = back.candidates(s, 5);
      expect(got).toEqual(idx.candidates(s, 5));
      if (i !== 4) expect(got[0]?.rowid).toBe(i + 1);
    }
  });

  it('reads a snapshot in place when its words are 16-bit aligned and copies it otherwise, with the same answers; neither shares writes with the buffer', () => {
    const idx = new LocalIndex(opts);
    sets.slice(0, 120).forEach((s, i) => idx.add(i + 1, s));
    const snap = idx.toBuffer();
    // The same bytes at an even and at an odd offset of a larger buffer.
    const even = Buffer.alloc(snap.length + 2);
    snap.copy(even, 2);
    const odd = Buffer.alloc(snap.length + 1);
    snap.copy(odd, 1);
    const inPlace = LocalIndex.fromBuffer(even.subarray(2), opts);
    const copied = LocalIndex.fromBuffer(odd.subarray(1), opts);
    // Later adds and removals (compaction included) must not write into the snapshot it was read from.
    const before = Buffer.from(even);
    for (const back of [inPlace, copied]) {
      sets.slice(120).forEach((s, i) => back.add(121 + i, s));
      for (let r = 1; r <= 100; r++) back.remove(r);
    }
    expect(even.equals(before)).toBe(true);
    for (const s of sets) expect(inPlace.candidates(s, 5)).toEqual(copied.candidates(s, 5));
    expect(inPlace.toBuffer().equals(copied.toBuffer())).toBe(true);
  });

  it('answers an empty list when asked for no candidates (a policy with local.candidates 0)', () => {
    const idx = new LocalIndex(opts);
    sets.slice(0, 20).forEach((s, i) => idx.add(i + 1, s));
    expect(idx.candidates(sets[0] as LocalFeatureSet, 0)).toEqual([]);
    expect(idx.candidates(sets[0] as LocalFeatureSet, 1)).toHaveLength(1);
  });
});

describe('LocalIndex past 65 536 slots (postings store 16 bits of a slot, in segments)', () => {
  const rand = rng(11);
  const N = 70_000;
  const entry = (): number[] => {
    const n = 8 + Math.floor(rand() * 12);
    const ws = new Set<number>();
    while (ws.size < n) ws.add(rand() < 0.5 ? Math.floor(rand() * 300) : Math.floor(rand() * vocab.leaves));
    return [...ws];
  };
  const entries = Array.from({ length: N }, entry);
  // Every word read, so the ranking can be computed directly from its definition.
  const opts = { words: vocab.leaves, maxWordShare: 1, postingBudget: 1e9 };

  /** The significance score read from its definition over the live entries (see LocalIndex.scoreView). */
  function reference(live: Map<number, number[]>, q: number[]): Map<number, number> {
    const df = new Map<number, number>();
    let totalWords = 0;
    for (const ws of live.values()) {
      totalWords += ws.length;
      for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1);
    }
    const n = live.size;
    const idf = new Map<number, number>();
    let s1 = 0;
    let s2 = 0;
    for (const w of new Set(q)) {
      const d = df.get(w) ?? 0;
      if (!d) continue;
      const i = Math.log((n + 1) / d);
      idf.set(w, i);
      s1 += (i * d) / n;
      s2 += (i * i * d) / n;
    }
    const mean = totalWords / n;
    const out = new Map<number, number>();
    for (const [rowid, ws] of live) {
      let raw = 0;
      for (const w of ws) raw += idf.get(w) ?? 0;
      if (raw === 0) continue;
      const f = ws.length / mean;
      out.set(rowid, (raw - f * s1) / Math.sqrt(f * s2));
    }
    return out;
  }

  function expectAsDefined(idx: LocalIndex, live: Map<number, number[]>, queries: number[]): void {
    for (const qi of queries) {
      const q = live.get(qi) as number[];
      const got = idx.candidates(set(q), 5);
      const want = reference(live, q);
      expect(got[0]?.rowid).toBe(qi);
      for (const c of got) expect(c.score).toBeCloseTo(want.get(c.rowid) as number, 3);
    }
  }

  it('ranks as the score’s definition on both sides of slot 65 536, after a snapshot round trip, removals, compaction and adds', () => {
    const idx = new LocalIndex(opts);
    const live = new Map<number, number[]>();
    entries.forEach((ws, i) => {
      idx.add(i + 1, set(ws));
      live.set(i + 1, ws);
    });
    // Queries on either side of the 16-bit boundary (slot 65 535 is rowid 65 536).
    const queries = [1, 777, 65_535, 65_536, 65_537, 65_600, 69_999, 70_000];
    expectAsDefined(idx, live, queries);
    const back = LocalIndex.fromBuffer(idx.toBuffer(), opts);
    expect(back.fromOlderFormat).toBe(false);
    expectAsDefined(back, live, queries);
    // Removing a fifth of the first segment compacts: the second segment's slots move below 65 536.
    for (let r = 2; r <= 28_002; r += 2) {
      back.remove(r);
      live.delete(r);
    }
    expect(back.size).toBe(live.size);
    expectAsDefined(back, live, [1, 28_003, 65_537, 70_000]);
    const more = Array.from({ length: 30 }, entry);
    more.forEach((ws, i) => {
      back.add(80_001 + i, set(ws));
      live.set(80_001 + i, ws);
    });
    expectAsDefined(back, live, [80_001, 80_030, 65_536]);
    const again = LocalIndex.fromBuffer(back.toBuffer(), opts);
    expectAsDefined(again, live, [3, 80_015, 69_999]);
  });

  it('still reads an "OLX1" snapshot (each image’s distinct words) and answers as the index it was written from', () => {
    const live = new Map<number, number[]>();
    entries.slice(0, 66_000).forEach((ws, i) =>
      live.set(
        i + 1,
        [...new Set(ws)].sort((a, b) => a - b),
      ),
    );
    const total = [...live.values()].reduce((a, ws) => a + ws.length, 0);
    const old = Buffer.alloc(12 + live.size * 12 + total * 2);
    old.writeUInt32LE(0x31584c4f, 0);
    old.writeUInt32LE(vocab.leaves, 4);
    old.writeUInt32LE(live.size, 8);
    let o = 12;
    for (const rowid of live.keys()) o = old.writeDoubleLE(rowid, o);
    for (const ws of live.values()) o = old.writeUInt32LE(ws.length, o);
    for (const ws of live.values()) for (const w of ws) o = old.writeUInt16LE(w, o);
    const read = LocalIndex.fromBuffer(old, opts);
    expect(read.fromOlderFormat).toBe(true);
    expect(read.size).toBe(live.size);
    expectAsDefined(read, live, [1, 65_535, 65_536, 66_000]);
    expectAsDefined(LocalIndex.fromBuffer(read.toBuffer(), opts), live, [2, 65_999]);
  });

  it('refuses a damaged snapshot: a posting past the last image, a bad segment table, a wrong size', () => {
    const idx = new LocalIndex(opts);
    entries.slice(0, 65_540).forEach((ws, i) => idx.add(i + 1, set(ws)));
    const snap = idx.toBuffer();
    expect(snap.readUInt32LE(12)).toBe(2);
    const n = 65_540;
    const endsAt = 16 + n * 12;
    const postingsAt = endsAt + vocab.leaves * 4 + vocab.leaves * 4;
    // A word of the image in slot 65 536 has its last posting in the last segment (4 images there,
    // so at most 3): point that posting past them.
    const w = entries[65_536]?.[0] as number;
    let before = 0;
    for (let v = 0; v < w; v++) before += snap.readUInt32LE(endsAt + vocab.leaves * 4 + v * 4);
    const last = postingsAt + 2 * (before + snap.readUInt32LE(endsAt + vocab.leaves * 4 + w * 4) - 1);
    expect(snap.readUInt16LE(last)).toBeLessThan(4);
    const pastEnd = Buffer.from(snap);
    pastEnd.writeUInt16LE(9, last);
    expect(() => LocalIndex.fromBuffer(pastEnd, opts)).toThrow(/slot past its images/);
    const badEnds = Buffer.from(snap);
    badEnds.writeUInt32LE(0xffffff, endsAt);
    expect(() => LocalIndex.fromBuffer(badEnds, opts)).toThrow(/segment table/);
    expect(() => LocalIndex.fromBuffer(snap.subarray(0, snap.length - 2), opts)).toThrow(/wrong size/);
    expect(() => LocalIndex.fromBuffer(snap.subarray(0, postingsAt - 4), opts)).toThrow(/truncated/);
    expect(LocalIndex.fromBuffer(snap, opts).size).toBe(n);
  });
});

/** An entry described by its visual words alone (all the inverted file reads). */
const set = (words: number[]): LocalFeatureSet => ({
  version: 1,
  vocab: 'test',
  width: 480,
  height: 360,
  frame: { x: 0, y: 0, w: 1, h: 1 },
  primary: {
    keypoints: new Float32Array(words.length * 4),
    descriptors: new Uint8Array(words.length * 32),
    words: Uint32Array.from(words),
  },
  info: {} as LocalFeatureSet['info'],
});

describe('entries too small to verify', () => {
  const L = UNIQUENESS_POLICY.local;

  it('carry too little information for verification: fewer distinct words than minVerifiableWords score below infoFloor', () => {
    const min = minVerifiableWords(L);
    expect(min).toBe(Math.ceil(L.infoFloor * L.infoFull.effectiveWords));
    const rand = rng(5);
    // The most a view with min − 1 distinct words can score: every word equally often (the largest
    // entropy; n is a multiple of both min − 1 and min), many keypoints, spread over the whole frame,
    // far-apart descriptors.
    const n = (min - 1) * min * 2;
    const words = Array.from({ length: n }, (_, i) => 1000 + (i % (min - 1)));
    const view = { ...set(words).primary, descriptors: randomDescriptors(n, rand) };
    for (let i = 0; i < n; i++) view.keypoints.set([(i * 37) % 480, (i * 53) % 360, 20, 0], i * 4);
    const info = measureInfo(view, 480, 360, L.infoFull);
    expect(info.keypoints).toBe(n);
    expect(info.spread).toBe(1);
    expect(info.score).toBeLessThan(L.infoFloor);
    // One word more and the words measure alone no longer keeps it below the floor.
    const more = Array.from({ length: n }, (_, i) => 1000 + (i % min));
    expect(
      measureInfo({ ...view, words: Uint32Array.from(more) }, 480, 360, L.infoFull).effectiveWords / L.infoFull.effectiveWords,
    ).toBeGreaterThanOrEqual(L.infoFloor);
  });

  it('are never candidates, so a crowd of them cannot push a real source out of the shortlist', () => {
    const min = minVerifiableWords(L);
    const opts = { words: vocab.leaves, maxWordShare: 0.5, postingBudget: 1_000_000 };
    // The source shares 20 of its 200 words with the query (a small crop); 50 tiny entries share one
    // rare word each with it — all the words they have, so each ranks high for its size.
    const source = set(Array.from({ length: 200 }, (_, i) => i));
    const query = set([
      ...Array.from({ length: 20 }, (_, i) => i * 10),
      ...Array.from({ length: 50 }, (_, i) => 5000 + i),
      ...Array.from({ length: 130 }, (_, i) => 9000 + i),
    ]);
    const build = (minWords?: number) => {
      const idx = new LocalIndex({ ...opts, ...(minWords === undefined ? {} : { minWords }) });
      idx.add(1, source);
      for (let t = 0; t < 50; t++) idx.add(100 + t, set([5000 + t]));
      // Filler so the words are rare (idf) as in a real library.
      for (let f = 0; f < 400; f++) idx.add(1000 + f, set(Array.from({ length: 100 }, (_, i) => 20000 + ((f * 100 + i) % 9000))));
      return idx;
    };
    const without = build().candidates(query, 20);
    expect(without.some((c) => c.rowid >= 100 && c.rowid < 150)).toBe(true);
    const withFloor = build(min).candidates(query, 20);
    expect(withFloor[0]?.rowid).toBe(1);
    expect(withFloor.every((c) => c.rowid < 100 || c.rowid >= 150)).toBe(true);
    // An entry with exactly the fewest verifiable words is still a candidate.
    const idx = build(min);
    idx.add(7, set([5000, ...Array.from({ length: min - 1 }, (_, i) => 29000 + i)]));
    expect(idx.candidates(query, 60).map((c) => c.rowid)).toContain(7);
  });
});

describe('ranking by significance', () => {
  const L = UNIQUENESS_POLICY.local;
  const opts = { words: vocab.leaves, maxWordShare: 0.5, postingBudget: 1_000_000, minWords: minVerifiableWords(L) };
  // Filler so the words are rare (idf) as in a real library, and so the query's own common words
  // (100 of the filler's, each in ~4 filler entries) make chance agreement expected, as in a real query.
  const filler = (idx: LocalIndex) => {
    for (let f = 0; f < 400; f++) idx.add(1000 + f, set(Array.from({ length: 100 }, (_, i) => 20000 + ((f * 100 + i) % 9000))));
  };
  const common = Array.from({ length: 100 }, (_, i) => 20000 + i * 89);

  it('puts a large source sharing many words before small entries sharing a few rare words each (the crowd of a large library)', () => {
    // Words drawn at random from 29 000 of the vocabulary's, as a real image's words spread over it:
    // two large images share some by chance (the bench's crop q5: 780 words each, 63 shared).
    const rand = rng(11);
    const draw = (n: number) => Array.from({ length: n }, () => 800 + Math.floor(rand() * 29000));
    const entries = new Map<number, number[]>();
    // The source: 780 words, 45 of them rare words the query keeps.
    entries.set(1, [...Array.from({ length: 45 }, (_, i) => i), ...draw(735)]);
    // The crowd: 50 entries of 40 words, each holding three rare words of the query.
    for (let t = 0; t < 50; t++) entries.set(100 + t, [200 + 3 * t, 201 + 3 * t, 202 + 3 * t, ...draw(37)]);
    for (let f = 0; f < 400; f++) entries.set(1000 + f, draw(100));
    const query = [...Array.from({ length: 45 }, (_, i) => i), ...Array.from({ length: 150 }, (_, i) => 200 + i), ...draw(585)];
    const idx = new LocalIndex(opts);
    for (const [rowid, words] of entries) idx.add(rowid, set(words));
    const list = idx.candidates(set(query), 20);
    expect(list[0]).toMatchObject({ rowid: 1 });
    // Shared idf over the smaller word count (the order before) put much of the crowd first.
    const df = new Map<number, number>();
    for (const ws of entries.values()) for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
    const q = new Set(query);
    const containment = (rowid: number) => {
      const e = new Set(entries.get(rowid));
      let raw = 0;
      for (const w of e) if (q.has(w)) raw += Math.log((entries.size + 1) / (df.get(w) as number));
      return raw / Math.min(q.size, e.size);
    };
    const ahead = Array.from({ length: 50 }, (_, t) => containment(100 + t)).filter((c) => c > containment(1));
    expect(ahead.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps a degraded copy’s source sharing two rare words ahead of many entries sharing commoner words', () => {
    // The source of a heavily re-encoded crop shares only 2 rare words; 60 entries share 5 words
    // held by 60 entries each (chance agreement of large images).
    const idx = new LocalIndex(opts);
    idx.add(1, set([0, 1, ...Array.from({ length: 28 }, (_, i) => 12000 + i)]));
    for (let t = 0; t < 60; t++)
      idx.add(
        100 + t,
        set([...[2, 3, 4, 5, 6], ...Array.from({ length: 100 }, (_, i) => 13000 + t * 100 + i)].filter((w) => w < vocab.leaves)),
      );
    filler(idx);
    const query = set([0, 1, 2, 3, 4, 5, 6, ...common]);
    const [first] = idx.candidates(query, 20);
    expect(first).toMatchObject({ rowid: 1, shared: 2 });
  });

  it('ranks an image by its better view: one sharing 3 words through the mirror comes before one sharing 2 with the plain view', () => {
    const idx = new LocalIndex({ words: vocab.leaves, maxWordShare: 0.5, postingBudget: 1_000_000 });
    idx.add(1, set([7, 8, 9, ...Array.from({ length: 27 }, (_, i) => 12000 + i)]));
    idx.add(2, set([1, 2, ...Array.from({ length: 28 }, (_, i) => 13000 + i)]));
    filler(idx);
    const q = set([1, 2, 7, ...common]);
    q.mirror = set([7, 8, 9, ...common]).primary;
    const list = idx.candidates(q, 5);
    expect(list[0]).toMatchObject({ rowid: 1, shared: 3 });
    expect(list[1]).toMatchObject({ rowid: 2, shared: 2 });
    // Without the mirror, entry 1 shares one word and comes after entry 2.
    expect(idx.candidates({ ...q, mirror: undefined }, 5)[0]).toMatchObject({ rowid: 2, shared: 2 });
  });
});
