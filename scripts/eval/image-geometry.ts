/** Geometric image families: crop, rotation, shear, perspective, aspect stretch and mirroring. */
import { type ImageFamily, FILLS, drawFill, fillOf, num, str } from './image-family.ts';
import { toRaw, toSharp, warpPerspective } from './raw.ts';
import { cropRect } from './kept.ts';
import { round } from './rng.ts';

const fill = { fill: FILLS };

export const crop: ImageFamily = {
  name: 'crop',
  spec: { ranges: { area: [0.4, 0.9], aspect: [0.6, 1.67], x: [0, 1], y: [0, 1] }, choices: {}, free: [] },
  draw(rng) {
    const area = round(rng.uniform(0.4, 0.9));
    // Crop aspect relative to the source's, limited so the crop fits inside the frame.
    const aspect = round(Math.min(Math.min(1.67, 1 / area), Math.max(Math.max(0.6, area), rng.logUniform(0.6, 1.67))));
    return { area, aspect, x: round(rng.next()), y: round(rng.next()) };
  },
  async apply(img, p) {
    const rect = cropRect(img.width, img.height, num(p, 'area'), num(p, 'aspect'), num(p, 'x'), num(p, 'y'));
    return { img: await toRaw(toSharp(img).extract(rect)) };
  },
};

export const rotate: ImageFamily = {
  name: 'rotate',
  spec: { ranges: { angle: [-180, 180] }, choices: { canvas: ['expand', 'crop'], ...fill }, free: [] },
  draw(rng, _ctx, opt) {
    return { angle: round(rng.uniform(-180, 180), 2), canvas: rng.pick(['expand', 'crop'] as const), fill: drawFill(rng, opt) };
  },
  async apply(img, p) {
    const rotated = await toRaw(toSharp(img).rotate(num(p, 'angle'), { background: fillOf(p) }));
    if (str(p, 'canvas') === 'expand') return { img: rotated };
    // Cropped back to the original frame, centred: the corners of the artwork are lost.
    const left = Math.max(0, Math.floor((rotated.width - img.width) / 2));
    const top = Math.max(0, Math.floor((rotated.height - img.height) / 2));
    const width = Math.min(img.width, rotated.width - left);
    const height = Math.min(img.height, rotated.height - top);
    return { img: await toRaw(toSharp(rotated).extract({ left, top, width, height })) };
  },
};

export const shear: ImageFamily = {
  name: 'shear',
  spec: { ranges: { shx: [-0.45, 0.45], shy: [-0.45, 0.45] }, choices: fill, free: [] },
  draw(rng, _ctx, opt) {
    let shx = rng.uniform(-0.45, 0.45);
    let shy = rng.bool(0.5) ? rng.uniform(-0.45, 0.45) : 0;
    if (Math.max(Math.abs(shx), Math.abs(shy)) < 0.1) shx = (rng.bool() ? 1 : -1) * rng.uniform(0.1, 0.45);
    [shx, shy] = rng.bool() ? [shx, shy] : [shy, shx];
    return { shx: round(shx), shy: round(shy), fill: drawFill(rng, opt) };
  },
  async apply(img, p) {
    const m: [[number, number], [number, number]] = [
      [1, num(p, 'shx')],
      [num(p, 'shy'), 1],
    ];
    return { img: await toRaw(toSharp(img).affine(m, { background: fillOf(p), interpolator: 'bicubic' })) };
  },
};

const CORNERS = ['tlx', 'tly', 'trx', 'try', 'brx', 'bry', 'blx', 'bly'] as const;

export const perspective: ImageFamily = {
  name: 'perspective',
  spec: { ranges: { strength: [0.05, 0.25], ...Object.fromEntries(CORNERS.map((k) => [k, [0, 0.25] as const])) }, choices: fill, free: [] },
  draw(rng, _ctx, opt) {
    // Each corner moves inwards by up to `strength` of the side (at most a quarter); one by exactly that much.
    const strength = round(rng.uniform(0.05, 0.25));
    const v = CORNERS.map(() => rng.uniform(0, strength));
    v[rng.int(0, 7)] = strength;
    return { strength, ...Object.fromEntries(CORNERS.map((k, i) => [k, round(v[i] as number)])), fill: drawFill(rng, opt) };
  },
  async apply(img, p) {
    const W = img.width - 1;
    const H = img.height - 1;
    const corners: [number, number][] = [
      [num(p, 'tlx') * W, num(p, 'tly') * H],
      [W - num(p, 'trx') * W, num(p, 'try') * H],
      [W - num(p, 'brx') * W, H - num(p, 'bry') * H],
      [num(p, 'blx') * W, H - num(p, 'bly') * H],
    ];
    return { img: warpPerspective(img, corners, fillOf(p)) };
  },
};

export const stretch: ImageFamily = {
  name: 'stretch',
  spec: { ranges: { factor: [0.55, 1.8] }, choices: { axis: ['x', 'y'] }, free: [] },
  draw(rng) {
    const f = rng.logUniform(1.18, 1.8);
    return { factor: round(rng.bool() ? f : 1 / f), axis: rng.pick(['x', 'y'] as const) };
  },
  async apply(img, p) {
    const f = num(p, 'factor');
    const x = str(p, 'axis') === 'x';
    const width = Math.max(8, Math.round(img.width * (x ? f : 1)));
    const height = Math.max(8, Math.round(img.height * (x ? 1 : f)));
    return { img: await toRaw(toSharp(img).resize(width, height, { fit: 'fill' })) };
  },
};

export const mirror: ImageFamily = {
  name: 'mirror',
  spec: { ranges: {}, choices: { axis: ['horizontal', 'vertical', 'both'] }, free: [] },
  draw(rng) {
    return { axis: rng.pick(['horizontal', 'horizontal', 'vertical', 'both'] as const) };
  },
  async apply(img, p) {
    const axis = str(p, 'axis');
    let s = toSharp(img);
    if (axis !== 'vertical') s = s.flop();
    if (axis !== 'horizontal') s = s.flip();
    return { img: await toRaw(s) };
  },
};
