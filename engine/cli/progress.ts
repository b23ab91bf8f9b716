/** A one-line progress bar on a TTY (stderr); silent when stderr is not a terminal. */
export class ProgressBar {
  private last = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 28,
  ) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(done: number, total: number | null, label = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 50 && done !== total) return;
    this.last = now;
    const frac = total ? Math.min(1, done / total) : 0;
    const fill = Math.round(frac * this.width);
    const bar = total ? `[${'#'.repeat(fill)}${'-'.repeat(this.width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}%` : `[${done}]`;
    const cols = this.stream.columns ?? 100;
    this.stream.write(`\r${`${bar} ${label}`.slice(0, cols - 1).padEnd(cols - 1)}`);
  }

  done(): void {
    if (this.enabled) this.stream.write(`\r${' '.repeat((this.stream.columns ?? 100) - 1)}\r`);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
