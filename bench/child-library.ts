/**
 * What the engine benchmark's child processes share (bench/reopened-checks.ts, bench/live-recheck.ts):
 * their arguments — a library file and a manifest of query images, `[{ file, sourceId, kind }]`,
 * each file beside the manifest — and their end: the engine closed, the feature workers stopped,
 * the figures printed as one line of JSON with the process's peak memory.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { terminateLocalFeaturePool } from '../engine/image/local/pool.ts';
import type { UniquenessEngine } from '../engine/library.ts';

const Manifest = z.array(z.object({ file: z.string().min(1), sourceId: z.string().min(1), kind: z.string().min(1) })).min(1);

/** The library file and the query images named on the command line (`<library.sqlite> <queries.json>`). */
export function childArgs(argv: string[]): { dbPath: string; queries: { file: string; sourceId: string; kind: string; bytes: Buffer }[] } {
  const [dbPath, manifestPath] = z.tuple([z.string().min(1), z.string().min(1)]).parse(argv);
  const manifest = Manifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return { dbPath, queries: manifest.map((q) => ({ ...q, bytes: readFileSync(resolve(dirname(manifestPath), q.file)) })) };
}

/** Closes the engine, stops the feature workers and prints `figures` with the engine's size and the peak memory. */
export async function report(engine: UniquenessEngine, figures: Record<string, number>): Promise<void> {
  const size = engine.size;
  engine.close();
  await terminateLocalFeaturePool();
  console.log(JSON.stringify({ size, ...figures, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}
