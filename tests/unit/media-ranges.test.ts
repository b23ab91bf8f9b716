/**
 * The review screen's media timelines (renderer/src/components/market/MediaRanges.tsx): ranges
 * placed on each file's own duration, durations the server did not know taken from the ranges, the
 * frame-pair marker, the text form read by screen readers, and the review screen's headline (how
 * many ranges, how long in all) — rendered with react-dom/server.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MediaRanges, mediaHeadline, rangeSentences, timelineLayout } from '../../renderer/src/components/market/MediaRanges.tsx';
import { formatTime } from '../../shared/media.ts';

const audio = {
  kind: 'audio' as const,
  method: 'landmarks' as const,
  score: 0.9,
  votes: 120,
  ranges: [{ query: [0, 12] as [number, number], match: [17, 29] as [number, number] }],
  speedRatio: 1.03,
};

describe('media timelines', () => {
  it('places each range on its own file’s duration', () => {
    const l = timelineLayout(audio, 12, 40);
    expect(l.bands).toEqual([{ query: [0, 1], match: [17 / 40, 29 / 40] }]);
    expect(l.frame).toBeNull();
  });

  it('falls back to the ranges when a duration is unknown, never drawing past the bar', () => {
    const l = timelineLayout({ ...audio, framePair: { queryT: 3, matchT: 20 } }, null, 10);
    expect(l.querySeconds).toBe(12);
    expect(l.matchSeconds).toBe(29);
    expect(Math.max(...l.bands.flatMap((b) => [...b.query, ...b.match]))).toBeLessThanOrEqual(1);
    expect(l.frame).toEqual({ query: 3 / 12, match: 20 / 29 });
  });

  it('says the same in words: ranges, speed and frame pair', () => {
    expect(formatTime(3725)).toBe('1:02:05');
    const s = rangeSentences(
      { ...audio, kind: 'video', method: 'frames', framePair: { queryT: 2, matchT: 19 }, mirrored: true },
      'Harbour',
    );
    expect(s).toEqual([
      '0:00–0:12 of the submission is 0:17–0:29 of Harbour',
      'played at 103 % of the original speed',
      'matching frames at 0:02 (submission) and 0:19 (Harbour)',
      'the picture is mirrored',
    ]);
  });

  it('names a time-stretch (pitch kept) and a pitch shift (tempo kept)', () => {
    expect(rangeSentences({ ...audio, speedRatio: 1.06, pitchRatio: 1 }, 'Harbour')).toContain(
      'played at 106 % of the original speed, pitch kept',
    );
    const shifted = rangeSentences({ ...audio, speedRatio: 1, pitchRatio: 1.122 }, 'Harbour');
    expect(shifted).toContain('pitch shifted to 112.2 % of the original');
    expect(shifted.some((x) => x.includes('speed'))).toBe(false);
  });

  it('renders an SVG labelled with the evidence and a list for screen readers', () => {
    const html = renderToStaticMarkup(
      createElement(MediaRanges, { media: audio, matchName: 'Harbour', querySeconds: 12, matchSeconds: 40 }),
    );
    expect(html).toContain('role="img"');
    expect(html).toContain(
      'aria-label="Matched audio: 0:00–0:12 of the submission is 0:17–0:29 of Harbour; played at 103 % of the original speed"',
    );
    expect((html.match(/<polygon/g) ?? []).length).toBe(1);
    expect(html).toContain('<li>0:00–0:12 of the submission is 0:17–0:29 of Harbour</li>');
  });

  it('heads the evidence with how many ranges matched and how long they are together', () => {
    expect(mediaHeadline([audio])).toBe('1 matched range, 0:12 of the submission in all');
    // The soundtrack and the frames of one video both matched 0:05–0:20: those seconds count once.
    const soundtrack = {
      ...audio,
      kind: 'video' as const,
      ranges: [{ query: [5, 20] as [number, number], match: [0, 15] as [number, number] }],
    };
    const frames = {
      ...audio,
      kind: 'video' as const,
      method: 'frames' as const,
      ranges: [
        { query: [10, 20] as [number, number], match: [5, 15] as [number, number] },
        { query: [60, 75.9] as [number, number], match: [30, 45.9] as [number, number] },
      ],
    };
    expect(mediaHeadline([soundtrack, frames])).toBe('3 matched ranges, 0:30 of the submission in all');
  });
});
