/**
 * Errors, for every layer: the engine's EngineError (bad input, a stable code and the offending
 * field), the API's ApiError (what crosses the studio's transports and the marketplace's HTTP API),
 * and the ONE mapping from the first to the second — its HTTP status per code, the field and the
 * message prefix naming the input the user gave. Also the turn of a failed zod parse into an error.
 */
import type { z } from 'zod';
import { fieldErrors } from './form-errors.ts';

/** Error raised by the engine for bad input; `code` is stable, `field` names the offending input. */
export class EngineError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.field = field;
  }
}

/** Codes the transports themselves answer with (handlers and services add their own, such as `not_found` or `offline`). */
export const TRANSPORT_ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'forbidden',
  'starting',
  'offline',
  'internal',
  'malformed_json',
  'too_large',
] as const;
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];

/** Errors cross both transports in this shape. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string | undefined;
  /** Machine-readable context (e.g. the matches behind a refused submission). */
  details?: Record<string, unknown> | undefined;
}

export class ApiError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, field?: string, status = 400, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.status = status;
    this.details = details;
  }
  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** The answer to a caller that sent a body or a file over a size limit. */
const TOO_LARGE = new Set(['file_too_large', 'too_many_pixels']);
/**
 * Engine errors that are the host's fault, not the input's (no FFmpeg, no Chromaprint, a file that
 * vanished under the process): a server answers them as its own internal error.
 */
export const HOST_ENGINE_ERRORS: ReadonlySet<string> = new Set([
  'ffmpeg_unavailable',
  'chromaprint_unavailable',
  'chromaprint_failed',
  'file_not_found',
]);

/** The HTTP status an engine error reaches a caller with: 413 for sizes, 503 for work cancelled (the caller went away), else 400. */
export function engineErrorStatus(code: string): number {
  if (TOO_LARGE.has(code)) return 413;
  if (code === 'cancelled') return 503;
  return 400;
}

export interface EngineErrorContext {
  /**
   * The field the error is put on: the input the user gave (`image`, `media`), or a function of the
   * field the engine named (e.g. its `file` is the card's `card.media`). Default: the engine's field.
   */
  field?: string | ((engineField: string | undefined) => string | undefined);
  /** Put before the message: the file's name, or the input (`media`, `image`). */
  prefix?: string;
  /** A server keeps host faults (HOST_ENGINE_ERRORS) as its own internal errors; the studio shows them to its user. */
  hostFaultsInternal?: boolean;
}

/**
 * The one mapping from engine errors to API errors: an EngineError becomes an ApiError with the
 * engine's code, its status (engineErrorStatus), the field and a message naming the input; anything
 * else (and a host fault where `hostFaultsInternal`) is returned as it was, for the caller to rethrow.
 */
export function fromEngineError(err: unknown, at: EngineErrorContext = {}): unknown {
  if (!(err instanceof EngineError)) return err;
  if (at.hostFaultsInternal && HOST_ENGINE_ERRORS.has(err.code)) return err;
  const field = typeof at.field === 'function' ? at.field(err.field) : (at.field ?? err.field);
  const message = at.prefix ? `${at.prefix}: ${err.message}` : err.message;
  return new ApiError(err.code, message, field, engineErrorStatus(err.code));
}

/** One field's problem in people's words (shared/form-errors.ts), as an `invalid_input` error carries it in `details.issues`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * A failed zod parse as an `invalid_input` error naming the first offending field (`prefix` + its
 * path, else `fallback`): `message` and `field` keep the path and zod's words for programs;
 * `details.issues` has every field's problem as a sentence for people (bounds from `schema`, the
 * one parsed, when given), which is what the studio shows.
 */
export function invalidInput(err: z.ZodError, opts: { prefix?: string; fallback?: string; schema?: unknown } = {}): ApiError {
  const issue = err.issues[0];
  const field = `${opts.prefix ?? ''}${issue?.path.join('.') ?? ''}` || (opts.fallback ?? '(input)');
  const issues: FieldIssue[] = Object.entries(fieldErrors(err.issues, { schema: opts.schema })).map(([path, message]) => ({
    field: `${opts.prefix ?? ''}${path}` || (opts.fallback ?? '(input)'),
    message,
  }));
  return new ApiError('invalid_input', `${field}: ${issue?.message ?? 'invalid'}`, field, 400, { issues });
}

/** The `details` of an `invalid_card` error: every field's problem in people's words, under `card.` (none for a module violation). */
export function cardIssues(r: object): { issues: FieldIssue[] } | undefined {
  const issues = (r as { issues?: FieldIssue[] }).issues;
  return issues?.length ? { issues: issues.map((i) => ({ field: `card.${i.field}`, message: i.message })) } : undefined;
}

/** What a person reads of an API error: a validation error's sentences (`details.issues`), else its message. */
export function messageForPeople(err: { message: string; details?: Record<string, unknown> | undefined }): string {
  const issues = err.details?.issues;
  const said = Array.isArray(issues)
    ? issues.map((i) => (i as Partial<FieldIssue> | null)?.message).filter((m) => typeof m === 'string')
    : [];
  return said.length ? said.join('. ') : err.message;
}
