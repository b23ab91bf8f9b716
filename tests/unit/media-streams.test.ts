/**
 * Streams besides audio and video (MEDIA_POLICY.limits.ignoredStreams): a phone-style .mov with a
 * timecode (tmcd) data track is accepted and fingerprinted exactly like the same clip without it,
 * and matches it; with the setting emptied it is refused; subtitles and attachments are still
 * refused, also beside a timecode track.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG_PATH } from '../../engine/media/ffmpeg.ts';
import { fingerprintMedia } from '../../engine/media/fingerprint.ts';
import { MediaIndex, serializeFingerprint } from '../../engine/media/index.ts';
import { probeMedia } from '../../engine/media/probe.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { ff, makeVideo, tempDir } from '../helpers/media.ts';

const t = tempDir('media-streams-');
afterAll(() => t.cleanup());

/** The stream lines FFmpeg's demuxer prints for a file (the bundled static build has no ffprobe). */
function streamLines(path: string): string[] {
  const r = spawnSync(FFMPEG_PATH, ['-hide_banner', '-i', path], { encoding: 'utf8' });
  return r.stderr.split('\n').filter((l) => /^\s*Stream #0:\d/.test(l));
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string } | 'accepted'> {
  try {
    await p;
  } catch (err) {
    return { code: (err as { code?: string }).code ?? 'no code', message: (err as Error).message };
  }
  return 'accepted';
}

describe('streams other than audio and video', () => {
  beforeAll(() => {
    makeVideo(t.file('clip.mp4'), 6, 7);
    // What a phone or camera writes: the same video and audio, plus a timecode track (mov muxer).
    ff(['-i', t.file('clip.mp4'), '-map', '0', '-c', 'copy', '-timecode', '01:00:00:00', t.file('phone.mov')]);
  });

  it('the phone .mov really carries a timecode data stream beside video and audio', () => {
    const lines = streamLines(t.file('phone.mov'));
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => /: Video: h264/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /: Audio: aac/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /: Data: none \(tmcd /.test(l))).toHaveLength(1);
    expect(MEDIA_POLICY.limits.ignoredStreams).toEqual(['data']);
  });

  it('accepts it and fingerprints it as the clip without the timecode track', async () => {
    const info = await probeMedia(t.file('phone.mov'));
    expect(info).toMatchObject({ kind: 'video', container: 'mov', video: { width: 320, height: 240 }, audio: { codec: 'aac' } });
    const phone = await fingerprintMedia(t.file('phone.mov'));
    const plain = await fingerprintMedia(t.file('clip.mp4'));
    expect(phone.audio!.peaks.t.length).toBeGreaterThan(50);
    expect(phone.video!.times.length).toBeGreaterThan(10);
    // Only the audio and video streams are decoded: the same samples and frames, the same bytes.
    expect(serializeFingerprint(phone).equals(serializeFingerprint(plain))).toBe(true);
    const index = new MediaIndex();
    index.add('plain', plain);
    expect(index.query(phone)).toMatchObject([{ assetRef: 'plain', kind: 'video', method: 'frames' }]);
  });

  it('refuses the timecode track when the policy ignores no stream kind', async () => {
    const r = await refusal(probeMedia(t.file('phone.mov'), { limits: { ...MEDIA_POLICY.limits, ignoredStreams: [] } }));
    expect(r).toMatchObject({ code: 'unsupported_streams', message: expect.stringContaining('data: none') });
  });

  it('still refuses subtitles, even beside a timecode track, naming only the subtitle', async () => {
    writeFileSync(t.file('subs.srt'), '1\n00:00:00,000 --> 00:00:01,000\nhello\n');
    const subs = ['-i', t.file('subs.srt'), '-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'mov_text'];
    ff(['-i', t.file('phone.mov'), ...subs, '-timecode', '01:00:00:00', t.file('phone-subs.mov')]);
    const lines = streamLines(t.file('phone-subs.mov'));
    expect(lines.some((l) => /: Data: none \(tmcd /.test(l))).toBe(true);
    expect(lines.some((l) => /: Subtitle: mov_text/.test(l))).toBe(true);
    const r = await refusal(fingerprintMedia(t.file('phone-subs.mov')));
    expect(r).toEqual({ code: 'unsupported_streams', message: 'the file holds streams other than audio and video (subtitle: mov_text)' });
  });

  it('still refuses an attachment (a font in a .mkv)', async () => {
    writeFileSync(t.file('font.ttf'), Buffer.alloc(256, 1));
    ff(['-i', t.file('clip.mp4'), '-c', 'copy', '-attach', t.file('font.ttf'), '-metadata:s:t', 'mimetype=font/ttf', t.file('font.mkv')]);
    expect(streamLines(t.file('font.mkv')).some((l) => /: Attachment: /.test(l))).toBe(true);
    expect(await refusal(probeMedia(t.file('font.mkv')))).toMatchObject({ code: 'unsupported_streams' });
  });
});
