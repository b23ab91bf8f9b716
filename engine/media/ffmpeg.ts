/**
 * The FFmpeg binary and a bounded pool of FFmpeg child processes.
 *
 * The binary is the static build bundled by @ffmpeg-installer/ffmpeg (so the packaged product needs
 * nothing installed); ORIGINALS_FFMPEG overrides it, and a system `ffmpeg` on PATH is the fallback
 * when the bundled package is missing. At most `maxProcesses` run at once; every run is cancellable
 * through an AbortSignal (the process is killed) and has an optional time limit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';

/**
 * The path of a file inside a packaged Electron app's asar archive, moved to the unpacked copy that
 * electron-builder writes beside it (`asarUnpack` in electron-builder.yml): an executable cannot be
 * spawned from inside the archive. Paths outside an archive are returned as they are.
 */
export function unpackedFromAsar(p: string, separator: string = sep): string {
  return p.replace(`app.asar${separator}`, `app.asar.unpacked${separator}`);
}

function resolveBinary(): { path: string; source: 'env' | 'bundled' | 'system' } {
  const env = process.env.ORIGINALS_FFMPEG;
  if (env && existsSync(env)) return { path: env, source: 'env' };
  try {
    const req = createRequire(import.meta.url);
    // Inside a packaged Electron app the executable is unpacked from the asar archive (electron-builder.yml).
    const p = unpackedFromAsar((req('@ffmpeg-installer/ffmpeg') as { path: string }).path);
    if (existsSync(p)) return { path: p, source: 'bundled' };
  } catch {
    // The package is optional at run time: fall through to the system binary.
  }
  for (const p of ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg', '/opt/homebrew/bin/ffmpeg']) {
    if (existsSync(p)) return { path: p, source: 'system' };
  }
  return { path: 'ffmpeg', source: 'system' };
}

const BINARY = resolveBinary();
export const FFMPEG_PATH: string = BINARY.path;
/** One line saying which FFmpeg binary the media layers use. */
export const FFMPEG_IN_USE = `ffmpeg: ${BINARY.source} binary at ${BINARY.path}`;

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(go);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(cancelled());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(go);
      });
    } else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
  get running(): number {
    return this.active;
  }
}

const pool = new Semaphore(MEDIA_POLICY.limits.maxProcesses);
/** Number of FFmpeg processes running now (for tests and diagnostics). */
export const runningProcesses = (): number => pool.running;

function cancelled(): EngineError {
  return new EngineError('cancelled', 'media processing was cancelled');
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Receives stdout chunks as they arrive (decoders stream PCM or frames through this). */
  onStdout?: (chunk: Buffer) => void;
  /**
   * Receives the chunks of a second output written to file descriptor 3 (`pipe:3`), when given:
   * one decode can then yield two streams (the video layer's small frames and its keyframes).
   */
  onPipe3?: (chunk: Buffer) => void;
  /** Called with the spawned process (tests use it to observe the kill). */
  onSpawn?: (child: ChildProcess) => void;
  /** Largest stderr kept, bytes. */
  maxStderr?: number;
}

export interface RunResult {
  code: number | null;
  stderr: string;
}

/**
 * Input options for an untrusted local file: an absolute path (a name starting with "-" or
 * "http:" is never read as an option or a URL) and only the file protocol, so a playlist or
 * concat file cannot make FFmpeg open other files or the network.
 */
export function inputArgs(path: string): string[] {
  return ['-protocol_whitelist', 'file', '-i', `file:${resolve(path)}`];
}

/** Runs FFmpeg with `args` inside the pool; resolves with its exit code and stderr. */
export async function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (opts.signal?.aborted) throw cancelled();
  const release = await pool.acquire(opts.signal);
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(FFMPEG_PATH, ['-hide_banner', '-nostdin', ...args], {
        stdio: opts.onPipe3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      });
      const maxStderr = opts.maxStderr ?? 64 * 1024;
      let stderr = '';
      let killedFor: EngineError | null = null;
      const kill = (why: EngineError) => {
        if (killedFor) return;
        killedFor = why;
        child.kill('SIGKILL');
      };
      const onAbort = () => kill(cancelled());
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      opts.onSpawn?.(child);
      if (opts.signal?.aborted) onAbort();
      const timer = opts.timeoutMs
        ? setTimeout(() => kill(new EngineError('media_timeout', `FFmpeg took longer than ${opts.timeoutMs} ms`)), opts.timeoutMs)
        : null;
      const sink = (to: ((c: Buffer) => void) | undefined) => (c: Buffer) => {
        try {
          to?.(c);
        } catch (err) {
          kill(err instanceof EngineError ? err : new EngineError('media_decode_failed', (err as Error).message));
        }
      };
      child.stdout?.on('data', sink(opts.onStdout));
      const third = opts.onPipe3 ? (child.stdio[3] as Readable | null) : null;
      third?.on('data', sink(opts.onPipe3));
      child.stderr?.on('data', (c: Buffer) => {
        if (stderr.length < maxStderr) stderr += c.toString('utf8');
      });
      child.on('error', (err) => {
        kill(new EngineError('ffmpeg_unavailable', `cannot run FFmpeg (${FFMPEG_PATH}): ${err.message}`));
      });
      child.on('close', (code) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        if (killedFor) reject(killedFor);
        else resolve({ code, stderr });
      });
    });
  } finally {
    release();
  }
}
