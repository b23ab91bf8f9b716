// @vitest-environment jsdom
/**
 * The review screen's evidence for a media submission (renderer/src/components/market/review/
 * ReviewEvidence.tsx): a queue item as the API sends it (parsed with the contract's schema) renders
 * a headline counting the matched ranges (not the engine's sentence repeating them), both timelines
 * with the matched ranges in words, and both files as players and a cue per range — in a real
 * React tree (jsdom).
 */
import { act, createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ReviewCard } from '../../renderer/src/components/market/review/ReviewCard.tsx';
import { ReviewEvidence } from '../../renderer/src/components/market/review/ReviewEvidence.tsx';
import { QueueItem } from '../../shared/marketplace.ts';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();
const render = async (it: QueueItem): Promise<string> => {
  await act(async () => dom.root.render(createElement(ReviewEvidence, { item: it })));
  return dom.host.innerHTML;
};

const SUBMITTED = '11111111-1111-4111-8111-111111111111';
const MATCHED = '22222222-2222-4222-8222-222222222222';
const CREATOR = '33333333-3333-4333-8333-333333333333';

function item(details: unknown) {
  return QueueItem.parse({
    id: 7,
    kind: 'submission',
    assetId: SUBMITTED,
    version: 1,
    priority: 0,
    flags: ['flagged_plagiarism'],
    createdAt: '2026-11-23T08:00:00.000Z',
    claimedBy: null,
    claimExpiresAt: null,
    asset: {
      id: SUBMITTED,
      creatorId: CREATOR,
      creatorName: 'Cleo',
      assetType: 'media',
      name: 'Night bells',
      status: 'in_review',
      version: 1,
      publishedVersion: null,
      latestVersion: 1,
      card: { asset_type: 'media', name: 'Night bells', description: 'A loop of bells.', tags: [] },
      imageUrl: null,
      parentAssetId: null,
      priceCents: 499,
      pricingModel: 'one_time',
      billingInterval: null,
      publishedAt: null,
    },
    evidence: [
      {
        matchedAssetId: MATCHED,
        matchedName: 'Harbour bells',
        matchedImageUrl: null,
        matchedVersion: 3,
        combined: 1,
        details,
        mediaSeconds: { query: 15, match: 40 },
      },
    ],
    appealReason: null,
    conflict: null,
  });
}

describe('review evidence for media', () => {
  it('the submitted audio or video asset has no picture: the card says where its players are instead of "No image"', async () => {
    await act(async () => dom.root.render(createElement(ReviewCard, { item: item({ summary: null, signals: [] }) })));
    expect(dom.host.textContent).toContain('Audio or video: players below');
    expect(dom.host.textContent).not.toContain('No image');
  });

  it('an unpriced submission is said to be not for sale until priced (buying it is refused), never free', async () => {
    const unpriced = item({});
    unpriced.asset = { ...unpriced.asset, priceCents: null, pricingModel: null };
    await act(async () => dom.root.render(createElement(ReviewCard, { item: unpriced })));
    expect(dom.host.textContent).toContain('not priced yet (not for sale until its creator prices it)');
    expect(dom.host.textContent).not.toMatch(/free/i);
  });

  it('shows the matched ranges on both timelines, in words, and both files to play', async () => {
    const html = await render(
      item({
        summary: '0:00–0:12 of this track is 0:17–0:29 of “Harbour bells” (re-encoded, 3 % faster)',
        signals: ['media copy (time-aligned fingerprint)'],
        media: [
          {
            kind: 'audio',
            method: 'landmarks',
            score: 0.9,
            votes: 120,
            ranges: [{ query: [0, 12], match: [17, 29] }],
            speedRatio: 1.03,
          },
        ],
      }),
    );
    expect(html).toContain('Uniqueness evidence for Night bells');
    // The audio match has no picture: no grey "No image" box, a pointer to its timelines instead.
    expect(dom.host.textContent).toContain('Audio: timelines below');
    expect(dom.host.textContent).not.toContain('No image');
    // A headline that counts the ranges; which range is which is said once, in the list below it.
    expect(dom.host.querySelector('.match-summary')?.textContent).toBe('1 matched range, 0:12 of the submission in all');
    expect(dom.host.textContent).not.toContain('of this track is');
    // The timelines' text form (what a screen reader reads), naming both files.
    const items = [...dom.host.querySelectorAll('li')].map((li) => li.textContent);
    expect(items.filter((t) => t === '0:00–0:12 of the submission is 0:17–0:29 of Harbour bells')).toHaveLength(1);
    expect(html).toContain('played at 103 % of the original speed');
    expect(html).toMatch(/<svg[^>]*aria-label/);
    expect(dom.host.querySelectorAll('svg').length).toBeGreaterThanOrEqual(1);
    // Both files as players (the submitted version and the matched listing's), and a cue per range.
    const players = [...dom.host.querySelectorAll('audio')].map((a) => a.getAttribute('aria-label'));
    expect(players).toEqual(['Play the submitted file', 'Play Harbour bells']);
    const src = [...dom.host.querySelectorAll('audio')].map((a) => a.getAttribute('src') ?? '');
    expect(src[0]).toContain(SUBMITTED);
    expect(src[1]).toContain(MATCHED);
    expect(dom.host.textContent).toContain('Cue both at 0:00 / 0:17');
  });

  it('says where keyframes verified by local features place a video copy in the picture', async () => {
    const region = {
      query: { x: 0.1, y: 0.4, w: 0.34, h: 0.34 },
      match: { x: 0, y: 0, w: 1, h: 1 },
      outline: [
        [0.44, 0.4],
        [0.1, 0.4],
        [0.1, 0.74],
        [0.44, 0.74],
      ],
      rotationDeg: 0,
      scale: 0.34,
      mirrored: true,
      inliers: 41,
      matchCoverage: 1,
      queryCoverage: 0.12,
    };
    await render(
      item({
        summary: '0:00–0:14 of this video is 0:00–0:14 of “Harbour bells” (mirrored)',
        media: [
          {
            kind: 'video',
            method: 'frames',
            score: 0.6,
            votes: 3,
            ranges: [{ query: [0, 14], match: [0, 14] }],
            speedRatio: 1,
            framePair: { queryT: 6, matchT: 6.4 },
            mirrored: true,
            local: { keyframes: 3, region, queryT: 6, matchT: 6.4 },
          },
        ],
      }),
    );
    expect(dom.host.textContent).toContain(
      'keyframes at 0:06 (submission) and 0:06 (Harbour bells) verified by local features on 3 keyframes: 100% of its image, scaled ×0.34, mirrored, fills 12% of this image, 41 matching keypoints',
    );
  });

  it('marks a match that was a submission waiting for review, and only that one', async () => {
    await render(item({ pending: true, summary: 'the same picture' }));
    expect(dom.host.textContent).toContain('a submission waiting for review, not published');
    await render(item({ summary: 'the same picture' }));
    expect(dom.host.textContent).not.toContain('waiting for review');
  });

  it('says so when nothing similar was found, and draws no timeline', async () => {
    const html = await render({ ...item({}), evidence: [] });
    expect(html).toContain('No similar published assets or submissions in review were found.');
    expect(html).not.toContain('<svg');
  });
});
