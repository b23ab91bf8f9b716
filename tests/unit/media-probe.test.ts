import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../engine/media/decode.ts';
import { FFMPEG_IN_USE, runningProcesses } from '../../engine/media/ffmpeg.ts';
import { fingerprintMedia } from '../../engine/media/fingerprint.ts';
import { MediaIndex } from '../../engine/media/index.ts';
import { parseProbe, probeMedia } from '../../engine/media/probe.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { ff, makeMelody, makeVideo, tempDir } from '../helpers/media.ts';

const t = tempDir('media-probe-');
afterAll(() => t.cleanup());

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? `no code: ${(err as Error).message}`;
  }
  return 'accepted';
}

describe('probe and decode', () => {
  beforeAll(() => {
    makeMelody(t.file('ok.wav'), 1, 4);
    makeVideo(t.file('ok.mp4'), 3);
  });

  it('cancels a decode by killing FFmpeg', async () => {
    makeMelody(t.file('cancel.flac'), 4, 20);
    const info = await probeMedia(t.file('cancel.flac'));
    const ctl = new AbortController();
    let signal: Promise<NodeJS.Signals | null> | null = null;
    const decoding = decodeAudio(t.file('cancel.flac'), info, {
      signal: ctl.signal,
      onSpawn: (c: ChildProcess) => {
        signal = new Promise((resolve) => c.on('exit', (_code, sig) => resolve(sig)));
        ctl.abort();
      },
    });
    expect(await refusal(decoding)).toBe('cancelled');
    expect(await signal).toBe('SIGKILL');
    expect(runningProcesses()).toBe(0);
  });

  it('names the FFmpeg binary in use', () => {
    expect(FFMPEG_IN_USE).toMatch(/^ffmpeg: (bundled|system|env) binary at \//);
  });

  it('reads duration, streams and geometry from the header', async () => {
    const a = await probeMedia(t.file('ok.wav'));
    expect(a).toMatchObject({ kind: 'audio', container: 'wav', audio: { sampleRate: 22050, channels: 1 }, video: null });
    expect(a.durationSeconds).toBeCloseTo(4, 1);
    const v = await probeMedia(t.file('ok.mp4'));
    expect(v).toMatchObject({ kind: 'video', container: 'mov', video: { width: 320, height: 240, fps: 25 } });
    const pcm = await decodeAudio(t.file('ok.wav'), a);
    expect(pcm.length / 11025).toBeCloseTo(4, 1);
  });

  it('parses an FFmpeg header block', () => {
    const p = parseProbe(
      "Input #0, matroska,webm, from 'x.mkv':\n  Duration: 01:02:03.50, start: 0.000000\n    Stream #0:0: Video: vp9, yuv420p, 7680x4320, 30 fps\n    Stream #0:1(eng): Subtitle: subrip\n",
    );
    expect(p).toEqual({
      container: 'matroska',
      durationSeconds: 3723.5,
      streams: [
        { type: 'Video', codec: 'vp9', line: 'Stream #0:0: Video: vp9, yuv420p, 7680x4320, 30 fps', rotation: 0 },
        { type: 'Subtitle', codec: 'subrip', line: 'Stream #0:1(eng): Subtitle: subrip', rotation: 0 },
      ],
    });
  });

  it('reads a phone video’s rotation, and gives the frame size upright as decoders see it', async () => {
    // FFmpeg 4 prints a rotate tag, FFmpeg 5 a display matrix; either turns the picture.
    const block = (extra: string) =>
      parseProbe(
        `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'p.mp4':\n  Duration: 00:00:03.00, start: 0.000000\n    Stream #0:0(und): Video: h264, yuv420p, 320x240, 25 fps\n${extra}    Stream #0:1(und): Audio: aac, 44100 Hz, stereo\n`,
      ).streams.map((s) => s.rotation);
    expect(block('    Metadata:\n      rotate          : 90\n')).toEqual([90, 0]);
    expect(block('    Side data:\n      displaymatrix: rotation of -90.00 degrees\n')).toEqual([-90, 0]);
    ff(['-f', 'lavfi', '-i', 'testsrc=s=320x240:r=25', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', t.file('flat.mp4')]);
    ff(['-i', t.file('flat.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', t.file('portrait.mp4')]);
    expect((await probeMedia(t.file('portrait.mp4'))).video).toMatchObject({ width: 240, height: 320 });
    // The keyframes are decoded upright, at the working size of that shape.
    const fp = await fingerprintMedia(t.file('portrait.mp4'));
    expect(fp.video?.keyframes?.sets[0]).toMatchObject({ width: 360, height: 480 });
  });

  it('refuses a 10-hour silent file from the header alone, before decoding', async () => {
    // Two seconds of silence whose FLAC STREAMINFO says 10 hours (36-bit total-samples field): 9 KB
    // on disk, made in milliseconds, and exactly what a probe must catch before any decoding.
    ff(['-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '2', '-c:a', 'flac', t.file('two.flac')]);
    const flac = readFileSync(t.file('two.flac'));
    expect(flac.subarray(0, 4).toString('latin1')).toBe('fLaC');
    const field = flac.readBigUInt64BE(18); // sample rate (20 bits), channels, bits, total samples (36 bits)
    flac.writeBigUInt64BE((field & ~((1n << 36n) - 1n)) | BigInt(8000 * 36000), 18);
    writeFileSync(t.file('ten-hours.flac'), flac);
    expect(
      (await probeMedia(t.file('ten-hours.flac'), { limits: { ...MEDIA_POLICY.limits, maxAudioSeconds: 36001 } })).durationSeconds,
    ).toBe(36000);
    const started = Date.now();
    expect(await refusal(fingerprintMedia(t.file('ten-hours.flac')))).toBe('too_long');
    // Decoding 10 hours would take far longer than reading a header.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an 8K frame', async () => {
    ff(['-f', 'lavfi', '-i', 'color=c=gray:s=7680x4320:r=1', '-frames:v', '1', '-c:v', 'mjpeg', t.file('8k.mov')]);
    expect(await refusal(probeMedia(t.file('8k.mov')))).toBe('too_many_pixels');
  });

  it('refuses a frame rate above the limit and a file shorter than the minimum, from the header', async () => {
    ff([
      '-f',
      'lavfi',
      '-i',
      `testsrc=s=64x48:r=${MEDIA_POLICY.limits.maxFps * 2}`,
      '-t',
      '2',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      t.file('fast.mp4'),
    ]);
    expect(await refusal(probeMedia(t.file('fast.mp4')))).toBe('frame_rate_too_high');
    makeMelody(t.file('blip.wav'), 2, MEDIA_POLICY.limits.minSeconds / 4);
    expect(await refusal(probeMedia(t.file('blip.wav')))).toBe('too_short');
  });

  it('refuses files that are not media, in any disguise', async () => {
    // A zip archive renamed .mp4.
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'binary'), Buffer.alloc(2000, 7)]);
    writeFileSync(t.file('archive.mp4'), zip);
    expect(['not_media', 'unsupported_container']).toContain(await refusal(probeMedia(t.file('archive.mp4'))));
    // Random bytes named .mp3.
    writeFileSync(t.file('noise.mp3'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 251)));
    expect(['not_media', 'unsupported_container', 'corrupt_media']).toContain(await refusal(fingerprintMedia(t.file('noise.mp3'))));
    // Plain text (FFmpeg would render it as an ANSI "video").
    writeFileSync(t.file('notes.webm'), 'just some text\n'.repeat(50));
    expect(['not_media', 'unsupported_container']).toContain(await refusal(probeMedia(t.file('notes.webm'))));
    writeFileSync(t.file('notes.txt'), 'just some text\n'.repeat(50));
    expect(await refusal(probeMedia(t.file('notes.txt')))).toBe('unsupported_container');
    // A playlist pointing elsewhere: FFmpeg may only open the file itself.
    writeFileSync(t.file('list.mp4'), '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n');
    expect(['not_media', 'unsupported_container']).toContain(await refusal(probeMedia(t.file('list.mp4'))));
    writeFileSync(t.file('empty.wav'), '');
    expect(await refusal(probeMedia(t.file('empty.wav')))).toBe('empty_file');
  });

  it('goes by content, not by extension', async () => {
    makeMelody(t.file('really-wav.mp4'), 2, 3, ['-f', 'wav']);
    const info = await probeMedia(t.file('really-wav.mp4'));
    expect(info).toMatchObject({ kind: 'audio', container: 'wav' });
  });

  it('refuses streams other than audio and video', async () => {
    writeFileSync(t.file('subs.srt'), '1\n00:00:00,000 --> 00:00:01,000\nhello\n');
    ff(['-i', t.file('ok.mp4'), '-i', t.file('subs.srt'), '-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'mov_text', t.file('subs.mp4')]);
    expect(await refusal(probeMedia(t.file('subs.mp4')))).toBe('unsupported_streams');
  });

  it('reports a truncated or corrupt file as one clear error, storing nothing', async () => {
    makeMelody(t.file('long.wav'), 3, 8);
    const whole = readFileSync(t.file('long.wav'));
    // WAV whose header promises 8 s but only 2 s of samples remain.
    writeFileSync(t.file('cut.wav'), whole.subarray(0, 44 + 22050 * 2 * 2));
    const index = new MediaIndex();
    const added = fingerprintMedia(t.file('cut.wav')).then((fp) => index.add('cut', fp));
    expect(['truncated_media', 'corrupt_media']).toContain(await refusal(added));
    expect(index.size).toBe(0);
    // An MP4 cut before its index (index at the end): nothing readable.
    const mp4 = readFileSync(t.file('ok.mp4'));
    writeFileSync(t.file('cut.mp4'), mp4.subarray(0, Math.floor(mp4.length / 2)));
    expect(await refusal(fingerprintMedia(t.file('cut.mp4')))).toBe('not_media');
    // An MP4 with its index first, cut in half: the header is fine, the data stops early.
    ff(['-i', t.file('ok.mp4'), '-c', 'copy', '-movflags', '+faststart', t.file('fast.mp4')]);
    const fast = readFileSync(t.file('fast.mp4'));
    writeFileSync(t.file('fastcut.mp4'), fast.subarray(0, Math.floor(fast.length / 2)));
    expect(['truncated_media', 'corrupt_media']).toContain(await refusal(fingerprintMedia(t.file('fastcut.mp4'))));
    // The same MP4 with its header intact and the middle of its data overwritten with garbage.
    const bad = Buffer.from(fast);
    for (let i = Math.floor(bad.length * 0.3); i < Math.floor(bad.length * 0.7); i++) bad[i] = (i * 7919) & 0xff;
    writeFileSync(t.file('garbage.mp4'), bad);
    expect(['truncated_media', 'corrupt_media']).toContain(await refusal(fingerprintMedia(t.file('garbage.mp4'))));
  });
});
