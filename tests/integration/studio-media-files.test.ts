/**
 * The studio's media files: import by path and from a stream (size limit enforced while the bytes
 * arrive, nothing stored on any failure), waveform peaks from the decoded PCM, and the video
 * previews (thumbnail strip, poster, frames) made with FFmpeg and cached.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioMedia } from '../../electron/main/services/media.ts';
import { MediaStore, formatOf } from '../../electron/main/services/media-store.ts';
import { stripTimes } from '../../electron/main/services/media-preview.ts';
import { ApiError } from '../../shared/api.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { MEDIA_PREVIEW } from '../../shared/media-files.ts';
import { ff, makeMelody, makeVideo, tempDir } from '../helpers/media.ts';

const t = tempDir('studio-media-');
afterAll(() => t.cleanup());

/** Files in the store other than the stored media (temporary uploads must never stay). */
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.incoming-'));

async function rejects(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('media store', () => {
  beforeAll(() => {
    makeMelody(t.file('song.wav'), 5, 8);
    writeFileSync(t.file('notes.mp3'), 'this is a text file pretending to be an mp3\n'.repeat(50));
  });

  it('imports a file by path, content-addressed, with the probed kind and format', async () => {
    const store = new MediaStore(t.file('store1'));
    const ref = await store.importPath(t.file('song.wav'), 'song.wav');
    expect(ref).toMatchObject({ kind: 'audio', format: 'wav', size: statSync(t.file('song.wav')).size });
    expect(ref.sha).toMatch(/^[0-9a-f]{64}$/);
    expect(store.path(ref.sha)).toBe(t.file(`store1/${ref.sha}.wav`));
    expect(ref.info.durationSeconds).toBeCloseTo(8, 0);
    // The same bytes again: one stored file.
    const again = await store.importPath(t.file('song.wav'), 'copy.wav');
    expect(again.sha).toBe(ref.sha);
    expect(readdirSync(t.file('store1'))).toEqual([`${ref.sha}.wav`]);
  });

  it('refuses a file that is not media, a missing path and a file over the limit, storing nothing', async () => {
    const store = new MediaStore(t.file('store2'));
    const notMedia = await rejects(store.importPath(t.file('notes.mp3'), 'notes.mp3'));
    expect(notMedia.code).toBe('not_media');
    expect(notMedia.message).toMatch(/^notes\.mp3: /);
    expect((await rejects(store.importPath(t.file('absent.wav')))).status).toBe(404);
    const small = new MediaStore(t.file('store3'), { ...MEDIA_POLICY.limits, maxBytes: 1000 });
    const big = await rejects(small.importPath(t.file('song.wav'), 'song.wav'));
    expect([big.code, big.status]).toEqual(['file_too_large', 413]);
    expect(readdirSync(t.file('store2'))).toEqual([]);
    expect(readdirSync(t.file('store3'))).toEqual([]);
  });

  it('stops reading a stream as soon as it passes the limit, and keeps none of it', async () => {
    const store = new MediaStore(t.file('store4'), { ...MEDIA_POLICY.limits, maxBytes: 64 * 1024 });
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 16 * 1024;
        this.push(Buffer.alloc(16 * 1024, 7));
      },
    });
    const err = await rejects(store.ingest(endless, 'endless.wav'));
    expect(err.status).toBe(413);
    // Refused within a chunk or two of the limit (the stream's own read-ahead aside), not read to the end.
    expect(pulled).toBeLessThan(64 * 1024 + 5 * 16 * 1024);
    expect(endless.destroyed).toBe(false);
    expect(readdirSync(t.file('store4'))).toEqual([]);
    // A declared size over the limit is refused before a byte is read.
    const untouched = Readable.from([Buffer.alloc(10)]);
    expect((await rejects(store.ingest(untouched, 'x.wav', { declaredBytes: 65 * 1024 }))).status).toBe(413);
    expect(untouched.readableEnded).toBe(false);
  });

  it('refuses with a write still in flight without an unhandled rejection from the destroyed file stream', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = new MediaStore(t.file('store4b'), { ...MEDIA_POLICY.limits, maxBytes: 100 * 1024 });
      for (let round = 0; round < 60; round++) {
        // Chunks below the stream's high-water mark are written without waiting: the refusal meets a write in flight.
        const fast = Readable.from(Array.from({ length: 400 }, () => Buffer.alloc(1000 + round, round)));
        expect((await rejects(store.ingest(fast, 'fast.wav'))).status).toBe(413);
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
      expect(readdirSync(t.file('store4b'))).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stores a streamed upload that passes, and refuses a streamed non-media file', async () => {
    const store = new MediaStore(t.file('store5'));
    const bytes = await import('node:fs').then((fs) => fs.readFileSync(t.file('song.wav')));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => bytes.subarray(i * 4096, (i + 1) * 4096));
    const ref = await store.ingest(Readable.from(chunks), 'song.wav');
    expect(ref.kind).toBe('audio');
    expect(existsSync(store.path(ref.sha) ?? '')).toBe(true);
    const err = await rejects(store.ingest(Readable.from([Buffer.from('%PDF-1.4 not audio at all')]), 'song.mp3'));
    expect(err.code).toBe('not_media');
    expect(leftovers(t.file('store5'))).toEqual([]);
  });

  it('removes temporary files a crash left behind when the store opens', () => {
    writeFileSync(t.file('store5/.incoming-deadbeef'), 'half an upload');
    new MediaStore(t.file('store5'));
    expect(leftovers(t.file('store5'))).toEqual([]);
  });

  it('names the stored format after the container, keeping a fitting extension', () => {
    expect(formatOf('mov', 'clip.MOV', 'video')).toBe('mov');
    expect(formatOf('mov', 'clip.bin', 'video')).toBe('mp4');
    expect(formatOf('mov', 'voice', 'audio')).toBe('m4a');
    expect(formatOf('matroska', 'a.webm', 'video')).toBe('webm');
    expect(formatOf('ogg', 'a.opus', 'audio')).toBe('opus');
    expect(formatOf('wav', 'a.mp3', 'audio')).toBe('wav');
  });
});

describe('media previews', () => {
  const media = new StudioMedia(t.file('data'));
  let audioSha = '';
  let videoSha = '';
  beforeAll(async () => {
    // 2 s of silence, then 2 s of a 440 Hz sine at half scale, then 2 s at a tenth of full scale.
    ff([
      '-f',
      'lavfi',
      '-i',
      "aevalsrc='if(lt(t,2),0,if(lt(t,4),0.5,0.1))*sin(2*PI*440*t)':s=22050:d=6",
      '-c:a',
      'flac',
      t.file('steps.flac'),
    ]);
    makeVideo(t.file('clip.mp4'), 6, 2);
    audioSha = (await media.importPath(t.file('steps.flac'), 'steps.flac')).sha;
    videoSha = (await media.importPath(t.file('clip.mp4'), 'clip.mp4')).sha;
  });

  it('computes waveform peaks from the decoded PCM, per slice of the track', async () => {
    const w = await media.waveform(audioSha, 60);
    expect(w.peaks).toHaveLength(60);
    expect(w.durationSeconds).toBeCloseTo(6, 1);
    const slice = (a: number, b: number) => w.peaks.slice(a, b);
    // Bins of 0.1 s: skip the one bin at each step that straddles it.
    for (const p of slice(0, 19)) expect(p).toBeLessThan(0.01);
    for (const p of slice(21, 39)) expect(Math.abs(p - 0.5)).toBeLessThan(0.05);
    for (const p of slice(41, 60)) expect(Math.abs(p - 0.1)).toBeLessThan(0.03);
    // Cached: the second call reads the same peaks from disk.
    expect((await media.waveform(audioSha, 60)).peaks).toEqual(w.peaks);
    expect(existsSync(t.file(`data/media-cache/${audioSha}.peaks-60.json`))).toBe(true);
  });

  it('reports the probed facts of a stored file', async () => {
    const i = await media.info(videoSha);
    expect(i).toMatchObject({ kind: 'video', format: 'mp4', container: 'mov' });
    expect(i.video).toMatchObject({ width: 320, height: 240 });
    expect(i.durationSeconds).toBeCloseTo(6, 0);
  });

  it('makes a thumbnail strip of evenly spread frames, a poster and single frames, cached', async () => {
    expect(stripTimes(8, 4)).toEqual([1, 3, 5, 7]);
    const strip = await media.imageFile({ sha: videoSha, kind: 'strip' });
    const meta = await sharp(strip.path).metadata();
    const frameW = Math.round((MEDIA_PREVIEW.frameHeight * 320) / 240);
    expect([meta.format, meta.height, meta.width]).toEqual(['webp', MEDIA_PREVIEW.frameHeight, frameW * MEDIA_PREVIEW.stripFrames]);
    // The strip's frames differ (the video has three scenes): compare the first and last slices.
    const slice = (i: number) =>
      sharp(strip.path)
        .extract({ left: i * frameW, top: 0, width: frameW, height: MEDIA_PREVIEW.frameHeight })
        .greyscale()
        .raw()
        .toBuffer();
    const [a, b] = await Promise.all([slice(0), slice(MEDIA_PREVIEW.stripFrames - 1)]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs((a[i] as number) - (b[i] as number));
    expect(diff / a.length).toBeGreaterThan(10);
    const poster = await media.imageFile({ sha: videoSha, kind: 'poster' });
    // Poster and frames keep the video's own size when it is smaller than theirs (240 < 256).
    expect((await sharp(poster.path).metadata()).height).toBe(Math.min(240, MEDIA_PREVIEW.posterHeight));
    const frame = await media.imageFile({ sha: videoSha, kind: 'frame', ms: 5500 });
    expect((await sharp(frame.path).metadata()).height).toBe(Math.min(240, MEDIA_PREVIEW.pairFrameHeight));
    const mtime = statSync(strip.path).mtimeMs;
    expect((await media.imageFile({ sha: videoSha, kind: 'strip' })).path).toBe(strip.path);
    expect(statSync(strip.path).mtimeMs).toBe(mtime);
  });

  it('refuses frames of an audio file and previews of a file that is not stored', async () => {
    expect((await rejects(media.imageFile({ sha: audioSha, kind: 'strip' }))).code).toBe('not_video');
    expect((await rejects(media.info('0'.repeat(64)))).status).toBe(404);
  });
});
