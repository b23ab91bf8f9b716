/**
 * Submissions' steps without a server: the pure gates (card schema, media fits the type, parent
 * checks, the verdict gates — a reuse of only part of one's own asset let through as the studio
 * advises, policy ownPartReuse — what holds a version for a human, the stored similarity rows with the
 * policy's duplicate threshold), and the service on fakes: a clean submission stores the listing,
 * version, analysis and review item in one transaction and emits `asset.submitted`; a refused one
 * stores nothing (its image written aside before the compare-and-store step, then dropped); a version while another waits for review is refused before fingerprinting.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { decideStatus } from '../../engine/decision.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { Fingerprinter } from '../../server/services/submissions/fingerprint.ts';
import type { CheckResult, Match } from '../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { ListingsService } from '../../server/services/listings/listings.ts';
import {
  assertMediaFits,
  assertParent,
  parseCard,
  reviewFlags,
  similarityRows,
  verdictGate,
} from '../../server/services/submissions/gates.ts';
import { type SubmissionsRepo, SubmissionsService } from '../../server/services/submissions/submissions.ts';
import { fakeBlobs } from '../helpers/fake-blobs.ts';
import { artwork } from '../helpers/images.ts';
import { FakeMarketplaceStore, fakeDatabase, recordingBus, user } from '../helpers/marketplace-fakes.ts';

const CARD = { asset_type: 'character', name: 'Knight', description: 'A knight in armour', tags: ['knight'] };

function match(over: Partial<Match>): Match {
  return {
    assetId: 'm1',
    name: 'Other knight',
    creatorId: 'other',
    metadata: 0.5,
    visualScore: null,
    combined: 0.5,
    layers: {},
    copySignals: [],
    differences: [],
    ...over,
  } as Match;
}

function check(status: CheckResult['status'], matches: Match[] = []): CheckResult {
  return { status, reason: '', action: '', layers: {}, matches } as unknown as CheckResult;
}

describe('submission gates (pure)', () => {
  it('validates the card and that a media file belongs to a media asset', () => {
    expect(parseCard(CARD).name).toBe('Knight');
    expect(() => parseCard({ asset_type: 'character' })).toThrow(expect.objectContaining({ code: 'invalid_card' }));
    expect(() => assertMediaFits(parseCard(CARD), true)).toThrow(expect.objectContaining({ code: 'invalid_input', status: 400 }));
    expect(() => assertMediaFits(parseCard(CARD), false)).not.toThrow();
  });

  it('a parent must be another creator’s live published asset', () => {
    expect(() => assertParent(undefined, 'me')).toThrow(expect.objectContaining({ code: 'parent_not_found' }));
    expect(() => assertParent({ creator_id: 'x', published_version: null, status: 'in_review' }, 'me')).toThrow(
      expect.objectContaining({ code: 'parent_not_found' }),
    );
    expect(() => assertParent({ creator_id: 'x', published_version: 1, status: 'taken_down' }, 'me')).toThrow(
      expect.objectContaining({ code: 'parent_not_found' }),
    );
    expect(() => assertParent({ creator_id: 'me', published_version: 1, status: 'published' }, 'me')).toThrow(
      expect.objectContaining({ code: 'own_parent' }),
    );
    expect(() => assertParent({ creator_id: 'x', published_version: 1, status: 'published' }, 'me')).not.toThrow();
  });

  it('refuses a copy of one’s own listing, and an undeclared derivative (declaring the parent passes)', () => {
    expect(() => verdictGate(check('duplicate_self', [match({ creatorId: 'me' })]), undefined, 'me')).toThrow(
      expect.objectContaining({ code: 'duplicate_self', status: 409 }),
    );
    expect(() => verdictGate(check('derivative_potential', [match({})]), undefined, 'me')).toThrow(
      expect.objectContaining({ code: 'derivative_potential' }),
    );
    expect(() => verdictGate(check('derivative_potential', [match({})]), 'm1', 'me')).not.toThrow();
    expect(() => verdictGate(check('approved'), undefined, 'me')).not.toThrow();
  });

  it('lets through a reuse of only part of one’s own asset, as the studio advises, unless the policy refuses it', () => {
    const passage = match({ creatorId: 'me', name: 'Bellwater Light', copySignals: ['reused passage'], combined: 0.4 });
    const part = match({
      creatorId: 'me',
      copySignals: ['partial copy (local features, geometrically verified)'],
      region: { matchCoverage: 0.3, queryCoverage: 0.25 },
    } as Partial<Match>);
    const whole = match({ assetId: 'w', creatorId: 'me', name: 'Whole', copySignals: ['perceptual hash'], combined: 0.97 });
    expect(() => verdictGate(check('duplicate_self', [passage]), undefined, 'me')).not.toThrow();
    expect(() => verdictGate(check('duplicate_self', [part]), undefined, 'me')).not.toThrow();
    // One whole copy among the parts refuses it, naming the whole copy.
    expect(() => verdictGate(check('duplicate_self', [passage, whole]), undefined, 'me')).toThrow(
      expect.objectContaining({ code: 'duplicate_self', message: expect.stringContaining("'Whole'") }),
    );
    // A region holding all of the other image is a whole copy, however it was found.
    const all = match({ ...part, region: { matchCoverage: 0.95, queryCoverage: 0.93 } } as Partial<Match>);
    expect(() => verdictGate(check('duplicate_self', [all]), undefined, 'me')).toThrow(expect.objectContaining({ code: 'duplicate_self' }));
    const strict = { ...UNIQUENESS_POLICY, ownPartReuse: 'refuse' };
    expect(() => verdictGate(check('duplicate_self', [passage]), undefined, 'me', strict)).toThrow(
      expect.objectContaining({ code: 'duplicate_self', status: 409 }),
    );
    // The studio's advice follows the same policy.
    expect(decideStatus([passage], 'me').action).toBe(
      'Reusing part of your own “Bellwater Light” is allowed; change it if buyers should see two distinct assets',
    );
    expect(decideStatus([passage], 'me', strict).action).toBe(
      'This marketplace refuses reusing part of your own “Bellwater Light”: change this asset, or update “Bellwater Light” instead',
    );
    expect(decideStatus([passage, whole], 'me').action).toBe('Update the existing asset instead of creating a duplicate');
  });

  it('holds likely plagiarism and blocklist hits for a human, naming what matched', () => {
    const copy = match({ copySignals: ['phash'] });
    expect(reviewFlags(check('flagged_plagiarism', [copy]), [], 'me')).toEqual({
      flagged: true,
      flags: ['possible copy of “Other knight”: phash'],
    });
    expect(reviewFlags(check('approved'), [{ list: 'acme', label: 'Logo', signals: ['sha'] }], 'me').flags).toEqual([
      'matches “Logo” on the acme blocklist: sha',
    ]);
    expect(reviewFlags(check('approved', [copy]), [], 'me')).toEqual({ flagged: false, flags: [] });
  });

  it('a stored match is a copy above the policy’s duplicate threshold or with a copy signal; plagiarism only of another creator', () => {
    const t = UNIQUENESS_POLICY.duplicate;
    const rows = similarityRows(
      check('approved', [
        match({ assetId: 'hi', combined: t + 0.01 }),
        match({ assetId: 'at', combined: t }),
        match({ assetId: 'sig', copySignals: ['ahash'], creatorId: 'me' }),
        match({ assetId: 'parent', combined: 0.9 }),
      ]),
      { userId: 'me', parentId: 'parent', duplicateThreshold: t },
    );
    expect(rows.map((r) => [r.matchedAssetId, r.isDuplicate, r.isPlagiarism, r.isDerivative])).toEqual([
      ['hi', true, true, false],
      ['at', false, false, false],
      ['sig', true, false, false],
      ['parent', false, false, true],
    ]);
    // A marketplace with a stricter policy stores the same match as a copy.
    expect(
      similarityRows(check('approved', [match({ combined: 0.9 })]), { userId: 'me', parentId: undefined, duplicateThreshold: 0.85 })[0]
        ?.isDuplicate,
    ).toBe(true);
  });
});

const engine = UniquenessEngine.open({ dbPath: ':memory:' });
afterAll(() => engine.close());

function world(verdict: CheckResult) {
  const store = new FakeMarketplaceStore();
  const db = fakeDatabase();
  const { bus, seen } = recordingBus();
  const listings = new ListingsService(db, store.listingsRepo(), bus);
  const written: string[] = [];
  const steps: string[] = [];
  const repo: SubmissionsRepo = {
    parentOf: async () => undefined,
    versionMedia: async () => undefined,
    insertVersion: async (_sql, v) => {
      written.push(`version ${v.assetId} v${v.version} ${v.checkStatus}`);
    },
    insertSimilarity: async (_sql, _id, _v, m) => {
      written.push(`similarity ${m.matchedAssetId}`);
    },
    insertDerivation: async () => {
      written.push('derivation');
    },
  };
  const service = new SubmissionsService({
    db,
    repo,
    review: store.reviewRepo(),
    listings,
    fingerprinter: {
      // The real step (the engine's card fingerprints), recorded.
      fingerprint: async (card, image) => {
        steps.push('fingerprint');
        return new Fingerprinter(() => engine).fingerprint(card, image);
      },
    },
    analyser: {
      analyse: async () => {
        steps.push('analyse');
        return verdict;
      },
      modelOf: () => 'unknown',
    },
    blobs: fakeBlobs((step) => steps.push(step)),
    moderation: () => ({
      blocklistHits: async () => [],
      afterSubmission: async () => {
        steps.push('detectors');
      },
    }),
    events: bus,
    uniqueness: UNIQUENESS_POLICY,
  });
  return { store, db, seen, written, steps, service };
}

describe('SubmissionsService (fakes)', () => {
  it('stores a clean submission in one transaction, queues it, emits asset.submitted, then runs the detectors', async () => {
    const w = world(check('approved', [match({})]));
    const r = await w.service.submit(user('me', ['creator']), { card: CARD });
    expect(r).toMatchObject({ version: 1, status: 'in_review', heldForManualReview: false, parentAssetId: null });
    expect(w.db.txCount).toBe(1);
    expect(w.store.asset(r.assetId)).toMatchObject({ status: 'in_review', creatorId: 'me' });
    expect(w.written).toEqual([`version ${r.assetId} v1 approved`, 'similarity m1']);
    expect(w.store.items).toMatchObject([{ asset_id: r.assetId, version: 1, priority: 0, flags: [] }]);
    expect(w.seen).toEqual([
      {
        name: 'asset.submitted',
        event: expect.objectContaining({ assetId: r.assetId, creatorId: 'me', name: 'Knight', heldForManualReview: false }),
      },
    ]);
    expect(w.steps).toEqual(['fingerprint', 'analyse', 'detectors']);
  });

  it('holds likely plagiarism at a higher priority with its flags', async () => {
    const w = world(check('flagged_plagiarism', [match({ copySignals: ['phash'] })]));
    const r = await w.service.submit(user('me', ['creator']), { card: CARD });
    expect(r.heldForManualReview).toBe(true);
    expect(w.store.items[0]).toMatchObject({ priority: 10, flags: ['possible copy of “Other knight”: phash'] });
  });

  it('a refused verdict stores nothing and runs no detector', async () => {
    const w = world(check('duplicate_self', [match({ creatorId: 'me' })]));
    await expect(w.service.submit(user('me', ['creator']), { card: CARD })).rejects.toMatchObject({ code: 'duplicate_self' });
    expect([w.db.txCount, w.written.length, w.store.assets.size, w.seen.length]).toEqual([0, 0, 0, 0]);
    expect(w.steps).toEqual(['fingerprint', 'analyse']);
  });

  it('writes the image aside before the compare-and-store step, stores it with the version, drops it when refused', async () => {
    const image = await artwork(7);
    const ok = world(check('approved'));
    await ok.service.submit(user('me', ['creator']), { card: CARD, image });
    expect(ok.steps).toEqual(['fingerprint', 'stage image', 'analyse', 'commit image', 'discard image', 'detectors']);
    expect(ok.written[0]).toMatch(/^version .* v1 approved$/);
    const refused = world(check('duplicate_self', [match({ creatorId: 'me' })]));
    await expect(refused.service.submit(user('me', ['creator']), { card: CARD, image })).rejects.toMatchObject({ code: 'duplicate_self' });
    expect(refused.steps).toEqual(['fingerprint', 'stage image', 'analyse', 'discard image']);
  });

  it('a new version while another waits for review, or of someone else’s asset, is refused before fingerprinting', async () => {
    const w = world(check('approved'));
    w.store.addAsset({ id: 'a1', creatorId: 'me', status: 'in_review' });
    w.store.addItem({ asset_id: 'a1', version: 1 });
    await expect(w.service.submit(user('me', ['creator']), { card: CARD }, 'a1')).rejects.toMatchObject({ code: 'review_pending' });
    await expect(w.service.submit(user('other', ['creator']), { card: CARD }, 'a1')).rejects.toMatchObject({ status: 403 });
    expect(w.steps).toEqual([]);
  });

  it('a new version of a published listing keeps the asset id and goes to review as version 2', async () => {
    const w = world(check('approved'));
    w.store.addAsset({ id: 'a1', creatorId: 'me', status: 'published', published: 1 });
    const r = await w.service.submit(user('me', ['creator']), { card: CARD }, 'a1');
    expect(r).toMatchObject({ assetId: 'a1', version: 2 });
    expect(w.store.asset('a1')).toMatchObject({ status: 'in_review', latest: 2, published: 1 });
  });
});
