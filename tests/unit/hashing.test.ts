import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBits, fromHex, fromInt64, hamming, popcount32, toHex, toInt64 } from '../../engine/hash/bits.ts';
import { HammingIndex } from '../../engine/hash/mih.ts';
import { areaResample, dhash9x8, dihedralMatrix, phashVariants, reliableBits, shapeSignature } from '../../engine/image/perceptual.ts';

const hash64 = fc.record({ hi: fc.nat(0xffffffff), lo: fc.nat(0xffffffff) });

describe('64-bit hashes', () => {
  it('popcount and hamming', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0b1011)).toBe(3);
    expect(hamming({ hi: 0, lo: 0 }, { hi: 0xffffffff, lo: 0xffffffff })).toBe(64);
    expect(hamming({ hi: 1, lo: 2 }, { hi: 1, lo: 3 })).toBe(1);
  });

  it('hex and int64 forms round-trip', () => {
    fc.assert(
      fc.property(hash64, (h) => {
        expect(fromHex(toHex(h))).toEqual(h);
        expect(fromInt64(toInt64(h))).toEqual(h);
      }),
    );
    expect(() => fromHex('xyz')).toThrow(/not a 64-bit hex hash/);
  });

  it('fromBits puts the first bit in the most significant position', () => {
    const bits = new Array(64).fill(false);
    bits[0] = true;
    bits[63] = true;
    expect(toHex(fromBits(bits))).toBe('8000000000000001');
  });
});

describe('multi-index hashing', () => {
  it('finds exactly the hashes a linear scan finds within the radius', () => {
    fc.assert(
      fc.property(fc.array(hash64, { minLength: 1, maxLength: 300 }), hash64, fc.integer({ min: 0, max: 15 }), (stored, q, radius) => {
        const idx = new HammingIndex();
        stored.forEach((h, i) => idx.add(i, h));
        // Also store near neighbours of the query so the radius is exercised.
        for (let k = 0; k < 20; k++) idx.add(1000 + k, { hi: (q.hi ^ (1 << k)) >>> 0, lo: (q.lo ^ ((1 << (k + 3)) | (k % 2))) >>> 0 });
        const all = [...stored.map((h, i) => ({ owner: i, h }))];
        for (let k = 0; k < 20; k++)
          all.push({ owner: 1000 + k, h: { hi: (q.hi ^ (1 << k)) >>> 0, lo: (q.lo ^ ((1 << (k + 3)) | (k % 2))) >>> 0 } });
        const expected = all
          .filter((x) => hamming(x.h, q) <= radius)
          .map((x) => x.owner)
          .sort((a, b) => a - b);
        const got = idx
          .search(q, radius)
          .map((x) => x.owner)
          .sort((a, b) => a - b);
        expect(got).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('a bulk-built index (compact buckets), grown and pruned afterwards, finds exactly what a linear scan finds', () => {
    fc.assert(
      fc.property(fc.array(hash64, { minLength: 1, maxLength: 300 }), hash64, fc.integer({ min: 0, max: 15 }), (stored, q, radius) => {
        // Bulk part: the stored hashes plus near neighbours of the query; then hashes added one by
        // one beside the compact buckets, and one owner of each part removed.
        const near = Array.from({ length: 24 }, (_, k) => ({
          hi: (q.hi ^ (1 << k)) >>> 0,
          lo: (q.lo ^ ((1 << ((k * 5) % 32)) | (k % 3))) >>> 0,
        }));
        const bulk = [...stored, ...near.slice(0, 12)];
        const idx = HammingIndex.fromArrays(
          Uint32Array.from(bulk, (h) => h.hi),
          Uint32Array.from(bulk, (h) => h.lo),
          Int32Array.from(bulk, (_, i) => i),
          Uint8Array.from(bulk, (_, i) => i % 6),
        );
        near.slice(12).forEach((h, k) => idx.add(5000 + k, h, 1));
        idx.remove(stored.length); // the first near neighbour (bulk part)
        idx.remove(5000); // the first added one
        const all = [...bulk.map((h, i) => ({ owner: i, h })), ...near.slice(12).map((h, k) => ({ owner: 5000 + k, h }))].filter(
          (x) => x.owner !== stored.length && x.owner !== 5000,
        );
        const expected = all
          .filter((x) => hamming(x.h, q) <= radius)
          .map((x) => `${x.owner}:${hamming(x.h, q)}`)
          .sort();
        const got = idx
          .search(q, radius)
          .map((x) => `${x.owner}:${x.distance}`)
          .sort();
        expect(got).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('a bulk build in slices (a background build) pauses and makes the same index as the one-step build', async () => {
    // 40 000 hashes: more than one step of each pass, so a zero-length slice pauses many times.
    const r = (i: number) => (Math.imul(i + 1, 2654435761) ^ Math.imul(i, 40503)) >>> 0;
    const n = 40_000;
    const hi = Uint32Array.from({ length: n }, (_, i) => r(i));
    const lo = Uint32Array.from({ length: n }, (_, i) => r(i + n));
    const owners = Int32Array.from({ length: n }, (_, i) => i >> 2);
    const tags = Uint8Array.from({ length: n }, (_, i) => i & 3);
    let pauses = 0;
    const sliced = await HammingIndex.fromArraysSliced(hi, lo, owners, tags, () => Promise.resolve(void pauses++), 0);
    const whole = HammingIndex.fromArrays(hi, lo, owners, tags);
    expect(pauses).toBeGreaterThan(10);
    expect(sliced.size).toBe(n);
    for (const e of [0, 7, 12_345, n - 1]) {
      const q = { hi: (hi[e]! ^ 0x101) >>> 0, lo: lo[e]! };
      const hits = (idx: HammingIndex) =>
        idx
          .search(q, 12)
          .map((h) => `${h.owner}:${h.tag}:${h.distance}`)
          .sort();
      expect(hits(sliced)).toEqual(hits(whole));
      expect(hits(sliced)).toContain(`${e >> 2}:${e & 3}:2`);
    }
    expect(sliced.toBuffer()).toEqual(whole.toBuffer());
  });

  it('a masked search finds exactly the hashes within the radius on the masked bits, in the buckets or by a scan, of the tags asked', () => {
    const masked = (a: { hi: number; lo: number }, b: { hi: number; lo: number }, m: { hi: number; lo: number }) =>
      popcount32(((a.hi ^ b.hi) & m.hi) >>> 0) + popcount32(((a.lo ^ b.lo) & m.lo) >>> 0);
    fc.assert(
      fc.property(
        fc.array(hash64, { minLength: 200, maxLength: 300 }),
        hash64,
        // One free bit (5 buckets, probed bucket by bucket below 32 × 5 stored hashes), a few free
        // bits or many (a scan of every hash the tags mark).
        fc.oneof(
          fc.constant({ hi: 0xfffbffff, lo: 0xffffffff }),
          hash64.map((m) => ({ hi: (m.hi | 0x7ffbfeff) >>> 0, lo: (m.lo | 0xfdff7fef) >>> 0 })),
          hash64,
        ),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        (stored, q, mask, radius, bulk, someTags) => {
          // Near neighbours of the query that differ on masked and on free bits.
          const near = Array.from({ length: 24 }, (_, k) => ({
            hi: (q.hi ^ (1 << k) ^ (k % 3 ? ~mask.hi : 0)) >>> 0,
            lo: (q.lo ^ (k % 2 ? 1 << (k + 5) : 0)) >>> 0,
          }));
          const all = [...stored, ...near];
          const idx = bulk
            ? HammingIndex.fromArrays(
                Uint32Array.from(all, (h) => h.hi),
                Uint32Array.from(all, (h) => h.lo),
                Int32Array.from(all, (_, i) => i),
                Uint8Array.from(all, (_, i) => i % 6),
              )
            : new HammingIndex();
          if (!bulk) all.forEach((h, i) => idx.add(i, h, i % 6));
          idx.remove(0);
          // Every tag, or only tags 0 and 3 (full-scale hashes, as the check asks).
          const tags = someTags ? Uint8Array.from({ length: 256 }, (_, t) => (t % 3 === 0 ? 1 : 0)) : undefined;
          const expected = all
            .map((h, i) => ({ i, d: masked(h, q, mask) }))
            .filter((x) => x.i !== 0 && x.d <= radius && (!someTags || (x.i % 6) % 3 === 0))
            .map((x) => `${x.i}:${x.d}`)
            .sort();
          const got = idx
            .searchMasked(q, mask, radius, tags)
            .map((x) => `${x.owner}:${x.distance}`)
            .sort();
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 80 },
    );
    expect(() => new HammingIndex().searchMasked({ hi: 0, lo: 0 }, { hi: 0, lo: 0 }, 4)).toThrow(/radius/);
  });

  it("a masked scan sees hashes added or removed after the last one (its flat copy is rebuilt), and each call's own tags", () => {
    const idx = HammingIndex.fromArrays(Uint32Array.of(1, 2), Uint32Array.of(0, 0), Int32Array.of(10, 11), Uint8Array.of(0, 1));
    const q = { hi: 0, lo: 0 };
    const free = { hi: 0, lo: 0xffffffff }; // 16 + 16 free bits: a scan
    const full = Uint8Array.from({ length: 256 }, (_, t) => (t === 0 ? 1 : 0));
    const owners = (tags?: Uint8Array) =>
      idx
        .searchMasked(q, free, 0, tags)
        .map((h) => h.owner)
        .sort();
    expect(owners()).toEqual([10, 11]);
    expect(owners(full)).toEqual([10]);
    idx.add(12, { hi: 7, lo: 0 }, 0);
    expect(owners(full)).toEqual([10, 12]);
    idx.remove(10);
    expect(owners(full)).toEqual([12]);
    expect(owners()).toEqual([11, 12]);
  });

  it('removal hides every hash of an owner', () => {
    const idx = new HammingIndex();
    idx.add(1, { hi: 5, lo: 5 }, 0);
    idx.add(1, { hi: 5, lo: 7 }, 1);
    idx.add(2, { hi: 5, lo: 5 }, 0);
    expect(idx.size).toBe(3);
    idx.remove(1);
    expect(idx.size).toBe(1);
    expect(idx.search({ hi: 5, lo: 5 }, 4).map((h) => h.owner)).toEqual([2]);
  });
});

describe('perceptual hashes', () => {
  const m = new Float32Array(32 * 32).map((_, i) => Math.sin(i * 0.37) * 100 + (i % 32) * 3 + 100);

  it('derives the 8 dihedral pHash variants exactly in the DCT domain', () => {
    const variants = phashVariants(m);
    for (let k = 0; k < 8; k++) {
      expect(toHex(phashVariants(dihedralMatrix(m, 32, k))[0] as never)).toBe(toHex(variants[k] as never));
    }
  });

  it('keeps similar images close and different images far', () => {
    const noisy = m.map((v, i) => v + ((i * 7919) % 5) - 2);
    const other = new Float32Array(32 * 32).map((_, i) => Math.cos(i * 1.3) * 120 + 120);
    const [a] = phashVariants(m);
    const [b] = phashVariants(noisy);
    const [c] = phashVariants(other);
    expect(hamming(a as never, b as never)).toBeLessThanOrEqual(4);
    expect(hamming(a as never, c as never)).toBeGreaterThan(16);
  });

  it("marks a symmetric drawing's zero coefficients unreliable: a noised copy flips those bits, never the reliable ones", () => {
    // A disc with a vertical bar, symmetric about both axes (odd frequencies along each axis are zero).
    const disc = (noise: number) =>
      new Float32Array(32 * 32).map((_, i) => {
        const x = (i % 32) - 15.5;
        const y = Math.floor(i / 32) - 15.5;
        const ink = x * x + y * y < 13 * 13 && Math.abs(x) > 2.5;
        return (ink ? 20 : 235) + ((noise * Math.sin(i * 12.9898 + 78.233) * 43758.5453) % 1);
      });
    const clean = disc(0);
    const { mask, reliable } = reliableBits(shapeSignature(clean), 0.05);
    expect(reliable).toBeGreaterThanOrEqual(8);
    expect(reliable).toBeLessThanOrEqual(24);
    const [a] = phashVariants(clean);
    let flippedReliable = 0;
    let flipped = 0;
    for (let s = 1; s <= 6; s++) {
      const [b] = phashVariants(disc(4 * s));
      flipped = Math.max(flipped, hamming(a as never, b as never));
      flippedReliable = Math.max(
        flippedReliable,
        popcount32((((a as never as { hi: number }).hi ^ (b as never as { hi: number }).hi) & mask.hi) >>> 0) +
          popcount32((((a as never as { lo: number }).lo ^ (b as never as { lo: number }).lo) & mask.lo) >>> 0),
      );
    }
    expect(flipped).toBeGreaterThan(8);
    expect(flippedReliable).toBe(0);
    // An asymmetric image has more reliable bits than the symmetric disc.
    expect(reliableBits(shapeSignature(m), 0.05).reliable).toBeGreaterThan(reliable);
  });

  it('area resampling preserves a constant image and dHash reads left-to-right gradients', () => {
    const flat = new Float32Array(64 * 64).fill(77);
    expect([...areaResample(flat, 64, 0, 0, 64, 64, 9, 8)].every((v) => Math.abs(v - 77) < 1e-4)).toBe(true);
    const ramp = new Float32Array(9 * 8).map((_, i) => 200 - (i % 9) * 10);
    expect(toHex(dhash9x8(ramp))).toBe('ffffffffffffffff');
  });
});
