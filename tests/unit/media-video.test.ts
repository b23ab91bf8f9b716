import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MediaFingerprint, fingerprintMedia } from '../../engine/media/fingerprint.ts';
import { MediaIndex, serializeFingerprint } from '../../engine/media/index.ts';
import { VideoIndex } from '../../engine/media/video-index.ts';
import { contentBox, sampleFrames } from '../../engine/media/video.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { ff, makeVideo, tempDir } from '../helpers/media.ts';

const t = tempDir('media-video-');
afterAll(() => t.cleanup());

let original: MediaFingerprint;
let index: MediaIndex;

async function query(name: string, vf: string, start: number, seconds: number): Promise<ReturnType<MediaIndex['query']>> {
  ff([
    '-ss',
    String(start),
    '-t',
    String(seconds),
    '-i',
    t.file('original.mp4'),
    '-vf',
    vf,
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    t.file(name),
  ]);
  const q = await fingerprintMedia(t.file(name));
  const result = index.query(q);
  // The blob (as the media worker hands a query over) answers the same; keyframe keypoints are
  // stored to 1/64 pixel, so only the matched region's last digits may differ.
  const gist = (ms: typeof result) =>
    ms.map(({ local, ...m }) => ({ ...m, keyframes: local?.keyframes, mirroredRegion: local?.region.mirrored }));
  expect(gist(index.query(serializeFingerprint(q, { keyframes: 'query' })))).toEqual(gist(result));
  // The feed's compact form (frame hashes only) finds the same videos.
  expect(index.query(serializeFingerprint(q, { keyframes: false })).map((m) => m.assetRef)).toEqual(result.map((m) => m.assetRef));
  return result;
}

describe('video fingerprints', () => {
  beforeAll(async () => {
    makeVideo(t.file('original.mp4'), 30, 1);
    makeVideo(t.file('unrelated.mp4'), 12, 5, '352x288', 1);
    original = await fingerprintMedia(t.file('original.mp4'));
    index = new MediaIndex();
    index.add('original', original);
  });

  it('aligns an excerpt played 8 % faster: ranges in both videos, speed ratio, a frame pair', async () => {
    const [m, ...rest] = await query('fast.mp4', 'setpts=PTS/1.08', 9, 12);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ assetRef: 'original', kind: 'video', method: 'frames', mirrored: false });
    expect(m!.speedRatio).toBeGreaterThan(1.03);
    expect(m!.speedRatio).toBeLessThan(1.13);
    const first = m!.ranges[0]!;
    const last = m!.ranges.at(-1)!;
    expect(first.match[0]).toBeGreaterThan(8);
    expect(first.match[0]).toBeLessThan(10.5);
    // 12 s of the original shown in about 11.1 s: the matched stretches span most of it.
    expect(last.query[1] - first.query[0]).toBeGreaterThan(8);
    expect(last.match[1]).toBeLessThan(21.5);
    expect(Math.abs(m!.framePair!.matchT - (9 + m!.framePair!.queryT * 1.08))).toBeLessThan(1.5);
  });

  it('finds a mirrored, letterboxed copy', async () => {
    const [m] = await query('mirror.mp4', 'hflip,scale=320:180,pad=320:240:0:30', 2, 15);
    expect(m).toMatchObject({ assetRef: 'original', method: 'frames', mirrored: true });
    expect(m!.ranges[0]!.match[0]).toBeGreaterThan(1);
    expect(m!.ranges[0]!.match[0]).toBeLessThan(3.5);
  });

  it('finds a 25 % corner crop', async () => {
    const [m] = await query('crop.mp4', 'crop=iw*0.75:ih*0.75:0:ih*0.25', 0, 20);
    expect(m).toMatchObject({ assetRef: 'original', method: 'frames' });
  });

  it('keeps a frame every 1 / sampleFps seconds plus the first frame after each cut', () => {
    // 10 fps, 3 s: a grey scene, a cut to a bright one at frame 13, a slow fade that is no cut.
    const side = 8;
    const frames = Array.from({ length: 30 }, (_, i) => new Uint8Array(side * side).fill(i < 13 ? 60 : i < 20 ? 200 : 200 - (i - 20) * 3));
    const kept = sampleFrames(frames, 10, 2, 30);
    expect(kept).toEqual([0, 5, 10, 13, 15, 20, 25]);
    // Without a cut, only the fixed rate.
    expect(sampleFrames(frames.slice(20), 10, 2, 30)).toEqual([0, 5]);
  });

  it('trims black bars found over the whole clip', () => {
    const side = 10;
    const frame = new Uint8Array(side * side).fill(0);
    for (let y = 2; y < 8; y++) for (let x = 0; x < side; x++) frame[y * side + x] = 100 + x;
    expect(contentBox([frame, frame], side, 24)).toEqual({ x0: 0, y0: 2, x1: 10, y1: 8 });
  });

  it('an unrelated video matches nothing', async () => {
    const q = await fingerprintMedia(t.file('unrelated.mp4'));
    expect(index.query({ video: q.video, audio: null })).toEqual([]);
  });

  it('a long query searches with a sample of its frames and finds exactly what the full search finds', async () => {
    const withSeeds = (seedFrames: number) => {
      const v = new VideoIndex({ ...MEDIA_POLICY, video: { ...MEDIA_POLICY.video, seedFrames } });
      v.add(1, original.video!);
      return v;
    };
    const full = withSeeds(100_000);
    const seeded = withSeeds(6);
    for (const [name, vf] of [
      ['seed-crop.mp4', 'crop=iw*0.8:ih*0.8:iw*0.2:0'],
      ['seed-mirror.mp4', 'hflip'],
    ] as const) {
      await query(name, vf, 4, 20);
      const q = (await fingerprintMedia(t.file(name))).video!;
      expect(q.times.length).toBeGreaterThan(30); // far more frames than the 6 seeds
      const want = full.query(q);
      expect(want).toHaveLength(1);
      expect(seeded.query(q)).toEqual(want);
    }
    const unrelated = (await fingerprintMedia(t.file('unrelated.mp4'))).video!;
    expect(seeded.query(unrelated)).toEqual([]);
  });
});
