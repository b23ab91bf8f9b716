/**
 * A models folder for tests: the tiny plumbing graphs (tests/helpers/tiny-onnx.ts) under the real
 * file names plus the real tokenizer/config files, and a manifest whose .onnx hashes are those of
 * the tiny graphs (the real manifest pins the real weights, which these are not).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Manifest, loadManifest } from '../../engine/models/manager.ts';
import { writeTinyModels } from './tiny-onnx.ts';

export const SHARED_MODELS = new URL('../../../shared/models', import.meta.url).pathname;

export function tinyModelsDir(): { dir: string; manifest: Manifest; manifestPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  writeTinyModels(dir);
  const manifest = loadManifest();
  for (const m of manifest.models) {
    for (const f of m.files) {
      const dest = join(dir, m.repo, f.path);
      if (f.path.endsWith('.onnx')) {
        const bytes = readFileSync(dest);
        f.bytes = bytes.length;
        f.sha256 = createHash('sha256').update(bytes).digest('hex');
      } else {
        mkdirSync(dirname(dest), { recursive: true });
        copyFileSync(join(SHARED_MODELS, m.repo, f.path), dest);
      }
    }
  }
  const manifestPath = join(dir, 'manifest.tiny.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { dir, manifest, manifestPath };
}
