/**
 * Small synthetic media for the media-layer tests, made with the bundled FFmpeg: a seeded "melody"
 * of short notes (so landmarks have structure to find), noise, and video from FFmpeg's test sources.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFMPEG_PATH } from '../../engine/media/ffmpeg.ts';
import type { AssetCard } from '../../shared/asset.ts';

export function tempDir(prefix: string): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the bundled FFmpeg synchronously; throws with its stderr when it fails. */
export function ff(args: string[]): void {
  const r = spawnSync(FFMPEG_PATH, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

/**
 * An aevalsrc expression for a melody: notes of 0.2 s whose pitches (two voices) come from a seeded
 * integer hash of the note index, with a short attack/decay so every note onset is a landmark.
 */
export function melody(seed: number): string {
  const n = 'floor(t*5)';
  const f1 = `(180+40*mod(${n}*${7919 + seed * 104729}+${seed},23))`;
  const f2 = `(700+55*mod(${n}*${6151 + seed * 1543}+${3 * seed},29))`;
  const env = '(1-exp(-40*mod(t,0.2)))*exp(-6*mod(t,0.2))';
  return `aevalsrc='0.5*${env}*(sin(2*PI*${f1}*t)+0.6*sin(2*PI*${f2}*t))':s=22050:d=DUR`;
}

/** Writes `seconds` of the seeded melody to `out` (codec chosen by FFmpeg from the extension unless given). */
export function makeMelody(out: string, seed: number, seconds: number, codecArgs: string[] = []): void {
  ff(['-f', 'lavfi', '-i', melody(seed).replace('DUR', String(seconds)), ...codecArgs, out]);
}

/**
 * A video of three synthetic scenes (zooming fractal, test pattern, coarse Game of Life) with a
 * melody soundtrack. `variant` 1 draws different content: another region of the fractal, the
 * other test pattern, another Game of Life.
 */
export function makeVideo(out: string, seconds: number, seed = 1, size = '320x240', variant: 0 | 1 = 0): void {
  const third = seconds / 3;
  ff([
    '-f',
    'lavfi',
    '-i',
    variant === 0 ? `mandelbrot=s=${size}:r=25` : `mandelbrot=s=${size}:r=25:start_x=-0.1011:start_y=0.9563:start_scale=0.05`,
    '-f',
    'lavfi',
    '-i',
    variant === 0 ? `testsrc2=s=${size}:r=25` : `testsrc=s=${size}:r=25`,
    '-f',
    'lavfi',
    '-i',
    `life=s=40x30:r=25:seed=${seed}:ratio=0.2:mold=10:life_color=#e0c080:death_color=#204060`,
    '-f',
    'lavfi',
    '-i',
    melody(seed).replace('DUR', String(seconds)),
    '-filter_complex',
    `[0:v]trim=0:${third},setpts=PTS-STARTPTS,setsar=1[a];[1:v]trim=0:${third},setpts=PTS-STARTPTS,setsar=1[b];[2:v]trim=0:${third},setpts=PTS-STARTPTS,scale=${size.replace('x', ':')}:flags=neighbor,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]`,
    '-map',
    '[v]',
    '-map',
    '3:a',
    '-t',
    String(seconds),
    ...x264({ kbps: 96 }),
    out,
  ]);
}

/**
 * FFmpeg output options of the test videos: x264 at its fastest preset, with AAC sound at `kbps`
 * (FFmpeg's default bitrate when omitted), or no audio codec for `false` (a silent output).
 */
export function x264(audio: false | { kbps?: number } = {}): string[] {
  const video = ['-c:v', 'libx264', '-preset', 'ultrafast'];
  if (audio === false) return video;
  return [...video, '-c:a', 'aac', ...(audio.kbps ? ['-b:a', `${audio.kbps}k`] : [])];
}

/** A card for a media asset. */
export const mediaCard = (name: string, description: string): AssetCard => ({ asset_type: 'media', name, description, tags: [] });

/** `seconds` of `src` from `from` s, scaled to 256×192, re-encoded with x264 — with its sound (AAC) or without (the extension of `out` picks the container). */
export function cutVideo(src: string, out: string, from: number, seconds: number, opts: { sound?: boolean } = {}): void {
  const sound = opts.sound ?? false;
  ff([
    '-ss',
    String(from),
    '-t',
    String(seconds),
    '-i',
    src,
    ...(sound ? [] : ['-an']),
    '-vf',
    'scale=256:192',
    ...x264(sound ? {} : false),
    out,
  ]);
}

/** A silent cut of `src` (cutVideo without its sound). */
export const cutSilentVideo = (src: string, out: string, from: number, seconds: number): void => cutVideo(src, out, from, seconds);

/** `picture`'s video with `seconds` of `sound`'s audio from `from` s, re-encoded (AAC at 64 kbps). */
export function dubVideo(picture: string, sound: string, out: string, from: number, seconds: number): void {
  ff([
    '-i',
    picture,
    '-ss',
    String(from),
    '-t',
    String(seconds),
    '-i',
    sound,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-t',
    String(seconds),
    ...x264({ kbps: 64 }),
    out,
  ]);
}
