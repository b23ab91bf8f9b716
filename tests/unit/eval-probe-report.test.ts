/**
 * How the probes judge a check (scripts/eval/probe-report.ts judge): a copy is found when its
 * library image is among the matches with a copy signal, and what its region was named (bent,
 * stretched, mirrored, inverted, embossed) is kept for the report; an unrelated item flagged is
 * explained by the label audit or not. Plain data, no engine.
 */
import { describe, expect, it } from 'vitest';
import { judge, regionNames } from '../../scripts/eval/probe-report.ts';
import { matchedRegion as region } from '../helpers/region.ts';

const LOCAL = ['partial copy (local features, geometrically verified)'];
const none = () => null;

describe('the probe’s judgement of a check', () => {
  it('names what a region carries, in a fixed order', () => {
    expect(regionNames(undefined)).toEqual([]);
    expect(regionNames(region())).toEqual([]);
    expect(regionNames(region({ mirrored: true, bent: true, stretch: 1.4 }))).toEqual(['bent', 'stretched', 'mirrored']);
    expect(regionNames(region({ inverted: true, embossed: true }))).toEqual(['inverted', 'embossed']);
  });

  it('keeps the names of the wanted match’s region, not the top match’s', () => {
    const res = {
      status: 'flagged_plagiarism',
      matches: [
        { assetId: 'img0002', copySignals: LOCAL, region: region({ mirrored: true }) },
        { assetId: 'img0001', copySignals: LOCAL, region: region({ bent: true }) },
      ],
    };
    expect(judge(res, 'img0001', 'a.png', [], () => 'b.png', none)).toEqual({ flagged: true, hit: true, top: 'img0002', named: ['bent'] });
    // Found without a copy signal is not found; nothing is named.
    const weak = { status: 'flagged_plagiarism', matches: [{ assetId: 'img0001', copySignals: [], region: region({ bent: true }) }] };
    expect(judge(weak, 'img0001', 'a.png', [], () => 'b.png', none)).toEqual({ flagged: true, hit: false, top: 'img0001' });
  });

  it('explains a flagged unrelated item by the audit, through its own source or a filler', () => {
    const res = { status: 'flagged_plagiarism', matches: [{ assetId: 'img0003', copySignals: LOCAL }] };
    const audit = (held: string, top: string) => (held === 'f.png' && top === 't.png' ? 'one pictogram' : null);
    const steps = [{ name: 'collage', params: { fillers: 'e.png|f.png' } }];
    expect(judge(res, null, 'u.png', steps, () => 't.png', audit).audited).toBe('one pictogram');
    expect(judge(res, null, 'u.png', [], () => 't.png', audit).audited).toBeNull();
    expect(judge({ status: 'approved', matches: [] }, null, 'u.png', [], () => 't.png', audit)).toEqual({
      flagged: false,
      hit: false,
      top: null,
    });
  });
});
