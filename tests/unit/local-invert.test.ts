/**
 * Colour-inverted queries (engine/image/local/invert.ts, policy local.invert): every query frame
 * (local.invert.always; with it off, a frame on a dark backdrop) is also described with its grey
 * levels inverted, as a view of its own, which is what lets a negative of a drawing — whole,
 * cropped, turned, mirrored, pasted into a light scene or laid on a texture — be verified against
 * the drawing on white (with the policy off, ORB's flipped comparisons left no match), and names it
 * "colours inverted" (its grey levels run against the drawing's); its plain views are described as
 * before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalFeatureSet, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { darkFromEdge, invertGray, inverseQuery, onDarkBackdrop } from '../../engine/image/local/invert.ts';
import { deserialize, forLibrary, serialize } from '../../engine/image/local/serialize.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { checkFeatures as features } from '../helpers/clipart.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { asChecked } from '../helpers/local-match.ts';

const MOLE = 'animals/mammals/topo_architetto_francesc_01.png';
const CAT = 'animals/mammals/housecats/gatto_nero_architetto_fr_01.png';
const P = UNIQUENESS_POLICY.local;
const SETTINGS = P.invert;
const OFF: UniquenessPolicy = { ...UNIQUENESS_POLICY, local: { ...P, invert: { ...P.invert, always: false, maxLevel: -1 } } };
/** Only a frame on a dark backdrop is described inverted (local.invert.always off). */
const DARK_ONLY: UniquenessPolicy = { ...UNIQUENESS_POLICY, local: { ...P, invert: { ...P.invert, always: false } } };
/** Only the border rules: a dark backdrop reaching the frame's edge in places does not count (local.invert.connectedShare above 1). */
const BORDER_ONLY: UniquenessPolicy = { ...UNIQUENESS_POLICY, local: { ...P, invert: { ...P.invert, always: false, connectedShare: 2 } } };
const NEGATIVE: Step = { family: 'colour', params: { kind: 'invert', layer: false } };
const APPLES = 'food/fruit/candied_apples_ganson.png';
const ARRIVALS = 'transportation/aiga-symbols/aiga_arriving_flights_.png';
/** Never unsharp-masked (policy local.sharpen off). */
const UNSHARPENED: UniquenessPolicy = { ...UNIQUENESS_POLICY, local: { ...P, sharpen: { ...P.sharpen, minBlur: 2 } } };

afterAll(() => terminateLocalFeaturePool());

const verified = (q: LocalFeatureSet, library: LocalFeatureSet, local: UniquenessPolicy['local'] = P) =>
  asChecked(q).some((s) => verify(s, library, local) !== null);
/** Weak models judged as first fitted, never grown (local.appearance.regrow 0). */
const UNGROWN = { ...P, appearance: { ...P.appearance, regrow: 0 } };

describe('dark backdrops', () => {
  const w = 40;
  const h = 30;
  const frame = (edge: number, inside: number, edgeShare = 1) => {
    const g = new Uint8Array(w * h).fill(inside);
    let k = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (x > 0 && y > 0 && x < w - 1 && y < h - 1) continue;
        // The first edgeShare of the edge pixels (in scan order) hold the edge level.
        g[y * w + x] = k++ < edgeShare * (2 * (w + h) - 4) ? edge : inside;
      }
    return g;
  };

  it('a frame trimmed from a dark border, or whose edge is mostly one dark level, counts as dark; light ones and the policy off do not', () => {
    expect(onDarkBackdrop(frame(200, 200), w, h, 10, SETTINGS)).toBe(true);
    expect(onDarkBackdrop(frame(200, 200), w, h, 240, SETTINGS)).toBe(false);
    expect(onDarkBackdrop(frame(20, 200), w, h, undefined, SETTINGS)).toBe(true);
    expect(onDarkBackdrop(frame(20, 200, 0.5), w, h, undefined, SETTINGS)).toBe(true);
    // Under edgeShare of the edge dark, and its other pixels light: the light level holds the edge.
    expect(onDarkBackdrop(frame(20, 200, 0.2), w, h, undefined, SETTINGS)).toBe(false);
    expect(onDarkBackdrop(frame(230, 40), w, h, undefined, SETTINGS)).toBe(false);
    expect(onDarkBackdrop(frame(20, 200), w, h, undefined, { ...SETTINGS, maxLevel: -1 })).toBe(false);
    expect(Array.from(invertGray(Uint8Array.from([0, 10, 255])))).toEqual([255, 245, 0]);
  });

  it('whatever its border, a frame whose dark pixels reaching its edge cover connectedShare of it counts as dark', () => {
    // A negative turned onto white corners: trimmed from white, its dark backdrop a band from the
    // frame's left edge (k columns of w), the art light inside it.
    const band = (k: number, level = 10) => {
      const g = new Uint8Array(w * h).fill(250);
      for (let y = 0; y < h; y++) for (let x = 0; x < k; x++) g[y * w + x] = level;
      return g;
    };
    expect(darkFromEdge(band(16), w, h, SETTINGS.maxLevel)).toBeCloseTo(16 / w, 10);
    expect(onDarkBackdrop(band(16), w, h, 255, SETTINGS)).toBe(true);
    expect(onDarkBackdrop(band(16), w, h, undefined, SETTINGS)).toBe(true);
    // Under the share, grey rather than dark, or the rule off: not.
    expect(SETTINGS.connectedShare).toBeGreaterThan(4 / w);
    expect(onDarkBackdrop(band(4), w, h, 255, SETTINGS)).toBe(false);
    expect(onDarkBackdrop(band(16, SETTINGS.maxLevel + 1), w, h, 255, SETTINGS)).toBe(false);
    expect(onDarkBackdrop(band(16), w, h, 255, { ...SETTINGS, connectedShare: 2 })).toBe(false);
    // Dark pixels that do not reach the edge are the art, not a backdrop.
    const blob = new Uint8Array(w * h).fill(250);
    for (let y = 5; y < h - 5; y++) for (let x = 5; x < w - 5; x++) blob[y * w + x] = 10;
    expect(darkFromEdge(blob, w, h, SETTINGS.maxLevel)).toBe(0);
    expect(onDarkBackdrop(blob, w, h, 255, SETTINGS)).toBe(false);
  });
});

describe('a negative is also described inverted', () => {
  it('verifies negatives of two drawings — whole, cropped, cropped and turned, mirrored — which the policy off does not', async () => {
    for (const art of [MOLE, CAT]) {
      const library = await features(await libraryPng(art), true);
      for (const more of [
        [],
        [{ family: 'crop', params: { area: 0.56, aspect: 1, x: 0.4, y: 0.6 } }],
        [
          { family: 'crop', params: { area: 0.7, aspect: 0.9, x: 0.3, y: 0.3 } },
          { family: 'rotate', params: { angle: 23.5, canvas: 'expand', fill: 'black' } },
        ],
        [{ family: 'mirror', params: { axis: 'horizontal' } }],
      ] as Step[][]) {
        const png = await evalCopy(art, [NEGATIVE, ...more]);
        const [on, off] = [await features(png), await features(png, false, OFF)];
        expect(verified(on, library), `${art} ${JSON.stringify(more)}`).toBe(true);
        // Named a negative wherever it verifies (its grey levels run against the drawing's).
        for (const s of asChecked(on)) {
          const m = verify(s, library);
          if (m) expect(m.region.inverted, `${art} ${JSON.stringify(more)}`).toBe(true);
        }
        // The inverted frame is a view of its own, checked as a query of its own; the others are described as before.
        expect(on.inverse?.words.length).toBeGreaterThan(0);
        expect(off.inverse).toBeUndefined();
        expect(on.primary.words).toEqual(off.primary.words);
        expect(verified(off, library), `${art} ${JSON.stringify(more)} off`).toBe(false);
      }
    }
  });

  it('describes a blurred negative unsharp-masked too, inverted, and verifies it (seed 660094: combinations 27 and 47)', async () => {
    for (const [art, more] of [
      [
        APPLES,
        [
          { family: 'shear', params: { shx: -0.425, shy: -0.18, fill: 'black' } },
          { family: 'blur', params: { sigma: 1.13 } },
        ],
      ],
      [ARRIVALS, [{ family: 'blur', params: { sigma: 4.9 } }]],
    ] as [string, Step[]][]) {
      const library = await features(await libraryPng(art), true);
      const png = await evalCopy(art, [NEGATIVE, ...more]);
      const [on, off] = [await features(png), await features(png, false, UNSHARPENED)];
      // The inverted views end with their unsharp-masked keypoints, as the plain views do.
      expect(on.inverse?.sharp, art).toBe(on.inverse?.base);
      expect(on.inverse?.words.length, art).toBeGreaterThan(on.inverse?.sharp ?? Infinity);
      expect(on.inverseMirror?.sharp, art).toBeDefined();
      expect(off.inverse?.sharp, art).toBeUndefined();
      expect(verified(on, library), art).toBe(true);
      // Unsharpened, the blurred arrivals sign is found only by growing its weak model before its
      // appearance is judged (local.appearance.regrow), so that is off here.
      expect(verified(off, library, UNGROWN), `${art} unsharpened`).toBe(false);
    }
  });

  it('describes a negative turned onto white or grey corners inverted too, and verifies it (seed 660096: combination 42)', async () => {
    for (const [art, geometry] of [
      ['animals/mammals/dog_01_drawn_with_strai_03.png', { family: 'rotate', params: { angle: -31.64, canvas: 'crop', fill: 'white' } }],
      [APPLES, { family: 'rotate', params: { angle: 30, canvas: 'expand', fill: 'white' } }],
      [MOLE, { family: 'rotate', params: { angle: 40, canvas: 'crop', fill: 'grey' } }],
    ] as [string, Step][]) {
      const library = await features(await libraryPng(art), true);
      const png = await evalCopy(art, [NEGATIVE, geometry]);
      const [on, border] = [await features(png), await features(png, false, BORDER_ONLY)];
      const what = `${art} ${JSON.stringify(geometry)}`;
      // Its border is the fill, not the negative's backdrop: only the connected rule sees it.
      expect(border.inverse, what).toBeUndefined();
      expect(on.inverse?.words.length, what).toBeGreaterThan(0);
      expect(on.primary.words).toEqual(border.primary.words);
      const inverse = inverseQuery(on);
      const m = inverse && verify(inverse, library);
      expect(m, what).not.toBeNull();
      expect(m?.region.inverted, what).toBe(true);
      expect(verified(border, library), `${what} border rules only`).toBe(false);
    }
  });

  it('describes a query on white inverted too, its plain views as before; with always off, nothing appended for it', async () => {
    const png = await evalCopy(MOLE, [{ family: 'crop', params: { area: 0.56, aspect: 1, x: 0.4, y: 0.6 } }]);
    const [on, dark, off] = [await features(png), await features(png, false, DARK_ONLY), await features(png, false, OFF)];
    for (const q of [on, dark]) {
      expect(q.primary.words).toEqual(off.primary.words);
      expect(q.mirror?.words).toEqual(off.mirror?.words);
    }
    expect(on.inverse?.words.length).toBeGreaterThan(0);
    expect(on.inverseMirror?.words.length).toBeGreaterThan(0);
    expect(dark.inverse).toBeUndefined();
    expect(dark.inverseMirror).toBeUndefined();
    // A copy of the same polarity is not named a negative.
    const m = verify(on, await features(await libraryPng(MOLE), true));
    expect(m).not.toBeNull();
    expect(m?.region.inverted).toBeUndefined();
  });

  it('verifies negatives with no dark backdrop — pasted into a light scene, warped onto white, on a light texture — only when every query is described inverted (seeds 660116, 660115)', async () => {
    const cases: [string, Step[], boolean][] = [
      // 660116 combination 10: a negative lion pasted at 0.67 into a generated scene.
      [
        'animals/mammals/big_cats/leone_architetto_frances_01.png',
        [
          NEGATIVE,
          {
            family: 'paste',
            params: {
              scale: 0.666,
              x: 0.45,
              y: 0.053,
              mode: 'boxed',
              hostSize: 597,
              host: 'scene',
              hostAspect: 1.36,
              sceneSeed: 376189119,
            },
          },
        ],
        true,
      ],
      // 660116 combination 58: a negative ibex cropped to 42 % and warped onto white.
      [
        'animals/mammals/stambecco_valdostano_arc_01.png',
        [
          NEGATIVE,
          { family: 'crop', params: { area: 0.42, aspect: 1.664, x: 0.858, y: 0.079 } },
          {
            family: 'perspective',
            params: {
              strength: 0.082,
              tlx: 0.032,
              tly: 0.015,
              trx: 0.029,
              try: 0.026,
              brx: 0.082,
              bry: 0.031,
              blx: 0.036,
              bly: 0.057,
              fill: 'white',
            },
          },
        ],
        true,
      ],
      // 660115 combination 14: laid on a dark checker, then inverted (a light checker), then stretched.
      [
        'animals/crawfish2_bw_ganson.png',
        [
          { family: 'background', params: { texture: 'checker', hue: 183.8, hue2: 209.8, lightness: 0.314, period: 7, seed: 738789118 } },
          NEGATIVE,
          { family: 'stretch', params: { factor: 0.763, axis: 'y' } },
        ],
        false,
      ],
    ];
    for (const [art, steps, named] of cases) {
      const library = await features(await libraryPng(art), true);
      const png = await evalCopy(art, steps);
      const [on, dark] = [await features(png), await features(png, false, DARK_ONLY)];
      expect(dark.inverse, art).toBeUndefined();
      expect(verified(dark, library), `${art} always off`).toBe(false);
      const inverse = inverseQuery(on);
      const m = inverse && verify(inverse, library);
      expect(m, art).not.toBeNull();
      // Named a negative where its grey levels run against the drawing's over it (the checker's do not).
      if (named) expect(m?.region.inverted, art).toBe(true);
    }
  });

  it('carries the inverted view through the worker pool blob; a library stores none', async () => {
    const q = await features(await evalCopy(CAT, [NEGATIVE]));
    expect(q.inverse).toBeDefined();
    const back = deserialize(serialize(q));
    expect(back.inverse?.words).toEqual(q.inverse?.words);
    expect(back.inverse?.descriptors).toEqual(q.inverse?.descriptors);
    expect(q.inverseMirror?.words.length).toBeGreaterThan(0);
    expect(back.inverseMirror?.words).toEqual(q.inverseMirror?.words);
    expect(back.primary.words).toEqual(q.primary.words);
    expect(back.mirror?.words).toEqual(q.mirror?.words);
    expect(forLibrary(q).inverse).toBeUndefined();
    expect(forLibrary(q).inverseMirror).toBeUndefined();
    expect(deserialize(serialize(forLibrary(q))).inverse).toBeUndefined();
  });

  it('a check finds the negative and names it: the whole of the drawing, colours inverted', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
      await engine.index({ id: 'mole', creatorId: 'A', card: card('Mole'), image: await libraryPng(MOLE) });
      await engine.index({ id: 'cat', creatorId: 'A', card: card('Black cat'), image: await libraryPng(CAT) });
      const r = await engine.check({ card: card('Night mole'), image: await evalCopy(MOLE, [NEGATIVE]), creatorId: 'B' });
      expect(r.status).toBe('flagged_plagiarism');
      expect(r.matches[0]?.assetId).toBe('mole');
      expect(r.matches[0]?.summary).toBe('the whole of “Mole”, colours inverted');
      expect(r.matches[0]?.region?.inverted).toBe(true);
    } finally {
      engine.close();
    }
  });
});
