/**
 * Media benchmarks (`npx tsx bench/media.ts`; library scale in bench/media-scale.ts): fingerprinting time of a 3-minute track and of a
 * 2-minute 1080p video, each against a baseline measured in the same run — FFmpeg decoding the same
 * file to nothing (`-f null`), the least any decoder-based fingerprint can cost — plus the size of
 * the serialised fingerprints in bytes per minute of media and the query latency.
 * Targets (2 cores): 3-minute track ≤ 3 s, 2-minute 1080p video ≤ 20 s.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { FFMPEG_IN_USE, FFMPEG_PATH } from '../engine/media/ffmpeg.ts';
import { fingerprintMedia } from '../engine/media/fingerprint.ts';
import { MediaIndex, serializeFingerprint } from '../engine/media/index.ts';
import { ff, melody, tempDir } from '../tests/helpers/media.ts';

const t = tempDir('media-bench-');
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function baseline(path: string): number {
  const s = performance.now();
  const r = spawnSync(FFMPEG_PATH, ['-hide_banner', '-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - s;
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const s = performance.now();
  const v = await f();
  return [v, performance.now() - s];
}

try {
  console.log(`${FFMPEG_IN_USE}; ${cpus().length} CPU cores`);
  const track = t.file('track.mp3');
  ff(['-f', 'lavfi', '-i', melody(3).replace('DUR', '180'), '-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '192k', track]);
  const video = t.file('video.mp4');
  ff([
    ...['-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=30', '-f', 'lavfi', '-i', melody(4).replace('DUR', '120')],
    ...['-t', '120', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '2500k', '-pix_fmt', 'yuv420p', '-c:a', 'aac', video],
  ]);
  // Warm-up (WASM compile, JIT) on a short file.
  ff(['-f', 'lavfi', '-i', melody(5).replace('DUR', '5'), t.file('warm.wav')]);
  await fingerprintMedia(t.file('warm.wav'));

  const aBase = baseline(track);
  const [afp, aMs] = await timed(() => fingerprintMedia(track));
  const aBytes = serializeFingerprint(afp).length;
  console.log(
    `audio 3:00 MP3: fingerprint ${sec(aMs)} (target ≤ 3 s: ${aMs <= 3000 ? 'met' : 'NOT met'}); ffmpeg decode baseline ${sec(aBase)}; ratio ${(aMs / aBase).toFixed(2)}×`,
  );
  console.log(`  fingerprint ${aBytes} bytes = ${Math.round(aBytes / 3)} bytes per minute`);

  const vBase = baseline(video);
  const [vfp, vMs] = await timed(() => fingerprintMedia(video));
  // As a library fingerprints a file it only stores (indexMedia): no mirrored keyframe views. Timed
  // interleaved with the query's fingerprinting (mirrored views included), best of two each.
  const [vlib, vLibMs1] = await timed(() => fingerprintMedia(video, { mirror: false }));
  const [, vMs2] = await timed(() => fingerprintMedia(video));
  const [, vLibMs2] = await timed(() => fingerprintMedia(video, { mirror: false }));
  const vQueryBest = Math.min(vMs, vMs2);
  const vLibBest = Math.min(vLibMs1, vLibMs2);
  const vBytes = serializeFingerprint(vfp).length;
  const vOnly = serializeFingerprint({ video: vfp.video, audio: null }, { keyframes: false }).length;
  const vFeed = serializeFingerprint(vfp, { keyframes: false }).length;
  const keyframes = vfp.video?.keyframes?.sets.length ?? 0;
  console.log(
    `video 2:00 1080p30 H.264: fingerprint ${sec(vMs)} (target ≤ 20 s: ${vMs <= 20000 ? 'met' : 'NOT met'}); ffmpeg decode baseline ${sec(vBase)}; ratio ${(vMs / vBase).toFixed(2)}×`,
  );
  console.log(
    `  as a query (keyframes with mirrored views) best of two ${sec(vQueryBest)}; as a library stores it (no mirrored views, indexMedia) best of two ${sec(vLibBest)} → ${(vLibBest / vQueryBest).toFixed(2)}×; stored blobs identical: ${serializeFingerprint(vlib).equals(serializeFingerprint(vfp)) ? 'yes' : 'NO'}`,
  );
  console.log(
    `  fingerprint ${vBytes} bytes = ${Math.round(vBytes / 2)} bytes per minute with ${keyframes} keyframes' local features (as the feed carries it, without them: ${Math.round(vFeed / 2)}; frame hashes alone ${Math.round(vOnly / 2)} bytes per minute)`,
  );

  const index = new MediaIndex();
  index.add('track', afp);
  index.add('video', vfp);
  const [, qa] = await timed(async () => index.query(afp));
  const [, qv] = await timed(async () => index.query(vfp));
  console.log(`query (whole file against itself in a 2-asset index): audio ${qa.toFixed(0)} ms, video ${qv.toFixed(0)} ms`);
  console.log(`peak RSS so far: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
} finally {
  t.cleanup();
}
