/** The shared blob writer/reader (engine/store/binary.ts) and the engine's bounded-concurrency helpers (engine/concurrency.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lanes, ahead } from '../../engine/concurrency.ts';
import { ByteReader, ByteWriter } from '../../engine/store/binary.ts';

const fail = (why: string) => new Error(`blob: ${why}`);

describe('ByteWriter / ByteReader', () => {
  it('reads back every value in order, whatever the mix', () => {
    const value = fc.oneof(
      fc.record({ t: fc.constant('byte' as const), v: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ t: fc.constant('u32' as const), v: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ t: fc.constant('varint' as const), v: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ t: fc.constant('f64' as const), v: fc.double({ noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), (vals) => {
        const w = new ByteWriter(16);
        for (const { t, v } of vals) w[t](v);
        const b = w.bytes();
        expect(b.length).toBe(w.length);
        const r = new ByteReader(b, fail);
        for (const { t, v } of vals) expect(r[t]()).toBe(v);
        expect(r.remaining).toBe(0);
      }),
    );
  });

  it('writes varints as LEB128 (1 byte below 128, 5 bytes at 2³² − 1)', () => {
    const w = new ByteWriter();
    w.varint(127);
    w.varint(128);
    w.varint(0xffffffff);
    expect([...w.bytes()]).toEqual([0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => w.varint(-1)).toThrow(RangeError);
    expect(() => w.varint(2 ** 32)).toThrow(RangeError);
    expect(() => w.varint(1.5)).toThrow(RangeError);
  });

  it('refuses a blob that ends early or holds a varint longer than 5 bytes, with the owner’s error', () => {
    expect(() => new ByteReader(Buffer.from([1, 2, 3]), fail).u32()).toThrow('blob: truncated');
    expect(() => new ByteReader(Buffer.from([0x80, 0x80]), fail).varint()).toThrow('blob: truncated');
    expect(() => new ByteReader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), fail).varint()).toThrow('blob: bad varint');
    const r = new ByteReader(Buffer.from([9, 8, 7]), fail, 2);
    expect(r.byte()).toBe(7);
    expect(() => r.byte()).toThrow('blob: truncated');
  });
});

describe('Lanes', () => {
  it('never runs more jobs than lanes, runs them all, and frees a lane when a job fails', async () => {
    const lanes = new Lanes(3);
    let running = 0;
    let most = 0;
    const job = (i: number) =>
      lanes.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 1 + (i % 4)));
        running--;
        if (i % 5 === 0) throw new Error(`job ${i}`);
        return i;
      });
    const out = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => job(i)));
    expect(most).toBe(3);
    expect(out.filter((o) => o.status === 'rejected')).toHaveLength(8);
    expect(out.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))).toEqual(
      Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 5 !== 0),
    );
    expect(lanes.running).toBe(0);
    expect(() => new Lanes(0)).toThrow(RangeError);
  });
});

describe('ahead', () => {
  it('yields every batch in order while at most `depth` batches are in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[][] = [];
    const items = Array.from({ length: 23 }, (_, i) => i);
    for await (const { items: b, start, result } of ahead(items, 5, 2, async (batch, s) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, (5 - s / 5) * 2));
      inFlight--;
      return batch.map((x) => x * 2);
    })) {
      expect(b[0]).toBe(start);
      expect(result).toEqual(b.map((x) => x * 2));
      seen.push(b);
    }
    expect(seen.flat()).toEqual(items);
    expect(seen.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    expect(most).toBe(2);
  });

  it('rejects at the failing batch’s turn, after the batches before it', async () => {
    const got: number[] = [];
    const run = async () => {
      for await (const { start } of ahead([1, 2, 3, 4, 5, 6], 2, 2, async (_b, s) => {
        if (s === 2) throw new Error('batch 2 failed');
        return s;
      }))
        got.push(start);
    };
    await expect(run()).rejects.toThrow('batch 2 failed');
    expect(got).toEqual([0]);
  });
});
