/** A contact sheet of generated image queries: each library item beside its generated copy, labelled with the steps. */
import sharp from 'sharp';
import type { RenderedImage } from './image-gen.ts';
import { type RawImage, toSharp } from './raw.ts';
import { escapeXml } from './svg.ts';

export interface SheetEntry {
  label: string;
  library: RawImage | null;
  query: RenderedImage;
}

const CELL = 160;
const LABEL = 34;

async function thumb(img: sharp.Sharp): Promise<Buffer> {
  return img.resize(CELL, CELL, { fit: 'contain', background: '#dddddd' }).png().toBuffer();
}

export async function contactSheet(entries: readonly SheetEntry[], columns = 4): Promise<Buffer> {
  const pairW = CELL * 2 + 12;
  const rows = Math.ceil(entries.length / columns);
  const width = columns * (pairW + 16);
  const height = rows * (CELL + LABEL + 12);
  const layers: sharp.OverlayOptions[] = [];
  for (const [i, e] of entries.entries()) {
    const x = (i % columns) * (pairW + 16) + 8;
    const y = Math.floor(i / columns) * (CELL + LABEL + 12) + 6;
    if (e.library) layers.push({ input: await thumb(toSharp(e.library)), left: x, top: y });
    layers.push({ input: await thumb(sharp(e.query.bytes)), left: x + CELL + 12, top: y });
    const text = e.label.length > 110 ? `${e.label.slice(0, 107)}…` : e.label;
    const lines = [text.slice(0, 55), text.slice(55)].map(
      (t, k) => `<text x="2" y="${13 + k * 14}" font-family="DejaVu Sans" font-size="11" fill="#000">${escapeXml(t)}</text>`,
    );
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${pairW}" height="${LABEL}">${lines.join('')}</svg>`;
    layers.push({ input: Buffer.from(svg), left: x, top: y + CELL + 2 });
  }
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png()
    .toBuffer();
}
