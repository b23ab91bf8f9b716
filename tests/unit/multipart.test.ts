/**
 * The streaming multipart reader (server/http/multipart.ts): the parts come out byte-exact however the
 * body is split into chunks (including contents that look like a boundary's start), disk parts are
 * written to a temporary folder that cleanup removes, and each limit and malformation is refused
 * with the status and field it names — with the temporary folder already gone.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PartSpec, boundaryOf, readMultipart } from '../../server/http/multipart.ts';
import { ApiError } from '../../shared/api.ts';

const B = 'b0undary-X';

function body(parts: { name: string; filename?: string; data: Buffer }[], boundary = B, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n\r\n`), p.data, Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A stream that delivers `buf` cut at the given offsets. */
function streamOf(buf: Buffer, cuts: number[] = []): ReadableStream<Uint8Array> {
  const at = [...new Set(cuts.filter((c) => c > 0 && c < buf.length))].sort((a, b) => a - b);
  const pieces = [0, ...at, buf.length].slice(1).map((end, i, arr) => buf.subarray(i === 0 ? 0 : (arr[i - 1] as number), end));
  let i = 0;
  return new ReadableStream({
    pull(ctrl) {
      if (i < pieces.length) ctrl.enqueue(new Uint8Array(pieces[i++] as Buffer));
      else ctrl.close();
    },
  });
}

const parts: Record<string, PartSpec> = {
  card: { kind: 'text', maxBytes: 1000 },
  image: { kind: 'file', maxBytes: 1000, storage: 'memory', describe: 'the image' },
  media: { kind: 'file', maxBytes: 5000, storage: 'disk', describe: 'the media file' },
};

async function refusal(p: Promise<unknown>): Promise<{ status: number; field: string | undefined; code: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const e = err as ApiError;
  return { status: e.status, field: e.field, code: e.code };
}

describe('readMultipart', () => {
  it('returns every part byte-exact whatever the chunking', async () => {
    // Contents full of CR, LF and dashes, so partial delimiters straddle chunk edges.
    const bytes = fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a.map((x) => [0x0d, 0x0a, 0x2d, x][x % 4] as number)));
    await fc.assert(
      fc.asyncProperty(
        bytes,
        bytes,
        fc.string({ maxLength: 200 }),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 12 }),
        async (img, media, text, cuts) => {
          const buf = body([
            { name: 'card', data: Buffer.from(text) },
            { name: 'image', filename: 'a.png', data: img },
            { name: 'media', filename: 'b.wav', data: media },
          ]);
          const form = await readMultipart(streamOf(buf, cuts), { boundary: B, parts, maxBodyBytes: 1e6 });
          try {
            expect(form.text.get('card')).toBe(text);
            expect(form.files.get('image')?.bytes?.equals(img)).toBe(true);
            const m = form.files.get('media');
            expect(m?.size).toBe(media.length);
            expect(readFileSync(m?.path as string).equals(media)).toBe(true);
          } finally {
            await form.cleanup();
          }
          expect(existsSync(form.files.get('media')?.path as string)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a part over its limit with 413 naming it, and removes what it wrote', async () => {
    const buf = body([
      { name: 'card', data: Buffer.from('{}') },
      { name: 'media', filename: 'x.wav', data: Buffer.alloc(6000, 1) },
    ]);
    const root = mkdtempSync(join(tmpdir(), 'mp-unit-'));
    try {
      expect(await refusal(readMultipart(streamOf(buf, [100, 3000]), { boundary: B, parts, maxBodyBytes: 1e6, tmpRoot: root }))).toEqual({
        status: 413,
        field: 'media',
        code: 'too_large',
      });
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a body over the total limit while it streams', async () => {
    const buf = body([{ name: 'media', filename: 'x.wav', data: Buffer.alloc(4000, 1) }]);
    expect(await refusal(readMultipart(streamOf(buf, [1000, 2000, 3000]), { boundary: B, parts, maxBodyBytes: 2500 }))).toMatchObject({
      status: 413,
      field: '(body)',
    });
  });

  it('refuses unknown, repeated, mistyped and truncated parts with a 400', async () => {
    const read = (b: Buffer) => readMultipart(streamOf(b), { boundary: B, parts, maxBodyBytes: 1e6 });
    expect(await refusal(read(body([{ name: 'other', data: Buffer.from('x') }])))).toMatchObject({ status: 400, field: 'other' });
    const twice = body([
      { name: 'card', data: Buffer.from('a') },
      { name: 'card', data: Buffer.from('b') },
    ]);
    expect(await refusal(read(twice))).toMatchObject({ status: 400, field: 'card' });
    expect(await refusal(read(body([{ name: 'media', data: Buffer.from('text') }])))).toMatchObject({ status: 400, field: 'media' });
    expect(await refusal(read(body([{ name: 'card', filename: 'c.json', data: Buffer.from('{}') }])))).toMatchObject({
      status: 400,
      field: 'card',
    });
    const cut = body([{ name: 'media', filename: 'x.wav', data: Buffer.alloc(100, 7) }], B, false);
    expect(await refusal(read(cut))).toMatchObject({ status: 400, code: 'malformed_body' });
  });

  it('reads the boundary from the Content-Type', () => {
    expect(boundaryOf('multipart/form-data; boundary=----formdata-undici-0123')).toBe('----formdata-undici-0123');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(boundaryOf('application/json; boundary=x')).toBeNull();
    expect(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
  });
});
