// @vitest-environment jsdom
/**
 * Media times in words agree with the player: formatTime (shared/media.ts) rounds down to whole
 * seconds as the browser's player shows its position, and a range's cue button on the review
 * screen (renderer/src/components/market/MediaPlayers.tsx) names the times the players show once
 * it has put them there — never a second later than they show (7.96 s: "0:07", not "0:08").
 */
import { act, createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { MediaPlayers } from '../../renderer/src/components/market/MediaPlayers.tsx';
import { MediaRanges } from '../../renderer/src/components/market/MediaRanges.tsx';
import { formatTime } from '../../shared/media.ts';
import { reactRoot } from '../helpers/react-root.ts';

/** What a media player's own time display shows for a position: whole seconds, rounded down. */
const playerShows = (t: number) => {
  const s = Math.floor(t);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
};

const dom = reactRoot();

describe('media times', () => {
  it('rounds down to whole seconds, as the player does', () => {
    expect(formatTime(7.96)).toBe('0:07');
    expect(formatTime(8)).toBe('0:08');
    expect(formatTime(59.999)).toBe('0:59');
    expect(formatTime(75.4)).toBe('1:15');
    expect(formatTime(3599.5)).toBe('59:59');
    expect(formatTime(3725.9)).toBe('1:02:05');
    expect(formatTime(-0.4)).toBe('0:00');
    for (const t of [0, 0.49, 0.5, 0.99, 1, 7.5, 7.96, 19.999, 61.2, 3600.7, 7322.01]) expect(formatTime(t)).toBe(playerShows(t));
  });

  it('a cue names the times the players show after it was pressed', async () => {
    const ranges = [
      { query: [0.62, 12.4] as [number, number], match: [7.96, 19.74] as [number, number] },
      { query: [30.5, 41.1] as [number, number], match: [59.51, 70.2] as [number, number] },
    ];
    await act(async () =>
      dom.root.render(
        createElement(MediaPlayers, {
          kind: 'audio',
          submitted: { assetId: '11111111-1111-4111-8111-111111111111', version: 1 },
          matched: { assetId: '22222222-2222-4222-8222-222222222222', version: 3 },
          matchName: 'Harbour bells',
          ranges,
        }),
      ),
    );
    const buttons = [...dom.host.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Cue both at 0:00 / 0:07', 'Cue both at 0:30 / 0:59']);
    const [submitted, matched] = [...dom.host.querySelectorAll('audio')] as HTMLAudioElement[];
    for (const b of buttons) {
      await act(async () => b.click());
      expect(b.textContent).toBe(`Cue both at ${playerShows(submitted?.currentTime ?? -1)} / ${playerShows(matched?.currentTime ?? -1)}`);
    }
  });

  it('the ranges in words start where their cue puts the players', async () => {
    const media = {
      kind: 'audio' as const,
      method: 'landmarks' as const,
      score: 0.9,
      votes: 120,
      ranges: [{ query: [0.62, 12.4] as [number, number], match: [7.96, 19.74] as [number, number] }],
      speedRatio: 1,
    };
    await act(async () =>
      dom.root.render(createElement(MediaRanges, { media, matchName: 'Harbour bells', querySeconds: 12.9, matchSeconds: 40.6 })),
    );
    expect(dom.host.textContent).toContain('0:00–0:12 of the submission is 0:07–0:19 of Harbour bells');
    // The durations as the players show them.
    expect(dom.host.textContent).toContain('0:12');
    expect(dom.host.textContent).toContain('0:40');
  });
});
