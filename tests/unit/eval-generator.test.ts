// Eval generator: deterministic by seed, every image and text family yields a valid query with
// parameters inside their declared ranges, combinations hold 2–3 distinct families. Source art is
// drawn with sharp here, so the tests need neither openclipart-png nor fortunes.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AssetCard } from '../../shared/asset.ts';
import { parseAssetCard } from '../../engine/cards.ts';
import type { ImageContext } from '../../scripts/eval/image-family.ts';
import {
  COMBO,
  IMAGE_FAMILY_NAMES,
  type ImageBase,
  drawComboFamilies,
  drawImageSteps,
  imageFamily,
  renderImage,
} from '../../scripts/eval/image-gen.ts';
import { relatedNames, selectImages } from '../../scripts/eval/image-sources.ts';
import { checkParams } from '../../scripts/eval/params.ts';
import { type RawImage, flatten, homography, toRaw, warpPerspective } from '../../scripts/eval/raw.ts';
import { Rng } from '../../scripts/eval/rng.ts';
import { makeCard } from '../../scripts/eval/text-cards.ts';
import { PASSAGE_MIN_WORDS, TEXT_FAMILY_NAMES, applyTextSteps, drawTextSteps, isWord, textFamily } from '../../scripts/eval/text-gen.ts';
import { cleanFortune, dedupe, parseFortunes, sentences, words } from '../../scripts/eval/text-sources.ts';

const art = (hue: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="140">
  <circle cx="70" cy="70" r="50" fill="hsl(${hue},70%,50%)" stroke="#222" stroke-width="4"/>
  <rect x="100" y="30" width="60" height="90" fill="hsl(${hue + 120},60%,40%)"/>
  <path d="M20 130 L90 10 L160 130 Z" fill="none" stroke="#333" stroke-width="3"/></svg>`;

let base: ImageBase;
let ctx: ImageContext;

beforeAll(async () => {
  const rgba = await toRaw(sharp(Buffer.from(art(20))));
  base = { rgba, flat: flatten(rgba) };
  const host = flatten(await toRaw(sharp(Buffer.from(art(200))).resize(300, 240)));
  ctx = {
    hosts: ['test/host.png'],
    loadHost: async (f) => {
      if (f !== 'test/host.png') throw new Error(f);
      return host;
    },
  };
});

const families = [...IMAGE_FAMILY_NAMES, COMBO];

describe('image generator', () => {
  it('draws the same steps and renders byte-identical images for the same seed', async () => {
    for (const f of families) {
      const a = drawImageSteps(new Rng(7, f), f, ctx);
      const b = drawImageSteps(new Rng(7, f), f, ctx);
      expect(a).toEqual(b);
      const [ra, rb] = await Promise.all([renderImage(base, a, ctx), renderImage(base, b, ctx)]);
      expect(ra.bytes.equals(rb.bytes), f).toBe(true);
    }
  });

  it('draws different steps and images for a different seed', async () => {
    const differ = families.filter(
      (f) => JSON.stringify(drawImageSteps(new Rng(7, f), f, ctx)) !== JSON.stringify(drawImageSteps(new Rng(8, f), f, ctx)),
    );
    // Mirroring has only three choices; every continuous family must differ.
    expect(differ.length).toBeGreaterThanOrEqual(families.length - 1);
    const a = await renderImage(base, drawImageSteps(new Rng(7, 'crop'), 'crop', ctx), ctx);
    const b = await renderImage(base, drawImageSteps(new Rng(8, 'crop'), 'crop', ctx), ctx);
    expect(a.bytes.equals(b.bytes)).toBe(false);
  });

  it('draws every parameter inside its declared range', () => {
    for (const f of IMAGE_FAMILY_NAMES) {
      const fam = imageFamily(f);
      for (let s = 0; s < 200; s++) {
        for (const keepAlpha of [false, true]) {
          const p = fam.draw(new Rng(s, f), ctx, { keepAlpha });
          expect(checkParams(fam.spec, p), `${f} seed ${s}`).toEqual([]);
        }
      }
    }
  });

  it('every family renders a valid image that differs from the library image', async () => {
    const library = await sharp(base.flat.data, { raw: { width: base.flat.width, height: base.flat.height, channels: 4 } })
      .png()
      .toBuffer();
    for (const f of families) {
      for (const seed of [1, 2]) {
        const steps = drawImageSteps(new Rng(seed, f), f, ctx);
        for (const s of steps) expect(checkParams(imageFamily(s.family).spec, s.params)).toEqual([]);
        const out = await renderImage(base, steps, ctx);
        const meta = await sharp(out.bytes).metadata();
        expect(meta.format, f).toBe(out.format);
        expect(meta.width).toBe(out.width);
        expect(out.width).toBeGreaterThanOrEqual(8);
        expect(out.height).toBeGreaterThanOrEqual(8);
        expect(out.bytes.equals(library), f).toBe(false);
      }
    }
  });

  it('crops keep 40–90 % of the area; upscaled queries keep the size; re-encoding returns JPEG/WebP bytes', async () => {
    for (let s = 0; s < 10; s++) {
      const steps = drawImageSteps(new Rng(s, 'c'), 'crop', ctx);
      const out = await renderImage(base, steps, ctx);
      const area = (out.width * out.height) / (base.flat.width * base.flat.height);
      expect(area).toBeGreaterThan(0.37);
      expect(area).toBeLessThan(0.93);
    }
    const up = await renderImage(base, drawImageSteps(new Rng(3, 'u'), 'upscale', ctx), ctx);
    expect([up.width, up.height]).toEqual([base.flat.width, base.flat.height]);
    const re = await renderImage(base, drawImageSteps(new Rng(3, 'r'), 'reencode', ctx), ctx);
    expect(['jpeg', 'webp']).toContain(re.format);
  });

  it('renders overlay text with an installed font', async () => {
    const steps = [
      {
        family: 'overlay',
        params: {
          ...imageFamily('overlay').draw(new Rng(1, 'o'), ctx, { keepAlpha: false }),
          kind: 'text',
          text: 'SAMPLE',
          opacity: 1,
          size: 0.25,
          x: 0.5,
          y: 0.5,
          angle: 0,
          lightness: 0,
        },
      },
    ];
    const out = await toRaw(sharp((await renderImage(base, steps, ctx)).bytes));
    let changed = 0;
    for (let i = 0; i < out.data.length; i++) if (out.data[i] !== base.flat.data[i]) changed++;
    expect(changed).toBeGreaterThan(500);
  });

  it('combinations have 2–3 distinct families in application order, never background with paste', () => {
    for (let s = 0; s < 300; s++) {
      const names = drawComboFamilies(new Rng(s, 'combo'));
      expect(names.length).toBeGreaterThanOrEqual(2);
      expect(names.length).toBeLessThanOrEqual(3);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual(IMAGE_FAMILY_NAMES.filter((f) => names.includes(f)));
      expect(names.includes('background') && names.includes('paste')).toBe(false);
    }
    const steps = drawImageSteps(new Rng(5, 'x'), COMBO, ctx);
    expect(steps.length).toBeGreaterThanOrEqual(2);
  });

  it('cut-out pastes keep earlier geometric steps transparent', () => {
    for (let s = 0; s < 300; s++) {
      const steps = drawImageSteps(new Rng(s, 'cut'), COMBO, ctx);
      const paste = steps.find((x) => x.family === 'paste');
      if (paste?.params.mode !== 'cutout') continue;
      for (const x of steps) if ('fill' in x.params) expect(x.params.fill).toBe('transparent');
    }
  });

  it('perspective warp: identity corners reproduce the image; the homography maps corners', () => {
    const img: RawImage = base.flat;
    const w = img.width - 1;
    const h = img.height - 1;
    const same = warpPerspective(
      img,
      [
        [0, 0],
        [w, 0],
        [w, h],
        [0, h],
      ],
      { r: 0, g: 0, b: 0, alpha: 1 },
    );
    expect(same.data.equals(img.data)).toBe(true);
    const to: [number, number][] = [
      [10, 5],
      [90, 12],
      [80, 70],
      [3, 60],
    ];
    const m = homography(
      [
        [0, 0],
        [100, 0],
        [100, 80],
        [0, 80],
      ],
      to,
    );
    const map = (x: number, y: number) => {
      const d = m[6]! * x + m[7]! * y + m[8]!;
      return [(m[0]! * x + m[1]! * y + m[2]!) / d, (m[3]! * x + m[4]! * y + m[5]!) / d];
    };
    expect(map(100, 80)[0]).toBeCloseTo(80, 6);
    expect(map(100, 80)[1]).toBeCloseTo(70, 6);
    expect(map(0, 80)[0]).toBeCloseTo(3, 6);
  });

  it('never puts two copies of one artwork in the pools (symlink, same bytes, recolour, mirror, turned)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eval-clipart-'));
    try {
      mkdirSync(join(root, 'animals'));
      mkdirSync(join(root, 'food'));
      mkdirSync(join(root, 'computer')); // not a development category: never used
      const shape = (i: number, hue: number, flop = false) => {
        const pts = Array.from({ length: 7 }, (_, k) => `${20 + ((k * 37 + i * 53) % 140)},${10 + ((k * 71 + i * 29) % 120)}`).join(' ');
        const body = `<polygon points="${pts}" fill="hsl(${hue},70%,45%)"/><circle cx="${30 + ((i * 41) % 120)}" cy="${30 + ((i * 23) % 80)}" r="${12 + (i % 5) * 4}" fill="#222"/>`;
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="140"><g${flop ? ' transform="translate(180 0) scale(-1 1)"' : ''}>${body}</g></svg>`;
        return sharp(Buffer.from(svg)).png().toBuffer();
      };
      for (let i = 0; i < 8; i++)
        writeFileSync(join(root, i % 2 ? 'animals' : 'food', `art${String.fromCharCode(97 + i)}_x.png`), await shape(i, 30 * i));
      writeFileSync(join(root, 'computer', 'other.png'), await shape(20, 10));
      symlinkSync(join(root, 'food', 'arta_x.png'), join(root, 'food', 'linked_copy.png'));
      copyFileSync(join(root, 'animals', 'artb_x.png'), join(root, 'food', 'bytes_copy.png'));
      writeFileSync(join(root, 'animals', 'recoloured.png'), await shape(2, 200));
      writeFileSync(join(root, 'animals', 'mirrored.png'), await shape(3, 90, true));
      writeFileSync(
        join(root, 'food', 'turned.png'),
        await sharp(await shape(4, 120))
          .rotate(180)
          .png()
          .toBuffer(),
      );
      const pools = await selectImages(new Rng(3, 'sel'), { library: 4, unrelated: 3, hosts: 1 }, root);
      const files = [...pools.library, ...pools.unrelated, ...pools.hosts].map((s) => s.file);
      expect(files).toHaveLength(8);
      expect(new Set(files).size).toBe(8);
      expect(files.some((f) => f.startsWith('computer/'))).toBe(false);
      const artwork = (f: string) =>
        ({
          'food/linked_copy.png': 'food/arta_x.png',
          'food/bytes_copy.png': 'animals/artb_x.png',
          'animals/recoloured.png': 'food/artc_x.png',
          'animals/mirrored.png': 'animals/artd_x.png',
          'food/turned.png': 'food/arte_x.png',
        })[f] ?? f;
      expect(new Set(files.map(artwork)).size).toBe(8);
      // Asking for one more than the 8 distinct artworks visits every file and finds the 5 copies.
      await expect(selectImages(new Rng(3, 'sel'), { library: 5, unrelated: 3, hosts: 1 }, root)).rejects.toThrow(
        /only 8 distinct artworks/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('treats name variants as the same artwork', () => {
    expect(relatedNames('transportation/bus2.png', 'transportation/bus2_bw.png')).toBe(true);
    expect(relatedNames('animals/sleeping_cat_ron_golan_01.png', 'animals/sleeping_cat_rgolan_sup_r.png')).toBe(true);
    expect(relatedNames('food/apple_01.png', 'food/apple_02.png')).toBe(true);
    expect(relatedNames('food/apple_red.png', 'food/banana_red.png')).toBe(false);
  });
});

const TEXTS = [
  'The lantern swung above the harbour gate. Nobody had lit it for years, yet every night it burned. The fishermen said a drowned keeper still climbed the ladder at dusk, and nobody argued with them.',
  'A merchant sold maps of places that did not exist. Travellers bought them anyway, because the roads on them were shorter. Some of them were never seen again; others came back rich and would not say where they had been.',
  'Under the old mill there is a cellar full of clocks. Each one shows a different hour. The miller winds them every Sunday and claims that if one stops, somebody in the village will forget their own name.',
];
const FILLER = [
  { id: 'f#1', text: 'It rained for nine days. The river rose over the bridge and took the bell with it.' },
  { id: 'f#2', text: 'Bread is cheaper in the north. Salt is cheaper in the south. Nobody knows why the prices never meet.' },
  { id: 'f#3', text: 'She kept a notebook of every lie she had heard. By winter it was the thickest book in town.' },
];
const tctx = { filler: FILLER };
const card = (i: number): AssetCard => makeCard(new Rng(i, 'card'), TEXTS[i % TEXTS.length] as string);
const textFamilies = [...TEXT_FAMILY_NAMES, 'combo'];

describe('text generator', () => {
  it('is deterministic by seed and differs across seeds', () => {
    for (const f of textFamilies) {
      const a = drawTextSteps(new Rng(4, f), f, card(0), tctx);
      expect(drawTextSteps(new Rng(4, f), f, card(0), tctx)).toEqual(a);
      expect(applyTextSteps(card(0), a, tctx)).toEqual(applyTextSteps(card(0), a, tctx));
    }
    const differ = textFamilies.filter(
      (f) =>
        JSON.stringify(drawTextSteps(new Rng(4, f), f, card(1), tctx)) !== JSON.stringify(drawTextSteps(new Rng(5, f), f, card(1), tctx)),
    );
    // A three-sentence card has few orders; every other family must differ.
    expect(differ.length).toBeGreaterThanOrEqual(textFamilies.length - 1);
    expect(card(0)).toEqual(card(0));
    expect(card(0).name).not.toBe(makeCard(new Rng(99, 'card'), TEXTS[0] as string).name);
  });

  it('every family yields a valid card that differs from the library card, with parameters in range', () => {
    for (const f of textFamilies) {
      for (let s = 0; s < 40; s++) {
        const c = card(s);
        const steps = drawTextSteps(new Rng(s, f), f, c, tctx);
        for (const st of steps) expect(checkParams(textFamily(st.family).spec, st.params), `${f}/${st.family} seed ${s}`).toEqual([]);
        const out = applyTextSteps(c, steps, tctx);
        const parsed = parseAssetCard(out);
        expect(parsed.ok, `${f} seed ${s}`).toBe(true);
        expect(out).not.toEqual(c);
        if (f === 'combo') {
          const names = steps.map((x) => x.family);
          expect(names.length).toBeGreaterThanOrEqual(2);
          expect(names.length).toBeLessThanOrEqual(3);
          expect(new Set(names).size).toBe(names.length);
        }
      }
    }
  });

  it('edits do what their parameters say', () => {
    const c = card(1);
    const n = words(c.description).length;
    const del = drawTextSteps(new Rng(1, 'd'), 'delete', c, tctx);
    expect(words(applyTextSteps(c, del, tctx).description).length).toBe(n - Math.round(n * (del[0]!.params.fraction as number)));
    const ins = drawTextSteps(new Rng(1, 'i'), 'insert', c, tctx);
    expect(words(applyTextSteps(c, ins, tctx).description).length).toBe(n + Math.round(n * (ins[0]!.params.fraction as number)));
    const re = applyTextSteps(c, drawTextSteps(new Rng(1, 'r'), 'reorder', c, tctx), tctx);
    expect([...sentences(re.description)].sort()).toEqual([...sentences(c.description)].sort());
    expect(re.description).not.toBe(c.description);
    const ps = drawTextSteps(new Rng(2, 'p'), 'passage', c, tctx);
    const pd = applyTextSteps(c, ps, tctx).description;
    const keep = Math.max(Math.min(n, PASSAGE_MIN_WORDS), Math.round(n * (ps[0]!.params.keep as number)));
    const kept = words(pd).join(' ');
    const original = words(c.description);
    expect([...Array(n - keep + 1).keys()].some((i) => kept.includes(original.slice(i, i + keep).join(' ')))).toBe(true);
    expect(FILLER.some((x) => pd.includes(x.text))).toBe(true);
  });

  it('typos misspell the drawn share of the words of three letters or more, each word changed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = card(seed);
      const ty = drawTextSteps(new Rng(seed, 't'), 'typo', c, tctx);
      const before = words(c.description);
      const after = words(applyTextSteps(c, ty, tctx).description);
      expect(after.length).toBe(before.length);
      const long = before.filter((w) => /\p{L}{3}/u.test(w)).length;
      const changed = before.filter((w, i) => w !== after[i]).length;
      // Every drawn word changes: a swap of two equal letters ("keep") drops one instead.
      expect(changed).toBe(Math.max(1, Math.round(long * (ty[0]!.params.fraction as number))));
    }
  });

  it('a kept passage holds 12 words as the engine counts them, punctuation standing alone not among them', () => {
    // Seed 660061's passage-1 source: 12 tokens from the middle would have held a lone dash.
    const text =
      'The woman you buy -- and she is the least expensive -- takes a great deal of money. The woman who gives herself takes all your time.';
    const c = { ...card(1), description: text };
    for (const start of [0, 0.25, 0.492, 0.75, 1]) {
      const steps = [
        { family: 'passage', params: { keep: 0.3, start, before: 1, after: 0, beforeIds: FILLER[0]!.id, afterIds: '', newName: 'N' } },
      ];
      const out = applyTextSteps(c, steps, tctx).description.slice(FILLER[0]!.text.length + 1);
      expect(text).toContain(out);
      expect(words(out).filter(isWord)).toHaveLength(PASSAGE_MIN_WORDS);
    }
    expect(isWord('--')).toBe(false);
    expect(isWord('money.')).toBe(true);
  });

  it('field moves put the description in a type field or rename the card', () => {
    let moved = 0;
    let renamed = 0;
    for (let s = 0; s < 20; s++) {
      const c = card(s);
      const out = applyTextSteps(c, drawTextSteps(new Rng(s, 'fm'), 'field_move', c, tctx), tctx);
      expect(out.name).not.toBe(c.name);
      if (out.description === c.description) renamed++;
      else {
        moved++;
        expect(JSON.stringify(out)).toContain(JSON.stringify(c.description));
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(renamed).toBeGreaterThan(0);
  });

  it('parses fortunes: attribution dropped, short or non-prose entries skipped, repeats removed', () => {
    expect(cleanFortune('Some words here.\n\tMore words.\n\t\t-- Somebody Famous\n')).toBe('Some words here. More words.');
    const file = `${TEXTS[0]}\n\t\t-- Anon\n%\nToo short.\n%\n<nick> hello there | ${TEXTS[1]}\n%\n${TEXTS[2]}\n`;
    const parsed = parseFortunes('test', file);
    expect(parsed.map((p) => p.id)).toEqual(['test#0', 'test#3']);
    expect(dedupe([...parsed, { id: 'other#0', text: `${TEXTS[0]} Extra.` }]).map((p) => p.id)).toEqual(['test#0', 'test#3']);
  });
});
