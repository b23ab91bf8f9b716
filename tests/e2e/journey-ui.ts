/**
 * Two ways to drive the studio in the whole-journey spec, behind one interface: with the mouse
 * (clicks, fill) or with the keyboard alone (Tab/Shift+Tab to reach a control, Enter/Space to press
 * it, arrow keys in tab lists, typing into fields; page.keyboard only, never a click). Each screen is
 * photographed at the viewport's size, checked with axe at WCAG A/AA, and checked for clipping and
 * for horizontal scrolling of the page.
 */
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { ARTIFACTS, expect } from './fixtures.ts';
import { mainNav } from './studio-steps.ts';

export interface Ui {
  page: Page;
  keyboard: boolean;
  /** Goes to a screen from the main navigation (through the Menu button where the sidebar is folded). */
  nav(name: string | RegExp): Promise<void>;
  press(target: Locator): Promise<void>;
  fill(target: Locator, text: string): Promise<void>;
  check(target: Locator): Promise<void>;
  select(target: Locator, label: string): Promise<void>;
  /** Selects a tab of a tablist. */
  tab(target: Locator): Promise<void>;
  /** The same driver on another page (a checkout popup). */
  on(page: Page): Ui;
}

export function mouseUi(page: Page): Ui {
  return {
    page,
    keyboard: false,
    async nav(name) {
      const toggle = mainNav(page).getByRole('button', { name: /Menu/ });
      if (await toggle.isVisible()) await toggle.click();
      await mainNav(page).getByRole('button', { name }).click();
    },
    press: (t) => t.click(),
    fill: (t, text) => t.fill(text),
    check: (t) => t.check(),
    select: async (t, label) => void (await t.selectOption({ label })),
    tab: (t) => t.click(),
    on: (p) => mouseUi(p),
  };
}

/** Whether the focused element's focus ring (its outline, width plus offset) is inside every box that clips it. */
async function focusRingClipped(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'nothing focused';
    const cs = getComputedStyle(el);
    if (cs.outlineStyle === 'none') return null; // headings and screens focused on a screen change show none
    // How far the ring reaches outside the element (a negative offset draws it inside).
    const ring = Math.max(0, Number.parseFloat(cs.outlineWidth) + Number.parseFloat(cs.outlineOffset));
    const r = el.getBoundingClientRect();
    const box = { l: r.left - ring, t: r.top - ring, r: r.right + ring, b: r.bottom + ring };
    for (let p = el.parentElement; p; p = p.parentElement) {
      const pcs = getComputedStyle(p);
      if (pcs.overflowX === 'visible' && pcs.overflowY === 'visible') continue;
      const pr = p.getBoundingClientRect();
      const inner = {
        l: pr.left + p.clientLeft,
        t: pr.top + p.clientTop,
        r: pr.left + p.clientLeft + p.clientWidth,
        b: pr.top + p.clientTop + p.clientHeight,
      };
      const slack = 0.5;
      if (box.l < inner.l - slack || box.t < inner.t - slack || box.r > inner.r + slack || box.b > inner.b + slack)
        return `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" clipped by ${p.tagName.toLowerCase()}.${[...p.classList].join('.')}`;
    }
    return null;
  });
}

/**
 * Presses Tab (or Shift+Tab, towards the target in document order) until `target` has the focus;
 * fails if it never does (a control the keyboard cannot reach) or if its focus ring is clipped.
 */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  await expect(target).toBeVisible();
  await expect(target).toBeEnabled();
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i++) {
    const where = await page.evaluate((t) => {
      const a = document.activeElement;
      if (a === t) return 'here';
      if (!a || a === document.body) return 'after';
      return a.compareDocumentPosition(t as Node) & Node.DOCUMENT_POSITION_PRECEDING ? 'before' : 'after';
    }, handle);
    if (where === 'here') {
      expect(await focusRingClipped(page)).toBeNull();
      return;
    }
    await page.keyboard.press(where === 'before' ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`not reachable with Tab in ${max} presses: ${target.toString()}`);
}

export function keyboardUi(page: Page): Ui {
  const ui: Ui = {
    page,
    keyboard: true,
    async nav(name) {
      const toggle = mainNav(page).getByRole('button', { name: /Menu/ });
      if (await toggle.isVisible()) {
        await tabTo(page, toggle);
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('Enter');
      }
      await tabTo(page, mainNav(page).getByRole('button', { name }));
      await page.keyboard.press('Enter');
    },
    async press(t) {
      await tabTo(page, t);
      await page.keyboard.press('Enter');
    },
    async fill(t, text) {
      await tabTo(page, t);
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type(text);
      await expect(t).toHaveValue(text);
    },
    async check(t) {
      await tabTo(page, t);
      await page.keyboard.press('Space');
      await expect(t).toBeChecked();
    },
    async select(t, label) {
      await tabTo(page, t);
      // A closed select takes typed letters as a search of its options.
      await page.keyboard.type(label);
      await expect(t.locator('option:checked')).toHaveText(label);
    },
    async tab(t) {
      // Into the tablist (its one tab stop is the selected tab), then arrows to the wanted tab.
      const list = t.locator('xpath=ancestor::*[@role="tablist"][1]');
      await tabTo(page, list.locator('[role="tab"][aria-selected="true"]'));
      for (let i = 0; i < 10 && (await t.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowRight');
      await expect(t).toHaveAttribute('aria-selected', 'true');
      await expect(t).toBeFocused();
    },
    on: (p) => keyboardUi(p),
  };
  return ui;
}

/** Elements that cut off content sideways (not meant as ellipsis), horizontal page scrolling, a toast over the focused control. */
async function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const se = document.scrollingElement as HTMLElement;
    if (se.scrollWidth > se.clientWidth) out.push(`page scrolls sideways: ${se.scrollWidth} > ${se.clientWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('main, main *, nav, nav *')) {
      const cs = getComputedStyle(el);
      // Visible overflow, ellipsis truncation and the 1px screen-reader-only text are meant.
      if (cs.overflowX === 'visible' || cs.textOverflow === 'ellipsis' || cs.display === 'none' || el.matches('.sr-only')) continue;
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${cs.overflowX}): ${el.scrollWidth} > ${el.clientWidth}`);
    }
    // No toast covers the control in focus.
    const f = document.activeElement;
    if (f?.matches('input, textarea, select, button, a[href], summary, [role="tab"]') && !f.closest('.toasts')) {
      const r = f.getBoundingClientRect();
      for (const t of document.querySelectorAll('.toast')) {
        const b = t.getBoundingClientRect();
        if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom)
          out.push(`a toast covers the focused ${f.tagName.toLowerCase()}`);
      }
    }
    return out;
  });
}

/** Screenshot, axe at WCAG A/AA, and the layout checks of one screen, named journey-<screen>-<width>x<height>.png. */
export async function screen(page: Page, name: string): Promise<void> {
  const v = page.viewportSize();
  const size = v ? `${v.width}x${v.height}` : 'unknown';
  await page.screenshot({ path: join(ARTIFACTS, `journey-${name}-${size}.png`) });
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(r.violations.map((x) => `${name}: ${x.id} — ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  expect(await overflowProblems(page), `${name} at ${size}`).toEqual([]);
  // Counts in their singular form ("1 asset", not "1 assets").
  const text = await page.locator('body').innerText();
  expect(
    text.match(/(?<![\d.,])\b1 (assets|matches|days|words|sales|strikes|impressions|files|accounts|buyers|revisions)\b/g),
    name,
  ).toBeNull();
}
