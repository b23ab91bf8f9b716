/**
 * A streaming multipart/form-data reader for uploads: parts are read as the body arrives, a file
 * part meant for disk is written chunk by chunk to a private temporary folder, and every part has
 * its own byte limit (plus one for the whole body) enforced while streaming, so an oversized upload
 * is refused (413, naming the field) before more than its limit is ever held or written. Unknown,
 * repeated or malformed parts are a 400 naming the field. On any failure the temporary files are
 * removed before the error propagates.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../shared/api.ts';

export type PartSpec =
  | { kind: 'text'; maxBytes: number }
  | { kind: 'file'; maxBytes: number; storage: 'memory' | 'disk'; describe: string; limitStatus?: number };

export interface ReadOptions {
  boundary: string;
  /** The fields accepted, by name. */
  parts: Record<string, PartSpec>;
  /** Largest whole body, bytes. */
  maxBodyBytes: number;
  /** Where the temporary folder goes (default: the OS temporary directory). */
  tmpRoot?: string;
  signal?: AbortSignal;
}

export interface FilePart {
  filename: string;
  contentType: string;
  size: number;
  /** Set for memory storage. */
  bytes?: Buffer;
  /** Set for disk storage (inside `MultipartForm.dir`). */
  path?: string;
}

export interface MultipartForm {
  text: Map<string, string>;
  files: Map<string, FilePart>;
  /** The temporary folder for disk parts, or null when none was needed. */
  dir: string | null;
  /** Removes the temporary folder (idempotent). */
  cleanup(): Promise<void>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const Boundary = z
  .string()
  .min(1)
  .max(70)
  .regex(/^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/);

/** The boundary of a multipart/form-data Content-Type, or null when it has none (or a bad one). */
export function boundaryOf(contentType: string): string | null {
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && Boundary.safeParse(b).success ? b : null;
}

const malformed = (why: string) => new ApiError('malformed_body', `the multipart body is malformed: ${why}`, '(body)', 400);

interface Open {
  name: string;
  spec: PartSpec;
  filename: string | null;
  contentType: string;
  size: number;
  chunks: Buffer[];
  fh: FileHandle | null;
  path: string | null;
}

function parseHeaders(raw: string): { name: string; filename: string | null; contentType: string } {
  let name: string | null = null;
  let filename: string | null = null;
  let contentType = 'text/plain';
  for (const line of raw.split('\r\n')) {
    const i = line.indexOf(':');
    if (i < 0) throw malformed('a part header has no colon');
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'content-disposition') {
      if (!/^form-data\s*(;|$)/i.test(value)) throw malformed('a part is not form-data');
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(value)?.[1] ?? null;
      filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? /;\s*filename=([^;\s]+)/i.exec(value)?.[1] ?? null;
    } else if (key === 'content-type') contentType = value.slice(0, 200);
  }
  if (!name) throw malformed('a part has no name');
  return { name, filename, contentType };
}

/** Reads a multipart/form-data body from a stream under the given limits. */
export async function readMultipart(body: ReadableStream<Uint8Array> | null, opts: ReadOptions): Promise<MultipartForm> {
  const text = new Map<string, string>();
  const files = new Map<string, FilePart>();
  let dir: string | null = null;
  const cleanup = async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  const form: MultipartForm = {
    text,
    files,
    get dir() {
      return dir;
    },
    cleanup,
  };
  if (!body) throw malformed('the body is empty');
  const delimiter = Buffer.from(`\r\n--${opts.boundary}`);
  const reader = body.getReader();
  // The body is read as if it began with CRLF, so the first boundary line looks like every other.
  let buf: Buffer = Buffer.from(CRLF);
  let total = 0;
  let state: 'preamble' | 'after-boundary' | 'headers' | 'body' | 'done' = 'preamble';
  let part: Open | null = null;
  const seen = new Set<string>();
  let ended = false;

  const write = async (p: Open, chunk: Buffer) => {
    if (!chunk.length) return;
    p.size += chunk.length;
    if (p.size > p.spec.maxBytes) {
      const mb = (p.spec.maxBytes / 1024 / 1024).toFixed(p.spec.maxBytes < 1024 * 1024 ? 2 : 0);
      throw new ApiError('too_large', `${p.name}: at most ${mb} MB`, p.name, p.spec.kind === 'file' ? (p.spec.limitStatus ?? 413) : 413);
    }
    if (p.fh) await p.fh.write(chunk);
    else p.chunks.push(chunk);
  };
  const begin = async (headers: string) => {
    const h = parseHeaders(headers);
    const spec = opts.parts[h.name];
    if (!spec) throw new ApiError('invalid_input', `${h.name}: not a field of this form`, h.name, 400);
    if (seen.has(h.name)) throw new ApiError('invalid_input', `${h.name}: sent more than once`, h.name, 400);
    seen.add(h.name);
    if (spec.kind === 'file' && h.filename === null)
      throw new ApiError('invalid_input', `${h.name}: must be a file part (${spec.describe}), not a text field`, h.name, 400);
    if (spec.kind === 'text' && h.filename !== null)
      throw new ApiError('invalid_input', `${h.name}: must be a text field, not a file`, h.name, 400);
    const p: Open = { name: h.name, spec, filename: h.filename, contentType: h.contentType, size: 0, chunks: [], fh: null, path: null };
    if (spec.kind === 'file' && spec.storage === 'disk') {
      dir ??= await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'originals-upload-'));
      p.path = join(dir, `${h.name}.part`);
      p.fh = await open(p.path, 'wx', 0o600);
    }
    part = p;
  };
  const finish = async (p: Open) => {
    if (p.fh) {
      await p.fh.close();
      p.fh = null;
    }
    if (p.spec.kind === 'text') text.set(p.name, Buffer.concat(p.chunks).toString('utf8'));
    else
      files.set(p.name, {
        filename: p.filename ?? '',
        contentType: p.contentType,
        size: p.size,
        ...(p.path ? { path: p.path } : { bytes: Buffer.concat(p.chunks) }),
      });
    part = null;
  };

  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (value) {
        total += value.length;
        if (total > opts.maxBodyBytes)
          throw new ApiError('too_large', `uploads are limited to ${Math.round(opts.maxBodyBytes / 1024 / 1024)} MB`, '(body)', 413);
        buf = buf.length ? Buffer.concat([buf, value]) : Buffer.from(value);
      }
      // Consume as much of the buffer as the state machine can.
      for (let progressed = true; progressed && state !== 'done';) {
        progressed = false;
        if (state === 'preamble' || state === 'body') {
          const i = buf.indexOf(delimiter);
          if (i < 0) {
            // Everything but a possible partial delimiter at the end belongs to the current part.
            const keep = Math.min(buf.length, delimiter.length - 1);
            if (part && buf.length > keep) await write(part, buf.subarray(0, buf.length - keep));
            buf = buf.subarray(buf.length - keep);
            break;
          }
          if (part) {
            await write(part, buf.subarray(0, i));
            await finish(part);
          }
          buf = buf.subarray(i + delimiter.length);
          state = 'after-boundary';
          progressed = true;
        } else if (state === 'after-boundary') {
          if (buf.length < 2) break;
          if (buf[0] === 0x2d && buf[1] === 0x2d) {
            state = 'done';
            ended = true;
            break;
          }
          // Transport padding (spaces/tabs) may follow the boundary before its CRLF.
          const eol = buf.indexOf(CRLF);
          if (eol < 0) {
            if (buf.length > 100) throw malformed('a boundary line is too long');
            break;
          }
          if (buf.subarray(0, eol).toString('latin1').trim() !== '') throw malformed('text after a boundary');
          buf = buf.subarray(eol + 2);
          state = 'headers';
          progressed = true;
        } else if (state === 'headers') {
          const end = buf.indexOf(HEADER_END);
          if (end < 0) {
            if (buf.length > MAX_HEADER_BYTES) throw malformed('part headers are too long');
            break;
          }
          await begin(buf.subarray(0, end).toString('utf8'));
          buf = buf.subarray(end + HEADER_END.length);
          state = 'body';
          progressed = true;
        }
      }
      if (ended) break;
      if (done) throw malformed('the body ends before the closing boundary');
    }
    await reader.cancel().catch(() => undefined);
    return form;
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    const p = part as Open | null;
    if (p?.fh) await p.fh.close().catch(() => undefined);
    await cleanup();
    throw err;
  }
}
