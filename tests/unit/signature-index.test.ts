/**
 * The shape-signature index (engine/index/signatures.ts), the aligned check's candidate source:
 * its nearest images are those of a plain cosine scan of every stored view (perceptual.ts
 * signatureCosine), through the WebAssembly kernel and the JavaScript loop alike; removing an image
 * (its rows filled by the last ones) and a snapshot round trip leave the answers as they were; a
 * snapshot is taken in as it lies (the same bytes back), and changes after it are answered alike.
 * The committed kernel bytes are checked against dot-kernel.wat by hamming-wasm.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SIG_DIMS, SignatureIndex, type SignatureHit, useSignatureKernel } from '../../engine/index/signatures.ts';
import { signatureCosine } from '../../engine/image/perceptual.ts';
import { rng } from '../../engine/rng.ts';

afterEach(() => useSignatureKernel(true));

/** Random int8 signatures, every one at its full range (−127 … 127) as shapeSignature makes them. */
function signatures(seed: number, n: number): Int8Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Int8Array.from({ length: SIG_DIMS }, () => Math.round(r() * 254 - 127)));
}

/** The same signature with noise added (a copy's signature drifts, it does not jump). */
function near(s: Int8Array, seed: number, amount: number): Int8Array {
  const r = rng(seed);
  return s.map((c) => Math.max(-127, Math.min(127, Math.round(c + (r() * 2 - 1) * amount))));
}

/** The answer by brute force: each image's best cosine over every (query view, stored view) pair. */
function plain(stored: Map<number, Int8Array[]>, queries: Int8Array[], k: number, skip = new Set<number>()): SignatureHit[] {
  const all = [...stored].map(([rowid, sigs]) => ({
    rowid,
    cos: Math.max(...queries.flatMap((q) => sigs.map((s) => signatureCosine(q, s)))),
  }));
  return all
    .filter((h) => !skip.has(h.rowid))
    .sort((a, b) => b.cos - a.cos)
    .slice(0, k);
}

function expectSame(got: SignatureHit[], want: SignatureHit[]): void {
  expect(got.map((h) => h.rowid)).toEqual(want.map((h) => h.rowid));
  got.forEach((h, i) => expect(h.cos).toBeCloseTo((want[i] as SignatureHit).cos, 5));
}

describe('shape-signature index (signatures.ts)', () => {
  for (const kernel of [true, false]) {
    it(`finds the images a plain cosine scan finds (${kernel ? 'WebAssembly kernel' : 'JavaScript loop'})`, () => {
      useSignatureKernel(kernel);
      const idx = new SignatureIndex();
      const stored = new Map<number, Int8Array[]>();
      const views = signatures(1, 600);
      for (let i = 0; i < 300; i++) {
        const sigs = [views[2 * i] as Int8Array, views[2 * i + 1] as Int8Array];
        stored.set(1000 + i, sigs);
        idx.add(1000 + i, sigs);
      }
      expect(idx.size).toBe(300);
      // Queries near a few stored views (either view of an image), and one far from all.
      const q = [near(views[41] as Int8Array, 7, 40), near(views[300] as Int8Array, 8, 70), ...signatures(9, 1)];
      for (const k of [1, 3, 8]) expectSame(idx.nearest(q, k), plain(stored, q, k));
      const top = idx.nearest(q, 2);
      expect(top.map((h) => h.rowid).sort()).toEqual([1020, 1150]);
      expect((top[0] as SignatureHit).cos).toBeGreaterThan(0.8);
      // Left-out images are passed over, the next ones taken.
      const skip = new Set([1020, 1150, 1007]);
      expectSame(idx.nearest(q, 4, skip), plain(stored, q, 4, skip));
      // A query of the wrong length, or all zeros, finds nothing; k 0 asks for nothing.
      expect(idx.nearest([new Int8Array(10), new Int8Array(SIG_DIMS)], 3)).toEqual([]);
      expect(idx.nearest(q, 0)).toEqual([]);
    });
  }

  it('answers as before after removals move rows, re-adds and a snapshot round trip', () => {
    const idx = new SignatureIndex();
    const stored = new Map<number, Int8Array[]>();
    const views = signatures(2, 900);
    // Images with one, two or three views, so removals move rows of different owners.
    for (let i = 0, v = 0; i < 400; i++) {
      const n = 1 + (i % 3);
      const sigs = views.slice(v, v + n);
      v += n;
      if (v > views.length) break;
      stored.set(i, sigs);
      idx.add(i, sigs);
    }
    const q = [near(views[100] as Int8Array, 3, 50), near(views[777] as Int8Array, 4, 50)];
    for (const rowid of [0, 5, 33, 34, 35, 120, 121, 399, 398]) {
      idx.remove(rowid);
      stored.delete(rowid);
    }
    idx.remove(99999); // not stored: nothing happens
    expectSame(idx.nearest(q, 10), plain(stored, q, 10));
    // Re-adding an image replaces its views; a view of the wrong length is not stored.
    const fresh = signatures(5, 2);
    idx.add(200, [...fresh, new Int8Array(7)]);
    stored.set(200, fresh);
    expect(idx.size).toBe(stored.size);
    expectSame(idx.nearest(q, 10), plain(stored, q, 10));
    const back = SignatureIndex.fromBuffer(idx.toBuffer());
    expect(back.size).toBe(stored.size);
    expectSame(back.nearest(q, 10), plain(stored, q, 10));
    const nearFresh = [near(fresh[1] as Int8Array, 6, 20)];
    expect(back.nearest(nearFresh, 1)[0]?.rowid).toBe(200);
    expectSame(back.nearest(nearFresh, 5), plain(stored, nearFresh, 5));
    expect(() => SignatureIndex.fromBuffer(idx.toBuffer().subarray(0, 20))).toThrow(/wrong length/);
  });

  it('grows past its first memory without losing what it holds', () => {
    const idx = new SignatureIndex();
    const views = signatures(3, 1200);
    // 1200 rows × 144 bytes is past the kernel's first 64 KiB page.
    views.forEach((s, i) => idx.add(i, [s]));
    const got = idx.nearest([views[1111] as Int8Array], 1);
    expect(got[0]?.rowid).toBe(1111);
    expect(got[0]?.cos).toBeCloseTo(1, 6);
  });

  it('takes a snapshot in as it lies: the same bytes back, and removals and re-adds after it answer as a plain scan', () => {
    const idx = new SignatureIndex();
    const stored = new Map<number, Int8Array[]>();
    const views = signatures(4, 600);
    // One to three views per image, then every fifth image removed: the last rows fill the gaps,
    // so an image's rows lie apart in the snapshot.
    for (let i = 0, v = 0; i < 300; v += (i % 3) + 1, i++) {
      const sigs = views.slice(v, v + (i % 3) + 1);
      stored.set(i, sigs);
      idx.add(i, sigs);
    }
    for (let i = 0; i < 300; i += 5) {
      idx.remove(i);
      stored.delete(i);
    }
    const snap = idx.toBuffer();
    const back = SignatureIndex.fromBuffer(snap);
    expect(back.size).toBe(stored.size);
    expect(back.toBuffer().equals(snap)).toBe(true);
    const q = [
      near((stored.get(298) as Int8Array[])[0] as Int8Array, 11, 30),
      near((stored.get(7) as Int8Array[])[1] as Int8Array, 12, 30),
    ];
    expectSame(back.nearest(q, 6), plain(stored, q, 6));
    // An image whose rows lie apart is removed whole; one re-added replaces its views.
    for (const rowid of [298, 7, 151]) {
      back.remove(rowid);
      stored.delete(rowid);
    }
    const fresh = signatures(13, 2);
    back.add(42, fresh);
    stored.set(42, fresh);
    expect(back.size).toBe(stored.size);
    expectSame(back.nearest(q, 6), plain(stored, q, 6));
    const nearFresh = [near(fresh[0] as Int8Array, 14, 20)];
    expectSame(back.nearest(nearFresh, 3), plain(stored, nearFresh, 3));
  });
});
