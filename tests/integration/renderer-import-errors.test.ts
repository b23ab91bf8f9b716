/**
 * Importing a file that is not an image (a text file renamed fake.png) says so once, in people's
 * words, with the formats the studio reads — the file named once, and not the image decoder's
 * own message. The renderer's library slice runs against the real studio handlers in-process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { MEDIA_LIMITS } from '../../shared/contracts/studio/app.ts';

type Store = typeof import('../../renderer/src/state/store.ts').useStudio;
let store: Store;
let studio: Studio;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-import-'));
  studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  const h = createHandlers(
    studio,
    await connectStudio({ studio, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
  // The renderer's API picks the Electron bridge when the page has one: here it reaches the real handlers.
  (globalThis as { window?: unknown }).window = { originals: { invoke: (method: string, input: unknown) => dispatch(h, method, input) } };
  // The page reads a dropped file as base64 with FileReader (Node has File, not FileReader).
  (globalThis as { FileReader?: unknown }).FileReader = class {
    result: string | null = null;
    error: Error | null = null;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    readAsDataURL(blob: Blob) {
      void blob.arrayBuffer().then((b) => {
        this.result = `data:${blob.type};base64,${Buffer.from(b).toString('base64')}`;
        this.onload?.();
      });
    }
  };
  ({ useStudio: store } = await import('../../renderer/src/state/store.ts'));
});

afterAll(() => {
  delete (globalThis as { window?: unknown }).window;
  delete (globalThis as { FileReader?: unknown }).FileReader;
});

const errors = () =>
  store
    .getState()
    .toasts.filter((t) => t.kind === 'error')
    .map((t) => t.text);

describe('importing a file that is not an image', () => {
  it('names the file once and lists the formats the studio reads', async () => {
    store.setState({ toasts: [] });
    await store.getState().importFiles([new File(['just some notes, not a picture'], 'fake.png', { type: 'image/png' })]);
    expect(errors()).toEqual(['fake.png is not an image this studio can read (PNG, JPEG, WebP, GIF, AVIF or TIFF)']);
    // The list is the formats the studio accepts, not a copy that could drift.
    expect(MEDIA_LIMITS.image.formats).toEqual(['png', 'jpeg', 'webp', 'gif', 'avif', 'tiff']);
  });

  it('a real image of a format it does not read says which format it is', async () => {
    store.setState({ toasts: [] });
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="red"/></svg>';
    expect((await sharp(Buffer.from(svg)).metadata()).format).toBe('svg');
    await store.getState().importFiles([new File([svg], 'logo.svg', { type: 'image/svg+xml' })]);
    expect(errors()).toEqual(['logo.svg: an image in a format this studio cannot read (SVG); it reads PNG, JPEG, WebP, GIF, AVIF or TIFF']);
    expect(errors().join(' ')).not.toMatch(/Input buffer|sharp|vips/i);
  });
});
