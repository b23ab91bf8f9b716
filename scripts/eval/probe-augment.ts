/**
 * The probe's second set of transforms (`npm run eval:probe -- --set augment`): copies made the way
 * image-augmentation libraries make them, written apart from the generated eval's families and the
 * first probe set, and never used to tune the engine — warps no homography models (an elastic
 * field, a grid distortion, lens distortion, a swirl), motion blur, solarizing, embossing,
 * error-diffusion dithering, a halftone screen, shifted colour channels, dropped pixels, haze (a
 * washed-out low-contrast copy) and a ghost (the copy half transparent over another picture). Each
 * draws its parameters from a range with the given Rng.
 */
import type { ProbeContext, ProbeParams, ProbeTransform } from './probe-transforms.ts';
import { type RawImage, toRaw, toSharp } from './raw.ts';
import type { Rng } from './rng.ts';

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Bilinear sample of the RGB at (x, y) in pixel-centre coordinates; white outside the image. */
function sampleRgb(img: RawImage, x: number, y: number): [number, number, number] {
  const { width: w, height: h, data } = img;
  if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) return [255, 255, 255];
  const cx = Math.min(Math.max(x, 0), w - 1);
  const cy = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.min(Math.floor(cx), Math.max(0, w - 2));
  const y0 = Math.min(Math.floor(cy), Math.max(0, h - 2));
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const channel = (c: number) => {
    const at = (xx: number, yy: number) => data[(yy * w + xx) * 4 + c] as number;
    const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
    const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
    return top + (bottom - top) * fy;
  };
  return [channel(0), channel(1), channel(2)];
}

/** The image resampled through `from` (an output pixel centre → the source point it shows). */
function remap(img: RawImage, from: (x: number, y: number) => [number, number]): RawImage {
  return mapPixels(img, (_v, x, y) => sampleRgb(img, ...from(x, y)));
}

/** Maps every pixel's RGB from its position and value (alpha set opaque). */
function mapPixels(img: RawImage, f: (v: [number, number, number], x: number, y: number) => [number, number, number]): RawImage {
  const { width: w, height: h, data } = img;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      const [r, g, b] = f([data[o] as number, data[o + 1] as number, data[o + 2] as number], x, y);
      out[o] = clamp8(r);
      out[o + 1] = clamp8(g);
      out[o + 2] = clamp8(b);
      out[o + 3] = 255;
    }
  return { data: out, width: w, height: h };
}

/** A smooth random field in [-1, 1]: uniform values on a grid of `cell` px, bicubic-interpolated (Catmull–Rom). */
function smoothField(rng: Rng, w: number, h: number, cell: number): (x: number, y: number) => number {
  const gw = Math.ceil(w / cell) + 4;
  const gh = Math.ceil(h / cell) + 4;
  const g = Float64Array.from({ length: gw * gh }, () => rng.uniform(-1, 1));
  const cr = (p0: number, p1: number, p2: number, p3: number, t: number) =>
    p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
  return (x, y) => {
    const u = x / cell + 1;
    const v = y / cell + 1;
    const i = Math.floor(u);
    const j = Math.floor(v);
    const rows = [0, 1, 2, 3].map((k) => {
      const r = (j - 1 + k) * gw;
      return cr(g[r + i - 1] as number, g[r + i] as number, g[r + i + 1] as number, g[r + i + 2] as number, u - i);
    }) as [number, number, number, number];
    return Math.max(-1, Math.min(1, cr(rows[0], rows[1], rows[2], rows[3], v - j)));
  };
}

/** A monotone piecewise-linear map of [0, n] onto itself through `steps` knots moved by up to ±d of a step. */
function gridAxis(rng: Rng, n: number, steps: number, d: number): (t: number) => number {
  const step = n / steps;
  const knots = [0];
  for (let k = 1; k <= steps; k++) knots.push((knots[k - 1] as number) + step * (1 + rng.uniform(-d, d)));
  const scale = n / (knots[steps] as number);
  const at = knots.map((k) => k * scale);
  return (t) => {
    const k = Math.min(steps - 1, Math.max(0, Math.floor(t / step)));
    return (at[k] as number) + (((at[k + 1] as number) - (at[k] as number)) * (t - k * step)) / step;
  };
}

const grey = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

export const AUGMENT_TRANSFORMS: Record<string, ProbeTransform> = {
  /** An elastic field: each pixel displaced by a smooth random field of 3–7 % of the longer side, varying over 8–20 % of it. */
  elastic: async (img, rng) => {
    const side = Math.max(img.width, img.height);
    const alpha = rng.uniform(0.03, 0.07) * side;
    const cell = rng.uniform(0.08, 0.2) * side;
    const fx = smoothField(rng, img.width, img.height, cell);
    const fy = smoothField(rng, img.width, img.height, cell);
    return {
      img: remap(img, (x, y) => [x + alpha * fx(x, y), y + alpha * fy(x, y)]),
      params: { alpha: r3(alpha / side), cell: r3(cell / side) },
    };
  },
  /** A grid distortion: 4–7 steps along each axis, each stretched or squeezed by up to 20–45 %. */
  grid: async (img, rng) => {
    const steps = rng.int(4, 7);
    const d = rng.uniform(0.2, 0.45);
    const gx = gridAxis(rng, img.width, steps, d);
    const gy = gridAxis(rng, img.height, steps, d);
    return { img: remap(img, (x, y) => [gx(x + 0.5) - 0.5, gy(y + 0.5) - 0.5]), params: { steps, d: r3(d) } };
  },
  /** Lens distortion about a centre near the middle: barrel or pincushion, k 0.15–0.5 at the half-diagonal. */
  lens: async (img, rng) => {
    const k = (rng.bool() ? 1 : -1) * rng.uniform(0.15, 0.5);
    const cx = img.width * rng.uniform(0.4, 0.6);
    const cy = img.height * rng.uniform(0.4, 0.6);
    const R = Math.hypot(img.width, img.height) / 2;
    return {
      img: remap(img, (x, y) => {
        const dx = (x - cx) / R;
        const dy = (y - cy) / R;
        const f = 1 + k * (dx * dx + dy * dy);
        return [cx + dx * f * R, cy + dy * f * R];
      }),
      params: { k: r3(k) },
    };
  },
  /** A swirl about a random inner point: turned 1–3 radians at its centre, fading to none at 25–50 % of the longer side. */
  swirl: async (img, rng) => {
    const strength = (rng.bool() ? 1 : -1) * rng.uniform(1, 3);
    const side = Math.max(img.width, img.height);
    const radius = rng.uniform(0.25, 0.5) * side;
    const cx = img.width * rng.uniform(0.3, 0.7);
    const cy = img.height * rng.uniform(0.3, 0.7);
    return {
      img: remap(img, (x, y) => {
        const dx = x - cx;
        const dy = y - cy;
        const r = Math.hypot(dx, dy);
        const a = strength * Math.max(0, 1 - r / radius) ** 2;
        const c = Math.cos(a);
        const s = Math.sin(a);
        return [cx + c * dx - s * dy, cy + s * dx + c * dy];
      }),
      params: { strength: r3(strength), radius: r3(radius / side) },
    };
  },
  /** Motion blur: the mean along a line of 2–6 % of the longer side, at any angle. */
  motion: async (img, rng) => {
    const len = Math.max(3, rng.uniform(0.02, 0.06) * Math.max(img.width, img.height));
    const angle = rng.uniform(0, Math.PI);
    const n = Math.ceil(len);
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    const blurred = mapPixels(img, (_v, x, y) => {
      const sum: [number, number, number] = [0, 0, 0];
      for (let i = 0; i <= n; i++) {
        const t = (i / n - 0.5) * len;
        const px = sampleRgb(img, x + t * ux, y + t * uy);
        for (let c = 0; c < 3; c++) sum[c] = (sum[c] as number) + (px[c] as number);
      }
      return [sum[0] / (n + 1), sum[1] / (n + 1), sum[2] / (n + 1)];
    });
    return { img: blurred, params: { length: r3(len), angle: r3((angle * 180) / Math.PI) } };
  },
  /** Solarize: every channel value above 96–192 inverted. */
  solarize: async (img, rng) => {
    const t = rng.int(96, 192);
    const f = (v: number) => (v >= t ? 255 - v : v);
    return { img: mapPixels(img, ([r, g, b]) => [f(r), f(g), f(b)]), params: { at: t } };
  },
  /** Emboss: the grey relief along a diagonal (strength 1–3) blended over the picture at 50–100 %. */
  emboss: async (img, rng) => {
    const strength = rng.uniform(1, 3);
    const mix = rng.uniform(0.5, 1);
    const { width: w, height: h, data } = img;
    const g = (x: number, y: number) => {
      const xx = Math.min(w - 1, Math.max(0, x));
      const yy = Math.min(h - 1, Math.max(0, y));
      const o = (yy * w + xx) * 4;
      return grey(data[o] as number, data[o + 1] as number, data[o + 2] as number);
    };
    return {
      img: mapPixels(img, ([r, gg, b], x, y) => {
        const e = 128 + strength * (g(x + 1, y + 1) - g(x - 1, y - 1));
        return [r + (e - r) * mix, gg + (e - gg) * mix, b + (e - b) * mix];
      }),
      params: { strength: r3(strength), mix: r3(mix) },
    };
  },
  /** Floyd–Steinberg error diffusion to 2–4 levels a channel. */
  dither: async (img, rng) => {
    const n = rng.int(2, 4);
    const { width: w, height: h, data } = img;
    const out = Buffer.alloc(w * h * 4);
    for (let c = 0; c < 3; c++) {
      const v = Float64Array.from({ length: w * h }, (_, i) => data[i * 4 + c] as number);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const i = y * w + x;
          const old = v[i] as number;
          const q = Math.round((Math.min(255, Math.max(0, old)) / 255) * (n - 1)) * (255 / (n - 1));
          out[i * 4 + c] = clamp8(q);
          const e = old - q;
          if (x + 1 < w) v[i + 1] = (v[i + 1] as number) + (e * 7) / 16;
          if (y + 1 < h) {
            if (x > 0) v[i + w - 1] = (v[i + w - 1] as number) + (e * 3) / 16;
            v[i + w] = (v[i + w] as number) + (e * 5) / 16;
            if (x + 1 < w) v[i + w + 1] = (v[i + w + 1] as number) + e / 16;
          }
        }
    }
    for (let i = 0; i < w * h; i++) out[i * 4 + 3] = 255;
    return { img: { data: out, width: w, height: h }, params: { levels: n } };
  },
  /** A halftone screen: black dots on a 4–8 px grid turned 0–45°, each as large as its cell is dark. */
  halftone: async (img, rng) => {
    const cell = rng.uniform(4, 8);
    const turn = rng.uniform(0, Math.PI / 4);
    const c = Math.cos(turn);
    const s = Math.sin(turn);
    return {
      img: mapPixels(img, (_v, x, y) => {
        // The position on the turned screen, and the centre of its cell there.
        const u = (c * x + s * y) / cell;
        const v = (-s * x + c * y) / cell;
        const du = u - Math.round(u);
        const dv = v - Math.round(v);
        const ux = Math.round(u) * cell;
        const vy = Math.round(v) * cell;
        const darkness = 1 - grey(...sampleRgb(img, c * ux - s * vy, s * ux + c * vy)) / 255;
        return Math.hypot(du, dv) < Math.sqrt(darkness / Math.PI) ? [0, 0, 0] : [255, 255, 255];
      }),
      params: { cell: r3(cell), turn: r3((turn * 180) / Math.PI) },
    };
  },
  /** The red and blue channels shifted 1–3 % of the longer side in opposite directions. */
  rgbshift: async (img, rng) => {
    const d = rng.uniform(0.01, 0.03) * Math.max(img.width, img.height);
    const a = rng.uniform(0, 2 * Math.PI);
    const dx = d * Math.cos(a);
    const dy = d * Math.sin(a);
    return {
      img: mapPixels(img, ([, g], x, y) => [sampleRgb(img, x - dx, y - dy)[0], g, sampleRgb(img, x + dx, y + dy)[2]]),
      params: { shift: r3(d) },
    };
  },
  /** 10–30 % of the pixels replaced by black, white or a random colour each. */
  dropout: async (img, rng) => {
    const p = rng.uniform(0.1, 0.3);
    return {
      img: mapPixels(img, (v) => {
        if (!rng.bool(p)) return v;
        const k = rng.int(0, 2);
        return k === 0 ? [0, 0, 0] : k === 1 ? [255, 255, 255] : [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
      }),
      params: { share: r3(p) },
    };
  },
  /** Haze: blended 60–85 % towards a light colour, thickening from one side to the other. */
  haze: async (img, rng) => {
    const near = rng.uniform(0.6, 0.75);
    const far = rng.uniform(near, 0.85);
    const fog = [rng.int(200, 255), rng.int(200, 255), rng.int(200, 255)] as const;
    const a = rng.uniform(0, 2 * Math.PI);
    const ux = Math.cos(a);
    const uy = Math.sin(a);
    const span = Math.abs(ux) * img.width + Math.abs(uy) * img.height || 1;
    const x0 = ux < 0 ? img.width : 0;
    const y0 = uy < 0 ? img.height : 0;
    return {
      img: mapPixels(img, (v, x, y) => {
        const t = near + (far - near) * (((x - x0) * ux + (y - y0) * uy) / span);
        return [v[0] + (fog[0] - v[0]) * t, v[1] + (fog[1] - v[1]) * t, v[2] + (fog[2] - v[2]) * t];
      }),
      params: { near: r3(near), far: r3(far) },
    };
  },
  /** The copy at 35–65 % opacity over another picture of the same size (params.fillers: its file). */
  ghost: async (img, rng, ctx: ProbeContext) => {
    const opacity = rng.uniform(0.35, 0.65);
    const other = rng.pick(ctx.fillers);
    const under = await toRaw(toSharp(other.img).resize(img.width, img.height, { fit: 'fill' }));
    const params: ProbeParams = { opacity: r3(opacity), fillers: other.file };
    return {
      img: mapPixels(img, (v, x, y) => {
        const o = (y * img.width + x) * 4;
        return [0, 1, 2].map((c) => (under.data[o + c] as number) * (1 - opacity) + (v[c] as number) * opacity) as [number, number, number];
      }),
      params,
    };
  },
};

export const AUGMENT_NAMES = Object.keys(AUGMENT_TRANSFORMS);
