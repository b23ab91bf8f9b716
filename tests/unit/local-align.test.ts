/**
 * ECC alignment (engine/image/local/align.ts) and the refinement of a weak model by its pixels
 * (appearance.ts modelRefiner, verify.ts confirmByAppearance). On synthetic drawings it recovers a
 * known homography through a change of gain and offset, and lands where OpenCV's own
 * findTransformECC lands; on a real clip-art copy it brings a model knocked a fifth off back onto
 * the drawing, so the copy looks like its original again, and does not make an unrelated drawing
 * look like it; and verify() finds two copies of the generated eval (rendered again from their
 * parameters) with the alignment and not without it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { alignEcc } from '../../engine/image/local/align.ts';
import { appearance, modelRefiner } from '../../engine/image/local/appearance.ts';
import { loadCv } from '../../engine/image/local/cv.ts';
import { type Homography, multiply, project } from '../../engine/image/local/homography.ts';
import { terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import type { Step } from '../../scripts/eval/params.ts';
import sharp from 'sharp';
import { A, B, C, lib, query } from '../helpers/clipart.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { perspective } from '../helpers/image-transforms.ts';
import { localWith } from '../helpers/policy.ts';

const P = UNIQUENESS_POLICY.local;
const AP = P.appearance;
const ECC = { iterations: 50, eps: 1e-6, minPixels: 200 };
/** The options verify.ts passes (the policy's, coarse to fine). */
const REFINE = { iterations: AP.refine.iterations, eps: AP.refine.eps, levels: AP.refine.levels, minPixels: AP.minPixels };
const W = 96;
const Hh = 80;

afterAll(() => terminateLocalFeaturePool());

/** A smooth synthetic drawing: a few soft blobs and two soft bars on a light ground. */
function drawing(x: number, y: number): number {
  const blob = (cx: number, cy: number, r: number, a: number): number => a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
  const bar = (d: number, r: number, a: number): number => a * Math.exp(-(d * d) / (2 * r * r));
  return (
    220 - blob(30, 25, 7, 120) - blob(62, 50, 9, 90) - blob(45, 62, 5, 140) - bar(0.6 * x - y + 10, 2.5, 80) - bar(x + 0.3 * y - 70, 2, 70)
  );
}

function render(f: (x: number, y: number) => number): Float64Array {
  const out = new Float64Array(W * Hh);
  for (let y = 0; y < Hh; y++) for (let x = 0; x < W; x++) out[y * W + x] = f(x, y);
  return out;
}

/** Largest distance between where two homographies send the template's corners. */
function cornerGap(a: Homography, b: Homography): number {
  let worst = 0;
  for (const [x, y] of [
    [0, 0],
    [W - 1, 0],
    [W - 1, Hh - 1],
    [0, Hh - 1],
  ] as const) {
    const p = project(a, x, y)!;
    const q = project(b, x, y)!;
    worst = Math.max(worst, Math.hypot(p[0] - q[0], p[1] - q[1]));
  }
  return worst;
}

// Template pixel → input pixel: a small perspective turn and shift.
const TRUE_H: Homography = [1.04, 0.05, -2.5, -0.03, 0.97, 1.8, 0.0006, -0.0004, 1];
const template = render(drawing);
// The input is the drawing seen through TRUE_H⁻¹, darker and with an offset: input(TRUE_H(x)) = 0.7 · template(x) + 30.
const inv = (() => {
  const [a, b, c, d, e, f, g, h, i] = TRUE_H;
  const A0 = e * i - f * h;
  const B0 = -(d * i - f * g);
  const C0 = d * h - e * g;
  const det = a * A0 + b * B0 + c * C0;
  return [A0, -(b * i - c * h), b * f - c * e, B0, a * i - c * g, -(a * f - c * d), C0, -(a * h - b * g), a * e - b * d].map(
    (v) => v / det,
  ) as Homography;
})();
const input = render((x, y) => {
  const p = project(inv, x, y)!;
  return 0.7 * drawing(p[0], p[1]) + 30;
});
const everywhere = new Uint8Array(W * Hh).fill(1);
const content = (() => {
  const m = new Uint8Array(W * Hh);
  for (let i = 0; i < W * Hh; i++) m[i] = (template[i] as number) < 200 ? 1 : 0;
  return m;
})();

/**
 * A clip-art file's copy made by the eval's own transforms from `steps` (tests/helpers/eval-copies.ts),
 * described as a query (`q`), and the file as the library stores it, described as a library entry.
 */
/** OpenCV's findTransformECC of `input` onto the template, unmasked (50 iterations, ε 1e-6, blur 5). */
async function openCvEcc(input: Float64Array, motion: 'homography' | 'affine'): Promise<{ warp: Homography; rho: number }> {
  const { cv: CV } = await loadCv();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wider OpenCV.js surface is not in the Cv interface
  const cv = CV as any;
  const t = cv.matFromArray(Hh, W, cv.CV_32FC1, Array.from(template));
  const i = cv.matFromArray(Hh, W, cv.CV_32FC1, Array.from(input));
  const m = cv.matFromArray(Hh, W, cv.CV_8UC1, new Array(W * Hh).fill(255));
  const affine = motion === 'affine';
  const warp = cv.Mat.eye(affine ? 2 : 3, 3, cv.CV_32FC1);
  const crit = new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, 50, 1e-6);
  const rho = cv.findTransformECC(t, i, warp, affine ? cv.MOTION_AFFINE : cv.MOTION_HOMOGRAPHY, crit, m, 5) as number;
  const w = Array.from(warp.data32F as Float32Array);
  for (const x of [t, i, m, warp]) x.delete();
  return { warp: (affine ? [...w, 0, 0, 1] : w) as Homography, rho };
}

async function rendered(file: string, steps: Step[]) {
  return { q: await query(await evalCopy(file, steps)), original: await lib(await libraryPng(file)) };
}

/** The input with its left half empty (a query frame that ends there), and the mask of the half that carries data. */
function halfEmpty(): { half: Uint8Array; cut: Float64Array } {
  const half = new Uint8Array(W * Hh);
  const cut = Float64Array.from(input);
  for (let y = 0; y < Hh; y++)
    for (let x = 0; x < W; x++) {
      half[y * W + x] = x >= W / 2 ? 1 : 0;
      if (x < W / 2) cut[y * W + x] = 0;
    }
  return { half, cut };
}

describe('alignEcc', () => {
  it('recovers a known perspective warp through a change of gain and offset', () => {
    const r = alignEcc(template, input, everywhere, content, W, Hh, ECC);
    expect(r).not.toBeNull();
    expect(r!.rho).toBeGreaterThan(0.99);
    expect(cornerGap(r!.warp, TRUE_H)).toBeLessThan(0.5);
    // Where it started (the identity) was several pixels off.
    expect(cornerGap([1, 0, 0, 0, 1, 0, 0, 0, 1], TRUE_H)).toBeGreaterThan(3);
  });

  it("lands where OpenCV's findTransformECC (MOTION_HOMOGRAPHY) lands on the same images", async () => {
    // Compared unmasked: OpenCV 4.5's mask marks the input's valid pixels, ours the template's content.
    const { warp: theirs, rho } = await openCvEcc(input, 'homography');
    const ours = alignEcc(template, input, everywhere, everywhere, W, Hh, ECC)!;
    expect(rho).toBeGreaterThan(0.95);
    // Both land about a pixel from the truth at the template's corners (OpenCV 1.03 px, ours 0.47 px
    // when measured: it works in float32 and samples the empty border unmasked), so within 2 px of
    // each other.
    expect(cornerGap(theirs, TRUE_H)).toBeLessThan(1.5);
    expect(cornerGap(ours.warp, TRUE_H)).toBeLessThanOrEqual(cornerGap(theirs, TRUE_H));
    expect(cornerGap(ours.warp, theirs)).toBeLessThan(2);
    expect(Math.abs(ours.rho - rho)).toBeLessThan(0.03);
  });

  it("fits an affine map when asked (MOTION_AFFINE): the perspective terms stay 0, where OpenCV's land", async () => {
    // Template pixel → input pixel: a turn, a stretch and a shift, no perspective.
    const A: Homography = [1.05, 0.08, -2, -0.06, 0.95, 1.5, 0, 0, 1];
    const det = A[0] * A[4] - A[1] * A[3];
    const Ainv: Homography = [
      A[4] / det,
      -A[1] / det,
      (A[1] * A[5] - A[4] * A[2]) / det,
      -A[3] / det,
      A[0] / det,
      (A[3] * A[2] - A[0] * A[5]) / det,
      0,
      0,
      1,
    ];
    const affineInput = render((x, y) => {
      const p = project(Ainv, x, y)!;
      return 0.8 * drawing(p[0], p[1]) + 20;
    });
    const r = alignEcc(template, affineInput, everywhere, content, W, Hh, { ...ECC, motion: 'affine' });
    expect(r).not.toBeNull();
    expect(r!.warp[6]).toBe(0);
    expect(r!.warp[7]).toBe(0);
    expect(r!.rho).toBeGreaterThan(0.99);
    expect(cornerGap(r!.warp, A)).toBeLessThan(0.5);
    const { warp: theirs } = await openCvEcc(affineInput, 'affine');
    const ours = alignEcc(template, affineInput, everywhere, everywhere, W, Hh, { ...ECC, motion: 'affine' })!;
    expect(cornerGap(theirs, A)).toBeLessThan(1.5);
    expect(cornerGap(ours.warp, theirs)).toBeLessThan(2);
  });

  it('uses only the input pixels that carry data, and gives up when too few overlap', () => {
    // The input's left half is empty (a query frame ends there): still aligned on the rest.
    const { half, cut } = halfEmpty();
    const r = alignEcc(template, cut, half, content, W, Hh, ECC);
    expect(r).not.toBeNull();
    expect(cornerGap(r!.warp, TRUE_H)).toBeLessThan(2.5);
    expect(alignEcc(template, cut, half, content, W, Hh, { ...ECC, minPixels: W * Hh })).toBeNull();
    expect(alignEcc(template, input, new Uint8Array(W * Hh), content, W, Hh, ECC)).toBeNull();
  });

  it('skips a coarse level left with too few pixels and aligns at full resolution', () => {
    // Half the input empty (a crop's frame) and a pixel floor that the full grid meets but its
    // quarter- and sixteenth-size levels, eroded at the data's edge, do not: a failing coarse level
    // hands the finer one its warp (it used to fail the whole alignment).
    const { half, cut } = halfEmpty();
    const floor = { ...ECC, minPixels: 1000 };
    const fine = alignEcc(template, cut, half, content, W, Hh, { ...floor, levels: 1 });
    expect(fine).not.toBeNull();
    const coarse = alignEcc(template, cut, half, content, W, Hh, { ...floor, levels: 3 });
    expect(coarse).not.toBeNull();
    expect(coarse!.rho).toBeGreaterThan(0.99);
    expect(cornerGap(coarse!.warp, TRUE_H)).toBeLessThan(2.5);
    // The full resolution's own floor still fails it.
    expect(alignEcc(template, cut, half, content, W, Hh, { ...ECC, minPixels: 1200, levels: 3 })).toBeNull();
  });
});

describe('modelRefiner', () => {
  it('brings a model a fifth off back onto a perspective copy of real clip art; an unrelated drawing stays unlike', async () => {
    const libA = await lib(A);
    const copy = await query(
      await perspective(A, [
        [0.12, 0.05],
        [0.02, 0.15],
        [0.1, 0.02],
        [0.04, 0.12],
      ]),
    );
    const m = verify(copy, libA);
    expect(m).not.toBeNull();
    const good = appearance(copy, libA, m!.homography, AP)!;
    expect(good.score).toBeGreaterThan(AP.minScore);
    // Knocked off: shrunk by a fifth about the frame's centre and shifted — as a model fitted on a
    // few keypoints at five places can be.
    const cx = libA.width / 2;
    const cy = libA.height / 2;
    const off = multiply(m!.homography, [0.82, 0.03, cx * 0.18 + 9, -0.02, 0.84, cy * 0.16 - 6, 0, 0, 1]);
    const before = appearance(copy, libA, off, AP)!;
    expect(before.score).toBeLessThan(AP.minScore);
    const refined = modelRefiner(copy, libA, off, AP)?.(REFINE) ?? null;
    expect(refined).not.toBeNull();
    const after = appearance(copy, libA, refined!, AP)!;
    expect(after.score).toBeGreaterThan(AP.minScore);
    expect(after.agree).toBeGreaterThanOrEqual(AP.minAgree);
    // An unrelated drawing seen through the same knocked-off model is aligned as well as it can be, and still does not look like the mole.
    for (const other of [B, C]) {
      const q = await query(other);
      const r = modelRefiner(q, libA, off, AP)?.(REFINE) ?? null;
      const looks = r ? appearance(q, libA, r, AP) : null;
      expect(looks === null || looks.score < AP.minScore).toBe(true);
    }
  });
});

describe('verify with alignment', () => {
  // Two copies of the generated eval that only the alignment finds, rendered again from their
  // seeds' parameters exactly as the eval renders them (byte-identical to the saved queries): a
  // banana (seed 660021, perspective-9) and a floppy disk (660022, perspective-18). Their weak
  // consensus (14–15 inliers at 5 places) scores 0.43–0.47 before alignment and 0.83–0.99 after.
  const cases = [
    {
      file: 'food/fruit/banana.png',
      mirrored: true,
      params: {
        strength: 0.126,
        tlx: 0.089,
        tly: 0.126,
        trx: 0.013,
        try: 0.125,
        brx: 0.106,
        bry: 0.063,
        blx: 0.107,
        bly: 0.007,
        fill: 'grey',
      },
    },
    {
      file: 'office/floppy_frederic_moser_01.png',
      // Mirrored, its mirrored view's best consensus is another one (18 inliers at 5 places) that
      // scores 0.26, below where alignment starts: not found either way.
      mirrored: false,
      params: {
        strength: 0.238,
        tlx: 0.195,
        tly: 0.238,
        trx: 0.121,
        try: 0.113,
        brx: 0.151,
        bry: 0.063,
        blx: 0.15,
        bly: 0.227,
        fill: 'white',
      },
    },
  ];
  // Without the alignment (and without growing the weak model first, appearance.regrow, which
  // lines some of these copies up too).
  // Neither aligned nor regrown; nor traced as a bent copy (trace-bend.ts), which also finds these copies.
  const off = localWith({ appearance: { refine: { iterations: 0 }, regrow: 0, unlike: { pieces: { trace: { rounds: 0 } } } } });

  it.each(cases)('finds a generated perspective copy of $file only once its weak model is aligned', async ({ file, params, mirrored }) => {
    const { q, original } = await rendered(file, [{ family: 'perspective', params }]);
    expect(verify(q, original, off)).toBeNull();
    const said: string[] = [];
    const m = verify(q, original, P, undefined, (w) => said.push(w));
    expect(m).not.toBeNull();
    expect(said.some((w) => w.startsWith('refined'))).toBe(true);
    expect(said).toContain('confirmed by appearance');
    // The reported region is the refined one: the library frame's centre lands inside the copy.
    const c = project(m!.homography, original.width / 2, original.height / 2)!;
    expect(c[0]).toBeGreaterThan(0);
    expect(c[0]).toBeLessThan(q.width);
    expect(c[1]).toBeGreaterThan(0);
    expect(c[1]).toBeLessThan(q.height);
    if (!mirrored) return;
    // The same copy mirrored: found through the mirrored view and the same alignment, and placed
    // where the mirror puts it (the region reported in the query's own, unmirrored frame).
    const qm = await query(
      await evalCopy(file, [
        { family: 'perspective', params },
        { family: 'mirror', params: { axis: 'horizontal' } },
      ]),
    );
    expect(verify(qm, original, off)).toBeNull();
    const mm = verify(qm, original, P);
    expect(mm).not.toBeNull();
    expect(mm!.region.mirrored).toBe(true);
    const cm = project(mm!.homography, original.width / 2, original.height / 2)!;
    expect(Math.abs(cm[0] - (q.width - c[0]))).toBeLessThan(3);
    expect(Math.abs(cm[1] - c[1])).toBeLessThan(3);
  });
});

describe('alignment of a crop', () => {
  // Seed 660119's crop-22: 78 % of a shaded pudding ring (smooth, few keypoints), rendered again
  // from its parameters. Its weak consensus (14 inliers at 4 places) scores 0.45 as fitted; the
  // query frame covers only the library frame's middle, so the alignment's sixteenth-size level
  // kept too few pixels after two steps and, failing, failed the whole alignment: missed. With that
  // level skipped the finer ones align it (0.996, every cell agreeing).
  const CROP = { family: 'crop' as const, params: { area: 0.784, aspect: 0.784, x: 0.631, y: 0.321 } };
  const off = localWith({ appearance: { refine: { iterations: 0 }, regrow: 0 } });

  it('finds a crop of a shaded drawing once its weak model is aligned', async () => {
    const { q, original } = await rendered('food/desserts/pudim_valessio_soares_de_.png', [CROP]);
    expect(verify(q, original, off)).toBeNull();
    const said: string[] = [];
    const m = verify(q, original, P, undefined, (w) => said.push(w));
    expect(m).not.toBeNull();
    const refined = said.find((w) => w.startsWith('refined'));
    expect(Number(/refined \w+ ([\d.]+)/.exec(refined ?? '')?.[1])).toBeGreaterThan(0.9);
    expect(said).toContain('confirmed by appearance');
    // A crop: the copy fills the query and holds the library frame's middle.
    expect(m!.region.matchCoverage).toBeGreaterThan(0.6);
    expect(m!.region.matchCoverage).toBeLessThan(0.9);
  }, 60_000);
});

describe('alignment and a shared ring', () => {
  it('pulls a ring shared by two different signs into place, and refuses it: a cell disagrees', async () => {
    const ring = (glyph: string): Promise<Buffer> =>
      sharp(
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="#fff"/><circle cx="300" cy="300" r="250" fill="none" stroke="#000" stroke-width="50"/><text x="300" y="390" font-size="260" text-anchor="middle" font-family="DejaVu Sans">${glyph}</text></svg>`,
        ),
      )
        .png()
        .toBuffer();
    const said: string[] = [];
    const m = verify(await query(await ring('$')), await lib(await ring('?')), P, undefined, (w) => said.push(w));
    expect(m).toBeNull();
    // Aligned, the ring scores above the appearance gate; only the per-cell requirement refuses it.
    const refined = said.find((w) => w.startsWith('refined'));
    expect(refined).toBeDefined();
    expect(Number(refined!.split(' ')[2])).toBeGreaterThan(AP.minScore);
    const agree = Number(refined!.split(' agree ')[1]!.split(' ')[0]);
    expect(agree).toBeLessThan(AP.refine.minAgree);
    expect(agree).toBeGreaterThanOrEqual(AP.minAgree);
  });
});
