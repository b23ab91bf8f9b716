/**
 * Bounded concurrency for bulk work: `Lanes` caps how many jobs run at once across every caller
 * (an engine's fingerprinting, however many batches are in flight), and `ahead` keeps a few batches
 * of a long list in flight while the caller consumes finished ones in order — so the cores stay busy
 * while one thread writes the results. `Passes` coalesces catch-up passes over a changing source
 * (an index brought up to its database, an outbox drained) without letting a caller join a pass
 * that began before its call.
 */

/** A counting semaphore: at most `size` jobs run at once; the others wait in arrival order. */
export class Lanes {
  readonly size: number;
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`lanes must be a positive integer, got ${size}`);
    this.size = size;
  }

  /** Jobs running now. */
  get running(): number {
    return this.busy;
  }

  /** Runs `job` once a lane is free; the lane is released however the job ends. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy++;
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // The lane passes straight to the next waiter (busy stays the same), or is freed.
      if (next) next();
      else this.busy--;
    }
  }
}

/**
 * Cuts `items` into batches of `batch` and runs `work` on up to `depth` batches at once, yielding
 * each batch with its result in order. A rejected batch rejects the iteration at its turn.
 */
export async function* ahead<T, R>(
  items: readonly T[],
  batch: number,
  depth: number,
  work: (batch: T[], start: number) => Promise<R>,
): AsyncGenerator<{ items: T[]; start: number; result: R }> {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be a positive integer, got ${depth}`);
  const pending: { items: T[]; start: number; result: Promise<R> }[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < depth && next < items.length) {
      const slice = items.slice(next, next + batch);
      const result = work(slice, next);
      // Rejections surface when the batch's turn comes; until then nothing is left unhandled.
      result.catch(() => undefined);
      pending.push({ items: slice, start: next, result });
      next += batch;
    }
  };
  fill();
  while (pending.length) {
    const head = pending.shift() as (typeof pending)[number];
    const result = await head.result;
    fill();
    yield { items: head.items, start: head.start, result };
  }
}

/**
 * Catch-up passes, coalesced: `request()` resolves with a pass that started after the call. With
 * no pass running it starts one; during a pass it gets the next one, which starts when the current
 * one ends and is shared by every call made meanwhile. (Joining the pass under way would miss
 * what was written just before the call: a submission stored, a listing published.) A pass gets
 * the argument of the call that started it, or of the first call that queued it.
 */
export class Passes<T, A = void> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly pass: (arg: A) => Promise<T>) {}

  request(arg: A): Promise<T> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start(arg);
    const queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start(arg);
      });
    this.queued = queued;
    return queued;
  }

  /** Resolves once no pass runs or waits (whatever they resolved with). */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running)?.catch(() => undefined);
  }

  private start(arg: A): Promise<T> {
    const p: Promise<T> = this.pass(arg).finally(() => {
      if (this.running === p) this.running = null;
    });
    this.running = p;
    return p;
  }
}
