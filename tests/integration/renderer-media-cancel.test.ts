/**
 * The renderer cancels the media work of a file the editor leaves (renderer/src/state/editor.ts,
 * renderer/src/data/media.ts): the store runs against the real studio backend in-process (the
 * handlers the Electron bridge dispatches to, real FFmpeg), and every call crosses the typed
 * client's bridge, where it is recorded. Picking another file while the first one's check is still
 * fingerprinting sends `media.cancel` for the first file: its FFmpeg is killed, its check answers
 * `cancelled` and leaves no error, and the new file's result is shown. Closing the editor cancels
 * too, and coming back runs the check again. The cancel carries the editor's token, so another
 * view checking the same file keeps its work and gets its result. (Node environment, as the other
 * editor-store tests: under jsdom the studio's modules cannot resolve their own files; the preview
 * hook's part is tests/unit/media-preview-cancel.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateMediaWorker } from '../../engine/media-pool.ts';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { Studio as RendererState } from '../../renderer/src/state/types.ts';
import type { CheckResult } from '../../shared/check.ts';
import { expectNoFfmpeg, ffmpegChildren, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { makeMelody, tempDir } from '../helpers/media.ts';

interface Call {
  method: string;
  input: unknown;
  /** The bridge's answer, once it came. */
  answer: Promise<{ ok: boolean; error?: { code: string } }>;
}

const t = tempDir('renderer-media-cancel-');
const calls: Call[] = [];
let studio: Studio;
let handlers: Handlers;
let store: { getState(): RendererState; subscribe(f: (s: RendererState) => void): () => void };
/** A 10-minute video (seconds of FFmpeg to fingerprint) and a 20 s melody already saved as an asset. */
let longSha = '';
let shortSha = '';
let shortSize = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const called = (method: string) => calls.filter((c) => c.method === method);
const cancels = () => called('media.cancel').map((c) => (c.input as { sha: string }).sha);
const checkedFile = (c: Call) => (c.input as { card: { media?: { sha256?: string } } }).card.media?.sha256;

/** What the file picker does with an imported audio/video file (ImageField's setMedia). */
function pick(sha: string, kind: 'video' | 'audio', format: string, size: number) {
  const prev = (store.getState().draft?.media as Record<string, unknown> | undefined) ?? {};
  store.getState().updateDraft({ media: { ...prev, type: kind, format, size, sha256: sha } });
}

async function settle() {
  for (let i = 0; i < 1200 && store.getState().checking; i++) await sleep(25);
  expect(store.getState().checking).toBe(false);
}

beforeAll(async () => {
  makeLongVideo(t.file('long.mp4'), 10);
  makeMelody(t.file('short.mp3'), 21, 20, ['-c:a', 'libmp3lame', '-b:a', '96k']);
  const dir = mkdtempSync(join(tmpdir(), 'renderer-media-cancel-studio-'));
  studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  handlers = createHandlers(
    studio,
    await connectStudio({ studio, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
  longSha = (await studio.media.importPath(t.file('long.mp4'), 'long.mp4')).sha;
  const short = await studio.media.importPath(t.file('short.mp3'), 'short.mp3');
  shortSha = short.sha;
  shortSize = short.size;
  const saved = await dispatch(handlers, 'assets.create', {
    card: {
      asset_type: 'media',
      name: 'Harbour lights',
      description: 'A slow theme.',
      tags: [],
      media: { type: 'audio', format: 'mp3', size: shortSize, sha256: shortSha },
    },
  });
  expect(saved.ok).toBe(true);
  // The renderer's API picks the Electron bridge when the page has one: here it reaches the real handlers.
  (globalThis as { window?: unknown }).window = {
    originals: {
      invoke: (method: string, input: unknown) => {
        const answer = dispatch(handlers, method, input);
        calls.push({ method, input, answer: answer as Call['answer'] });
        return answer;
      },
    },
  };
  ({ useStudio: store } = await import('../../renderer/src/state/store.ts'));
}, 120_000);

afterAll(async () => {
  delete (globalThis as { window?: unknown }).window;
  await studio.close();
  await terminateMediaWorker();
  t.cleanup();
});

describe('the editor cancels the media work of a file it leaves', () => {
  it('picking another file mid-check: media.cancel for the first, its cancelled check shows nothing, the new file’s result is shown', async () => {
    store.getState().newAsset('media');
    await settle();
    const errors: unknown[] = [];
    const unsubscribe = store.subscribe((s) => void (s.checkError && errors.push(s.checkError)));

    pick(longSha, 'video', 'mp4', 1);
    const longCheck = called('check.run').at(-1) as Call;
    expect(checkedFile(longCheck)).toBe(longSha);
    const pids = await waitForFfmpeg(1);
    expect(cancels()).toEqual([]);

    pick(shortSha, 'audio', 'mp3', shortSize);
    // Sent at once, through the typed client's bridge, for the file left behind, with the editor's
    // token — the one its check carried — so only the editor's own work on the file stops.
    expect(cancels()).toEqual([longSha]);
    const caller = (called('media.cancel')[0]?.input as { caller?: string }).caller;
    expect(caller).toMatch(/^editor-/);
    expect((longCheck.input as { caller?: string }).caller).toBe(caller);
    expect(checkedFile(called('check.run').at(-1) as Call)).toBe(shortSha);
    expect(await longCheck.answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await expectNoFfmpeg(pids, 3000);

    await settle();
    unsubscribe();
    expect(errors).toEqual([]);
    const s = store.getState();
    expect(s.checkError).toBeNull();
    const check = s.check as CheckResult;
    expect(check.status).not.toBe('approved');
    expect(check.matches[0]?.name).toBe('Harbour lights');
    expect(check.matches[0]?.media?.[0]?.querySha256).toBe(shortSha);
  }, 120_000);

  it('closing the editor cancels the file’s work and leaves no error; coming back checks the draft again', async () => {
    pick(longSha, 'video', 'mp4', 1);
    expect(cancels().at(-1)).toBe(shortSha);
    const longCheck = called('check.run').at(-1) as Call;
    expect(checkedFile(longCheck)).toBe(longSha);
    const pids = await waitForFfmpeg(1);

    store.getState().go({ name: 'library' });
    expect(cancels().at(-1)).toBe(longSha);
    expect(await longCheck.answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await expectNoFfmpeg(pids, 3000);
    await settle();
    expect(store.getState().checkError).toBeNull();

    const before = called('check.run').length;
    store.getState().go({ name: 'editor', id: null });
    expect(called('check.run').length).toBe(before + 1);
    expect(checkedFile(called('check.run').at(-1) as Call)).toBe(longSha);
    await waitForFfmpeg(1);
    // Leaving again stops that one too.
    const n = cancels().length;
    store.getState().go({ name: 'library' });
    expect(cancels().slice(n)).toEqual([longSha]);
    await settle();
    expect(store.getState().checkError).toBeNull();
    await expectNoFfmpeg([], 3000);
  }, 120_000);

  it('another view’s check of the file the editor leaves goes on to its result', async () => {
    pick(longSha, 'video', 'mp4', 1);
    const editorCheck = called('check.run').at(-1) as Call;
    // Another view (another tab or window) checks the same file under its own token.
    const other = dispatch(handlers, 'check.run', {
      card: {
        asset_type: 'media',
        name: 'Other view',
        description: 'x',
        tags: [],
        media: { type: 'video', format: 'mp4', size: 1, sha256: longSha },
      },
      caller: 'other-view-0001',
    });
    await waitForFfmpeg(1);
    await sleep(100);
    pick(shortSha, 'audio', 'mp3', shortSize);
    expect(cancels().at(-1)).toBe(longSha);
    expect(await editorCheck.answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    // The shared fingerprint job runs on for the other view (its FFmpeg still decoding), which gets its result.
    expect(studio.media.jobs.running).toBeGreaterThanOrEqual(1);
    expect(ffmpegChildren().length).toBeGreaterThan(0);
    expect(await other).toMatchObject({ ok: true });
    await settle();
    expect(store.getState().checkError).toBeNull();
    await expectNoFfmpeg([], 3000);
  }, 120_000);
});
