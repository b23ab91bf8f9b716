/**
 * A verified region in words and on screen: the kind of copy from its two coverages (the whole, all
 * of it with more around it, pasted into a larger image, a crop, a part), the card's lead reason
 * following the region (never "part of its image" for the whole of it), and the outline drawn on
 * the query clipped to it when the library image's corners fall outside (a rotated copy on a larger
 * canvas, checked against the drawing it came from).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRegion, describeRegionReusedBy } from '../../engine/explain.ts';
import { describeRegion as caption } from '../../renderer/src/components/evidence.tsx';
import { extractLocalFeaturesInThread, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import type { MatchedRegion } from '../../shared/check.ts';
import { stretchOf } from '../../engine/image/local/ransac.ts';
import { strongestReason } from '../../shared/matches.ts';
import { rotate } from '../helpers/image-transforms.ts';
import { matchedRegion } from '../helpers/region.ts';

const A = readFileSync('/usr/share/openclipart/png/animals/mammals/topo_architetto_francesc_01.png');
const LOCAL = 'partial copy (local features, geometrically verified)';

const region = (matchCoverage: number, queryCoverage: number, extra: Partial<MatchedRegion> = {}): MatchedRegion =>
  matchedRegion({ match: { x: 0.1, y: 0.1, w: 0.5, h: 0.5 }, matchCoverage, queryCoverage, ...extra });

afterAll(() => terminateLocalFeaturePool());

describe('a verified region told from the original’s side (the creator’s own later asset reusing it)', () => {
  it('says the later asset was cut from this image, or this image put into it — never “pasted into” this one', () => {
    const inner = region(0.95, 0.3, { query: { x: 0.35, y: 0.3, w: 0.3, h: 0.4 } });
    expect(describeRegion(inner, 'X')).toBe('“X” pasted into a larger image (it fills 30 % of this one)');
    expect(describeRegionReusedBy(inner, 'X')).toBe('“X” is a 30 % crop of the centre of this image');
    expect(describeRegionReusedBy(region(0.95, 0.97), 'X')).toBe('“X” is the whole of this image');
    expect(describeRegionReusedBy(region(0.4, 0.9), 'X')).toBe('this image pasted into “X” (it fills 40 % of it)');
    expect(describeRegionReusedBy(region(0.3, 0.2, { query: { x: 0, y: 0, w: 0.4, h: 0.4 }, mirrored: true }), 'X')).toBe(
      '“X” reuses 20 % of this image (its upper-left), mirrored',
    );
    expect(strongestReason({ copySignals: [LOCAL], layers: {}, region: inner, later: true })).toBe('Its image is cut from this one');
    expect(strongestReason({ copySignals: [LOCAL], layers: {}, region: inner })).toBe('All of its image is used in this one');
  });
});

describe('a verified region in words', () => {
  it('names the kind of copy from both coverages', () => {
    expect(describeRegion(region(0.95, 0.97), 'X')).toBe('the whole of “X”');
    expect(describeRegion(region(0.95, 0.7), 'X')).toBe('all of “X”, with more around it (it makes up 70 % of this image)');
    expect(describeRegion(region(0.95, 0.3), 'X')).toBe('“X” pasted into a larger image (it fills 30 % of this one)');
    expect(describeRegion(region(0.5, 0.95), 'X')).toBe('a 50 % crop of the upper-left of “X”');
    expect(describeRegion(region(0.4, 0.3), 'X')).toBe('40 % of “X” (its upper-left) reused in part of this image');
    // A large crop is placed by the edges it keeps, not by its centre (never far from the frame's):
    // the upper-right 59 % of a drawing, turned 9° (the box of the turned frame, seen in the studio).
    const upperRight = { x: 0.19, y: 0, w: 0.81, h: 0.84 };
    expect(describeRegion(region(0.59, 0.95, { match: upperRight }), 'X')).toBe('a 59 % crop of the upper-right of “X”');
    expect(describeRegion(region(0.6, 0.95, { match: { x: 0, y: 0, w: 1, h: 0.6 } }), 'X')).toBe('a 60 % crop of the top of “X”');
    expect(describeRegion(region(0.7, 0.95, { match: { x: 0.02, y: 0.3, w: 0.8, h: 0.7 } }), 'X')).toBe(
      'a 70 % crop of the lower-left of “X”',
    );
    expect(describeRegion(region(0.5, 0.95, { match: { x: 0.15, y: 0.15, w: 0.7, h: 0.7 } }), 'X')).toBe(
      'a 50 % crop of the centre of “X”',
    );
    // "an" where the number is read with a vowel sound: an 8 %, an 11 %, an 18 %, an 80–89 %.
    expect(describeRegion(region(0.84, 0.95, { match: { x: 0.05, y: 0.05, w: 0.9, h: 0.9 } }), 'X')).toBe(
      'an 84 % crop of the centre of “X”',
    );
    expect(describeRegion(region(0.18, 0.95, { match: { x: 0.3, y: 0.3, w: 0.4, h: 0.45 } }), 'X')).toBe(
      'an 18 % crop of the centre of “X”',
    );
    expect(describeRegionReusedBy(region(0.95, 0.11, { query: { x: 0.35, y: 0.35, w: 0.3, h: 0.37 } }), 'X')).toBe(
      '“X” is an 11 % crop of the centre of this image',
    );
    expect(describeRegion(region(0.95, 0.97, { rotationDeg: -15.4, mirrored: true }), 'X')).toBe('the whole of “X”, rotated 15°, mirrored');
    expect(describeRegion(region(0.95, 0.97, { inverted: true }), 'X')).toBe('the whole of “X”, colours inverted');
    // A bent copy's stretch is the stretch of the part its consensus holds: it is named bent instead.
    expect(describeRegion(region(0.7, 0.95, { rotationDeg: 4, stretch: 1.2, bent: true }), 'X')).toBe(
      'a 70 % crop of the upper-left of “X”, rotated 4°, bent out of shape',
    );
    expect(caption(region(0.7, 0.95, { rotationDeg: 4, stretch: 1.2, bent: true }))).toBe(
      '70% of its image, rotated 4°, bent out of shape, 50 matching keypoints',
    );
    expect(describeRegion(region(0.95, 0.7, { rotationDeg: 11.3, stretch: 1.49 }), 'X')).toBe(
      'all of “X”, with more around it (it makes up 70 % of this image), rotated 11°, stretched or sheared (1.5 : 1)',
    );
  });

  it('measures a map’s stretch by its singular values: 1 for a turn and a scale, the shear’s ratio for a shear', () => {
    const turn = (deg: number, s: number): [number, number, number, number, number, number] => {
      const r = (deg * Math.PI) / 180;
      return [s * Math.cos(r), -s * Math.sin(r), s * Math.sin(r), s * Math.cos(r), 5, 7];
    };
    expect(stretchOf(turn(37, 0.6))).toBeCloseTo(1, 9);
    expect(stretchOf([1, 0, 0, 1, 0, 0])).toBeCloseTo(1, 9);
    // Stretched 2× along x; sheared by 0.4 (y' = y − 0.4 x): singular values 1.22 and 0.82.
    expect(stretchOf([2, 0, 0, 1, 0, 0])).toBeCloseTo(2, 9);
    expect(stretchOf([1, 0, -0.4, 1, 0, 0])).toBeCloseTo(1.49, 2);
    expect(stretchOf([1, 0, 0, 0, 0, 0])).toBe(Number.POSITIVE_INFINITY);
  });

  it('leads the card with the region: the whole image, all of it inside this one, or a part', () => {
    const lead = (r: MatchedRegion) => strongestReason({ copySignals: [LOCAL], layers: {}, region: r });
    expect(lead(region(0.95, 0.97))).toBe('A copy of its image');
    expect(lead(region(0.95, 0.4))).toBe('All of its image is used in this one');
    expect(lead(region(0.5, 0.95))).toBe('Part of its image is copied');
    expect(strongestReason({ copySignals: [LOCAL], layers: {} })).toBe('Part of its image is copied');
  });

  it('clips the outline drawn on the query to it when the library image reaches past its edges', async () => {
    // The library image is the drawing turned 25° on a larger grey canvas; the query is the drawing.
    const turned = await rotate(A, 25, { r: 128, g: 128, b: 128 });
    const m = verify(await extractLocalFeaturesInThread(A), await extractLocalFeaturesInThread(turned, { mirror: false }));
    expect(m).not.toBeNull();
    // A turn is one map: not bent (MatchedRegion.bent).
    expect(m!.region.bent).toBeUndefined();
    const outline = m!.region.outline;
    expect(outline.length).toBeGreaterThanOrEqual(3);
    for (const [x, y] of outline) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(1);
    }
    // The canvas's corners fall outside the drawing, so the clipped outline runs along its edges.
    expect(outline.some(([x, y]) => x === 0 || x === 1 || y === 0 || y === 1)).toBe(true);
  });
});
