/** The renderer's own boundary: only renderer/src/data/ imports renderer/src/api.ts (the lint rule fires everywhere else). */
import { describe, expect, it } from 'vitest';
import { ruleIds } from '../helpers/lint.ts';

const importApi = (from: string) => `import { api } from '${from}';\nexport const a = api;\n`;

describe('renderer: data hooks are the only API callers (eslint)', () => {
  it('components, forms, state slices and the app shell cannot import renderer/src/api.ts', async () => {
    const cases: [string, string][] = [
      ['renderer/src/components/X.tsx', '../api.ts'],
      ['renderer/src/components/market/X.tsx', '../../api.ts'],
      ['renderer/src/components/forms/X.tsx', '../../api.ts'],
      ['renderer/src/state/x.ts', '../api.ts'],
      ['renderer/src/App.tsx', './api.ts'],
    ];
    for (const [file, from] of cases) expect(await ruleIds(importApi(from), file), file).toContain('no-restricted-imports');
  });

  it('the data layer may, and everyone may import the shared contract', async () => {
    expect(await ruleIds(importApi('../api.ts'), 'renderer/src/data/x.ts')).toEqual([]);
    const shared = "import type { ApiMethod } from '@shared/api.ts';\nexport type M = ApiMethod;\n";
    expect(await ruleIds(shared, 'renderer/src/components/X.tsx')).toEqual([]);
  });

  it('the renderer-wide layer rules still hold in the restricted files', async () => {
    expect(
      await ruleIds("import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", 'renderer/src/components/X.tsx'),
    ).toContain('no-restricted-imports');
    expect(await ruleIds("import { x } from '../../engine/library.ts';\nexport const a = x;\n", 'renderer/src/data/x.ts')).toContain(
      'no-restricted-imports',
    );
  });
});
