/** Small measurement helpers for the benchmarks: percentiles, number formatting, a peak-RSS sampler. */

export function pct(xs: number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
}

export const fmt = (x: number): string =>
  !Number.isFinite(x) ? String(x) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);

export const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Tracks the process's peak resident set size, sampled every 20 ms and on demand. */
export class PeakRss {
  peak = process.memoryUsage().rss;
  readonly base = this.peak;
  private readonly timer = setInterval(() => this.sample(), 20);
  /** The kernel's own high-water mark (maxRSS) covers the moments between samples. */
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
}

export const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
