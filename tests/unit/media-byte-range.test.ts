/**
 * Byte ranges for streamed media: the marketplace's parsing of a Range header against a file's
 * size (server/media-files.ts) and the studio proxy's filter that passes on one range only
 * (electron/main/services/market-media.ts), plus the content type a player gets per container.
 */
import { describe, expect, it } from 'vitest';
import { singleRange } from '../../electron/main/services/market-media.ts';
import { byteRange, mediaContentType } from '../../server/media-files.ts';

describe('byte ranges', () => {
  it('reads first-last, open-ended and suffix ranges, clamped to the file', () => {
    expect(byteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(byteRange('bytes=-10', 1000)).toEqual({ start: 990, end: 999 });
    expect(byteRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
  });

  it('answers the whole file for no range or a form it does not serve, and unsatisfiable past the end', () => {
    expect(byteRange(undefined, 1000)).toBeNull();
    expect(byteRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(byteRange('items=0-1', 1000)).toBeNull();
    expect(byteRange('bytes=-', 1000)).toBeNull();
    expect(byteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(byteRange('bytes=50-10', 1000)).toBe('unsatisfiable');
    expect(byteRange('bytes=-0', 1000)).toBe('unsatisfiable');
  });

  it('passes only a single range through the studio', () => {
    expect(singleRange('bytes=0-')).toBe('bytes=0-');
    expect(singleRange(' bytes=-500 ')).toBe('bytes=-500');
    expect(singleRange('bytes=0-1,4-5')).toBeNull();
    expect(singleRange('bytes=-')).toBeNull();
    expect(singleRange(null)).toBeNull();
  });

  it('names a type per container and kind', () => {
    expect(mediaContentType('mov', 'video')).toBe('video/mp4');
    expect(mediaContentType('mov', 'audio')).toBe('audio/mp4');
    expect(mediaContentType('mp3', 'audio')).toBe('audio/mpeg');
    expect(mediaContentType(null, null)).toBe('application/octet-stream');
  });
});
