/**
 * CLIP image preprocessing per the model's preprocessor_config.json: convert to RGB (transparency
 * flattened on white), resize the shortest edge to 224 with bicubic filtering, centre-crop 224×224,
 * rescale by 1/255, normalise with CLIP's mean and std, channels first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeOrThrow, openImage, probeImage } from '../image/decode.ts';

const PreprocessorConfig = z.object({
  crop_size: z.object({ height: z.number().int(), width: z.number().int() }),
  image_mean: z.tuple([z.number(), z.number(), z.number()]),
  image_std: z.tuple([z.number(), z.number(), z.number()]),
  rescale_factor: z.number(),
  resample: z.number().int(),
  size: z.object({ shortest_edge: z.number().int() }),
});
export type PreprocessorConfig = z.infer<typeof PreprocessorConfig>;

export function loadPreprocessorConfig(dir: string): PreprocessorConfig {
  return PreprocessorConfig.parse(JSON.parse(readFileSync(join(dir, 'preprocessor_config.json'), 'utf8')));
}

export async function clipPixelValues(bytes: Uint8Array, cfg: PreprocessorConfig): Promise<Float32Array> {
  await probeImage(bytes);
  const edge = cfg.size.shortest_edge;
  const { width: cw, height: ch } = cfg.crop_size;
  return decodeOrThrow(async () => {
    const resized = await openImage(bytes)
      .flatten({ background: '#ffffff' })
      .resize(edge, edge, { fit: 'outside', kernel: 'cubic' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width: w, height: h } = resized.info;
    const left = Math.max(0, Math.floor((w - cw) / 2));
    const top = Math.max(0, Math.floor((h - ch) / 2));
    const out = new Float32Array(3 * cw * ch);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const src = ((top + y) * w + (left + x)) * 3;
        for (let c = 0; c < 3; c++) {
          const v = (resized.data[src + c] as number) * cfg.rescale_factor;
          out[c * cw * ch + y * cw + x] = (v - (cfg.image_mean[c] as number)) / (cfg.image_std[c] as number);
        }
      }
    }
    return out;
  });
}
