/**
 * The studio's cancellable media work: one job per key (a file's fingerprint, waveform, strip,
 * poster or frame) however many callers wait on it, run under the job's own AbortController,
 * which its FFmpeg processes (and the media worker's) are killed by. A caller may bring an
 * AbortSignal: when it aborts, that caller stops waiting at once (its promise rejects with the
 * `cancelled` EngineError), and the job itself is aborted once no caller is left waiting — so work
 * that someone still needs is never lost to another's cancel (interest is counted per waiter).
 * cancel(sha, caller) is the explicit cancel (a view left the file): it drops only that caller's
 * waits on the file's jobs — a waiter joined with the same `caller` token, or with none when the
 * cancel names none — never `pinned` ones (a save must fingerprint its file), and aborts the jobs
 * it leaves without waiters; another view's waits on the same job keep it running. An aborted job
 * leaves the table at once: a new request starts afresh.
 */
import { EngineError } from '../../../engine/errors.ts';

export const cancelled = (): EngineError => new EngineError('cancelled', 'media processing was cancelled');

export interface JoinOptions {
  signal?: AbortSignal | undefined;
  /** Not cancelled by cancel(sha) (only by its own signal). */
  pinned?: boolean | undefined;
  /** The view waiting (a token it chose): cancel(sha, caller) drops only its own waits. */
  caller?: string | undefined;
}

interface Waiter {
  pinned: boolean;
  caller: string | undefined;
  cancel(): void;
}

interface Job {
  sha: string;
  ac: AbortController;
  waiters: Set<Waiter>;
  done: Promise<unknown>;
}

export class MediaJobs {
  private readonly jobs = new Map<string, Job>();

  /** Jobs running now (for tests and diagnostics). */
  get running(): number {
    return this.jobs.size;
  }

  /**
   * Waits on the job `key` of file `sha`, starting it with `make` when none runs. `make` gets the
   * job's signal and must stop (reject) when it aborts.
   */
  run<T>(key: string, sha: string, make: (signal: AbortSignal) => Promise<T>, opts: JoinOptions = {}): Promise<T> {
    if (opts.signal?.aborted) return Promise.reject(cancelled());
    let job = this.jobs.get(key);
    if (!job) {
      const ac = new AbortController();
      const started: Job = { sha, ac, waiters: new Set(), done: Promise.resolve().then(() => make(ac.signal)) };
      started.done
        .finally(() => {
          if (this.jobs.get(key) === started) this.jobs.delete(key);
        })
        .catch(() => undefined);
      this.jobs.set(key, started);
      job = started;
    }
    const j = job;
    return new Promise<T>((resolve, reject) => {
      const signal = opts.signal;
      const leave = (): boolean => {
        if (!j.waiters.delete(waiter)) return false;
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        reject(cancelled());
        if (j.waiters.size === 0) this.abort(key, j);
      };
      const waiter: Waiter = { pinned: opts.pinned ?? false, caller: opts.caller, cancel: onAbort };
      j.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      j.done.then(
        (v) => leave() && resolve(v as T),
        (e: unknown) => leave() && reject(j.ac.signal.aborted ? cancelled() : e),
      );
    });
  }

  /**
   * Cancels `caller`'s waits on file `sha`'s jobs (pinned ones excepted; no caller: the waits that
   * named none); returns how many jobs were aborted (those nobody else waits for).
   */
  cancel(sha: string, caller?: string): number {
    let aborted = 0;
    for (const [key, job] of [...this.jobs]) {
      if (job.sha !== sha) continue;
      for (const w of [...job.waiters]) if (!w.pinned && w.caller === caller) w.cancel();
      // A waiter's cancel aborts a job it leaves empty; one nobody waited on is aborted here.
      if (job.ac.signal.aborted || job.waiters.size === 0) {
        this.abort(key, job);
        aborted++;
      }
    }
    return aborted;
  }

  private abort(key: string, job: Job): void {
    if (this.jobs.get(key) === job) this.jobs.delete(key);
    job.ac.abort(cancelled());
  }
}
