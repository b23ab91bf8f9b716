/** The accessibility check the e2e specs run on their key screens: axe-core at WCAG 2 A and AA, no serious or critical violation. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** Fails naming `what`, each violation's rule and the elements it found, when the page has a serious or critical one; `exclude` leaves selectors out. */
export async function axe(page: Page, what: string, exclude: string[] = []) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  for (const e of exclude) builder.exclude(e);
  const r = await builder.analyze();
  const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
