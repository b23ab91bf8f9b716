// @vitest-environment jsdom
/**
 * The editor's media preview (useMediaPreview in renderer/src/data/media.ts, drawn by MediaPreview)
 * treats cancelled work as superseded, in a real React tree (jsdom): a waveform whose file the
 * editor cancelled (`media.cancel` with the page's editor token, which the waveform call carried
 * too, sent through the typed client) answers `cancelled` — as the studio's dispatcher does
 * (tests/integration/studio-media-cancel.test.ts) — and the preview shows no error; the next file's preview is drawn; any other failure is still shown. The bridge checks
 * every call's input against the studio contract and records it.
 */
import { act, createElement } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MediaFileInfo } from '../../shared/api.ts';
import { apiInputs } from '../../shared/contracts/studio/index.ts';
import { reactRoot } from '../helpers/react-root.ts';

type Answer = { ok: true; value: unknown } | { ok: false; status: number; error: { code: string; message: string } };

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const BROKEN = 'c'.repeat(64);
const calls: { method: string; input: unknown }[] = [];
/** Waveforms still being computed, per file: settled by a cancel of that file. */
const pending = new Map<string, (a: Answer) => void>();

const info = (sha: string): MediaFileInfo => ({
  sha,
  kind: 'audio',
  format: 'mp3',
  size: 1_048_576,
  durationSeconds: 62,
  container: 'mp3',
  audio: { codec: 'mp3', sampleRate: 44100, channels: 2 },
  video: null,
});

/** The studio's side, as far as the preview reaches it. */
function answer(method: string, input: { sha: string }): Answer | Promise<Answer> {
  if (method === 'media.info') return { ok: true, value: info(input.sha) };
  if (method === 'media.waveform') {
    if (input.sha === B) return { ok: true, value: { sha: B, durationSeconds: 62, peaks: [0.1, 0.5, 0.25, 0.8] } };
    if (input.sha === BROKEN)
      return { ok: false, status: 400, error: { code: 'preview_failed', message: 'FFmpeg could not decode the audio' } };
    return new Promise((resolve) => pending.set(input.sha, resolve));
  }
  if (method === 'media.cancel') {
    const settle = pending.get(input.sha);
    pending.delete(input.sha);
    settle?.({ ok: false, status: 503, error: { code: 'cancelled', message: 'media processing was cancelled' } });
    return { ok: true, value: { cancelled: settle ? 1 : 0 } };
  }
  return { ok: false, status: 404, error: { code: 'not_found', message: `${method} is not part of this test` } };
}

let MediaPreview: typeof import('../../renderer/src/components/media.tsx').MediaPreview;
let cancelMediaWork: typeof import('../../renderer/src/data/media.ts').cancelMediaWork;
let EDITOR_CALLER = '';

beforeAll(async () => {
  // The renderer's API picks the Electron bridge when the page has one.
  (window as unknown as { originals: unknown }).originals = {
    invoke: async (method: keyof typeof apiInputs, input: unknown) => {
      const parsed = apiInputs[method].parse(input) as { sha: string };
      calls.push({ method, input: parsed });
      return answer(method, parsed);
    },
  };
  ({ MediaPreview } = await import('../../renderer/src/components/media.tsx'));
  ({ cancelMediaWork, EDITOR_CALLER } = await import('../../renderer/src/data/media.ts'));
  expect(EDITOR_CALLER).toMatch(/^editor-[0-9a-f]{24}$/);
});

const dom = reactRoot();
const flush = () => act(async () => new Promise((r) => setTimeout(r, 10)));

describe('the editor’s media preview and cancelled work', () => {
  it('a waveform cancelled under it shows no error; the next file’s preview is drawn', async () => {
    await dom.render(createElement(MediaPreview, { sha: A }));
    await flush();
    expect(pending.has(A)).toBe(true);
    expect(dom.host.textContent).toContain('Drawing the waveform…');

    // The preview's waveform and the cancel both carry this page's editor token (another view's work goes on).
    expect(calls.find((c) => c.method === 'media.waveform')?.input).toMatchObject({ sha: A, caller: EDITOR_CALLER });
    cancelMediaWork(A);
    await flush();
    expect(calls.filter((c) => c.method === 'media.cancel')).toEqual([
      { method: 'media.cancel', input: { sha: A, caller: EDITOR_CALLER } },
    ]);
    expect(pending.has(A)).toBe(false);
    expect(dom.host.querySelector('[role="alert"]')).toBeNull();

    await dom.render(createElement(MediaPreview, { sha: B }));
    await flush();
    expect(dom.host.querySelector('[role="alert"]')).toBeNull();
    expect(dom.host.querySelector('svg.waveform')?.querySelectorAll('rect')).toHaveLength(4);
    expect(dom.host.textContent).toContain('Audio');
  });

  it('any other failure is still shown', async () => {
    await dom.render(createElement(MediaPreview, { sha: BROKEN }));
    await flush();
    expect(dom.host.querySelector('[role="alert"]')?.textContent).toContain('FFmpeg could not decode the audio');
  });

  it('a cancel that fails is ignored (fire and forget)', async () => {
    const before = calls.length;
    expect(() => cancelMediaWork('not-a-sha')).not.toThrow();
    await flush();
    // The contract refused it before it reached the studio; nothing surfaced.
    expect(calls.length).toBe(before);
  });
});
