/**
 * FFmpeg in the packaged app: the executable's path inside the asar archive moves to the unpacked
 * copy electron-builder writes beside it (it cannot be spawned from inside the archive), and
 * electron-builder.yml unpacks the @ffmpeg-installer packages (the bundled binary and its
 * per-platform package) so that copy exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FFMPEG_IN_USE, unpackedFromAsar } from '../../engine/media/ffmpeg.ts';

describe('FFmpeg in the packaged app', () => {
  it('moves a path inside app.asar to app.asar.unpacked, on either separator, and leaves others alone', () => {
    expect(unpackedFromAsar('/opt/Originals/resources/app.asar/node_modules/@ffmpeg-installer/linux-x64/ffmpeg', '/')).toBe(
      '/opt/Originals/resources/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
    );
    expect(
      unpackedFromAsar('C:\\Program Files\\Originals\\resources\\app.asar\\node_modules\\@ffmpeg-installer\\win32-x64\\ffmpeg.exe', '\\'),
    ).toBe('C:\\Program Files\\Originals\\resources\\app.asar.unpacked\\node_modules\\@ffmpeg-installer\\win32-x64\\ffmpeg.exe');
    const dev = '/work/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg';
    expect(unpackedFromAsar(dev, '/')).toBe(dev);
    // An already unpacked path is not moved twice.
    expect(unpackedFromAsar('/r/app.asar.unpacked/x/ffmpeg', '/')).toBe('/r/app.asar.unpacked/x/ffmpeg');
  });

  it('electron-builder unpacks the @ffmpeg-installer packages, and this checkout names the binary it uses', () => {
    const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    const unpack = yml.slice(yml.indexOf('asarUnpack:'), yml.indexOf('\n', yml.indexOf('asarUnpack:') + 400));
    expect(unpack).toMatch(/^\s+- node_modules\/@ffmpeg-installer\/\*\*$/m);
    expect(FFMPEG_IN_USE).toMatch(/^ffmpeg: (env|bundled|system) binary at \S+/);
  });
});
