/**
 * Match cards as people read them (shared/matches.ts) over matches the real engine returns: one
 * card per asset (a local asset and its marketplace copy are one), each led by its own verdict and
 * strongest reason, creators by name never by id, differences in words with no invented transform.
 */
import { describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import type { AssetCard } from '../../shared/asset.ts';
import type { Match } from '../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import {
  creatorLine,
  differenceWords,
  fieldWords,
  groupMatches,
  isCopy,
  matchTone,
  regionExtent,
  otherReasons,
  rankedSignals,
  strongestReason,
} from '../../shared/matches.ts';

const original: AssetCard = {
  asset_type: 'character',
  name: 'Marrow the Lantern-Keeper',
  description:
    'An old gravedigger who keeps a lantern lit for every soul buried in the hill cemetery, and who swears the flames lean toward whoever will die next.',
  tags: ['gravedigger', 'lantern', 'omen'],
};
const copy: AssetCard = { ...original, name: 'Marrow, Keeper of Lanterns', tags: ['omen', 'lantern', 'gravedigger'] };
const other: AssetCard = {
  asset_type: 'item',
  name: 'Salt-Glass Compass',
  description: 'A compass of fused sea salt whose needle points toward the nearest lie told aloud within a mile of it.',
  tags: ['compass', 'salt'],
};

async function checkCopy(): Promise<Match[]> {
  const e = UniquenessEngine.open({ dbPath: ':memory:' });
  await e.index({ id: 'local-orig', creatorId: 'me', card: original });
  await e.index({ id: 'mp:11111111-1111-4111-8111-111111111111', creatorId: 'mp:me', card: original, source: 'marketplace' });
  await e.index({ id: 'mp:22222222-2222-4222-8222-222222222222', creatorId: 'mp:ada', card: other, source: 'marketplace' });
  const r = await e.check({ card: copy, creatorId: 'me', selfCreatorIds: ['mp:me'] });
  e.close();
  return r.matches;
}

describe('groupMatches', () => {
  it('makes the local asset and the marketplace copy of its listing one match, keeping the strongest evidence', async () => {
    const matches = await checkCopy();
    const ids = matches.map((m) => m.assetId);
    expect(ids).toContain('local-orig');
    expect(ids).toContain('mp:11111111-1111-4111-8111-111111111111');
    const grouped = groupMatches(matches, [{ localId: 'local-orig', remoteId: '11111111-1111-4111-8111-111111111111' }]);
    const same = grouped.filter((m) => m.localId === 'local-orig' || m.listingId === '11111111-1111-4111-8111-111111111111');
    expect(same).toHaveLength(1);
    expect(same[0]).toMatchObject({ assetId: 'local-orig', localId: 'local-orig', listingId: '11111111-1111-4111-8111-111111111111' });
    const strongest = Math.max(...matches.filter((m) => m.name === original.name).map((m) => m.combined));
    expect(same[0]?.combined).toBe(strongest);
    expect(grouped.length).toBe(matches.length - 1);
  });

  it('leaves matches without a listing link as they are, a marketplace-only match with its listing id and no local copy', async () => {
    const matches = await checkCopy();
    const grouped = groupMatches(matches, []);
    expect(grouped).toHaveLength(matches.length);
    const mp = grouped.find((m) => m.assetId === 'mp:11111111-1111-4111-8111-111111111111');
    expect(mp).toMatchObject({ listingId: '11111111-1111-4111-8111-111111111111', localId: null });
    expect(grouped.find((m) => m.assetId === 'local-orig')).toMatchObject({ listingId: null, localId: 'local-orig' });
  });
});

describe('match verdict and reasons', () => {
  it('a copy by another creator is a likely copy, by you a duplicate, led by its strongest signal', async () => {
    const [m] = await checkCopy();
    expect(m?.copySignals.length).toBeGreaterThan(0);
    expect(matchTone(m as Match, false)).toBe('copy');
    expect(matchTone(m as Match, true)).toBe('duplicate');
    expect(strongestReason(m as Match)).toBe('Its text, copied');
  });

  it('orders signals by strength: an identical file before a visual copy before copied text', () => {
    expect(rankedSignals(['copied text', 'visual copy', 'identical image file'])).toEqual([
      'identical image file',
      'visual copy',
      'copied text',
    ]);
    expect(otherReasons(['copied text', 'identical image file'])).toEqual(['Its text, copied']);
  });

  it('without a copy signal: derivative above the policy threshold (others only), else similar, led by the most alike layer', () => {
    expect(matchTone({ copySignals: [], combined: 0.9 }, false)).toBe('derivative');
    expect(matchTone({ copySignals: [], combined: 0.9 }, true)).toBe('similar');
    expect(matchTone({ copySignals: [], combined: 0.2 }, false)).toBe('similar');
    expect(strongestReason({ copySignals: [], layers: { text: 0.31, visual: 0.62 } })).toBe('Its image is 62% alike');
  });

  it('a derivative signal (a short card’s wording kept in order) makes another creator’s match a derivative and says why', () => {
    const m = {
      copySignals: [],
      combined: 0.2,
      layers: { passage: 0.2 },
      derivativeSignals: ['reworks part of its wording (same words in the same order)'],
    };
    expect([matchTone(m, false), matchTone(m, true)]).toEqual(['derivative', 'similar']);
    expect(strongestReason(m)).toBe('Part of its wording, reworked');
  });

  it('a copy is a copy signal or combined above the given duplicate threshold, the same predicate everywhere', () => {
    expect(isCopy({ copySignals: ['reused passage'], combined: 0.1 })).toBe(true);
    expect(isCopy({ copySignals: [], combined: UNIQUENESS_POLICY.duplicate + 0.01 })).toBe(true);
    expect(isCopy({ copySignals: [], combined: UNIQUENESS_POLICY.duplicate })).toBe(false);
    expect(isCopy({ copySignals: [], combined: 0.9 }, 0.8)).toBe(true);
  });

  it('region words follow the policy thresholds: all of the other image, all or most of this one', () => {
    const { whole, fills } = UNIQUENESS_POLICY.region;
    expect(regionExtent({ matchCoverage: whole, queryCoverage: whole })).toEqual({ whole: true, all: true, fills: true });
    expect(regionExtent({ matchCoverage: whole, queryCoverage: fills })).toEqual({ whole: true, all: false, fills: true });
    expect(regionExtent({ matchCoverage: whole - 0.01, queryCoverage: fills - 0.01 })).toEqual({ whole: false, all: false, fills: false });
    const strict = { ...UNIQUENESS_POLICY, region: { ...UNIQUENESS_POLICY.region, whole: 0.95, fills: 0.6 } };
    expect(regionExtent({ matchCoverage: 0.9, queryCoverage: 0.9 }, strict).whole).toBe(false);
    const region = { matchCoverage: 0.9, queryCoverage: 0.4, inliers: 30 } as Match['region'];
    expect(strongestReason({ copySignals: ['partial copy (local features, geometrically verified)'], layers: {}, region })).toBe(
      'All of its image is used in this one',
    );
  });
});

describe('creatorLine', () => {
  it('names the other creator by display name, never by id, and says where yours is', () => {
    expect(creatorLine({ creatorName: 'Ada Lovelace', listingId: 'x', localId: null }, false)).toBe('by Ada Lovelace');
    expect(creatorLine({ creatorName: null, listingId: 'x', localId: null }, false)).toBe('by another creator on the marketplace');
    expect(creatorLine({ creatorName: null, listingId: 'x', localId: 'l' }, true)).toBe(
      'yours, in your library and submitted to the marketplace',
    );
    expect(creatorLine({ creatorName: null, listingId: null, localId: 'l' }, true)).toBe('yours, in your library');
  });
});

describe('differenceWords', () => {
  it('words the changed fields of a real match, never internal field names', async () => {
    const [m] = await checkCopy();
    const words = differenceWords(m as Match);
    expect(words).toEqual(['another name', 'the same tags in another order']);
    for (const w of words) expect(w).not.toMatch(/_|\(order only\)/);
  });

  it('names type-specific fields in words', () => {
    expect(fieldWords('quest_hook')).toBe('another quest hook');
    expect(fieldWords('custom_module')).toBe('other module code');
    expect(fieldWords('character.stats.hp')).toBe('another character stats hp');
  });

  it('shows no transform for an identical file, only "saved again" for identical pixels', () => {
    const base = { media: undefined, differences: { fields: [], transform: ['re-encoded (same pixels)', 'mirrored'] } };
    expect(differenceWords({ ...base, layers: { exact: { bytes: true, pixels: true, metadata: false } } })).toEqual([]);
    expect(differenceWords({ ...base, layers: { exact: { bytes: false, pixels: true, metadata: false } } })).toEqual([
      'image saved again in another format (same pixels)',
    ]);
    expect(differenceWords({ ...base, layers: { visual: 0.9 } })).toEqual([
      'image saved again in another format (same pixels)',
      'image mirrored',
    ]);
  });

  it('says a re-encoded track was saved again without calling it pixels', () => {
    const media = [{ kind: 'audio' }] as unknown as Parameters<typeof differenceWords>[0]['media'];
    expect(differenceWords({ media, layers: { media: 0.97 }, differences: { fields: ['name'], transform: ['re-encoded'] } })).toEqual([
      'audio saved again in another format',
      'another name',
    ]);
  });
});
