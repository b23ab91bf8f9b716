/**
 * The creator's workspace end to end, in Debian's Chromium against browser mode, from an empty
 * data folder. Screenshots of the key screens are saved to tests/artifacts/screenshots.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';

test.describe.configure({ mode: 'serial' });

async function art(seed: number): Promise<Buffer> {
  const shapes = Array.from({ length: 6 }, (_, i) => {
    const x = (seed * 37 + i * 53) % 220;
    const y = (seed * 91 + i * 71) % 220;
    return `<circle cx="${x + 20}" cy="${y + 20}" r="${20 + ((seed + i * 13) % 40)}" fill="hsl(${(seed * 60 + i * 47) % 360},70%,45%)"/>`;
  }).join('');
  return sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="100%" height="100%" fill="white"/>${shapes}</svg>`,
    ),
  )
    .png()
    .toBuffer();
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

test('a creator builds a character, iterates on it, and the studio catches a copy', async ({ page, studio }, testInfo) => {
  const files = testInfo.outputPath('files');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(files, { recursive: true });
  const original = await art(3);
  writeFileSync(join(files, 'knight.png'), original);
  writeFileSync(join(files, 'knight-copy.png'), await sharp(original).flop().modulate({ hue: 40 }).png().toBuffer());
  writeFileSync(
    join(files, 'huge.png'),
    await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer(),
  );
  const corrupt = Buffer.from(await art(9));
  corrupt.fill(0x41, 60, 900);
  writeFileSync(join(files, 'corrupt.png'), corrupt);

  await page.goto(await studio.openUrl());
  await expect(page.getByRole('heading', { name: 'Your library is empty' })).toBeVisible();
  await axe(page, 'empty library');
  await shot(page, '01-library-empty');

  // Create a character with an image.
  await page.getByRole('button', { name: 'Create your first character' }).click();
  // A name of spaces is no name: the title says "Untitled" rather than going blank.
  await page.getByLabel('Name').fill('   ');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Untitled');
  await page.getByLabel('Name').fill('Ser Aldric the Ashen');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ser Aldric the Ashen');
  await page
    .getByLabel('Description')
    .fill('A knight who walked out of a burning chapel with no memory, hunting the cult that lit the fire.');
  await page.getByLabel('Race').fill('Human');
  await page.getByLabel('Class').fill('Paladin');
  // A field error under one box of a row leaves the row's boxes in line (it grows downwards).
  await page.getByLabel('Level').fill('-3');
  await page.getByLabel('Level').blur();
  const levelField = page.locator('.field', { has: page.getByLabel('Level') });
  await expect(levelField.locator('.field-error')).toBeVisible();
  // The row's boxes measured in one frame (two separate measurements can straddle a scroll).
  const rowTops = async (): Promise<number[]> => {
    const boxes = await Promise.all(['Race', 'Level', 'Alignment'].map((l) => page.getByLabel(l, { exact: true }).elementHandle()));
    return page.evaluate((els) => els.map((e) => e?.getBoundingClientRect().top ?? Number.NaN), boxes);
  };
  await expect
    .poll(async () => {
      const tops = await rowTops();
      return tops.every(Number.isFinite) && new Set(tops).size === 1;
    })
    .toBe(true);
  await shot(page, '02a-editor-field-error-in-row');
  await page.getByLabel('Level').fill('7');
  await page.getByLabel('Choose an image file').setInputFiles(join(files, 'knight.png'));
  await expect(page.getByRole('img', { name: 'Image of Ser Aldric the Ashen' })).toBeVisible();
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.getByText('revision 1', { exact: false }).first()).toBeVisible();
  // The first asset of an empty library: nothing to compare with, and the verdict says so.
  await expect(page.locator('.verdict')).toContainText('Nothing to compare with yet');
  await expect(page.locator('.uniqueness .hint').last()).toContainText('against 0 other assets');
  await axe(page, 'editor');
  await shot(page, '02-editor');

  // Edit it twice (the second save with the keyboard shortcut).
  await page.getByLabel('Description').fill('Edited: a knight fused to his armour.');
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 2');
  await page.getByLabel('Name').fill('Ser Aldric, Cinder Knight');
  await page.keyboard.press('Control+s');
  await expect(page.locator('.editor-head .sub')).toContainText('revision 3');

  // Restore the first revision, after comparing revisions.
  await page.getByRole('tab', { name: /History/ }).click();
  await page.getByLabel('Compare revision 3', { exact: true }).check();
  await page.getByLabel('Compare revision 2', { exact: true }).uncheck();
  await page.getByLabel('Compare revision 1', { exact: true }).check();
  await expect(page.getByRole('region', { name: 'Compare revision 1 with revision 3' })).toBeVisible();
  await expect(page.locator('.diff tr.changed')).toHaveCount(2);
  await shot(page, '03-revision-compare');
  await page.getByRole('button', { name: 'Restore revision 1' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 4');
  await page.getByRole('tab', { name: 'Edit' }).click();
  await expect(page.getByLabel('Name')).toHaveValue('Ser Aldric the Ashen');
  await expect(page.getByLabel('Description')).toHaveValue(/burning chapel/);

  // Import a transformed copy of the image as a new asset: it is flagged, the original beside it.
  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByLabel('Import asset cards or images').setInputFiles(join(files, 'knight-copy.png'));
  await expect(page.getByRole('article', { name: 'knight-copy' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'knight-copy' })).toContainText('Duplicate of yours');
  await shot(page, '04-library');
  await page.getByRole('button', { name: 'Open knight-copy' }).click();
  const panel = page.getByRole('complementary', { name: 'Uniqueness check' });
  await expect(panel.locator('.verdict')).toContainText('matches your existing asset');
  await expect(panel.getByRole('img', { name: 'Image of Ser Aldric the Ashen' })).toBeVisible();
  await expect(panel.locator('.diffs')).toContainText('image mirrored');
  await expect(panel.locator('.diffs')).toContainText(/image recoloured \(hues turned about [3-5][05]°\)/);
  await axe(page, 'uniqueness panel');
  await shot(page, '05-uniqueness-panel');
  await panel.getByRole('button', { name: 'Open “Ser Aldric the Ashen”' }).click();
  await expect(page.getByLabel('Name')).toHaveValue('Ser Aldric the Ashen');

  // A custom module with <script> is rejected with a clear message.
  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Custom module' }).click();
  await page.getByLabel('Code').fill('<div class="x">Hi</div><script>fetch("https://evil.example")</script>');
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'custom modules are CSS/HTML only' }).first()).toBeVisible();
  await shot(page, '06-module-rejected');
  await page.getByLabel('Code').fill('<div class="x">Hi</div><style>.x { color: teal }</style>');
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');

  // An 8000×8000 image and a corrupt file get clear errors.
  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Item' }).click();
  await page.getByLabel('Choose an image file').setInputFiles(join(files, 'huge.png'));
  await expect(page.getByRole('alert').filter({ hasText: '8000×8000 (64.0 megapixels), above the 40-megapixel limit' })).toBeVisible();
  await page.getByLabel('Choose an image file').setInputFiles(join(files, 'corrupt.png'));
  await expect(
    page.getByRole('alert').filter({ hasText: /corrupt\.png( is not an image this studio can read|: the image could not be decoded)/ }),
  ).toBeVisible();
  await shot(page, '07-image-errors');

  // Broken and misnamed card files are told why in people's words (not the JSON parser's message).
  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByLabel('Import asset cards or images').setInputFiles([
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "name": "Sword",\n}') },
    {
      name: 'typed.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ type: 'item', name: 'Sword', description: 'A plain sword.', tags: [] })),
    },
  ]);
  await expect(
    page.getByRole('status').filter({ hasText: 'broken.json: this is not an asset card: its JSON is broken at line 3, column 1' }),
  ).toBeVisible();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: 'typed.json: Asset type is missing: this card has “type”, which asset cards call “asset_type”' }),
  ).toBeVisible();
  await shot(page, '07b-card-import-errors');

  // A damaged card bundle names the entry and field (nothing imported); a bundle's good card comes in
  // and its refused one is named with its reason.
  const bundle = (cards: unknown[]) =>
    Buffer.from(JSON.stringify({ originals_card_bundle: { version: 1, exported_at: '2026-12-05T00:00:00Z', cards } }));
  await page.getByLabel('Import asset cards or images').setInputFiles([
    { name: 'damaged.json', mimeType: 'application/json', buffer: bundle([{ card: {} }]) },
    {
      name: 'half.json',
      mimeType: 'application/json',
      buffer: bundle([
        {
          fileName: 'lantern.json',
          card: { asset_type: 'item', name: 'Bundled lantern', description: 'A brass lantern that hums.', tags: [] },
        },
        { fileName: 'axe.json', card: { asset_type: 'item', name: '', description: 'An axe.', tags: [] } },
      ]),
    },
  ]);
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: "damaged.json: this card bundle is damaged: card 1's file name is missing; nothing was imported" }),
  ).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: 'half.json: imported 1 of 2 cards; card 2 (axe.json): Name is required' }),
  ).toBeVisible();
  await expect(page.getByRole('article', { name: 'Bundled lantern' })).toBeVisible();
  await shot(page, '07c-card-bundle-errors');

  // Delete with undo.
  await page.getByLabel('Select knight-copy').check();
  await page.getByRole('button', { name: 'Delete 1 selected' }).click();
  await expect(page.getByRole('article', { name: 'knight-copy' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('article', { name: 'knight-copy' })).toBeVisible();
  // The bundle's card goes again: it was only there to be imported.
  await page.getByLabel('Select Bundled lantern').check();
  await page.getByRole('button', { name: 'Delete 1 selected' }).click();
  await expect(page.getByRole('article', { name: 'Bundled lantern' })).toHaveCount(0);

  // Models screen: says which layers are unavailable and why.
  await page.getByRole('button', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
  await expect(page.locator('.layers')).toContainText('weights not installed');
  await axe(page, 'models');
  await shot(page, '08-models');
});

test('a partial copy is outlined on both images and a reused passage is highlighted in both texts', async ({ page, studio }, testInfo) => {
  const files = testInfo.outputPath('files');
  const { mkdirSync, readFileSync } = await import('node:fs');
  mkdirSync(files, { recursive: true });
  // Real clip art from a dev category (CI installs openclipart-png): the original, and a copy that
  // keeps its upper-left 70 % × 70 %, turned by 15°.
  const src = readFileSync('/usr/share/openclipart/png/transportation/beach_trip_ganson.png');
  const original = await sharp(src).flatten({ background: '#ffffff' }).resize(480).png().toBuffer();
  const { width = 480, height = 480 } = await sharp(original).metadata();
  const copy = await sharp(original)
    .extract({ left: 0, top: 0, width: Math.round(width * 0.7), height: Math.round(height * 0.7) })
    .rotate(15, { background: '#ffffff' })
    .png()
    .toBuffer();
  writeFileSync(join(files, 'beach.png'), original);
  writeFileSync(join(files, 'beach-part.png'), copy);
  const passage =
    'The lighthouse keeper counted the drowned bells every winter night, and each bell he counted rang once more beneath the grey water of the bay.';

  await page.goto(await studio.openUrl());
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Item' }).click();
  await page.getByLabel('Name').fill('Beach Trip');
  await page.getByLabel('Description').fill(`A family day out by the sea. ${passage} Bring a picnic.`);
  await page.getByLabel('Choose an image file').setInputFiles(join(files, 'beach.png'));
  await expect(page.getByRole('img', { name: 'Image of Beach Trip' })).toBeVisible();
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');

  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Item' }).click();
  await page.getByLabel('Name').fill('Seaside Outing');
  await page
    .getByLabel('Description')
    .fill(`Postcards from a windy coast, sold in the harbour shop. ${passage} Nobody swims there any more.`);
  await page.getByLabel('Choose an image file').setInputFiles(join(files, 'beach-part.png'));
  await expect(page.getByRole('img', { name: 'Image of Seaside Outing' })).toBeVisible();
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');

  const panel = page.getByRole('complementary', { name: 'Uniqueness check' });
  await expect(panel.locator('.verdict')).toContainText('matches your existing asset “Beach Trip”');
  const card = panel.locator('li.match').first();
  await expect(card.locator('.match-summary')).toContainText('crop');
  await expect(card.locator('.match-summary')).toContainText('rotated');
  // The matched region is outlined on both thumbnails; the original's outline is drawn on the copy.
  await expect(card.locator('.region-image rect.region-box')).toHaveCount(2);
  await expect(card.locator('.region-image polygon.region-outline')).toHaveCount(1);
  // The reused passage is highlighted in this card and in the original.
  await expect(card.locator('mark.passage')).toHaveCount(2);
  await expect(card.locator('mark.passage').first()).toContainText('drowned bells every winter night');
  await expect(card.locator('.passage-pair blockquote').nth(1)).toContainText('family day out');
  await axe(page, 'partial copy evidence');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '07-partial-copy-evidence');
});

test('requests without the session token are refused', async ({ page, studio }) => {
  const res = await page.request.post(`${studio.url}api/library.list`, { data: {} });
  expect(res.status()).toBe(401);
  const ok = await page.request.post(`${studio.url}api/library.list`, { data: {}, headers: { authorization: `Bearer ${studio.token}` } });
  expect(ok.status()).toBe(200);
});

test('the library stays virtualised with thousands of assets', async ({ page, studio }) => {
  // Create 2 000 small assets through the API, as a bulk import would.
  await page.goto(await studio.openUrl());
  await page.evaluate(async (token) => {
    const call = (method: string, input: unknown) =>
      fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
    for (let i = 0; i < 2000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          call('assets.create', {
            card: { asset_type: 'item', name: `Bulk item ${i + j}`, description: `Generated item number ${i + j}` },
          }),
        ),
      );
    }
  }, studio.token);
  await page.reload();
  await page.goto(await studio.openUrl());
  await page.getByLabel('Sort by').selectOption('name');
  await expect(page.getByRole('article', { name: 'Bulk item 0', exact: true })).toBeVisible();
  const rendered = await page.getByRole('article').count();
  expect(rendered).toBeLessThan(120);
  await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.getByRole('article', { name: 'Bulk item 999', exact: true })).toBeVisible();
  expect(await page.getByRole('article').count()).toBeLessThan(120);
  await page.getByRole('searchbox').fill('item number 1234');
  await expect(page.getByRole('article')).toHaveCount(1);
});
