/**
 * A video found through its soundtrack: a clip whose picture is another video's but whose audio is
 * a re-encoded 12-second stretch of an indexed video's soundtrack is flagged by the audio layer
 * (landmarks, no frame pair), with the matched seconds in both files; its picture alone matches
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import { dubVideo, ff, makeVideo, mediaCard, tempDir } from '../helpers/media.ts';

const t = tempDir('media-soundtrack-');
afterAll(() => t.cleanup());

const card = mediaCard;

describe('a video matched through its soundtrack', () => {
  let engine: UniquenessEngine;
  beforeAll(async () => {
    makeVideo(t.file('clip.mp4'), 24, 3);
    // Other pictures (variant 1: another fractal region, the other test pattern, another Game of Life).
    makeVideo(t.file('other.mp4'), 12, 9, '320x240', 1);
    // The other video's picture with 0:06–0:18 of the indexed clip's soundtrack, re-encoded.
    dubVideo(t.file('other.mp4'), t.file('clip.mp4'), t.file('dubbed.mp4'), 6, 12);
    ff(['-i', t.file('dubbed.mp4'), '-an', '-c:v', 'copy', t.file('picture-only.mp4')]);
    engine = UniquenessEngine.open({ dbPath: t.file('lib.sqlite') });
    await engine.indexMedia({
      id: 'clip',
      creatorId: 'alice',
      card: card('Fractal intro', 'An opening sequence.'),
      path: t.file('clip.mp4'),
    });
  }, 60_000);
  afterAll(() => engine.close());

  it('its picture alone matches nothing', async () => {
    const r = await engine.checkMedia({ card: card('Mute', 'Pictures only.'), path: t.file('picture-only.mp4'), creatorId: 'bob' });
    expect(r.layers.media).toEqual({ state: 'ran' });
    expect(r.status).toBe('approved');
    expect(r.matches.filter((m) => m.media?.length)).toEqual([]);
  });

  it('is flagged by the audio layer, with the matched seconds in both files', async () => {
    const r = await engine.checkMedia({ card: card('Dubbed', 'New pictures.'), path: t.file('dubbed.mp4'), creatorId: 'bob' });
    expect(r.status).toBe('flagged_plagiarism');
    const m = r.matches[0]!;
    expect(m.assetId).toBe('clip');
    expect(m.copySignals).toContain('audio copy (aligned fingerprints)');
    expect(m.media).toHaveLength(1);
    const e = m.media![0]!;
    // The indexed item is a video; the evidence is its soundtrack's landmarks, not frames.
    expect(e).toMatchObject({ kind: 'video', method: 'landmarks' });
    expect(e.framePair).toBeUndefined();
    expect(e.local).toBeUndefined();
    expect(e.speedRatio).toBeCloseTo(1, 2);
    const first = e.ranges[0]!;
    const last = e.ranges.at(-1)!;
    expect(first.query[0]).toBeLessThan(1);
    expect(first.match[0]).toBeGreaterThan(5);
    expect(first.match[0]).toBeLessThan(7);
    expect(last.query[1]).toBeGreaterThan(10);
    expect(last.match[1]).toBeGreaterThan(16);
    expect(last.match[1]).toBeLessThan(18.5);
    // Every range is the same stretch shifted by 6 s.
    for (const g of e.ranges) expect(Math.abs(g.match[0] - g.query[0] - 6)).toBeLessThan(0.5);
    expect(m.summary).toMatch(/^0:0\d–0:1\d of this video is 0:0[5-7]–0:1[6-8] of “Fractal intro” \(its soundtrack\)/);
  });
});
