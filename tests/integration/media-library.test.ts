/**
 * The media layer through the engine library: indexing a track and a video with their cards,
 * checking a re-encoded excerpt (flagged, with the matched ranges), an unrelated track (approved),
 * a corrupt file (a clear error, nothing stored), a reopened library, and the feed's JSON form.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import { fingerprintsFromJson, fingerprintsToJson } from '../../engine/serialize.ts';
import { cutSilentVideo, ff, makeMelody, makeVideo, mediaCard, tempDir } from '../helpers/media.ts';

const t = tempDir('media-library-');
const db = t.file('lib.sqlite');
afterAll(() => t.cleanup());

const card = mediaCard;

describe('media in the engine library', () => {
  let engine: UniquenessEngine;
  beforeAll(async () => {
    makeMelody(t.file('song.wav'), 21, 36);
    makeVideo(t.file('clip.mp4'), 15, 3);
    makeMelody(t.file('other.flac'), 22, 20);
    // A 12 s excerpt from 0:17, re-encoded to MP3 and played 3 % faster.
    ff([
      '-ss',
      '17',
      '-t',
      '12',
      '-i',
      t.file('song.wav'),
      '-af',
      'asetrate=22050*1.03,aresample=22050',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '96k',
      t.file('excerpt.mp3'),
    ]);
    cutSilentVideo(t.file('clip.mp4'), t.file('clip-cut.mkv'), 4, 8);
    writeFileSync(t.file('corrupt.mp3'), Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00'), Buffer.alloc(4000, 0x5a)]));
    engine = UniquenessEngine.open({ dbPath: db });
    await engine.indexMedia({
      id: 'song',
      creatorId: 'alice',
      card: card('Harbour lights', 'A slow piano theme.'),
      path: t.file('song.wav'),
    });
    await engine.indexMedia({
      id: 'clip',
      creatorId: 'alice',
      card: card('Fractal intro', 'An opening sequence.'),
      path: t.file('clip.mp4'),
    });
  }, 60_000);

  it('flags a re-encoded, sped-up excerpt and says where it sits in both files', async () => {
    const r = await engine.checkMedia({ card: card('My track', 'Something new.'), path: t.file('excerpt.mp3'), creatorId: 'bob' });
    expect(r.layers.media).toEqual({ state: 'ran' });
    expect(r.status).toBe('flagged_plagiarism');
    const m = r.matches[0]!;
    expect(m.assetId).toBe('song');
    expect(m.copySignals).toContain('audio copy (aligned fingerprints)');
    expect(m.layers.media).toBeGreaterThan(0.5);
    const e = m.media![0]!;
    expect(e.speedRatio).toBeCloseTo(1.03, 2);
    const first = e.ranges[0]!;
    const last = e.ranges.at(-1)!;
    expect(first.match[0]).toBeGreaterThan(16);
    expect(first.match[0]).toBeLessThan(18);
    expect(last.match[1]).toBeGreaterThan(27.5);
    expect(last.match[1]).toBeLessThan(30);
    expect(first.query[0]).toBeLessThan(1);
    expect(m.differences.transform).toEqual(['re-encoded', '3 % faster']);
    expect(m.summary).toMatch(/^0:0\d–0:1\d of this track is 0:1\d–0:(2\d|30) of “Harbour lights”.* \(re-encoded, 3 % faster\)$/);
    expect(r.reason).toContain(m.summary);
  });

  it('finds a cut of the video by its frames, with a frame pair', async () => {
    const r = await engine.checkMedia({ card: card('Cut', 'A short cut.'), path: t.file('clip-cut.mkv'), creatorId: 'bob' });
    expect(r.status).toBe('flagged_plagiarism');
    const m = r.matches[0]!;
    expect(m.assetId).toBe('clip');
    const e = m.media![0]!;
    expect(e).toMatchObject({ kind: 'video', method: 'frames' });
    expect(e.ranges[0]!.match[0]).toBeGreaterThan(3);
    expect(e.ranges[0]!.match[0]).toBeLessThan(5);
    expect(Math.abs(e.framePair!.matchT - e.framePair!.queryT - 4)).toBeLessThan(1);
    expect(m.differences.transform).toContain('resized from 320×240 to 256×192');
  });

  it('approves an unrelated track; the same creator re-checking their own file excludes it', async () => {
    const r = await engine.checkMedia({ card: card('Other', 'Unrelated music.'), path: t.file('other.flac'), creatorId: 'bob' });
    expect(r.status).toBe('approved');
    expect(r.matches.filter((m) => m.media)).toEqual([]);
    const self = await engine.checkMedia({
      card: card('Harbour lights', 'A slow piano theme.'),
      path: t.file('song.wav'),
      creatorId: 'alice',
      excludeId: 'song',
    });
    expect(self.matches.find((m) => m.assetId === 'song')).toBeUndefined();
  });

  it('refuses a corrupt file with a clear error and stores nothing', async () => {
    const before = engine.size;
    await expect(
      engine.indexMedia({ id: 'bad', creatorId: 'alice', card: card('Broken', 'Damaged upload.'), path: t.file('corrupt.mp3') }),
    ).rejects.toMatchObject({ name: 'EngineError', code: expect.stringMatching(/^(not_media|corrupt_media|unknown_duration)$/) });
    expect(engine.size).toBe(before);
    expect(engine.has('bad')).toBe(false);
  });

  it('a cancelled indexing stops at once and stores nothing', async () => {
    const ac = new AbortController();
    const job = engine.indexMedia({
      id: 'late',
      creatorId: 'alice',
      card: card('Late', 'Cancelled.'),
      path: t.file('song.wav'),
      signal: ac.signal,
    });
    ac.abort();
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(engine.has('late')).toBe(false);
  });

  it('a card-only check reports the media layer as skipped', async () => {
    const r = await engine.check({ card: card('Notes', 'Just text.'), creatorId: 'bob' });
    expect(r.layers.media).toEqual({ state: 'skipped', reason: 'no audio or video file' });
  });

  it('still finds the match after the library is closed and reopened, and after removal finds nothing', async () => {
    engine.close();
    const t0 = performance.now();
    engine = UniquenessEngine.open({ dbPath: db });
    const openMs = performance.now() - t0;
    expect(openMs).toBeLessThan(5000);
    const r = await engine.checkMedia({ card: card('Again', 'Checked later.'), path: t.file('excerpt.mp3'), creatorId: 'bob' });
    expect(r.matches[0]).toMatchObject({ assetId: 'song' });
    expect(engine.remove('song')).toBe(true);
    const after = await engine.checkMedia({ card: card('Again', 'Checked later.'), path: t.file('excerpt.mp3'), creatorId: 'bob' });
    expect(after.matches.find((m) => m.assetId === 'song')).toBeUndefined();
    engine.close();
  });

  it('media fingerprints travel in the feed JSON and index elsewhere', async () => {
    const a = UniquenessEngine.open({ dbPath: ':memory:' });
    const fp = await a.fingerprintWithMedia(card('Harbour lights', 'A slow piano theme.'), t.file('song.wav'));
    const back = fingerprintsFromJson(JSON.parse(JSON.stringify(fingerprintsToJson(fp, false))));
    expect(back.media?.sha256).toBe(fp.media.sha256);
    a.indexFingerprints(
      { id: 'feed-song', creatorId: 'carol', card: card('Harbour lights', 'A slow piano theme.'), source: 'marketplace' },
      back,
    );
    const r = await a.checkMedia({ card: card('Mine', 'Mine.'), path: t.file('song.wav'), creatorId: 'bob' });
    expect(r.matches[0]).toMatchObject({ assetId: 'feed-song', copySignals: expect.arrayContaining(['identical media file']) });
    expect(r.matches[0]!.summary).toBe('the same audio file as “Harbour lights”');
    const json = fingerprintsToJson(fp, false);
    expect(() => fingerprintsFromJson({ ...json, media: { ...json.media!, sha256: 'x' } })).toThrow(/media fingerprint's JSON/);
    a.close();
  });
});
