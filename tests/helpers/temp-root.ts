/**
 * Global setup of the vitest and Playwright runs: every temporary file or folder a test makes
 * (os.tmpdir(), which reads TMPDIR) goes under one folder of this run, removed when the run ends,
 * instead of piling up in the machine's /tmp (hundreds of folders per run before). The test
 * processes are started after this runs, so they and their children inherit TMPDIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'originals-tests-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
