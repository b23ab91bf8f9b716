/**
 * Passes (engine/concurrency.ts), the catch-up coalescing shared by the marketplace's indexes and
 * the studio's sync: a call resolves with a pass that started after it — during a pass it gets the
 * next one, shared by every call made meanwhile — a failed pass rejects only its own callers, and
 * idle() waits for both.
 */
import { describe, expect, it } from 'vitest';
import { Passes } from '../../engine/concurrency.ts';

/** A pass source whose passes end when the test says, numbered in the order they started, each seeing `arg`. */
function controlled() {
  const started: { n: number; arg: string; end: (fail?: boolean) => void }[] = [];
  const passes = new Passes<string, string>(
    (arg) =>
      new Promise<string>((resolve, reject) => {
        const n = started.length + 1;
        started.push({ n, arg, end: (fail) => (fail ? reject(new Error(`pass ${n} failed`)) : resolve(`pass ${n} (${arg})`)) });
      }),
  );
  return { passes, started };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Passes', () => {
  it('a call during a pass gets the next pass, shared by every call made meanwhile', async () => {
    const { passes, started } = controlled();
    const first = passes.request('a');
    const second = passes.request('b');
    const third = passes.request('c');
    expect(second).toBe(third);
    expect(started.map((s) => s.n)).toEqual([1]); // the next pass waits for the current one
    started[0]!.end();
    expect(await first).toBe('pass 1 (a)');
    await tick();
    expect(started.map((s) => s.arg)).toEqual(['a', 'b']); // started after the calls, with the first queued call's argument
    started[1]!.end();
    expect(await second).toBe('pass 2 (b)');
    // With no pass running, a call starts one at once.
    const fourth = passes.request('d');
    expect(started).toHaveLength(3);
    started[2]!.end();
    expect(await fourth).toBe('pass 3 (d)');
  });

  it('a failed pass rejects its callers only; the next pass runs; idle() waits for both', async () => {
    const { passes, started } = controlled();
    const first = passes.request('a');
    const second = passes.request('b');
    let idle = false;
    const waiting = passes.idle().then(() => (idle = true));
    started[0]!.end(true);
    await expect(first).rejects.toThrow('pass 1 failed');
    await tick();
    expect(started).toHaveLength(2);
    expect(idle).toBe(false);
    started[1]!.end();
    expect(await second).toBe('pass 2 (b)');
    await waiting;
    expect(idle).toBe(true);
  });
});
