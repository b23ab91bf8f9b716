/**
 * SVG builders rendered through sharp (librsvg) for the eval generator: text/logo/watermark
 * overlays, background textures for transparent art, and generated scenes to paste copies into.
 * Every picture is a pure function of its arguments (randomness comes from a recorded seed).
 */
import sharp from 'sharp';
import { type RawImage, hex, hsl, toRaw } from './raw.ts';
import { Rng } from './rng.ts';

/** Installed font families (Debian fonts-dejavu-core and fonts-liberation); checked by the runner. */
export const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'Liberation Sans', 'Liberation Serif', 'Liberation Mono'] as const;

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

export async function renderSvg(body: string, width: number, height: number): Promise<RawImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
  return toRaw(sharp(Buffer.from(svg)));
}

export interface OverlaySpec {
  kind: 'text' | 'logo' | 'watermark';
  text: string;
  font: string;
  /** Text height (text, watermark) or logo diameter, as a fraction of the image's smaller side. */
  size: number;
  x: number;
  y: number;
  angle: number;
  opacity: number;
  hue: number;
  lightness: number;
}

/** An overlay the size of the image, transparent except for the mark. */
export function overlaySvg(o: OverlaySpec, w: number, h: number): string {
  const colour = hex(hsl(o.hue, 0.8, o.lightness));
  const px = Math.max(6, o.size * Math.min(w, h));
  const cx = o.x * w;
  const cy = o.y * h;
  const text = escapeXml(o.text);
  const font = `font-family="${escapeXml(o.font)}" font-weight="bold"`;
  if (o.kind === 'text') {
    return `<g opacity="${o.opacity}" transform="rotate(${o.angle} ${cx} ${cy})"><text x="${cx}" y="${cy + px / 3}" ${font} font-size="${px}" text-anchor="middle" fill="${colour}">${text}</text></g>`;
  }
  if (o.kind === 'logo') {
    const r = px / 2;
    const initials = escapeXml(
      o.text
        .split(/\s+/)
        .map((w) => w[0] ?? '')
        .join('')
        .slice(0, 3)
        .toUpperCase(),
    );
    const ink = o.lightness > 0.55 ? '#111111' : '#ffffff';
    return `<g opacity="${o.opacity}" transform="rotate(${o.angle} ${cx} ${cy})"><circle cx="${cx}" cy="${cy}" r="${r}" fill="${colour}" stroke="${ink}" stroke-width="${Math.max(1, r / 10)}"/><text x="${cx}" y="${cy + r / 3}" ${font} font-size="${r * 0.9}" text-anchor="middle" fill="${ink}">${initials}</text></g>`;
  }
  // Watermark: the text tiled on a rotated grid over the whole image.
  const step = px * Math.max(4, o.text.length * 0.7);
  const rows: string[] = [];
  const span = Math.hypot(w, h);
  for (let y = -span; y < span * 2; y += px * 3) {
    for (let x = -span + (((y / (px * 3)) % 2) * step) / 2; x < span * 2; x += step) {
      rows.push(`<text x="${x + cx - w / 2}" y="${y + cy - h / 2}" ${font} font-size="${px}" fill="${colour}">${text}</text>`);
    }
  }
  return `<g opacity="${o.opacity}" transform="rotate(${o.angle} ${w / 2} ${h / 2})">${rows.join('')}</g>`;
}

export const TEXTURES = ['solid', 'gradient', 'stripes', 'checker', 'dots', 'noise'] as const;
export type Texture = (typeof TEXTURES)[number];

export interface TextureSpec {
  kind: Texture;
  hue: number;
  hue2: number;
  lightness: number;
  period: number;
  seed: number;
}

/** A background texture of the given size. */
export async function texture(t: TextureSpec, w: number, h: number): Promise<RawImage> {
  const a = hex(hsl(t.hue, 0.6, t.lightness));
  const b = hex(hsl(t.hue2, 0.6, Math.min(0.9, t.lightness + 0.25)));
  const p = t.period;
  if (t.kind === 'noise') {
    const rng = new Rng(t.seed, 'noise-texture');
    const base = hsl(t.hue, 0.6, t.lightness);
    const data = Buffer.alloc(w * h * 4);
    for (let i = 0; i < data.length; i += 4) {
      const d = rng.normal() * 40;
      data[i] = Math.max(0, Math.min(255, Math.round(base.r + d)));
      data[i + 1] = Math.max(0, Math.min(255, Math.round(base.g + d)));
      data[i + 2] = Math.max(0, Math.min(255, Math.round(base.b + d)));
      data[i + 3] = 255;
    }
    return { data, width: w, height: h };
  }
  const defs: Record<Exclude<Texture, 'noise'>, string> = {
    solid: `<rect width="100%" height="100%" fill="${a}"/>`,
    gradient: `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>`,
    stripes: `<defs><pattern id="p" width="${p}" height="${p}" patternUnits="userSpaceOnUse" patternTransform="rotate(${t.hue2 % 180})"><rect width="${p}" height="${p}" fill="${a}"/><rect width="${p / 2}" height="${p}" fill="${b}"/></pattern></defs><rect width="100%" height="100%" fill="url(#p)"/>`,
    checker: `<defs><pattern id="p" width="${2 * p}" height="${2 * p}" patternUnits="userSpaceOnUse"><rect width="${2 * p}" height="${2 * p}" fill="${a}"/><rect width="${p}" height="${p}" fill="${b}"/><rect x="${p}" y="${p}" width="${p}" height="${p}" fill="${b}"/></pattern></defs><rect width="100%" height="100%" fill="url(#p)"/>`,
    dots: `<defs><pattern id="p" width="${p}" height="${p}" patternUnits="userSpaceOnUse"><rect width="${p}" height="${p}" fill="${a}"/><circle cx="${p / 2}" cy="${p / 2}" r="${p / 4}" fill="${b}"/></pattern></defs><rect width="100%" height="100%" fill="url(#p)"/>`,
  };
  return renderSvg(defs[t.kind], w, h);
}

/** A generated scene (sky, ground, a few shapes) to paste a copy into. */
export async function scene(seed: number, w: number, h: number): Promise<RawImage> {
  const rng = new Rng(seed, 'scene');
  const sky = hsl(rng.uniform(180, 240), 0.5, rng.uniform(0.55, 0.85));
  const ground = hsl(rng.uniform(20, 140), 0.45, rng.uniform(0.25, 0.55));
  const horizon = rng.uniform(0.45, 0.75) * h;
  const shapes: string[] = [];
  for (let i = rng.int(3, 9); i > 0; i--) {
    const c = hex(hsl(rng.uniform(0, 360), rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)));
    const x = rng.uniform(0, w);
    const y = rng.uniform(0, h);
    const s = rng.uniform(0.05, 0.25) * Math.min(w, h);
    shapes.push(
      rng.bool()
        ? `<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${c}"/>`
        : `<rect x="${x}" y="${y}" width="${s}" height="${s * rng.uniform(0.5, 2)}" fill="${c}" transform="rotate(${rng.uniform(-30, 30)} ${x} ${y})"/>`,
    );
  }
  const body = `<rect width="100%" height="100%" fill="${hex(sky)}"/><rect y="${horizon}" width="100%" height="${h - horizon}" fill="${hex(ground)}"/>${shapes.join('')}`;
  return renderSvg(body, w, h);
}
