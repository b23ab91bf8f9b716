/**
 * Media evidence in words (engine/explain-media.ts): a resized, re-encoded cut of a video reads as
 * one sentence with its changes in one pair of brackets — never "(resized (320×240 → 256×192))" —
 * and the same change reads well in "What differs" (shared/matches.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeMedia, mediaChanges } from '../../engine/explain-media.ts';
import type { MatchedMedia } from '../../shared/check.ts';
import { differenceWords } from '../../shared/matches.ts';
import type { MediaInfo } from '../../shared/media.ts';

const video = (width: number, height: number, durationSeconds: number, codec: string): MediaInfo => ({
  kind: 'video',
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSeconds,
  bytes: 1_000_000,
  audio: { codec: 'aac', sampleRate: 22_050, channels: 1 },
  video: { codec, width, height, fps: 25 },
});

const cut: MatchedMedia = {
  kind: 'video',
  method: 'frames',
  score: 1,
  votes: 14,
  ranges: [{ query: [0, 6], match: [5, 11] }],
  speedRatio: 1.04,
};

/** The deepest nesting of round brackets in a sentence. */
function depth(s: string): number {
  let d = 0;
  let max = 0;
  for (const c of s) {
    if (c === '(') max = Math.max(max, ++d);
    if (c === ')') d--;
  }
  return max;
}

describe('media evidence in words', () => {
  const stored = video(320, 240, 12, 'mpeg4');
  const query = video(256, 192, 6, 'h264');

  it('names the frame sizes without brackets of their own', () => {
    expect(mediaChanges(cut, query, stored)).toEqual(['re-encoded', 'resized from 320×240 to 256×192', '4 % faster']);
  });

  it('puts the changes in one pair of brackets in the summary', () => {
    const words = describeMedia(cut, 'Fractal dive', query, stored, mediaChanges(cut, query, stored));
    expect(words).toBe('0:00–0:06 of this video is 0:05–0:11 of “Fractal dive” (re-encoded, resized from 320×240 to 256×192, 4 % faster)');
    expect(depth(words)).toBe(1);
  });

  it('says the resize in "What differs" after the noun', () => {
    const words = differenceWords({
      differences: { fields: ['name'], transform: mediaChanges(cut, query, stored) },
      layers: {},
      media: [cut],
    });
    expect(words).toEqual([
      'video saved again in another format',
      'video resized from 320×240 to 256×192',
      'video 4 % faster',
      'another name',
    ]);
  });
});
