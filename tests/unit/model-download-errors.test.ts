/**
 * A failed model download in plain words: a real failed fetch (a host that cannot resolve, a port
 * nobody listens on) reads as "No connection …" naming the host, never "fetch failed"; an HTTP
 * error and a checksum failure keep their facts.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { downloadErrorText } from '../../electron/main/services/model-errors.ts';

const failure = (url: string) =>
  fetch(url).then(
    () => null,
    (e: unknown) => e,
  );

describe('downloadErrorText', () => {
  it('a host that cannot be found reads as offline, in plain words', async () => {
    const err = await failure('https://models.example.invalid/clip/model.onnx');
    const text = downloadErrorText(err);
    expect(text).toMatch(/^No connection: models\.example\.invalid could not be found — this computer looks offline\./);
    expect(text).not.toMatch(/fetch failed|ENOTFOUND|getaddrinfo/);
  });

  it('a refused connection names the host and says the download resumes', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const text = downloadErrorText(await failure(`http://127.0.0.1:${port}/model.onnx`));
    expect(text).toContain('No connection');
    expect(text).toContain('resumes');
    expect(text).not.toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('keeps the facts of an HTTP error and of a file that failed its checksum', () => {
    expect(downloadErrorText(new Error('GET https://h/x.onnx: HTTP 404'))).toBe(
      'The model host answered HTTP 404 for https://h/x.onnx. Try again later; what was already downloaded is kept and the download resumes from there.',
    );
    expect(downloadErrorText(new Error('clip/x.onnx: sha256 ab does not match the expected cd'))).toMatch(
      /^A downloaded file did not match/,
    );
  });
});
