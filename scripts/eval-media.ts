/**
 * Media evaluation: builds the dev set (see media-eval/sources.ts) in a cache folder, indexes it,
 * generates seeded copies from parameter ranges per transform family (audio: re-encode, excerpt,
 * volume, fades, noise, channels/sample rate, speed, combinations of 2–3; video: re-encode/bitrate,
 * resize/letterbox, crop, mirror, overlay, frame rate, speed, excerpt, combinations of 2–3), and
 * reports recall per family (per method too: the video layer, its frame hashes alone, matches with verified
 * keyframes, the soundtrack) and false positives on unrelated media (other tracks
 * and videos of the same sources, as-is and transformed), each with a 95 % Wilson interval.
 *
 *   npx tsx scripts/eval-media.ts --seed 1 --trials 40 --unrelated 200 [--cache .data/media-eval] [--only audio|video] [--families a,b]
 *     [--speech 8 --other-speech 8 --videos 6 --other-videos 5]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AudioIndex } from '../engine/media/audio-index.ts';
import { decodeAudio } from '../engine/media/decode.ts';
import { FFMPEG_IN_USE } from '../engine/media/ffmpeg.ts';
import { type MediaFingerprint, fingerprintMedia } from '../engine/media/fingerprint.ts';
import { MediaIndex } from '../engine/media/index.ts';
import { probeMedia } from '../engine/media/probe.ts';
import { DEFAULT_SIZES, buildDevSet, ff, type Source } from './media-eval/sources.ts';
import { rng, wilson } from './media-eval/stats.ts';
import { AUDIO_FAMILIES, type SourceInfo, VIDEO_FAMILIES, audioTransform, ffmpegArgs, videoTransform } from './media-eval/transforms.ts';

const opts = z
  .object({
    seed: z.coerce.number().int().default(1),
    trials: z.coerce.number().int().min(1).default(40),
    unrelated: z.coerce.number().int().min(0).default(200),
    cache: z.string().default(join('.data', 'media-eval')),
    only: z.enum(['audio', 'video', 'all']).default('all'),
    /** Comma-separated family names to run (default: all of them). */
    families: z.string().optional(),
    speech: z.coerce.number().int().min(1).default(DEFAULT_SIZES.speech),
    'other-speech': z.coerce.number().int().min(1).default(DEFAULT_SIZES.otherSpeech),
    videos: z.coerce.number().int().min(1).default(DEFAULT_SIZES.videos),
    'other-videos': z.coerce.number().int().min(1).default(DEFAULT_SIZES.otherVideos),
  })
  .parse(
    parseArgs({
      options: {
        seed: { type: 'string' },
        trials: { type: 'string' },
        unrelated: { type: 'string' },
        cache: { type: 'string' },
        only: { type: 'string' },
        families: { type: 'string' },
        speech: { type: 'string' },
        'other-speech': { type: 'string' },
        videos: { type: 'string' },
        'other-videos': { type: 'string' },
      },
    }).values,
  );

const log = (s: string) => process.stderr.write(`${s}\n`);
mkdirSync(opts.cache, { recursive: true });
const work = join(opts.cache, `run-${opts.seed}-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
log(FFMPEG_IN_USE);

const dev = buildDevSet(
  opts.cache,
  { speech: opts.speech, otherSpeech: opts['other-speech'], videos: opts.videos, otherVideos: opts['other-videos'] },
  log,
);
const index = new MediaIndex();
const lmOnly = new AudioIndex();
const infos = new Map<string, SourceInfo>();
const ids = new Map<string, number>();

async function sourceInfo(s: Source): Promise<SourceInfo> {
  const info = await probeMedia(s.path);
  const pcm = await decodeAudio(s.path, info);
  let e = 0;
  for (const v of pcm) e += v * v;
  return {
    duration: info.durationSeconds,
    sampleRate: info.audio?.sampleRate ?? 44100,
    rms: Math.sqrt(e / Math.max(1, pcm.length)),
    width: info.video?.width,
    height: info.video?.height,
  };
}

const t0 = Date.now();
for (const s of [...dev.indexed, ...dev.unrelated]) infos.set(s.name, await sourceInfo(s));
for (const [i, s] of dev.indexed.entries()) {
  const fp = await fingerprintMedia(s.path);
  index.add(s.name, fp);
  if (fp.audio) lmOnly.add(i + 1, fp.audio);
  ids.set(s.name, i + 1);
}
log(`indexed ${dev.indexed.length} assets in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

interface Tally {
  n: number;
  hit: number;
  byMethod: Record<string, number>;
  misses: string[];
}
const tallies = new Map<string, Tally>();
const tally = (k: string): Tally => {
  let t = tallies.get(k);
  if (!t) tallies.set(k, (t = { n: 0, hit: 0, byMethod: {}, misses: [] }));
  return t;
};

const fpTally = { n: 0, fp: 0, examples: [] as string[] };

function miss(t: Tally, what: string): void {
  t.misses.push(what);
  log(`  miss: ${what}`);
}

/** The report so far (written after every family, so an interrupted run keeps what it measured). */
function save(): void {
  writeFileSync(
    join(opts.cache, `report-${opts.seed}-${opts.only}.json`),
    JSON.stringify({ opts, tallies: Object.fromEntries(tallies), fp: fpTally }, null, 2),
  );
}

let q = 0;
async function copy(src: Source, t: ReturnType<typeof audioTransform>): Promise<MediaFingerprint | null> {
  const out = join(work, `q${q++}.${t.ext}`);
  try {
    ff(ffmpegArgs(src.path, out, t));
    return await fingerprintMedia(out);
  } catch (err) {
    log(`  could not make/fingerprint ${t.desc}: ${(err as Error).message.slice(0, 200)}`);
    return null;
  } finally {
    rmSync(out, { force: true });
  }
}

const r = rng(opts.seed);
const wanted = (f: string) => !opts.families || opts.families.split(',').includes(f);
const audioSources = dev.indexed.filter((s) => s.kind === 'audio');
const videoSources = dev.indexed.filter((s) => s.kind === 'video');

if (opts.only !== 'video') {
  for (const family of AUDIO_FAMILIES.filter(wanted)) {
    for (let i = 0; i < opts.trials; i++) {
      const src = audioSources[i % audioSources.length] as Source;
      const t = audioTransform(family, r, infos.get(src.name) as SourceInfo);
      const fp = await copy(src, t);
      if (!fp) continue;
      const all = tally(`audio/${family}`);
      all.n++;
      const top = index.query(fp)[0];
      if (top?.assetRef === src.name) all.hit++;
      else miss(all, `${src.name}:${t.desc} → ${top ? `${top.assetRef} ${top.method}` : 'nothing'}`);
      const id = ids.get(src.name);
      if (fp.audio && lmOnly.queryLandmarks(fp.audio.peaks).some((h) => h.track === id))
        all.byMethod.landmarks = (all.byMethod.landmarks ?? 0) + 1;
      if (fp.audio && lmOnly.queryChromaprint(fp.audio.chromaprint).some((h) => h.track === id))
        all.byMethod.chromaprint = (all.byMethod.chromaprint ?? 0) + 1;
    }
    log(`audio/${family}: ${tally(`audio/${family}`).hit}/${tally(`audio/${family}`).n}`);
    save();
  }
}

if (opts.only !== 'audio') {
  for (const family of VIDEO_FAMILIES.filter(wanted)) {
    for (let i = 0; i < opts.trials; i++) {
      const src = videoSources[i % videoSources.length] as Source;
      const t = videoTransform(family, r, infos.get(src.name) as SourceInfo);
      const fp = await copy(src, t);
      if (!fp) continue;
      const all = tally(`video/${family}`);
      all.n++;
      const top = index.query(fp)[0];
      if (top?.assetRef === src.name) all.hit++;
      else miss(all, `${src.name}:${t.desc} → ${top ? `${top.assetRef} ${top.method}` : 'nothing'}`);
      const frames = index.query({ video: fp.video, audio: null })[0];
      if (frames?.assetRef === src.name) all.byMethod.frames = (all.byMethod.frames ?? 0) + 1;
      // Of those, the matches whose keyframes the local features verified (they carry the copy's region).
      if (frames?.assetRef === src.name && frames.local) all.byMethod.keyframes = (all.byMethod.keyframes ?? 0) + 1;
      // The frame hashes alone (no keyframes): what the video layer caught before it had local features.
      const hashes = index.query({ video: { ...(fp.video as NonNullable<typeof fp.video>), keyframes: undefined }, audio: null })[0];
      if (hashes?.assetRef === src.name) all.byMethod.hashes = (all.byMethod.hashes ?? 0) + 1;
      const sound = fp.audio ? index.query({ video: null, audio: fp.audio })[0] : undefined;
      if (sound?.assetRef === src.name) all.byMethod.audio = (all.byMethod.audio ?? 0) + 1;
    }
    log(`video/${family}: ${tally(`video/${family}`).hit}/${tally(`video/${family}`).n}`);
    save();
  }
}

// False positives: unrelated media (not in the index), as-is and under random transforms.
const unrelated = dev.unrelated.filter((s) => opts.only === 'all' || s.kind === opts.only);
for (let i = 0; i < opts.unrelated && unrelated.length; i++) {
  const src = unrelated[i % unrelated.length] as Source;
  const info = infos.get(src.name) as SourceInfo;
  const t =
    src.kind === 'audio'
      ? audioTransform(AUDIO_FAMILIES[i % AUDIO_FAMILIES.length] as string, r, info)
      : videoTransform(VIDEO_FAMILIES[i % VIDEO_FAMILIES.length] as string, r, info);
  const fp = await copy(src, t);
  if (!fp) continue;
  fpTally.n++;
  const m = index.query(fp);
  if (m.length) {
    fpTally.fp++;
    fpTally.examples.push(`${src.name}:${t.desc} → ${m[0]!.assetRef} ${m[0]!.method} score ${m[0]!.score.toFixed(2)} votes ${m[0]!.votes}`);
    log(`  false positive: ${fpTally.examples.at(-1)}`);
  }
  if (i % 20 === 19) {
    log(`unrelated: ${fpTally.fp}/${fpTally.n}`);
    save();
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const rows: string[] = [];
rows.push(
  `seed ${opts.seed}, ${opts.trials} copies per family; ${dev.indexed.length} indexed (${audioSources.length} audio, ${videoSources.length} video), ${dev.unrelated.length} unrelated sources; ${((Date.now() - t0) / 1000).toFixed(0)} s; ${FFMPEG_IN_USE}`,
);
rows.push('family                      recall   95 % CI            per method');
for (const [k, t] of tallies) {
  const [lo, hi] = wilson(t.hit, t.n);
  const methods = Object.entries(t.byMethod)
    .map(([m, c]) => `${m} ${c}/${t.n}`)
    .join(', ');
  rows.push(`${k.padEnd(26)} ${`${t.hit}/${t.n}`.padStart(7)}  [${pct(lo)}, ${pct(hi)}]  ${methods}`);
}
const [flo, fhi] = wilson(fpTally.fp, fpTally.n);
rows.push(
  `false positives on unrelated media: ${fpTally.fp}/${fpTally.n} = ${pct(fpTally.fp / Math.max(1, fpTally.n))} [${pct(flo)}, ${pct(fhi)}]`,
);
console.log(rows.join('\n'));
const misses = [...tallies.entries()].flatMap(([k, t]) => t.misses.map((m) => `${k} ${m}`));
if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
if (fpTally.examples.length) console.log(`false positives:\n  ${fpTally.examples.join('\n  ')}`);
save();
rmSync(work, { recursive: true, force: true });
