/**
 * The verdict as shown: no "Original · Ready to submit" for blank, refused or unsaved cards, and
 * the layers that ran named when some could not. Check results come from the real engine's
 * decision function over real layer states (no hand-written verdict text).
 */
import { describe, expect, it } from 'vitest';
import { decideStatus } from '../../engine/decision.ts';
import type { CheckResult, LayerName, LayerRun } from '../../shared/check.ts';
import { coverageLine, isBlankCard, verdictOf } from '../../shared/verdict.ts';

const ALL: LayerName[] = ['exact', 'visual', 'local', 'text', 'passage', 'code', 'semantic_image', 'semantic_text', 'media'];
function layers(states: Partial<Record<LayerName, LayerRun['state']>>): CheckResult['layers'] {
  return Object.fromEntries(ALL.map((k) => [k, { state: states[k] ?? 'ran' }])) as CheckResult['layers'];
}
const approved = (l: CheckResult['layers']) => ({ ...decideStatus([], 'me'), layers: l });
const base = { blank: false, saveError: null, checkError: null, unsaved: false };
const readyToSubmit = (v: { title: string; action: string }) => v.title.startsWith('Original') && v.action.startsWith('Ready to submit');

describe('verdictOf', () => {
  it('a saved, filled card with every layer run is Original · Ready to submit', () => {
    const v = verdictOf({ ...base, check: approved(layers({})) });
    expect(v).toMatchObject({ tone: 'approved', title: 'Original', coverage: null });
    expect(readyToSubmit(v)).toBe(true);
  });

  it('never says Ready to submit for a blank, refused, unsaved or failed-to-save card', () => {
    const check = approved(layers({}));
    const cases = [
      verdictOf({ ...base, check, blank: true }),
      verdictOf({ ...base, check, checkError: 'card.character.level: must be at most 20' }),
      verdictOf({ ...base, check, saveError: 'your asset “X” already has exactly this name' }),
      verdictOf({ ...base, check, unsaved: true }),
      verdictOf({ ...base, check: null }),
    ];
    for (const v of cases) expect(readyToSubmit(v)).toBe(false);
    expect(cases[0]).toMatchObject({ tone: 'unchecked', title: 'Nothing to check yet' });
    expect(cases[1]?.reason).toContain('card.character.level');
    expect(cases[2]?.title).toBe('Original · not saved');
    expect(cases[2]?.action).toContain('already has exactly this name');
  });

  it('an approval from a library with nothing else in it says so, not "Original"', () => {
    const v = verdictOf({ ...base, check: { ...approved(layers({})), compared: 0 } });
    expect(v.tone).toBe('approved');
    expect(v.title).toBe('Nothing to compare with yet');
    expect(v.reason).toContain('compared it with nothing');
    expect(v.action).toBe('Ready to submit; the marketplace checks it against its published assets');
    expect(readyToSubmit(v)).toBe(false);
    // One other asset compared: an ordinary verdict.
    expect(verdictOf({ ...base, check: { ...approved(layers({})), compared: 1 } }).title).toBe('Original');
    const noWeights = layers({ semantic_image: 'unavailable', semantic_text: 'unavailable' });
    expect(verdictOf({ ...base, check: { ...approved(noWeights), compared: 0 } }).title).toBe(
      'Nothing to compare with yet · checked by the copy layers only',
    );
  });

  it('says which layers ran when some could not', () => {
    const noWeights = layers({ semantic_image: 'unavailable', semantic_text: 'unavailable', media: 'skipped' });
    expect(coverageLine(noWeights)).toBe('checked by the copy layers only');
    const v = verdictOf({ ...base, check: approved(noWeights) });
    expect(v.title).toBe('Original · checked by the copy layers only');
    expect(v.action).toContain('Models screen');
    const mixed = layers({ semantic_text: 'unavailable', visual: 'unavailable', local: 'skipped' });
    expect(coverageLine(mixed)).toBe(
      'checked by exact copy, text near-copy, reused passages, module structure, image meaning, audio/video copy only',
    );
    expect(coverageLine(layers({ media: 'skipped' }))).toBeNull();
  });
});

describe('isBlankCard', () => {
  const template = { asset_type: 'character', name: 'Untitled character 1', description: '', tags: [] };
  it('a renamed template with emptied fields is blank; any content or an image is not', () => {
    expect(isBlankCard({ ...template, name: 'Ser Aldric', character: { race: '', class: '' } }, template, null)).toBe(true);
    expect(isBlankCard({ ...template, description: '  ' }, template, null)).toBe(true);
    expect(isBlankCard({ ...template, description: 'A knight.' }, template, null)).toBe(false);
    expect(isBlankCard({ ...template, character: { race: 'Elf' } }, template, null)).toBe(false);
    expect(isBlankCard(template, template, 'a'.repeat(64))).toBe(false);
  });
});
