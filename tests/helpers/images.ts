/** Synthetic test artwork rendered from SVG with sharp, plus the transforms copiers apply. */
import sharp from 'sharp';

/** A deterministic "artwork": a few coloured shapes on white, different for every seed. */
export async function artwork(seed: number, size = 256): Promise<Buffer> {
  let x = seed * 2654435761;
  const rnd = () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x / 0xffffffff;
  };
  const shapes: string[] = [];
  for (let i = 0; i < 7; i++) {
    const c = `hsl(${Math.floor(rnd() * 360)},${50 + Math.floor(rnd() * 40)}%,${30 + Math.floor(rnd() * 40)}%)`;
    const cx = 20 + rnd() * (size - 40);
    const cy = 20 + rnd() * (size - 40);
    const r = 10 + rnd() * size * 0.25;
    shapes.push(
      rnd() < 0.5
        ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${c}"/>`
        : `<rect x="${cx - r}" y="${cy - r / 2}" width="${r * 1.6}" height="${r}" fill="${c}" transform="rotate(${Math.floor(rnd() * 90)} ${cx} ${cy})"/>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="white"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export const transforms: Record<string, (b: Buffer) => Promise<Buffer>> = {
  resave: (b) => sharp(b).png({ compressionLevel: 1 }).toBuffer(),
  jpeg: (b) => sharp(b).jpeg({ quality: 35 }).toBuffer(),
  webp: (b) => sharp(b).webp({ quality: 60 }).toBuffer(),
  hflip: (b) => sharp(b).flop().png().toBuffer(),
  vflip: (b) => sharp(b).flip().png().toBuffer(),
  rot90: (b) => sharp(b).rotate(90).png().toBuffer(),
  rot180: (b) => sharp(b).rotate(180).png().toBuffer(),
  gray: (b) => sharp(b).greyscale().png().toBuffer(),
  blur: (b) => sharp(b).blur(1.5).png().toBuffer(),
  resize: (b) => sharp(b).resize(128).jpeg({ quality: 80 }).toBuffer(),
  hue: (b) => sharp(b).modulate({ hue: 90 }).png().toBuffer(),
  pad: (b) => sharp(b).extend({ top: 30, bottom: 30, left: 30, right: 30, background: '#ffffff' }).png().toBuffer(),
  crop: async (b) => {
    const m = await sharp(b).metadata();
    const w = Math.round((m.width as number) * 0.85);
    const h = Math.round((m.height as number) * 0.85);
    return sharp(b)
      .extract({ left: Math.round(((m.width as number) - w) / 2), top: Math.round(((m.height as number) - h) / 2), width: w, height: h })
      .png()
      .toBuffer();
  },
  text: async (b) => {
    const m = await sharp(b).metadata();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${m.width}" height="${m.height}"><text x="10" y="${(m.height as number) - 12}" font-size="22" fill="black">© mine</text></svg>`;
    return sharp(b)
      .composite([{ input: Buffer.from(svg) }])
      .png()
      .toBuffer();
  },
};

/** A PNG whose header claims width × height but whose data is junk (a decompression-bomb header). */
export function pngHeader(width: number, height: number): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(64, 0x78)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
