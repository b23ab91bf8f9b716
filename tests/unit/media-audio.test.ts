import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioIndex, landmarkScales } from '../../engine/media/audio-index.ts';
import { mediaChanges } from '../../engine/explain-media.ts';
import { type MediaFingerprint, fingerprintMedia } from '../../engine/media/fingerprint.ts';
import { MediaIndex, deserializeFingerprint, serializeFingerprint } from '../../engine/media/index.ts';
import { ff, makeMelody, tempDir } from '../helpers/media.ts';

const t = tempDir('media-audio-');
afterAll(() => t.cleanup());

let original: MediaFingerprint;
let other: MediaFingerprint;

describe('audio fingerprints', () => {
  beforeAll(async () => {
    makeMelody(t.file('track.wav'), 11, 40);
    makeMelody(t.file('other.wav'), 12, 30);
    original = await fingerprintMedia(t.file('track.wav'));
    other = await fingerprintMedia(t.file('other.wav'));
  });

  it('landmarks find a 12 s MP3 excerpt and say where it sits in the original', async () => {
    ff(['-ss', '17', '-t', '12', '-i', t.file('track.wav'), '-c:a', 'libmp3lame', '-b:a', '64k', t.file('excerpt.mp3')]);
    const q = await fingerprintMedia(t.file('excerpt.mp3'));
    const index = new AudioIndex();
    index.add(1, original.audio!);
    index.add(2, other.audio!);
    const hits = index.queryLandmarks(q.audio!.peaks);
    expect(hits.map((h) => h.track)).toEqual([1]);
    const r = hits[0]!.ranges[0]!;
    // The excerpt's start maps to second 17 of the original (MP3 priming shifts it by a few ms).
    expect(r.match[0] - r.query[0]).toBeGreaterThan(16.8);
    expect(r.match[0] - r.query[0]).toBeLessThan(17.2);
    expect(r.query[1] - r.query[0]).toBeGreaterThan(10);
  });

  it('Chromaprint matches a whole-track low-bitrate re-encode', async () => {
    ff(['-i', t.file('track.wav'), '-ac', '2', '-ar', '24000', '-c:a', 'libopus', '-b:a', '24k', t.file('reencode.ogg')]);
    const q = await fingerprintMedia(t.file('reencode.ogg'));
    const index = new AudioIndex();
    index.add(1, original.audio!);
    index.add(2, other.audio!);
    const hits = index.queryChromaprint(q.audio!.chromaprint);
    expect(hits.map((h) => h.track)).toEqual([1]);
    expect(hits[0]!.score).toBeGreaterThan(0.8);
    expect(Math.abs(hits[0]!.ranges[0]!.match[0] - hits[0]!.ranges[0]!.query[0])).toBeLessThan(0.5);
  });

  it('a 5 % speed-up (pitch raised) is found at the right speed ratio, with no pitch of its own', async () => {
    ff(['-ss', '5', '-t', '15', '-i', t.file('track.wav'), '-af', 'asetrate=22050*1.05,aresample=22050', t.file('fast.wav')]);
    const q = await fingerprintMedia(t.file('fast.wav'));
    const index = new MediaIndex();
    index.add('track', original);
    index.add('other', other);
    const [m, ...rest] = index.query(q);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ assetRef: 'track', kind: 'audio', method: 'landmarks' });
    expect(m!.speedRatio).toBeCloseTo(1.05, 2);
    expect(m!.pitchRatio).toBeUndefined();
    expect(m!.ranges[0]!.match[0]).toBeGreaterThan(4.5);
    expect(m!.ranges[0]!.match[0]).toBeLessThan(6);
  });

  it('a tempo change that keeps the pitch, and a pitch shift that keeps the tempo, are found and named', async () => {
    ff(['-ss', '5', '-t', '15', '-i', t.file('track.wav'), '-af', 'atempo=1.06', t.file('tempo.wav')]);
    // Two semitones up (×1.122), played back at the original tempo.
    ff([
      '-ss',
      '8',
      '-t',
      '15',
      '-i',
      t.file('track.wav'),
      '-af',
      'asetrate=22050*1.1225,aresample=22050,atempo=0.8909',
      t.file('pitch.wav'),
    ]);
    const index = new MediaIndex();
    index.add('track', original);
    index.add('other', other);
    const [tempo, ...r1] = index.query(await fingerprintMedia(t.file('tempo.wav')));
    expect(r1).toEqual([]);
    expect(tempo).toMatchObject({ assetRef: 'track', kind: 'audio', method: 'landmarks', pitchRatio: 1 });
    expect(tempo!.speedRatio).toBeCloseTo(1.06, 2);
    expect(tempo!.ranges[0]!.match[0]).toBeGreaterThan(4.5);
    expect(mediaChanges(tempo!, null, null)).toEqual(['6 % faster, pitch kept']);
    const [pitch, ...r2] = index.query(await fingerprintMedia(t.file('pitch.wav')));
    expect(r2).toEqual([]);
    expect(pitch).toMatchObject({ assetRef: 'track', kind: 'audio', method: 'landmarks', speedRatio: 1 });
    expect(pitch!.pitchRatio).toBeCloseTo(1.12, 2);
    expect(mediaChanges(pitch!, null, null)).toEqual(['pitch raised 12 %']);
    // A resampled copy moves both together: no separate pitch.
    expect(landmarkScales()).toContainEqual([1.05, 1.05]);
    expect(landmarkScales()[0]).toEqual([1, 1]);
  });

  it('unrelated audio matches nothing; serialised fingerprints query the same', async () => {
    const index = new MediaIndex();
    index.add('track', serializeFingerprint(original));
    expect(index.query(other)).toEqual([]);
    const blob = serializeFingerprint(original);
    const back = deserializeFingerprint(blob);
    expect(Array.from(back.audio!.peaks.t)).toEqual(Array.from(original.audio!.peaks.t));
    expect(Array.from(back.audio!.chromaprint)).toEqual(Array.from(original.audio!.chromaprint));
    const self = index.query(blob)[0]!;
    expect(self.assetRef).toBe('track');
    expect(self.score).toBeGreaterThan(0.95);
    expect(index.remove('track')).toBe(true);
    expect(index.query(blob)).toEqual([]);
    expect(() => deserializeFingerprint(blob.subarray(0, blob.length - 9))).toThrow(/fingerprint/);
  });
});
