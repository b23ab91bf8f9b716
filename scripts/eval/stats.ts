/**
 * Statistics for eval reports: the Wilson score interval for a binomial proportion (recall,
 * false-positive rate) and nearest-rank percentiles for latencies.
 */

export interface Proportion {
  k: number;
  n: number;
  /** k / n (0 when n = 0). */
  p: number;
  /** 95 % Wilson score interval (default z = 1.96). */
  lo: number;
  hi: number;
}

/** Wilson score interval for k successes out of n trials; n = 0 gives the uninformative [0, 1]. */
export function wilson(k: number, n: number, z = 1.959963984540054): Proportion {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new Error(`wilson: need integers 0 ≤ k ≤ n, got k=${k} n=${n}`);
  }
  if (n === 0) return { k, n, p: 0, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { k, n, p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Nearest-rank percentile (q in [0, 1]) of unsorted values; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/** "0.812 [0.701, 0.889] (26/32)". */
export function formatProportion(r: Proportion): string {
  return `${r.p.toFixed(3)} [${r.lo.toFixed(3)}, ${r.hi.toFixed(3)}] (${r.k}/${r.n})`;
}
