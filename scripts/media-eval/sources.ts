/**
 * Dev sources for the media evaluation, built once into a cache folder (never into git):
 *  - audio only from the Debian packages fb-music-high (one tracker module, rendered to WAV with a
 *    system FFmpeg that has libopenmpt) and asterisk-core-sounds-en-wav (speech prompts, concatenated
 *    into ~40 s "tracks" from disjoint prompt sets);
 *  - video rendered with FFmpeg from openclipart-png images (categories transportation, food,
 *    animals, office, tools, buildings), each scene a pan or zoom over one image, hard cuts between,
 *    with a speech track as soundtrack.
 * Every source uses its own prompts and images (never shared between two sources), so an
 * "unrelated" source is never a copy of an indexed one. No other package is read.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FFMPEG_PATH } from '../../engine/media/ffmpeg.ts';
import { pick, rng, shuffle, uniform } from './stats.ts';

const XM = '/usr/share/games/frozen-bubble/snd/frozen-mainzik-2p.xm';
const PROMPTS = '/usr/share/asterisk/sounds/en_US_f_Allison';
const CLIPART = '/usr/share/openclipart/png';
const CATEGORIES = ['transportation', 'food', 'animals', 'office', 'tools', 'buildings'];

export function ff(args: string[], bin = FFMPEG_PATH): void {
  const r = spawnSync(bin, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
}

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

/** Clip art without symlinks and byte-identical duplicates (one artwork is never in two videos). */
function distinctImages(paths: string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    if (lstatSync(p).isSymbolicLink()) return false;
    const h = createHash('sha1').update(readFileSync(p)).digest('hex');
    if (seen.has(h)) return false;
    seen.add(h);
    return true;
  });
}

export interface Source {
  name: string;
  path: string;
  kind: 'audio' | 'video';
}

export interface DevSet {
  indexed: Source[];
  unrelated: Source[];
}

function speechTrack(out: string, prompts: string[], cache: string): void {
  if (existsSync(out)) return;
  const list = join(cache, 'list.txt');
  writeFileSync(list, prompts.map((p) => `file '${p}'`).join('\n'));
  ff(['-f', 'concat', '-safe', '0', '-i', list, '-ac', '1', '-ar', '16000', `${out}.tmp.wav`]);
  renameSync(`${out}.tmp.wav`, out);
}

function clipVideo(out: string, images: string[], soundtrack: string, seed: number): void {
  if (existsSync(out)) return;
  const r = rng(seed);
  const args: string[] = [];
  const chains: string[] = [];
  images.forEach((img, k) => {
    args.push('-i', img);
    const bg = pick(r, ['0x2a4d69', '0xe8d5b7', '0x4b86b4', '0xadcbe3', '0x63ace5', '0xf4f4f8', '0x8b9556']);
    const zoomIn = r() < 0.5;
    const dx = uniform(r, -1, 1).toFixed(2);
    const dy = uniform(r, -1, 1).toFixed(2);
    const z = zoomIn ? "'1+0.0025*on'" : "'1.5-0.0025*on'";
    // The drawing is composited over a coloured background (its transparent parts must not turn black).
    chains.push(
      `color=c=${bg}:s=960x540:r=1:d=1[bg${k}];[${k}:v]format=rgba,scale=500:500:force_original_aspect_ratio=decrease[im${k}];` +
        `[bg${k}][im${k}]overlay=(W-w)/2:(H-h)/2,format=yuv420p,` +
        `zoompan=z=${z}:x='iw/2-iw/zoom/2+${dx}*on*0.6':y='ih/2-ih/zoom/2+${dy}*on*0.4':d=200:s=480x270:fps=25,setsar=1[v${k}]`,
    );
  });
  const n = images.length;
  args.push('-i', soundtrack);
  const concat = `${images.map((_, k) => `[v${k}]`).join('')}concat=n=${n}:v=1:a=0,format=yuv420p[v]`;
  ff([
    ...args,
    '-filter_complex',
    `${chains.join(';')};${concat}`,
    '-map',
    '[v]',
    '-map',
    `${n}:a`,
    '-shortest',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    `${out}.tmp.mp4`,
  ]);
  renameSync(`${out}.tmp.mp4`, out);
}

export interface DevSetSizes {
  /** Indexed and unrelated speech tracks (20 prompts each). */
  speech: number;
  otherSpeech: number;
  /** Indexed and unrelated videos (5 scenes of 8 s each, 22 prompts of soundtrack). */
  videos: number;
  otherVideos: number;
}

export const DEFAULT_SIZES: DevSetSizes = { speech: 8, otherSpeech: 8, videos: 6, otherVideos: 5 };

/**
 * Builds (or reuses) the dev set in `cache`. Sources are fixed (seed 1234) for given sizes, so the
 * cache folder is named after the sizes; transforms use the run's seed.
 */
export function buildDevSet(root: string, sizes: DevSetSizes, log: (s: string) => void): DevSet {
  const cache = join(root, `sources-v2-${sizes.speech}-${sizes.otherSpeech}-${sizes.videos}-${sizes.otherVideos}`);
  mkdirSync(cache, { recursive: true });
  const r = rng(1234);
  const indexed: Source[] = [];
  const unrelated: Source[] = [];
  const music = join(cache, 'music.wav');
  if (!existsSync(music)) {
    // The bundled static FFmpeg has no tracker-module decoder; Debian's ffmpeg (libopenmpt) renders it.
    if (existsSync('/usr/bin/ffmpeg') && existsSync(XM)) ff(['-i', XM, '-ac', '2', '-ar', '44100', music], '/usr/bin/ffmpeg');
    else log('fb-music-high or a system ffmpeg with libopenmpt is missing: no music track');
  }
  if (existsSync(music)) indexed.push({ name: 'music', path: music, kind: 'audio' });
  const prompts = shuffle(r, files(PROMPTS, '.wav'));
  const need = 20 * (sizes.speech + sizes.otherSpeech) + 22 * (sizes.videos + sizes.otherVideos);
  if (prompts.length < need)
    throw new Error(
      `asterisk-core-sounds-en-wav gives ${prompts.length} prompts, ${need} needed (apt-get install -y asterisk-core-sounds-en-wav, or fewer sources)`,
    );
  const take = (() => {
    let i = 0;
    return (n: number) => prompts.slice(i, (i += n));
  })();
  for (let k = 0; k < sizes.speech; k++) {
    const p = join(cache, `speech-${k}.wav`);
    speechTrack(p, take(20), cache);
    indexed.push({ name: `speech-${k}`, path: p, kind: 'audio' });
  }
  for (let k = 0; k < sizes.otherSpeech; k++) {
    const p = join(cache, `other-speech-${k}.wav`);
    speechTrack(p, take(20), cache);
    unrelated.push({ name: `other-speech-${k}`, path: p, kind: 'audio' });
  }
  const images = shuffle(r, distinctImages(CATEGORIES.flatMap((c) => files(join(CLIPART, c), '.png'))));
  let img = 0;
  for (let k = 0; k < sizes.videos + sizes.otherVideos; k++) {
    const sound = join(cache, `video-sound-${k}.wav`);
    speechTrack(sound, take(22), cache);
    const p = join(cache, `video-${k}.mp4`);
    if (!existsSync(p)) log(`rendering ${p}`);
    clipVideo(p, images.slice(img, (img += 5)), sound, 100 + k);
    (k < sizes.videos ? indexed : unrelated).push({ name: `video-${k}`, path: p, kind: 'video' });
  }
  return { indexed, unrelated };
}
