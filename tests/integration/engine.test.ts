import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AssetCard, parseAssetCard } from '../../engine/cards.ts';
import type { Match } from '../../shared/check.ts';
import { UniquenessEngine, decideStatus } from '../../engine/library.ts';
import { artwork, transforms } from '../helpers/images.ts';
import { differenceWords, matchTone, strongestReason } from '../../shared/matches.ts';

const card = (raw: unknown): AssetCard => {
  const r = parseAssetCard(raw);
  if (!r.ok) throw new Error(r.message);
  return r.card;
};
const knight = card({
  asset_type: 'character',
  name: 'Ser Aldric the Ashen',
  description:
    'A knight who walked out of a burning chapel with no memory, his armour fused to his skin, hunting the cult that lit the fire.',
  tags: ['knight', 'undead', 'revenge'],
  character: { race: 'Human', class: 'Paladin', personality_traits: ['grim', 'loyal'] },
});
const baker = card({
  asset_type: 'character',
  name: 'Mira Flourhand',
  description: 'A cheerful baker in the capital who bakes bread for the guard, knows every rumour in the market and sings at dawn.',
  tags: ['baker', 'npc', 'friendly'],
});

/** Two sentences (27 words) the passage tests reuse. */
const lore =
  'The ferryman Brannoc has crossed the grey river every night for forty years. He takes no coin from pilgrims, only a story they have never told anyone.';
const brannoc = card({ asset_type: 'character', name: 'Brannoc the Ferryman', description: lore, tags: [] });

function freshEngine(): UniquenessEngine {
  return UniquenessEngine.open({ dbPath: join(mkdtempSync(join(tmpdir(), 'eng-')), 'lib.sqlite') });
}

describe('uniqueness engine', () => {
  it('approves new work, flags another creator’s copy, and tells a creator about their own duplicate', async () => {
    const e = freshEngine();
    const img = await artwork(10);
    await e.index({ id: 'aldric', creatorId: 'alice', card: knight, image: img });
    const fresh = await e.check({ card: baker, image: await artwork(11), creatorId: 'bob' });
    expect(fresh.status).toBe('approved');
    expect(fresh.layers.visual.state).toBe('ran');
    expect(fresh.layers.semantic_image).toEqual({ state: 'unavailable', reason: expect.stringMatching(/weights not installed/) });

    const stolen = await e.check({ card: knight, image: img, creatorId: 'bob' });
    expect(stolen.status).toBe('flagged_plagiarism');
    expect(stolen.matches[0]).toMatchObject({ assetId: 'aldric', creatorId: 'alice', combined: 1 });
    expect(stolen.matches[0]?.copySignals).toEqual(
      expect.arrayContaining(['identical image file', 'identical metadata (same metadata hash)']),
    );

    const mine = await e.check({ card: knight, image: img, creatorId: 'alice' });
    expect(mine.status).toBe('duplicate_self');
    expect(mine.action).toMatch(/Update the existing asset/);
    e.close();
  });

  it('a creator’s later asset reusing an older one leaves the older one original and is itself the duplicate', async () => {
    const e = freshEngine();
    const img = await artwork(40);
    await e.index({ id: 'first', creatorId: 'alice', card: knight, image: img });
    await new Promise((r) => setTimeout(r, 5));
    const crop = await transforms.crop!(img);
    await e.index({ id: 'second', creatorId: 'alice', card: baker, image: crop });
    // Re-checking the older asset (excluding its own row): the newer one is a later reuse of it.
    const older = await e.check({ card: knight, image: img, creatorId: 'alice', excludeId: 'first' });
    expect(older.status).toBe('approved');
    expect(older.matches[0]).toMatchObject({ assetId: 'second', later: true });
    expect(older.reason).toBe('Sufficiently unique from existing assets; your later asset “Mira Flourhand” reuses this one');
    expect(matchTone(older.matches[0] as Match, true)).toBe('later');
    // Told from the older asset's side: the later one was cut from it, not pasted into it.
    expect(older.matches[0]?.summary).toMatch(/^“Mira Flourhand” is an? \d+ % crop of the centre of this image$/);
    expect(strongestReason(older.matches[0] as Match)).toBe('Its image is cut from this one');
    // The newer asset, re-checked, is the duplicate of the older one.
    const newer = await e.check({ card: baker, image: crop, creatorId: 'alice', excludeId: 'second' });
    expect(newer.status).toBe('duplicate_self');
    expect(newer.matches[0]?.later).toBeUndefined();
    // Someone else's image is never excused as "later": it is not their own asset.
    expect((await e.check({ card: baker, image: img, creatorId: 'bob' })).status).toBe('flagged_plagiarism');
    e.close();
  });

  it('puts an identical image file before a reused passage among several copies', async () => {
    const e = freshEngine();
    const apple = await artwork(41);
    await e.index({ id: 'brannoc', creatorId: 'alice', card: brannoc });
    await e.index({
      id: 'apple',
      creatorId: 'alice',
      card: { asset_type: 'item', name: 'Bitten Apple', description: '', tags: [] },
      image: apple,
    });
    const r = await e.check({
      card: { asset_type: 'item', name: 'Ferry Apple', description: `A snack for the crossing. ${lore}`, tags: [] },
      image: apple,
      creatorId: 'alice',
    });
    expect(r.matches.map((m) => m.assetId)).toEqual(['apple', 'brannoc']);
    expect(r.matches[0]?.copySignals).toContain('identical image file');
    // "Bitten Apple" has no description: said so, not "another description".
    expect(r.matches[0]?.differences.fields).toContain('description (none there)');
    expect(differenceWords(r.matches[0] as Match)).toContain('a description (it has none)');
    expect(r.matches[1]?.differences.fields).toContain('description');
    expect(r.matches[1]?.copySignals).toContain('reused passage');
    expect(r.reason).toContain('Bitten Apple');
    e.close();
  });

  it('tells a later asset’s reused passage from the original’s side', async () => {
    const e = freshEngine();
    expect(
      (await e.check({ card: { asset_type: 'item', name: 'First', description: 'A lamp.', tags: [] }, creatorId: 'alice' })).compared,
    ).toBe(0);
    const reuse = { asset_type: 'item' as const, name: 'Ferry Lantern', description: `A battered lantern. ${lore}`, tags: [] };
    await e.index({ id: 'brannoc', creatorId: 'alice', card: brannoc });
    await new Promise((r) => setTimeout(r, 5));
    await e.index({ id: 'lantern', creatorId: 'alice', card: reuse });
    const older = await e.check({ card: brannoc, creatorId: 'alice', excludeId: 'brannoc' });
    expect(older.compared).toBe(1); // its own row left out
    expect(older.matches[0]).toMatchObject({ assetId: 'lantern', later: true });
    expect(older.matches[0]?.summary).toBe(`“Ferry Lantern” reuses 2 sentences (27 words) of this asset’s description`);
    const newer = await e.check({ card: reuse, creatorId: 'alice', excludeId: 'lantern' });
    expect(newer.matches[0]?.summary).toBe(`reuses 2 sentences (27 words) of “Brannoc the Ferryman”’s description`);
    e.close();
  });

  it('catches transformed copies of the image even when the metadata is new', async () => {
    const e = freshEngine();
    const originals = await Promise.all([20, 21, 22, 23].map((s) => artwork(s)));
    for (const [i, img] of originals.entries())
      await e.index({ id: `art${i}`, creatorId: 'alice', card: card({ asset_type: 'item', name: `Relic ${i}` }), image: img });
    for (const [name, t] of Object.entries(transforms)) {
      const copy = await t(originals[2] as Buffer);
      const r = await e.check({ card: baker, image: copy, creatorId: 'bob' });
      expect({ name, status: r.status, top: r.matches[0]?.assetId }).toEqual({ name, status: 'flagged_plagiarism', top: 'art2' });
    }
    const rotated = await e.check({ card: baker, image: await transforms.rot90!(originals[1] as Buffer), creatorId: 'bob' });
    expect(rotated.matches[0]?.differences.transform).toContain('rotated 90°');
    const gray = await e.check({ card: baker, image: await transforms.gray!(originals[1] as Buffer), creatorId: 'bob' });
    expect(gray.matches[0]?.differences.transform).toContain('converted to grayscale');
    const unrelated = await e.check({ card: baker, image: await artwork(99), creatorId: 'bob' });
    expect(unrelated.status).toBe('approved');
    e.close();
  });

  it('catches a copied description with a new image, and reports what changed', async () => {
    const e = freshEngine();
    await e.index({ id: 'aldric', creatorId: 'alice', card: knight, image: await artwork(30) });
    const edited = card({
      ...knight,
      name: 'Sir Aldrich the Burnt',
      description: `Totally new character! ${knight.description.replace('burning', 'blazing')}`,
    });
    const r = await e.check({ card: edited, image: await artwork(31), creatorId: 'bob' });
    expect(r.status).toBe('flagged_plagiarism');
    expect(r.matches[0]?.copySignals).toContain('copied text');
    expect(r.matches[0]?.differences.fields).toEqual(expect.arrayContaining(['name', 'description']));
  });

  it('recognises a CSS module with renamed classes as a copy', async () => {
    const e = freshEngine();
    const mod = (name: string, code: string) => card({ asset_type: 'custom_module', name, description: '', custom_module: { code } });
    await e.index({
      id: 'm1',
      creatorId: 'alice',
      card: mod(
        'Glass panel',
        '.panel{backdrop-filter:blur(8px);border-radius:12px;background:rgba(255,255,255,.2)} .panel h1{font:700 2rem serif;margin:0} .panel .body{padding:1rem;line-height:1.5}',
      ),
    });
    const r = await e.check({
      card: mod(
        'Frosted card',
        '.card .content { line-height: 1.5; padding: 1rem }\n.card { background: rgba(255,255,255,.2); border-radius: 12px; backdrop-filter: blur(8px) }\n.card h1 { margin: 0; font: 700 2rem serif }',
      ),
      creatorId: 'bob',
    });
    expect(r.layers.code.state).toBe('ran');
    expect(r.status).toBe('flagged_plagiarism');
    expect(r.matches[0]?.copySignals).toContain('copied module/template code');
  });

  it('persists, enforces UNIQUE(creator, metadata_hash), removes, and rebuilds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eng-'));
    const path = join(dir, 'lib.sqlite');
    let e = UniquenessEngine.open({ dbPath: path });
    const img = await artwork(40);
    await e.index({ id: 'a', creatorId: 'alice', card: knight, image: img });
    await expect(e.index({ id: 'b', creatorId: 'alice', card: knight })).rejects.toThrow(
      /UNIQUE constraint failed: assets.creator_id, assets.metadata_hash/,
    );
    expect(e.has('b')).toBe(false);
    await e.index({ id: 'c', creatorId: 'carol', card: knight });
    e.close();

    e = UniquenessEngine.open({ dbPath: path });
    expect(e.size).toBe(2);
    expect((await e.check({ card: baker, image: await transforms.hflip!(img), creatorId: 'bob' })).matches[0]?.assetId).toBe('a');
    expect(e.remove('a')).toBe(true);
    expect(e.remove('a')).toBe(false);
    expect((await e.check({ card: baker, image: img, creatorId: 'bob' })).status).toBe('approved');
    e.rebuild();
    expect(e.size).toBe(1);
    expect(e.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(e.db.pragma('foreign_keys', { simple: true })).toBe(1);
    e.close();
  });

  it('excludes the asset itself when re-checking it, and records analyses', async () => {
    const e = freshEngine();
    await e.index({ id: 'aldric', creatorId: 'alice', card: knight });
    const r = await e.check({ card: knight, creatorId: 'alice', excludeId: 'aldric', recordAs: 'aldric' });
    expect(r.status).toBe('approved');
    await e.check({ card: knight, creatorId: 'bob', recordAs: 'query-1' });
    const rows = e.db.prepare('SELECT * FROM similarity_analyses WHERE query_ref = ?').all('query-1') as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ asset_id: 'aldric', status: 'flagged_plagiarism', is_duplicate: 1, is_plagiarism: 1 });
  });
});

describe('decision rules', () => {
  const m = (over: Partial<Match>): Match => ({
    assetId: 'x',
    creatorId: 'alice',
    name: 'X',
    assetType: 'item',
    imageSha: null,
    combined: 0.5,
    metadata: 0.5,
    visualScore: 0.5,
    layers: {},
    copySignals: [],
    differences: { fields: [], transform: [] },
    ...over,
  });

  it('follows the seed thresholds on the combined score', () => {
    expect(decideStatus([m({ combined: 0.96 })], 'bob').status).toBe('flagged_plagiarism');
    expect(decideStatus([m({ combined: 0.96 })], 'alice').status).toBe('duplicate_self');
    expect(decideStatus([m({ combined: 0.9 })], 'bob').status).toBe('derivative_potential');
    expect(decideStatus([m({ combined: 0.9 })], 'alice').status).toBe('approved');
    expect(decideStatus([m({ combined: 0.8 })], 'bob').status).toBe('approved');
    expect(decideStatus([], 'bob').reason).toBe('No similar assets found');
  });

  it('never averages a strong single signal away', () => {
    expect(decideStatus([m({ combined: 0.4, copySignals: ['visual copy'] })], 'bob').status).toBe('flagged_plagiarism');
    expect(decideStatus([m({ combined: 0.3, copySignals: ['copied text'] })], 'alice').status).toBe('duplicate_self');
  });

  it('a derivative signal makes another creator’s match a derivative whatever its combined score, never a copy', () => {
    const reworked = m({
      combined: 0.2,
      derivativeSignals: ['reworks part of its wording (same words in the same order)'],
      summary: 'keeps 7 content words of “X” in the same order, with words changed between them',
    });
    const r = decideStatus([reworked], 'bob');
    expect(r.status).toBe('derivative_potential');
    expect(r.reason).toBe('keeps 7 content words of “X” in the same order, with words changed between them (by another creator)');
    expect(decideStatus([reworked], 'alice').status).toBe('approved'); // one's own series
    expect([matchTone(reworked, false), matchTone(reworked, true)]).toEqual(['derivative', 'similar']);
  });

  it('a remix of a short card’s premise that keeps its first clause is a derivative, end to end', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    const premise = card({
      asset_type: 'quest_hook',
      name: 'The Lantern Ferry',
      description:
        'A ferryman who only crosses the black river when someone lights a green lantern on the far bank, and who never says what he charges.',
      tags: [],
    });
    await engine.index({ id: 'ferry', creatorId: 'alice', card: premise });
    const remix = card({
      asset_type: 'quest_hook',
      name: 'Debts of the crossing',
      description:
        'Tonight the village waits in silence. A ferryman crosses the black river when someone lights a lantern, then he demands payment in names.',
      tags: [],
    });
    const r = await engine.check({ card: remix, creatorId: 'bob' });
    expect(r.status).toBe('derivative_potential');
    expect(r.matches[0]).toMatchObject({ assetId: 'ferry', copySignals: [], derivativeSignals: [expect.stringMatching(/^reworks part/)] });
    expect(r.matches[0]?.passages?.[0]?.text).toBe('crosses the black river when someone lights a');
    expect((await engine.check({ card: remix, creatorId: 'alice' })).status).toBe('approved');
    engine.close();
  });

  it('prefers the other creator when both own and foreign copies match', () => {
    const r = decideStatus(
      [m({ creatorId: 'bob', copySignals: ['visual copy'] }), m({ creatorId: 'alice', copySignals: ['visual copy'], name: 'Theirs' })],
      'bob',
    );
    expect(r.status).toBe('flagged_plagiarism');
    expect(r.reason).toContain('Theirs');
  });
});

describe('vector search', () => {
  it('binary-quantised k-NN with exact re-scoring finds the same neighbours as exact search', async () => {
    const { UNIQUENESS_POLICY } = await import('../../shared/policy/uniqueness.ts');
    const exact = UniquenessEngine.open({ dbPath: ':memory:' });
    const coarse = UniquenessEngine.open({
      dbPath: ':memory:',
      policy: { ...UNIQUENESS_POLICY, semantic: { ...UNIQUENESS_POLICY.semantic, exactSearchMax: 0 } },
    });
    let s = 7;
    const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
    const unit = (v: Float32Array) => v.map((x) => x / Math.hypot(...v));
    const vecs = Array.from({ length: 400 }, () => unit(Float32Array.from({ length: 384 }, rnd)));
    for (const e of [exact, coarse]) {
      for (const [i, v] of vecs.entries()) {
        const fp = await e.fingerprint(card({ asset_type: 'item', name: `n${i}` }));
        e.indexFingerprints(
          { id: `v${i}`, creatorId: 'a', card: card({ asset_type: 'item', name: `n${i}` }) },
          { ...fp, vectors: { bge_text: v } },
        );
      }
    }
    const q = unit(vecs[123]!.map((x) => x + rnd() * 0.02));
    const a = exact.nearestVectors('bge_text', q, 'unknown', 5);
    const b = coarse.nearestVectors('bge_text', q, 'unknown', 5);
    expect(b[0]?.rowid).toBe(a[0]?.rowid);
    expect(b[0]?.cosine).toBeCloseTo(a[0]?.cosine as number, 5);
    expect(a[0]?.cosine).toBeGreaterThan(0.99);
    expect(exact.nearestVectors('bge_text', q, 'other-model-sha', 5)).toEqual([]);
  });
});
