// @vitest-environment jsdom
/**
 * Long text in the editor: every text field takes its limit from the card schema (shared/asset.ts,
 * AssetCard) as `maxLength`, with a counter once the text nears it; and a card holding more than
 * the schema allows (a huge paste, an imported card) is refused by the editor itself — the check
 * is never sent the text. The renderer runs in jsdom against a stub bridge that counts calls.
 */
import { act, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AssetCard, textLimit, tooLongText } from '@shared/asset.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const calls: { method: string; input: unknown }[] = [];
const CHECK = { status: 'original', matches: [], layers: {}, elapsedMs: 1, policyVersion: 1 };
(window as { originals?: unknown }).originals = {
  invoke: (method: string, input: unknown) => {
    calls.push({ method, input });
    return Promise.resolve({ ok: true, value: method === 'check.run' ? CHECK : null });
  },
};

type Store = typeof import('../../renderer/src/state/store.ts').useStudio;
let useStudio: Store;
let Editor: typeof import('../../renderer/src/components/Editor.tsx').Editor;
let blankCard: typeof import('../../renderer/src/state/cards.ts').blankCard;
let root: Root;
let host: HTMLElement;

beforeAll(async () => {
  ({ useStudio } = await import('../../renderer/src/state/store.ts'));
  ({ Editor } = await import('../../renderer/src/components/Editor.tsx'));
  ({ blankCard } = await import('../../renderer/src/state/cards.ts'));
});

const field = (label: string) => {
  const l = [...host.querySelectorAll('label')].find((x) => x.textContent === label);
  return l ? (document.getElementById(l.htmlFor) as HTMLInputElement | HTMLTextAreaElement | null) : null;
};
const counter = (label: string) => field(label)?.parentElement?.querySelector('.char-count')?.textContent ?? null;

async function open(card: Record<string, unknown>) {
  await act(async () => useStudio.setState({ view: { name: 'editor', id: null }, draft: card as never, dirty: true, draftId: null }));
}

beforeEach(async () => {
  calls.length = 0;
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await open(blankCard('character', 1));
  await act(async () => root.render(createElement(Editor)));
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
  useStudio.setState({ draft: null, check: null, checkError: null });
});

describe('text limits come from the card schema', () => {
  it('the limit is the schema’s: a text of that length parses, one more character does not', () => {
    const max = textLimit('description');
    expect(max).toBe(20_000);
    const card = (n: number) => AssetCard.safeParse({ asset_type: 'character', name: 'A', description: 'x'.repeat(n) }).success;
    expect(card(max!)).toBe(true);
    expect(card(max! + 1)).toBe(false);
    expect(textLimit('character.backstory_summary')).toBe(20_000);
    expect(textLimit('name')).toBe(255);
    expect(textLimit('tags')).toBeUndefined();
  });

  it('every text field of the character editor has its schema limit as maxLength', () => {
    const limits: [string, string][] = [
      ['Name', 'name'],
      ['Description', 'description'],
      ['Category', 'category'],
      ['Race', 'character.race'],
      ['Class', 'character.class'],
      ['Alignment', 'character.alignment'],
      ['Backstory', 'character.backstory_summary'],
      ['Model', 'visual_generation.model'],
      ['Prompt', 'visual_generation.prompt'],
    ];
    for (const [label, path] of limits) expect([label, field(label)?.maxLength]).toEqual([label, textLimit(path)]);
  });

  it('the other types’ text fields too', async () => {
    for (const [type, label, path] of [
      ['location', 'Inhabitants and history', 'location.history'],
      ['item', 'Lore', 'item.lore'],
      ['quest_hook', 'Hook', 'quest_hook.hook'],
      ['custom_module', 'Code', 'custom_module.code'],
    ] as const) {
      await open(blankCard(type, 1));
      expect([label, field(label)?.maxLength]).toEqual([label, textLimit(path)]);
    }
  });

  it('a counter shows near the limit, not before', async () => {
    expect(counter('Description')).toBeNull();
    await act(async () => useStudio.getState().updateDraft({ description: 'x'.repeat(15_000) }));
    expect(counter('Description')).toBeNull();
    await act(async () => useStudio.getState().updateDraft({ description: 'x'.repeat(18_200) }));
    expect(counter('Description')).toBe('18,200 / 20,000 characters');
    await act(async () => useStudio.getState().updateDraft({ description: 'x'.repeat(20_000) }));
    expect(counter('Description')).toBe('20,000 / 20,000 characters — the limit');
  });
});

describe('over-limit text never reaches the check', () => {
  const checks = () => calls.filter((c) => c.method === 'check.run').length;

  it('a card within the limits is checked', async () => {
    await act(async () => useStudio.getState().updateDraft({ description: 'x'.repeat(20_000) }));
    await act(async () => useStudio.getState().runCheck());
    expect(checks()).toBe(1);
    expect(useStudio.getState().checkError).toBeNull();
  });

  it('a 600 000-character description is refused at once, and not sent', async () => {
    const huge = 'lorem ipsum '.repeat(50_000);
    await act(async () => useStudio.getState().updateDraft({ description: huge }));
    await act(async () => useStudio.getState().runCheck());
    expect(checks()).toBe(0);
    expect(useStudio.getState().checking).toBe(false);
    expect(useStudio.getState().checkError).toEqual({
      field: 'card.description',
      message: 'Description is 600,000 characters long; at most 20,000 fit',
    });
    // Shown beside the field it is about.
    expect(field('Description')?.closest('.field')?.querySelector('.field-error')?.textContent).toContain('at most 20,000 fit');
  });

  it('so is a nested field (an imported backstory of 120 000 characters)', async () => {
    await open({ ...blankCard('character', 1), character: { backstory_summary: 'y'.repeat(120_000) } });
    await act(async () => useStudio.getState().runCheck());
    expect(checks()).toBe(0);
    expect(useStudio.getState().checkError?.field).toBe('card.character.backstory_summary');
    expect(tooLongText({ description: 'ok', character: { backstory_summary: 'short' } })).toBeNull();
  });
});
