/**
 * `originals`: the engine from the command line, for scripting and batch pre-flight checks.
 *
 *   originals index <dir> [--db FILE] [--creator ID] [--type TYPE]
 *   originals check <file>... [--db FILE] [--creator ID] [--json] [--fail-on-flag]
 *   originals models status | fetch [--model ID] | import <dir>
 *   originals library status | backup | restore [--from BACKUP] [--db FILE]
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AssetType } from '../../shared/asset.ts';
import type { CheckResult, Match } from '../../shared/check.ts';
import { ahead } from '../concurrency.ts';
import { EngineError } from '../errors.ts';
import { MEDIA_EXTENSIONS, listAssetFiles, loadAssetFile } from '../files.ts';
import { type AssetFingerprints, UniquenessEngine } from '../library.ts';
import { formatTime } from '../../shared/media.ts';
import { ApiError, fromEngineError } from '../../shared/errors.ts';
import { FFMPEG_IN_USE } from '../media/ffmpeg.ts';
import { ModelStore } from '../models/manager.ts';
import { libraryDbPath, modelsDir } from '../paths.ts';
import { OnnxEmbedder } from '../semantic/embedder.ts';
import { type Embedder, usableEmbedder } from '../semantic/types.ts';
import { cmdLibrary } from './library-command.ts';
import { ProgressBar, formatBytes } from './progress.ts';

export const USAGE = `originals — local uniqueness checks for marketplace assets

Usage:
  originals index <dir> [--db FILE] [--creator ID] [--type TYPE]
      Index every image and audio/video file (with its sidecar <name>.json card) and every
      standalone .json card. Audio/video: ${[...MEDIA_EXTENSIONS].join(' ')}.
  originals check <file>... [--db FILE] [--creator ID] [--json] [--fail-on-flag]
      Check images, audio/video files or cards against the library. --json prints one JSON
      object per line (media matches carry the matched time ranges in both files).
  originals models status
  originals models fetch [--model ID]
  originals models import <dir>
  originals library status | backup | restore [--from BACKUP]
      Check the library file, list its rolling backups, make one now, or put the newest (or
      --from BACKUP) in its place (the damaged file is kept beside it).

Options:
  --db FILE        library database (default: ${libraryDbPath()})
  --creator ID     creator the assets belong to / the check is for (default: "me")
  --type TYPE      asset type for images without a card: ${AssetType.options.join(', ')} (default: media)
  --from BACKUP    library restore: the backup file to restore (default: the newest)
  --fail-on-flag   exit with code 3 when any checked asset is not approved

Exit codes: 0 ok, 1 some file failed, 2 bad usage, 3 flagged (with --fail-on-flag).
Environment: ORIGINALS_DATA_DIR (data folder), ORIGINALS_MODELS_DIR (model weights).`;

const Options = z.object({
  db: z.string().min(1).optional(),
  creator: z.string().trim().min(1, 'must not be empty').max(200).default('me'),
  type: AssetType.optional(),
  json: z.boolean().default(false),
  'fail-on-flag': z.boolean().default(false),
  model: z.string().optional(),
  from: z.string().min(1).optional(),
  help: z.boolean().default(false),
});

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  progress: ProgressBar;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  progress: new ProgressBar(),
  env: process.env,
});

class UsageError extends Error {}

async function loadEmbedder(env: NodeJS.ProcessEnv): Promise<Embedder | undefined> {
  const dir = modelsDir(env);
  if (!existsSync(dir)) return undefined;
  return usableEmbedder(await OnnxEmbedder.fromModelsDir(dir));
}

function errorText(err: unknown): { code: string; message: string } {
  const e = fromEngineError(err);
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: 'internal', message: (err as Error).message ?? String(err) };
}

function describeLayers(r: CheckResult): string {
  return Object.entries(r.layers)
    .map(([k, v]) => (v.state === 'ran' ? `${k} ✓` : `${k} ${v.state}${v.reason ? `: ${v.reason}` : ''}`))
    .join(' · ');
}

/** Prints which FFmpeg binary is in use, once per command, when the first media file comes up. */
function ffmpegNotice(io: Io): () => void {
  let said = false;
  return () => {
    if (!said) io.err(FFMPEG_IN_USE);
    said = true;
  };
}

/** A match's media evidence as it goes into a --json line. */
function mediaJson(m: Match) {
  return m.media?.map((e) => ({
    kind: e.kind,
    method: e.method,
    score: e.score,
    speedRatio: e.speedRatio,
    ...(e.pitchRatio !== undefined ? { pitchRatio: e.pitchRatio } : {}),
    ranges: e.ranges,
    ...(e.framePair ? { framePair: e.framePair } : {}),
    ...(e.mirrored ? { mirrored: true } : {}),
  }));
}

function fmt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toFixed(3);
}

/** Files per batch of `index`: read and fingerprinted together, stored in one transaction. */
const INDEX_BATCH = 16;

async function cmdIndex(args: string[], opts: z.infer<typeof Options>, io: Io): Promise<number> {
  const dir = args[0];
  if (!dir || args.length > 1) throw new UsageError('index takes exactly one folder');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`not a folder: ${dir}`);
  let skipped = 0;
  const files = listAssetFiles(dir, (s) => {
    skipped++;
    io.err(`skipped ${s.path}: ${s.reason}`);
  });
  const engine = UniquenessEngine.open({ dbPath: opts.db ?? libraryDbPath(io.env), embedder: await loadEmbedder(io.env) });
  const t0 = performance.now();
  let ok = 0;
  let images = 0;
  let media = 0;
  let failed = 0;
  const notice = ffmpegNotice(io);
  try {
    // Batches are read and fingerprinted ahead (the engine's lanes keep both cores busy) while
    // this thread stores the finished batch, one transaction per batch.
    const fingerprintBatch = async (chunk: typeof files) => {
      const loaded = chunk.map((f) => {
        try {
          return loadAssetFile(f.path, { type: opts.type });
        } catch (err) {
          return err as Error;
        }
      });
      const valid = loaded.map((l, j) => ({ l, f: chunk[j] as (typeof chunk)[number] })).filter((x) => !(x.l instanceof Error));
      // Audio/video files are fingerprinted from disk in the FFmpeg pool, the rest in the usual lanes.
      const assets = valid.map((x) => x.l as Exclude<typeof x.l, Error>);
      if (assets.some((a) => a.mediaPath)) notice();
      const plain = assets.flatMap((a, j) => (a.mediaPath ? [] : [j]));
      const [plainFps, mediaFps] = await Promise.all([
        engine.fingerprintMany(
          plain.map((j) => assets[j] as (typeof assets)[number]),
          { forIndexOnly: true },
        ),
        Promise.all(
          assets.map((a) =>
            a.mediaPath
              ? engine.fingerprintWithMedia(a.card, a.mediaPath, undefined, { forIndexOnly: true }).catch((err: unknown) => err as Error)
              : null,
          ),
        ),
      ]);
      const fps = new Array<AssetFingerprints | Error>(assets.length);
      mediaFps.forEach((m, j) => {
        if (m) fps[j] = m;
      });
      plain.forEach((j, k) => {
        fps[j] = plainFps[k] as AssetFingerprints | Error;
      });
      return { loaded, valid, assets, fps };
    };
    for await (const { items: chunk, start, result } of ahead(files, INDEX_BATCH, 2, fingerprintBatch)) {
      const { loaded, valid, assets, fps } = result;
      const results = new Map<string, Error | null>();
      loaded.forEach((l, j) => {
        if (l instanceof Error) results.set((chunk[j] as (typeof chunk)[number]).path, l);
      });
      const toStore = valid.flatMap((x, j) => {
        const fp = fps[j] as (typeof fps)[number];
        if (fp instanceof Error) return (void results.set(x.f.path, fp), []);
        return [{ j, input: { id: x.f.id, creatorId: opts.creator, card: (assets[j] as (typeof assets)[number]).card }, fp }];
      });
      const errors = engine.indexFingerprintsMany(toStore);
      toStore.forEach(({ j }, k) => {
        const x = valid[j] as (typeof valid)[number];
        const asset = assets[j] as (typeof assets)[number];
        const err = errors[k];
        if (!err) {
          if (asset.image) images++;
          if (asset.mediaPath) media++;
          return void results.set(x.f.path, null);
        }
        results.set(
          x.f.path,
          err.message.includes('UNIQUE constraint failed: assets.creator_id, assets.metadata_hash')
            ? new EngineError(
                'duplicate_metadata',
                'an asset of this creator already has exactly this metadata (UNIQUE(creator, metadata_hash)); give it its own name or description',
              )
            : err,
        );
      });
      for (const f of chunk) {
        const e = results.get(f.path);
        if (e) {
          failed++;
          io.progress.done();
          io.err(`error ${f.path}: ${errorText(e).message}`);
        } else ok++;
      }
      io.progress.update(Math.min(start + INDEX_BATCH, files.length), files.length, chunk.at(-1)?.id ?? '');
    }
  } finally {
    io.progress.done();
    engine.close();
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  io.out(
    `indexed ${ok} of ${files.length} assets (${images} with images, ${media ? `${media} with audio/video, ` : ''}${ok - images - media} cards only) in ${secs} s; ${failed} failed; ${skipped} skipped; library now holds ${countAssets(opts.db ?? libraryDbPath(io.env))} assets`,
  );
  return failed ? 1 : 0;
}

function countAssets(db: string): number {
  const e = UniquenessEngine.open({ dbPath: db });
  try {
    return e.size;
  } finally {
    e.close();
  }
}

async function cmdCheck(args: string[], opts: z.infer<typeof Options>, io: Io): Promise<number> {
  if (!args.length) throw new UsageError('check needs at least one file');
  const dbPath = opts.db ?? libraryDbPath(io.env);
  // A mistyped --db (or a first check before any index) would open a new, empty library and call
  // every file original: refuse instead, and say how to make one.
  if (!existsSync(dbPath)) {
    io.err(`there is no library at ${dbPath}: index a folder first (originals index <dir>), or name an existing one with --db`);
    return 2;
  }
  const engine = UniquenessEngine.open({ dbPath, embedder: await loadEmbedder(io.env) });
  if (engine.size === 0) io.err(`the library at ${dbPath} holds no assets yet: there is nothing to compare against`);
  let failed = 0;
  let flagged = 0;
  const notice = ffmpegNotice(io);
  try {
    for (const path of args) {
      try {
        const { card, image, mediaPath } = loadAssetFile(path, { type: opts.type });
        if (mediaPath) notice();
        const r = mediaPath
          ? await engine.checkMedia({ card, path: mediaPath, creatorId: opts.creator })
          : await engine.check({ card, image, creatorId: opts.creator });
        if (r.status !== 'approved') flagged++;
        if (opts.json) {
          io.out(
            JSON.stringify({
              query: path,
              status: r.status,
              reason: r.reason,
              layers: r.layers,
              matches: r.matches.map((m) => ({
                assetId: m.assetId,
                combined: m.combined,
                layers: m.layers,
                copySignals: m.copySignals,
                differences: m.differences,
                ...(m.summary ? { summary: m.summary } : {}),
                ...(m.media ? { media: mediaJson(m) } : {}),
              })),
            }),
          );
        } else {
          io.out(`${path}: ${r.status.toUpperCase()} — ${r.reason}`);
          io.out(`  action: ${r.action}`);
          io.out(`  layers: ${describeLayers(r)}`);
          r.matches.forEach((m, i) => {
            const l = m.layers;
            io.out(
              `  ${i + 1}. ${m.assetId} (${m.creatorId === opts.creator ? 'yours' : `by ${m.creatorId}`}) combined ${fmt(m.combined)} · visual ${fmt(l.visual)} · text ${fmt(l.text)}${l.code !== undefined ? ` · code ${fmt(l.code)}` : ''}${l.semantic_image !== undefined ? ` · clip ${fmt(l.semantic_image)}` : ''}${l.semantic_text !== undefined ? ` · bge ${fmt(l.semantic_text)}` : ''}${l.media !== undefined ? ` · media ${fmt(l.media)}` : ''}`,
            );
            if (m.summary) io.out(`     ${m.summary}`);
            for (const e of m.media ?? [])
              io.out(
                `     ${e.kind} (${e.method}): ${e.ranges.map((r) => `${formatTime(r.query[0])}–${formatTime(r.query[1])} ↔ ${formatTime(r.match[0])}–${formatTime(r.match[1])}`).join(', ')}${e.framePair ? `; frames ${e.framePair.queryT.toFixed(1)} s ↔ ${e.framePair.matchT.toFixed(1)} s` : ''}`,
              );
            const notes = [
              ...m.copySignals,
              ...m.differences.transform,
              ...(m.differences.fields.length ? [`changed: ${m.differences.fields.join(', ')}`] : []),
            ];
            if (notes.length) io.out(`     ${notes.join('; ')}`);
          });
        }
      } catch (err) {
        failed++;
        const e = errorText(err);
        if (opts.json) io.out(JSON.stringify({ query: path, error: e }));
        else io.err(`error ${path}: ${e.message}`);
      }
    }
  } finally {
    engine.close();
  }
  if (!opts.json) io.out(`checked ${args.length - failed} of ${args.length}; ${flagged} flagged; ${failed} failed (library: ${dbPath})`);
  if (failed) return 1;
  return opts['fail-on-flag'] && flagged ? 3 : 0;
}

async function cmdModels(args: string[], opts: z.infer<typeof Options>, io: Io): Promise<number> {
  const store = new ModelStore(modelsDir(io.env));
  const sub = args[0];
  if (sub === 'status' || sub === undefined) {
    io.out(`models folder: ${store.dir}`);
    for (const s of await store.status(opts.model)) {
      const size = s.expectedBytes ? formatBytes(s.expectedBytes) : 'size unknown';
      const state =
        s.state === 'installed'
          ? `installed (sha256 verified against ${s.verifiedBy === 'manifest' ? 'the manifest' : 'the hash recorded at first install'})`
          : s.state === 'partial'
            ? `partial download (${formatBytes(s.partialBytes ?? 0)}; fetch resumes it)`
            : s.state;
      io.out(`  ${s.state === 'installed' ? '✓' : '✗'} ${s.repo}/${s.path}${s.role ? ` [${s.role}]` : ''} — ${size} — ${state}`);
    }
    const e = await OnnxEmbedder.fromModelsDir(store.dir);
    for (const space of ['clip_image', 'clip_text', 'bge_text'] as const) {
      const st = e.state(space);
      io.out(`  semantic layer ${space}: ${st.available ? 'available' : `unavailable — ${st.reason}`}`);
    }
    return 0;
  }
  if (sub === 'fetch') {
    try {
      const got = await store.fetch({
        model: opts.model,
        onProgress: (p) =>
          io.progress.update(
            p.received,
            p.total,
            `${p.file} ${formatBytes(p.received)}${p.total ? ` / ${formatBytes(p.total)}` : ''}${p.resumedFrom ? ` (resumed at ${formatBytes(p.resumedFrom)})` : ''}`,
          ),
      });
      io.progress.done();
      io.out(got.length ? `fetched and verified: ${got.join(', ')}` : 'everything is already installed and verified');
      return 0;
    } catch (err) {
      io.progress.done();
      io.err(
        `fetch failed: ${(err as Error).message}${(err as Error).cause ? ` (${String((err as Error & { cause: unknown }).cause)})` : ''}`,
      );
      io.err(
        'partial downloads are kept and resume on the next `originals models fetch`; or install from a folder with `originals models import <dir>`',
      );
      return 1;
    }
  }
  if (sub === 'import') {
    const dir = args[1];
    if (!dir || !existsSync(dir)) throw new UsageError(`models import needs an existing folder${dir ? `: ${dir}` : ''}`);
    const r = await store.importFrom(dir);
    for (const f of r.installed) io.out(`  installed ${f}`);
    for (const f of r.rejected) io.err(`  rejected ${f}`);
    io.out(`imported ${r.installed.length} files; ${r.missing.length} not found in ${dir}; ${r.rejected.length} rejected`);
    return r.rejected.length ? 1 : 0;
  }
  throw new UsageError(`unknown models command: ${sub}`);
}

const opts = (o: z.infer<typeof Options>, io: Io) => ({ dbPath: o.db ?? libraryDbPath(io.env), from: o.from });

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        creator: { type: 'string' },
        type: { type: 'string' },
        json: { type: 'boolean' },
        'fail-on-flag': { type: 'boolean' },
        model: { type: 'string' },
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const o = Options.safeParse(parsed.values);
  if (!o.success) {
    const issue = o.error.issues[0];
    io.err(`--${issue?.path.join('.')}: ${issue?.message}\n\n${USAGE}`);
    return 2;
  }
  const [cmd, ...rest] = parsed.positionals;
  if (o.data.help || !cmd) {
    io.out(USAGE);
    return cmd || o.data.help ? 0 : 2;
  }
  try {
    if (cmd === 'index') return await cmdIndex(rest, o.data, io);
    if (cmd === 'check') return await cmdCheck(rest, o.data, io);
    if (cmd === 'models') return await cmdModels(rest, o.data, io);
    if (cmd === 'library') return await cmdLibrary(rest, opts(o.data, io), io);
    throw new UsageError(`unknown command: ${cmd}`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`originals: ${(err as Error).message}`);
    return 1;
  }
}
