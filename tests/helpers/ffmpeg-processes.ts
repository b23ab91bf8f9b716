/**
 * For the cancellation tests: long real media that takes FFmpeg seconds to decode yet is made in
 * well under a second (a short clip encoded once, then repeated by stream copy), and the FFmpeg
 * child processes of this test process, whichever thread started them (the media worker's
 * children are this process's too), read from the OS: /proc on Linux, `ps` elsewhere. A killed
 * child stays listed until it is reaped, so an empty list means really gone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { expect } from 'vitest';
import { FFMPEG_PATH } from '../../engine/media/ffmpeg.ts';
import { ff } from './media.ts';

/**
 * A `minutes`-long 320x240 H.264 + AAC video (test pattern and a tone): 10 s encoded, then looped
 * by stream copy. Ten minutes is about 60 MB and takes FFmpeg some 2 s to decode for fingerprinting.
 */
export function makeLongVideo(out: string, minutes: number): void {
  const clip = `${out}.clip.mp4`;
  const inputs = ['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25', '-f', 'lavfi', '-i', 'sine=f=440:r=44100'];
  const codecs = ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '64k'];
  ff([...inputs, '-map', '0:v', '-map', '1:a', '-t', '10', ...codecs, clip]);
  ff(['-stream_loop', String(minutes * 6 - 1), '-i', clip, '-c', 'copy', out]);
}

/** A `minutes`-long MP3 (a tone, 10 s encoded then looped by stream copy): 30 minutes decode in about a second. */
export function makeLongMp3(out: string, minutes: number): void {
  const clip = `${out}.clip.mp3`;
  ff(['-f', 'lavfi', '-i', 'sine=f=440:r=44100', '-t', '10', '-c:a', 'libmp3lame', '-b:a', '128k', clip]);
  ff(['-stream_loop', String(minutes * 6 - 1), '-i', clip, '-c', 'copy', out]);
}

const NAME = basename(FFMPEG_PATH).slice(0, 15);

function childPids(): number[] {
  const tasks = `/proc/${process.pid}/task`;
  if (existsSync(tasks)) {
    const out: number[] = [];
    for (const t of readdirSync(tasks)) {
      try {
        out.push(...readFileSync(`${tasks}/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
      } catch {
        // The thread ended while being read.
      }
    }
    return out.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === NAME;
      } catch {
        return false;
      }
    });
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === process.pid && basename(f.slice(2).join(' ')).startsWith(NAME))
    .map((f) => Number(f[0]));
}

/** Process ids of this process's FFmpeg children now (exited but unreaped ones included). */
export const ffmpegChildren = (): number[] => childPids();

/** Whether a process with this id still exists (a zombie counts until it is reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (polling every 5 ms, up to `ms`) until `count` FFmpeg children run at once; returns their pids. */
export async function waitForFfmpeg(count: number, ms = 20_000): Promise<number[]> {
  const end = Date.now() + ms;
  for (;;) {
    const pids = ffmpegChildren();
    if (pids.length >= count) return pids;
    if (Date.now() > end) throw new Error(`fewer than ${count} FFmpeg processes started within ${ms} ms (saw ${pids.length})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Asserts that every one of `pids` has exited and that no FFmpeg child is left, within `ms`. */
export async function expectNoFfmpeg(pids: readonly number[], ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while ((pids.some(alive) || ffmpegChildren().length > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  expect(pids.filter(alive)).toEqual([]);
  expect(ffmpegChildren()).toEqual([]);
}
