/** The preview paths shared by both transports and the renderer: built and parsed back, and nothing else accepted. */
import { describe, expect, it } from 'vitest';
import { MediaUploadQuery, mediaImagePath, parseMediaImagePath } from '../../shared/media-files.ts';

const sha = 'ab'.repeat(32);

describe('media preview paths', () => {
  it('round-trips every kind of preview request', () => {
    for (const r of [
      { sha, kind: 'strip' as const },
      { sha, kind: 'poster' as const },
      { sha, kind: 'frame' as const, ms: 65_432 },
    ]) {
      expect(parseMediaImagePath(mediaImagePath(r))).toEqual(r);
    }
    expect(mediaImagePath({ sha, kind: 'frame', ms: 1234.6 })).toBe(`/files/media/${sha}/frame-1235.webp`);
  });

  it('refuses paths that are not preview requests', () => {
    for (const p of [
      `/files/media/${sha}/strip.png`,
      `/files/media/${sha.slice(2)}/strip.webp`,
      `/files/media/${sha}/../../etc/passwd`,
      `/files/media/${sha}/frame-.webp`,
      `/files/media/${sha}/frame-999999999.webp`,
      `/files/media/${sha.toUpperCase()}/poster.webp`,
      `/files/image/${sha}.webp`,
    ]) {
      expect(parseMediaImagePath(p)).toBeNull();
    }
  });

  it('requires a file name on uploads', () => {
    expect(MediaUploadQuery.safeParse({ name: '  ' }).success).toBe(false);
    expect(MediaUploadQuery.parse({ name: ' song.flac ' })).toEqual({ name: 'song.flac' });
  });
});
