/**
 * Card fields in people's words and the revision compare's model: every leaf of every asset type's
 * card has a name that is not a dotted path; every field that differs is listed as changed (and
 * only those); inside text the differences are whole words, with the rest of the text kept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSET_TYPES } from '../../shared/asset.ts';
import { changedCardFields, fieldLabel, flattenCard } from '../../shared/card-fields.ts';
import { compareCards, wordDiff } from '../../renderer/src/components/revision-diff.ts';

/** One card of each asset type with every field the editor offers filled in. */
const FULL: Record<string, unknown> = {
  name: 'Orrin',
  description: 'A night-watchman.',
  tags: ['harbour', 'night'],
  category: 'npc',
  age_rating: '13+',
  character: {
    race: 'human',
    class: 'watchman',
    level: 3,
    alignment: 'lawful good',
    personality_traits: ['patient'],
    backstory_summary: 'Lit lamps for forty years.',
    equipment: ['oil can'],
    special_abilities: ['night sight'],
  },
  location: { region: 'north', climate: 'cold', notable_features: ['bells'], history: 'Old.' },
  item: { item_type: 'lamp', rarity: 'rare', properties: ['glows'], lore: 'Made of eel oil.' },
  quest_hook: { hook: 'A lamp went out.', objectives: ['relight it'], rewards: ['gold'], level_range: '1-3' },
  room_template: { layout: { width: 4, height: 3 }, modules: [{ kind: 'door', side: 'north' }], customization: { theme: 'stone' } },
  custom_module: { code: '<p class="x">hi</p>', config: { accent: 'red' } },
  media: { type: 'audio', format: 'ogg', size: 1200, sha256: 'a'.repeat(64) },
  visual_generation: {
    model: 'sdxl',
    prompt: 'a lamp',
    negative_prompt: 'blur',
    seed: 7,
    steps: 30,
    guidance_scale: 7.5,
    style_loras: ['ink'],
  },
};

describe('field names', () => {
  it('names every leaf of every asset type’s card in words, never as a path', () => {
    for (const asset_type of ASSET_TYPES) {
      for (const path of Object.keys(flattenCard({ ...FULL, asset_type }))) {
        const label = fieldLabel(path);
        expect(label, path).not.toMatch(/[._]/);
        expect(label, path).toMatch(/^[A-Z]/);
      }
    }
    expect(fieldLabel('character.backstory_summary')).toBe('Backstory');
    expect(fieldLabel('age_rating')).toBe('Age rating');
    expect(fieldLabel('room_template.modules.0.side')).toBe('Modules, item 1, side');
    expect(fieldLabel('room_template.layout.width')).toBe('Layout, width');
    expect(fieldLabel('location.secret_door')).toBe('Location, secret door');
    expect(fieldLabel('image')).toBe('Image');
  });

  it('flattens lists of plain values into one field and walks lists of objects', () => {
    const f = flattenCard(FULL);
    expect(f.tags).toBe('harbour, night');
    expect(f['room_template.modules.0.kind']).toBe('door');
    expect(f['character.level']).toBe('3');
    expect(flattenCard({ tags: [], description: '' })).toEqual({});
  });
});

describe('changed fields', () => {
  it('lists every field that differs, nested ones included, in reading order', () => {
    const b = structuredClone(FULL);
    b.age_rating = '16+';
    (b.character as Record<string, unknown>).level = 4;
    (b.visual_generation as Record<string, unknown>).seed = 8;
    (b.room_template as { modules: Record<string, unknown>[] }).modules[0] = { kind: 'door', side: 'south' };
    delete b.category;
    expect(changedCardFields(FULL, b)).toEqual([
      'category',
      'age_rating',
      'character.level',
      'room_template.modules.0.side',
      'visual_generation.seed',
    ]);
    expect(changedCardFields(FULL, structuredClone(FULL))).toEqual([]);
  });

  it('agrees with the compare: a field is listed as changed exactly when its two sides differ', () => {
    const card = fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 8 }),
        description: fc.string({ maxLength: 30 }),
        tags: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 3 }),
        age_rating: fc.constantFrom('all', '13+', '16+', '18+'),
        character: fc.record({ level: fc.integer({ min: 0, max: 5 }), race: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['name'] },
    );
    fc.assert(
      fc.property(card, card, (a, b) => {
        const rows = compareCards(a, b);
        expect(rows.filter((r) => r.changed).map((r) => r.path)).toEqual(changedCardFields(a, b));
        for (const r of rows) {
          // Each side's runs put back together are that side's text.
          expect(r.old.map((p) => p.text).join('')).toBe(r.before ?? '');
          expect(r.new.map((p) => p.text).join('')).toBe(r.after ?? '');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('word-level differences', () => {
  it('marks only the words that changed, keeping the rest of the text', () => {
    const d = wordDiff('The keeper counted the drowned bells every night.', 'The keeper counted the silver bells every winter night.');
    expect(d.old.filter((p) => p.kind === 'removed').map((p) => p.text)).toEqual(['drowned']);
    expect(d.new.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['silver', 'winter']);
    expect(
      d.old
        .filter((p) => p.kind === 'same')
        .map((p) => p.text)
        .join(''),
    ).toContain('The keeper counted the ');
  });

  it('a field present on one side only is all removed or all added', () => {
    const rows = compareCards({ name: 'A', category: 'npc' }, { name: 'A', age_rating: '18+' });
    expect(rows.map((r) => [r.label, r.changed])).toEqual([
      ['Name', false],
      ['Category', true],
      ['Age rating', true],
    ]);
    expect(rows[1]?.old).toEqual([{ text: 'npc', kind: 'removed' }]);
    expect(rows[2]?.new).toEqual([{ text: '18+', kind: 'added' }]);
  });
});
