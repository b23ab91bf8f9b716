/**
 * A query's background, whitened: the region joined to the frame's border whose colours are the
 * border's own (a solid colour, a gradient, stripes, dots or noise behind clip art), painted white.
 *
 * The library stores transparent clip art flattened on white. The same art flattened on a dark or
 * textured background keeps its drawing but changes everything around it: ORB spends its keypoint
 * budget on the texture (a dotted backdrop fills all 800), and the outline's contrast flips. The
 * whitened frame shows ORB the drawing as the library saw it; its keypoints are added to the
 * query's (extract.ts), so nothing the plain frame found is lost when this guesses wrong.
 *
 * The border's colours are quantised; the most frequent bins covering `coverage` of the border
 * (art touching the edge is a minority of it) form the background's palette, widened by one bin.
 * A flood fill from the border through pixels of that palette marks the background; regions of the
 * palette the art encloses (holes in transparent art) join it when larger than a speck, and small
 * islands left inside it (dots whose colour the border never shows, specks of noise) join it, as
 * do many alike solid islands of one colour larger than a speck (a coarse dot pattern: DotParams;
 * under grain, of one colour when their pixels spread no more than the grain does).
 * On a grainy border, a colour only the widening admits that the frame holds far more often than
 * the border does keeps the inside of its thick strokes out of the fill (a black outline beside a
 * dark backdrop's near-black grain: widenFactor), and a drawing's smooth regions and strokes keep
 * out of it whatever their colour (grain steps between neighbours, a drawing does not: NoiseParams
 * smooth). A border under heavy grain whose colours give nothing so is binned again smoothed
 * (NoiseParams).
 *
 * A copy made by turning, shearing or warping a picture of the art on its backdrop puts that picture
 * on the editor's fill: on a white one the border looks like the library's and nothing was
 * whitened. When what the white fill leaves is a picture — large, convex and straight-edged — its
 * own backdrop is peeled the same way, from a band just inside its edge. On a dark or coloured fill
 * the whitened frame stays the outer peel alone, and the picture peeled as well comes back as a
 * second frame (whitenBackgrounds), which frame.ts cuts out as one more zoom window.
 */
import { borderPixels, grow } from './flood.ts';
import { boxMean } from './smooth.ts';
import { bbox, convexHull, corners, polygonArea, type Pt } from './geometry.ts';

export interface BackgroundParams {
  /** Bits kept per colour channel when quantising (4: 16 levels). */
  bits: number;
  /** Share of the border's pixels the palette must cover. */
  coverage: number;
  /**
   * Largest palette (bins before widening), and largest as a share of the border's pixels: a border
   * with more colours is a photograph's, not a backdrop.
   */
  maxBins: number;
  maxBinShare: number;
  /** Largest island (share of the frame) inside the backdrop that is taken as part of it: dots, specks. */
  maxSpeck: number;
  /** Border share that is already near-white above which nothing is done (the library's own look). */
  maxWhiteShare: number;
  /** The whitened region must cover this share of the frame, and leave at least `minContent` of it. */
  minShare: number;
  minContent: number;
  /** A picture inside the backdrop peeled too (its own backdrop whitened); absent: only the outer one. */
  picture?: PictureParams;
  /** A noisy border's colours binned from a smoothed copy (NoiseParams); absent: never. */
  noise?: NoiseParams;
  /**
   * On a grainy border (its median neighbour step at least `noise.minStep`), binned as it is: a
   * colour the palette takes in only by widening is crowded when the frame (outside what is
   * already backdrop) holds it more than this many times as often as the border does, and in more
   * than a speck's worth of pixels (crowded); the inside of a stroke at least three pixels wide in
   * crowded colours is then kept as content (keepThickCrowded). Absent (or without `noise`):
   * widening is never undone.
   */
  widenFactor?: number;
  /** Islands inside the backdrop larger than a speck that repeat alike join it (DotParams); absent: never. */
  dots?: DotParams;
}

/**
 * A dotted backdrop whose dots are larger than a speck (a coarse pattern on a small copy) leaves
 * them inside the whitened frame. Islands the fill did not reach — up to `maxShare` of the frame,
 * not touching its edge — that look like dots (solid: at least `minFill` of their bounding box;
 * of one colour: at least `minColour` of their pixels in one bin) join the backdrop when at least
 * `minCount` of them share that bin and are alike: within `tolerance` of their median's pixel
 * count and of both sides of its bounding box. A drawing's own repeated parts (a diagram's boats,
 * a title's letters) are many-coloured or hollow, and the plain frame keeps them anyway.
 */
export interface DotParams {
  maxShare: number;
  minFill: number;
  minColour: number;
  minCount: number;
  tolerance: number;
  /**
   * On a grainy border (NoiseParams' measure), an island whose colour spreads no more than this
   * many times the border's median step (its pixels as they are, the largest channel's standard
   * deviation) is of one colour too: grain scatters a dot's pixels over many bins, so that no bin
   * holds `minColour` of them. There the islands are grouped by their mean colours (within one
   * bin's width of each other) rather than by their commonest bins. Absent: the bins alone decide.
   */
  grainSpread?: number;
}

/**
 * A grainy border's pixels as they are and its median step (borderSteps): what DotParams.grainSpread
 * is judged by; `smooth`, keepSmooth's largest step between smooth neighbours (0: not applied).
 */
interface Grainy {
  rgb: Uint8Array;
  channels: number;
  step: number;
  smooth: number;
}

/**
 * Grain over the backdrop (noise added to the whole copy): a solid colour with heavy grain spreads
 * over so many bins that its palette is taken for a photograph's, or swallows the art's colours,
 * and nothing is whitened. Then, when the median step between neighbouring border pixels (the
 * largest channel's) reaches `minStep` grey levels, the colours are binned again from a copy
 * box-averaged over (2 · radius + 1)² pixels, which brings the grain's spread down about that many
 * times. Only then: a dotted backdrop smoothed leaves blurred dots along the art's outline, where
 * the dots as they are join the backdrop as specks.
 */
export interface NoiseParams {
  minStep: number;
  radius: number;
  /**
   * On such a border, a palette pixel whose two neighbours along its row or its column both lie
   * within smooth × the border's median step (every channel), in a connected run of at least
   * smoothRun such pixels, is kept as content (keepSmooth) — when at most smoothMaxNear of the
   * border's neighbouring pixels are that near each other; smooth 0 turns it off.
   */
  smooth: number;
  smoothRun: number;
  smoothMaxNear: number;
}

/** A tilted or warped picture inside the frame's backdrop (policy local.background.picture). */
export interface PictureParams {
  /** Share of the frame the region left inside the outer backdrop must cover to be taken for a picture. */
  minShare: number;
  /** Its pixels over the area of its convex hull: a rectangle turned, sheared or seen in perspective is convex. */
  solidity: number;
  /**
   * At most this many corners when its hull is simplified to within `straightness` of the hull's
   * diagonal: a picture's edges are straight (a rectangle turned, sheared or put in perspective,
   * its corners perhaps cut by the frame); an apple, a coin or a face is convex too, but round.
   */
  maxCorners: number;
  straightness: number;
  /** Band inside the picture's edge (pixels from the outer backdrop) whose colours make its own backdrop's palette. */
  ringFrom: number;
  ringTo: number;
  /** Share of the picture the inner backdrop must cover: less is the picture's drawing, not its backdrop. */
  minFill: number;
  /** How many pictures, one inside the other, are peeled at most. */
  layers: number;
  /** Inside a white border, a picture is looked for in full only when a sample of the frame this many pixels across shows one. */
  probe: number;
  /** Share of the band's pixels its palette must cover (art touching the picture's edge is a minority of it). */
  coverage: number;
}

/**
 * `gray` with its backdrop painted white, or null when the frame has no backdrop to remove (a white
 * or photographic border, or a fill that takes nearly everything or almost nothing). `rgb` holds
 * `channels` interleaved channels (1: grey, 3: colour) of the same w × h pixels as `gray`.
 *
 * With `p.picture`, a white border is not the end: when what the white around the frame leaves is a
 * picture — convex and straight-edged, as a rectangular image turned, sheared or put in
 * perspective on a white canvas is — its own backdrop (the colours of a band just inside its edge:
 * the dots, stripes or checks behind the art) is filled from that band as an outer one is from the
 * border, and the frame comes back whitened.
 */
export function whitenBackground(
  rgb: Uint8Array,
  channels: number,
  gray: Uint8Array,
  w: number,
  h: number,
  p: BackgroundParams,
): Uint8Array | null {
  return whitenBackgrounds(rgb, channels, gray, w, h, p).flat;
}

/** The frame whitened (whitenBackground), and on a dark or coloured border also with the picture inside its backdrop peeled. */
export interface Whitened {
  /** What whitenBackground gives. */
  flat: Uint8Array | null;
  /**
   * On a border that is not white, with `p.picture`: the frame with the outer backdrop whitened and
   * the picture inside it peeled as well (a picture turned, sheared or warped on a dark or grey
   * fill), or null when no picture is found there. A view of its own beside `flat`, never in place
   * of it: a drawing shaped like a picture (a calculator, a sign) on a dark backdrop would lose its body.
   */
  picture: Uint8Array | null;
}

/** whitenBackground, with the picture a dark or coloured border leaves peeled as a second frame (Whitened). */
export function whitenBackgrounds(
  rgb: Uint8Array,
  channels: number,
  gray: Uint8Array,
  w: number,
  h: number,
  p: BackgroundParams,
): Whitened {
  const none: Whitened = { flat: null, picture: null };
  const n = w * h;
  if (w < 3 || h < 3 || gray.length !== n || rgb.length !== n * channels) return none;
  // The border's pixels, and how much of it is already white.
  const border = borderPixels(w, h);
  let white = 0;
  for (const i of border) if ((gray[i] as number) >= 235) white++;
  const whiteBorder = white / border.length > p.maxWhiteShare;
  // A white border is the library's own look: looked at further only when a sparse sample of the
  // frame shows a picture inside it (the white fill of a turned, sheared or warped picture).
  if (whiteBorder && (!p.picture || !probePicture(rgb, channels, w, h, p, p.picture))) return none;

  // A grainy border (NoiseParams' measure). Only there, binned as it is, are crowded colours looked
  // for (widenFactor): a blurred copy's edges are thick bands of colours the border never shows too.
  const steps = p.noise ? borderSteps(rgb, channels, w, h) : null;
  const step = steps?.median ?? 0;
  const grain = p.noise && steps && step >= p.noise.minStep ? p.noise : null;
  // keepSmooth's premise, that grain steps between neighbours, holds only where few of the border's
  // neighbours are that near (two colours at random leave half of them equal).
  const near = grain && grain.smooth > 0 ? Math.max(1, Math.floor(grain.smooth * step)) : 0;
  const smooth = grain && steps && near > 0 && steps.atMost(near) <= grain.smoothMaxNear ? near : 0;
  const grainy: Grainy | undefined = grain ? { rgb, channels, step, smooth } : undefined;
  const plain: BackgroundParams = { ...p, widenFactor: undefined };
  const found = peelFrame(quantise(rgb, channels, n, p.bits), gray, border, whiteBorder, w, grain ? p : plain, grainy);
  // Grain over the backdrop: when its colours as they are gave nothing, binned again smoothed.
  if (found.flat || !grain) return found;
  return peelFrame(quantise(boxMean(rgb, channels, w, h, grain.radius), channels, n, p.bits), gray, border, whiteBorder, w, plain, grainy);
}

/** whitenBackgrounds past its first tests, on the frame's colours quantised to `bins`. */
function peelFrame(
  bins: Uint16Array,
  gray: Uint8Array,
  border: readonly number[],
  whiteBorder: boolean,
  w: number,
  p: BackgroundParams,
  grainy?: Grainy,
): Whitened {
  const n = bins.length;
  const h = n / w;
  const none: Whitened = { flat: null, picture: null };
  const bg = new Uint8Array(n); // 0: content, 1: backdrop colour not yet reached, 2: backdrop
  const queue = new Int32Array(n);
  const speck = Math.max(16, p.maxSpeck * n);
  const outer = peel(bg, queue, border, bins, w, p, speck, p.coverage, grainy);
  if (!outer) return none;
  /** Pictures inside pictures peeled in `marks` (a white fill around a turned picture around its own backdrop): how many. */
  const pictures = (marks: Uint8Array): number => {
    let peeled = 0;
    while (p.picture && peeled < p.picture.layers && peelPicture(marks, queue, bins, w, h, p, p.picture, speck)) peeled++;
    return peeled;
  };
  // Inside a white border, where nothing was whitened before, the pictures peeled are the view.
  if (whiteBorder) return pictures(bg) > 0 ? { flat: painted(gray, bg, p), picture: null } : none;
  // On a dark or coloured one the outer view stays as it was, and the pictures peeled are a second.
  const inner = Uint8Array.from(bg);
  return { flat: painted(gray, bg, p), picture: pictures(inner) > 0 ? painted(gray, inner, p) : null };
}

/**
 * `gray` with every pixel `bg` marks as backdrop (2) painted white, or null when that takes under
 * `p.minShare` of the frame or leaves under `p.minContent` of it.
 */
function painted(gray: Uint8Array, bg: Uint8Array, p: BackgroundParams): Uint8Array | null {
  const n = bg.length;
  const out = new Uint8Array(gray);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    if (bg[i] === 2) {
      out[i] = 255;
      filled++;
    }
  }
  const share = filled / n;
  return share < p.minShare || share > 1 - p.minContent ? null : out;
}

/**
 * The steps between neighbouring pixels along the frame's border (the largest channel's): their
 * median, and the share of them at most a given step.
 */
function borderSteps(rgb: Uint8Array, channels: number, w: number, h: number): { median: number; atMost: (t: number) => number } {
  const hist = new Uint32Array(256);
  let pairs = 0;
  const step = (i: number, j: number): void => {
    let m = 0;
    for (let c = 0; c < channels; c++) m = Math.max(m, Math.abs((rgb[i * channels + c] as number) - (rgb[j * channels + c] as number)));
    hist[m] = (hist[m] as number) + 1;
    pairs++;
  };
  for (let x = 0; x + 1 < w; x++) {
    step(x, x + 1);
    step((h - 1) * w + x, (h - 1) * w + x + 1);
  }
  for (let y = 0; y + 1 < h; y++) {
    step(y * w, (y + 1) * w);
    step(y * w + w - 1, (y + 1) * w + w - 1);
  }
  const atMost = (t: number): number => {
    let seen = 0;
    for (let v = 0; v <= Math.min(255, t); v++) seen += hist[v] as number;
    return pairs > 0 ? seen / pairs : 0;
  };
  let seen = 0;
  let median = 255;
  for (let v = 0; v < 256; v++) {
    if ((seen += hist[v] as number) * 2 >= pairs) {
      median = v;
      break;
    }
  }
  return { median, atMost };
}

/** Each pixel's colour quantised to `bits` per channel, as one bin number (grey: the same level thrice). */
function quantise(rgb: Uint8Array, channels: number, n: number, bits: number): Uint16Array {
  const shift = 8 - bits;
  const levels = 1 << bits;
  const out = new Uint16Array(n);
  if (channels < 3) {
    for (let i = 0; i < n; i++) {
      const v = (rgb[i * channels] as number) >> shift;
      out[i] = (v * levels + v) * levels + v;
    }
  } else {
    for (let i = 0, o = 0; i < n; i++, o += channels)
      out[i] = (((rgb[o] as number) >> shift) * levels + ((rgb[o + 1] as number) >> shift)) * levels + ((rgb[o + 2] as number) >> shift);
  }
  return out;
}

/**
 * Whether the frame, sampled every `probe` pixels, shows a picture inside its outer backdrop: the
 * outer fill from the sample's border leaves a region pictureArea takes for one.
 */
function probePicture(rgb: Uint8Array, channels: number, w: number, h: number, p: BackgroundParams, q: PictureParams): boolean {
  const step = Math.max(1, Math.ceil(Math.max(w, h) / q.probe));
  const sw = Math.ceil(w / step);
  const sh = Math.ceil(h / step);
  const small = new Uint8Array(sw * sh * channels);
  for (let y = 0; y < sh; y++)
    for (let x = 0; x < sw; x++) {
      const from = (Math.min(h - 1, y * step) * w + Math.min(w - 1, x * step)) * channels;
      small.set(rgb.subarray(from, from + channels), (y * sw + x) * channels);
    }
  const bins = quantise(small, channels, sw * sh, p.bits);
  const border = borderPixels(sw, sh);
  const bg = new Uint8Array(sw * sh);
  const speck = Math.max(4, p.maxSpeck * sw * sh);
  return peel(bg, new Int32Array(sw * sh), border, bins, sw, p, speck) && pictureArea(bg, sw, sh, q) > 0;
}

/**
 * One backdrop layer: the palette of the `seeds` pixels' colours (the most frequent bins covering
 * `coverage` of them, widened by one bin), filled from those seeds through not-yet-backdrop pixels
 * of the palette and marked 2 in `bg`; regions of the palette the art encloses that are larger than
 * a speck join it (holes in transparent art), and so do islands up to a speck left inside it (dots
 * whose colour the seeds never show, specks of noise). False, with `bg` untouched, when the seeds'
 * colours are too many for a backdrop.
 */
function peel(
  bg: Uint8Array,
  queue: Int32Array,
  seeds: readonly number[],
  bins: Uint16Array,
  w: number,
  p: BackgroundParams,
  speck: number,
  coverage = p.coverage,
  grainy?: Grainy,
): boolean {
  const n = bins.length;
  const levels = 1 << p.bits;
  const counts = new Map<number, number>();
  for (const i of seeds) {
    const b = bins[i] as number;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const palette: number[] = [];
  let covered = 0;
  for (const [b, c] of ranked) {
    if (covered >= coverage * seeds.length) break;
    palette.push(b);
    covered += c;
  }
  if (palette.length === 0 || palette.length > Math.min(p.maxBins, p.maxBinShare * seeds.length)) return false;
  const inPalette = new Uint8Array(levels * levels * levels);
  const core = new Uint8Array(levels * levels * levels);
  for (const b of palette) core[b] = 1;
  for (const b of palette) {
    const r = Math.floor(b / (levels * levels));
    const g = Math.floor(b / levels) % levels;
    const bl = b % levels;
    for (let dr = -1; dr <= 1; dr++)
      for (let dg = -1; dg <= 1; dg++)
        for (let db = -1; db <= 1; db++) {
          const rr = r + dr;
          const gg = g + dg;
          const bb = bl + db;
          if (rr < 0 || gg < 0 || bb < 0 || rr >= levels || gg >= levels || bb >= levels) continue;
          inPalette[(rr * levels + gg) * levels + bb] = 1;
        }
  }
  // Which pixels not yet backdrop have a palette colour (1), then a flood fill from the seeds.
  for (let i = 0; i < n; i++) if (bg[i] !== 2) bg[i] = inPalette[bins[i] as number] as number;
  if (p.widenFactor !== undefined)
    keepThickCrowded(bg, bins, w, crowded(inPalette, core, counts, seeds.length, bg, bins, p.widenFactor, speck));
  if (grainy && grainy.smooth > 0 && p.noise) keepSmooth(bg, queue, grainy, w, p.noise.smoothRun);
  let tail = 0;
  for (const i of seeds) {
    if (bg[i] === 1) {
      bg[i] = 2;
      queue[tail++] = i;
    }
  }
  grow(bg, queue, tail, w, 1, 1, 2);

  // Holes: regions of the backdrop's colours the fill could not reach because the art encloses
  // them (a pretzel's loops, a ring, a letter's counter) show the backdrop through transparent art
  // too, and join it when larger than a speck (smaller ones may be the art's own colour).
  for (let s0 = 0; s0 < n; s0++) {
    if (bg[s0] !== 1) continue;
    bg[s0] = 4;
    queue[0] = s0;
    const size = grow(bg, queue, 1, w, 1, 1, 4);
    const to = size > speck ? 2 : 0;
    for (let k = 0; k < size; k++) bg[queue[k] as number] = to;
  }

  // Islands the fill left inside the backdrop — dots or specks of a colour the seeds never show —
  // join it when small: a connected region not reached by the fill of at most `maxSpeck` of the frame.
  // Labels: 0/1 not yet visited, 3 visited (kept as content), 2 backdrop.
  const larger: Island[] = [];
  for (let s0 = 0; s0 < n; s0++) {
    if ((bg[s0] as number) >= 2) continue;
    bg[s0] = 3;
    queue[0] = s0;
    const size = grow(bg, queue, 1, w, 0, 1, 3);
    if (size <= speck) for (let k = 0; k < size; k++) bg[queue[k] as number] = 2;
    else if (p.dots && size <= p.dots.maxShare * n) {
      const island = islandOf(queue, size, s0, w, bins, p.dots, grainy);
      if (island) larger.push(island);
    }
  }
  // Islands larger than a speck but alike, many of them: a pattern's dots (DotParams).
  for (const island of p.dots ? alike(larger, p.dots, 256 >> p.bits) : []) {
    bg[island.s0] = 2;
    queue[0] = island.s0;
    grow(bg, queue, 1, w, 3, 3, 2);
  }
  for (let i = 0; i < n; i++) if (bg[i] === 3) bg[i] = 0;
  return true;
}

/** A region left inside the backdrop: a pixel of it, its size, its bounding box's sides, its commonest colour bin. */
interface Island {
  s0: number;
  size: number;
  bw: number;
  bh: number;
  bin: number;
  /** On a grainy border (DotParams.grainSpread): its mean colour, by which alike islands are grouped. */
  mean?: number[] | undefined;
}

/**
 * The island filled into queue[0..size) from `s0`, or null when it could not be a dot: when it
 * touches the frame's edge (art cut by the frame), fills under `d.minFill` of its bounding box,
 * or has under `d.minColour` of its pixels in its commonest colour bin — unless, on a grainy
 * border, its colour spreads no more than the grain does (`d.grainSpread`).
 */
function islandOf(queue: Int32Array, size: number, s0: number, w: number, bins: Uint16Array, d: DotParams, grainy?: Grainy): Island | null {
  const h = bins.length / w;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  const colours = new Map<number, number>();
  for (let k = 0; k < size; k++) {
    const i = queue[k] as number;
    const x = i % w;
    const y = (i - x) / w;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
    const b = bins[i] as number;
    colours.set(b, (colours.get(b) ?? 0) + 1);
  }
  if (x0 === 0 || y0 === 0 || x1 === w - 1 || y1 === h - 1) return null;
  const [bw, bh] = [x1 - x0 + 1, y1 - y0 + 1];
  let [bin, most] = [0, 0];
  for (const [b, c] of colours) if (c > most) [bin, most] = [b, c];
  if (size < d.minFill * bw * bh) return null;
  if (!grainy || d.grainSpread === undefined) return most < d.minColour * size ? null : { s0, size, bw, bh, bin };
  const { mean, spread } = colourOf(queue, size, grainy);
  return most < d.minColour * size && spread > d.grainSpread * grainy.step ? null : { s0, size, bw, bh, bin, mean };
}

/** The mean colour of the pixels queue[0..size), as they are, and the largest channel's standard deviation about it. */
function colourOf(queue: Int32Array, size: number, g: Grainy): { mean: number[]; spread: number } {
  const mean: number[] = [];
  let spread = 0;
  for (let c = 0; c < Math.min(3, g.channels); c++) {
    let sum = 0;
    let squares = 0;
    for (let k = 0; k < size; k++) {
      const v = g.rgb[(queue[k] as number) * g.channels + c] as number;
      sum += v;
      squares += v * v;
    }
    const m = sum / size;
    mean.push(m);
    spread = Math.max(spread, Math.sqrt(Math.max(0, squares / size - m * m)));
  }
  return { mean, spread };
}

/**
 * Islands grouped by colour: by their commonest bin, or, where they carry mean colours (a grainy
 * border), the largest set within one bin's width (`width` levels, every channel) of one island's mean.
 */
function colourGroup(islands: readonly Island[], width: number): Island[] {
  const largest = (groups: Island[][]): Island[] => groups.reduce<Island[]>((a, b) => (b.length > a.length ? b : a), []);
  const coloured = islands.filter((i): i is Island & { mean: number[] } => i.mean !== undefined);
  if (coloured.length > 0) {
    const near = (a: number[], b: number[]): boolean => a.every((v, c) => Math.abs(v - (b[c] as number)) <= width);
    return largest(coloured.map((i) => coloured.filter((j) => near(i.mean, j.mean))));
  }
  const byBin = new Map<number, Island[]>();
  for (const i of islands) {
    const same = byBin.get(i.bin);
    if (same) same.push(i);
    else byBin.set(i.bin, [i]);
  }
  return largest([...byBin.values()]);
}

/**
 * Of the largest group of islands of one colour (colourGroup: `width` levels is one bin's width),
 * those within `tolerance` (relative) of their median's size and of both its sides, when there are
 * at least `minCount` of them; else none.
 */
function alike(islands: readonly Island[], d: DotParams, width: number): Island[] {
  const group = colourGroup(islands, width);
  if (group.length < d.minCount) return [];
  const median = (k: 'size' | 'bw' | 'bh'): number => group.map((i) => i[k]).sort((a, b) => a - b)[group.length >> 1] as number;
  const m = { size: median('size'), bw: median('bw'), bh: median('bh') };
  const near = (v: number, to: number): boolean => Math.abs(v - to) <= d.tolerance * to;
  const out = group.filter((i) => near(i.size, m.size) && near(i.bw, m.bw) && near(i.bh, m.bh));
  return out.length >= d.minCount ? out : [];
}

/**
 * The colours the widening alone let in (in `inPalette`, not in `core`) that the pixels not yet
 * backdrop hold more than `factor` times as often as the seeds do, and in more than a speck's
 * worth of pixels, marked 1: a backdrop's own colours are no commoner inside the frame than along
 * its border, so such a colour may be the art's — the black outline of a drawing whose dark,
 * grainy backdrop has near-black bins beside it. (Only "may": a dot pattern's antialiased rims,
 * which the border's rows can miss, are as crowded; keepThickCrowded tells them apart.)
 */
function crowded(
  inPalette: Uint8Array,
  core: Uint8Array,
  seedCounts: ReadonlyMap<number, number>,
  seeds: number,
  bg: Uint8Array,
  bins: Uint16Array,
  factor: number,
  speck: number,
): Uint8Array {
  const held = new Uint32Array(inPalette.length);
  let open = 0;
  for (let i = 0; i < bins.length; i++) {
    if (bg[i] === 2) continue;
    open++;
    const b = bins[i] as number;
    held[b] = (held[b] as number) + 1;
  }
  const out = new Uint8Array(inPalette.length);
  for (let b = 0; b < inPalette.length; b++) {
    if (!inPalette[b] || core[b]) continue;
    const expected = (factor * (seedCounts.get(b) ?? 0) * open) / seeds;
    if ((held[b] as number) > Math.max(speck, expected)) out[b] = 1;
  }
  return out;
}

/**
 * On a grainy backdrop (NoiseParams.smooth), of the pixels marked palette (1) in `bg`, those whose
 * two neighbours along their row or along their column both lie within `g.smooth` grey levels on
 * every channel — in connected runs of at least `minRun` such pixels — are marked
 * content (0). Grain steps between neighbours everywhere, so a pixel of it passes by chance and
 * alone; a drawing's flat or shaded regions and the length of its strokes pass together. The runs
 * are grown (flood.ts grow) in `queue`, the frame's size, whose contents are scratch.
 */
function keepSmooth(bg: Uint8Array, queue: Int32Array, g: Grainy, w: number, minRun: number): void {
  const { rgb, channels: c, smooth: t } = g;
  const n = bg.length;
  const near = (i: number, j: number): boolean => {
    for (let k = 0; k < c; k++) if (Math.abs((rgb[i * c + k] as number) - (rgb[j * c + k] as number)) > t) return false;
    return true;
  };
  // 1: smooth, not yet grouped; 2: grouped (by grow, into runs of `queue`).
  const mark = new Uint8Array(n);
  const smooth: number[] = [];
  for (let i = w; i < n - w; i++) {
    const x = i % w;
    if (bg[i] !== 1 || x === 0 || x === w - 1) continue;
    if ((near(i, i - 1) && near(i, i + 1)) || (near(i, i - w) && near(i, i + w))) {
      mark[i] = 1;
      smooth.push(i);
    }
  }
  for (const s0 of smooth) {
    if (mark[s0] !== 1) continue;
    mark[s0] = 2;
    queue[0] = s0;
    const size = grow(mark, queue, 1, w, 1, 1, 2);
    if (size >= minRun) for (let k = 0; k < size; k++) bg[queue[k] as number] = 0;
  }
}

/**
 * Of the pixels marked palette (1) in `bg`, those of a `crowdedBins` colour whose four neighbours
 * are all of such colours too are marked content (0): the inside of a stroke at least three pixels
 * wide, which the fill then cannot cross. A crowded colour's one-pixel rims (antialiasing around
 * dots or along a thin line) and lone grains stay in the palette, as before.
 */
function keepThickCrowded(bg: Uint8Array, bins: Uint16Array, w: number, crowdedBins: Uint8Array): void {
  const n = bins.length;
  const isCrowded = (j: number): boolean => crowdedBins[bins[j] as number] === 1;
  const thick: number[] = [];
  for (let i = w; i < n - w; i++) {
    const x = i % w;
    if (bg[i] !== 1 || x === 0 || x === w - 1 || !isCrowded(i)) continue;
    if (isCrowded(i - 1) && isCrowded(i + 1) && isCrowded(i - w) && isCrowded(i + w)) thick.push(i);
  }
  for (const i of thick) bg[i] = 0;
}

/**
 * The picture inside the outer backdrop, peeled (see whitenBackground): true when the region the
 * outer fill left is large and convex enough to be one and its own backdrop, seeded from the band
 * `ringFrom`..`ringTo` pixels inside its edge, covers at least `minFill` of it; `bg` is then updated,
 * else left as it was.
 */
function peelPicture(
  bg: Uint8Array,
  queue: Int32Array,
  bins: Uint16Array,
  w: number,
  h: number,
  p: BackgroundParams,
  q: PictureParams,
  speck: number,
): boolean {
  const n = w * h;
  const area = pictureArea(bg, w, h, q);
  if (area === 0) return false;

  // Distance (4-neighbour steps) from the outer backdrop into the picture, up to ringTo.
  const dist = new Uint8Array(n).fill(255);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (bg[i] !== 2) continue;
    dist[i] = 0;
    queue[tail++] = i;
  }
  let d = 0;
  const reach = (j: number): void => {
    if ((dist[j] as number) <= d) return;
    dist[j] = d;
    queue[tail++] = j;
  };
  for (let head = 0; head < tail; head++) {
    const i = queue[head] as number;
    d = (dist[i] as number) + 1;
    if (d > q.ringTo) continue;
    const x = i % w;
    if (x > 0) reach(i - 1);
    if (x < w - 1) reach(i + 1);
    if (i >= w) reach(i - w);
    if (i < n - w) reach(i + w);
  }
  const ring: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = dist[i] as number;
    if (d >= q.ringFrom && d <= q.ringTo) ring.push(i);
  }
  const before = Uint8Array.from(bg);
  if (!peel(bg, queue, ring, bins, w, p, speck, q.coverage)) return false;
  let inner = 0;
  for (let i = 0; i < n; i++) if (bg[i] === 2 && before[i] !== 2) inner++;
  // A backdrop covers much of the picture and leaves its art: not its outline alone, not all of it.
  if (inner < q.minFill * area || area - inner < p.minContent * n) {
    bg.set(before);
    return false;
  }
  // The band outside the ring (its blended edge with the outer backdrop) goes with both.
  for (let i = 0; i < n; i++) if ((dist[i] as number) < q.ringFrom) bg[i] = 2;
  return true;
}

/**
 * The picture the outer fill left (every pixel of `bg` not marked 2): its pixel count when it is
 * large, convex and straight-edged enough to be a picture (policy local.background.picture), else 0.
 */
function pictureArea(bg: Uint8Array, w: number, h: number, q: PictureParams): number {
  // Its convex hull from each row's extreme pixels (their corners).
  let area = 0;
  const pts: Pt[] = [];
  for (let y = 0; y < h; y++) {
    let lo = -1;
    let hi = -1;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (bg[i] === 2) continue;
      area++;
      if (lo < 0) lo = x;
      hi = x;
    }
    if (lo >= 0) pts.push([lo, y], [hi + 1, y], [lo, y + 1], [hi + 1, y + 1]);
  }
  if (area < q.minShare * w * h) return 0;
  const hull = convexHull(pts);
  const box = bbox(hull);
  const eps = q.straightness * Math.hypot(box.w, box.h);
  return area / polygonArea(hull) < q.solidity || corners(hull, eps) > q.maxCorners ? 0 : area;
}
