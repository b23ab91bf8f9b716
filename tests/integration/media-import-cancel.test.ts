/**
 * The Electron backend's calls can be aborted by the main process (electron/main/backend-calls.ts,
 * the `{ abort: id }` message), tested without Electron against the real studio handlers and real
 * FFmpeg: an aborted waveform call has its FFmpeg killed and answers `cancelled`; an import by path
 * (`media.importPath`, what the IPC import forwards) aborted during its copy starts no FFmpeg, one
 * aborted during its probe has that FFmpeg killed, and neither stores anything. (The main process's
 * side — an app:// request's or the asking window's end posting the abort — needs Electron and is
 * not tested here.)
 */
import { mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateMediaWorker } from '../../engine/media-pool.ts';
import { BackendCalls } from '../../electron/main/backend-calls.ts';
import { type Handlers, createHandlers } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { expectNoFfmpeg, ffmpegChildren, makeLongMp3, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { tempDir } from '../helpers/media.ts';

const t = tempDir('media-import-cancel-');
let studio: Studio;
let handlers: Handlers;
let calls: BackendCalls;
let song = '';

beforeAll(async () => {
  makeLongMp3(t.file('long.mp3'), 40);
  makeLongVideo(t.file('long.mp4'), 10);
  const dir = mkdtempSync(join(tmpdir(), 'media-import-cancel-studio-'));
  studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  handlers = createHandlers(
    studio,
    await connectStudio({ studio, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
  calls = new BackendCalls(() => handlers);
  song = (await studio.media.importPath(t.file('long.mp3'), 'long.mp3')).sha;
}, 120_000);
afterAll(async () => {
  await studio.close();
  await terminateMediaWorker();
  t.cleanup();
});

/** This process's open file descriptors on `file` (Linux: /proc/self/fd), polled until none or a second passed. */
async function openFds(file: string): Promise<number> {
  const count = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    }).length;
  for (let i = 0; i < 20 && count() > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return count();
}

/** The store's files: stored ones (`<sha>.<ext>`) and copies in progress (`.incoming-…`). */
const stored = () => readdirSync(studio.media.store.dir).sort();

describe('aborting a backend call', () => {
  it('answers 503 while the studio is starting, and aborting an unknown call does nothing', async () => {
    const early = new BackendCalls(() => undefined);
    expect(await early.run({ id: 1, method: 'app.info', input: {} })).toMatchObject({
      ok: false,
      status: 503,
      error: { code: 'starting' },
    });
    expect(calls.abort(12345)).toBe(false);
  });

  it('kills an aborted waveform’s FFmpeg and answers cancelled', async () => {
    const reply = calls.run({ id: 7, method: 'media.waveform', input: { sha: song, bins: 100 } });
    const pids = await waitForFfmpeg(1);
    expect(calls.running).toBe(1);
    expect(calls.abort(7)).toBe(true);
    expect(await reply).toMatchObject({ ok: false, status: 503, error: { code: 'cancelled' } });
    await expectNoFfmpeg(pids, 1500);
    expect(calls.running).toBe(0);
    expect(studio.media.jobs.running).toBe(0);
  }, 60_000);

  it('an import by path aborted during its copy starts no FFmpeg and stores nothing', async () => {
    const before = stored();
    const reply = calls.run({ id: 8, method: 'media.importPath', input: { path: t.file('long.mp4') } });
    // Aborted at once: the copy has at most begun.
    expect(calls.abort(8)).toBe(true);
    expect(await reply).toMatchObject({ ok: false, status: 503, error: { code: 'cancelled' } });
    expect(ffmpegChildren()).toEqual([]);
    expect(stored()).toEqual(before);
    // The source file is closed again (a cancelled copy used to leave its descriptor open).
    expect(await openFds(t.file('long.mp4'))).toBe(0);
  }, 60_000);

  it('an import by path aborted during its probe has that FFmpeg killed and stores nothing', async () => {
    const before = stored();
    const reply = calls.run({ id: 9, method: 'media.importPath', input: { path: t.file('long.mp4') } });
    const pids = await waitForFfmpeg(1);
    calls.abort(9);
    expect(await reply).toMatchObject({ ok: false, status: 503, error: { code: 'cancelled' } });
    await expectNoFfmpeg(pids, 1500);
    expect(stored()).toEqual(before);

    // Not aborted, the same import is stored.
    const ok = await calls.run({ id: 10, method: 'media.importPath', input: { path: t.file('long.mp4') } });
    expect(ok).toMatchObject({ ok: true, value: { kind: 'video' } });
    expect(stored().length).toBe(before.length + 1);
  }, 60_000);
});
