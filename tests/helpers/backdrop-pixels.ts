/** An image's pixels as whitenBackground takes them (engine/image/local/background.ts): flattened on white, colour and grey. */
import sharp from 'sharp';

export async function rgbAndGray(png: Buffer) {
  const c = await sharp(png).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const g = await sharp(png).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(c.data), channels: c.info.channels, gray: new Uint8Array(g.data), w: g.info.width, h: g.info.height };
}
