/**
 * The shape of one marketplace route in the contract: method, path (with `{param}` placeholders),
 * the zod schemas of its path parameters, query, body and output, and what the OpenAPI document
 * says about it. The server builds its handlers from these objects, the OpenAPI document is
 * generated from them, and the studio's client builds URLs and parses responses with them.
 */
import { z } from 'zod';

export type Method = 'get' | 'post';

/** A database row id in a path (bigserial): a positive integer the database can hold. */
export const IntId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer');
/** A UUID in a path (assets, accounts, purchases, license offers). */
export const UuidId = z.uuid('must be an id (UUID)');

/**
 * One route. `output` is the JSON response's schema, or `'binary'` (application/octet-stream
 * bytes) or `'csv'` (text/csv); a JSON route may also offer CSV (`csv` says what selects it).
 */
export interface RouteContract {
  method: Method;
  /** `/v1/assets/{id}/pricing`: every `{name}` is a path parameter (see `pathParamsOf`). */
  path: string;
  summary: string;
  /** The OpenAPI tag (the domain it is listed under). */
  tag: string;
  /** Path parameters; when absent every `{name}` in the path is a UUID. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body. */
  body?: z.ZodType;
  /** multipart/form-data instead of JSON; its fields, as described in the OpenAPI document. */
  multipart?: z.ZodObject;
  /** The body is read as raw text and checked by the handler (signed webhooks); this describes its JSON. */
  rawBody?: z.ZodType;
  output: z.ZodType | 'binary' | 'csv';
  /** The success status (default 200). */
  status?: number;
  /** A binary response that honours one-range Range requests (206; 416 past the end). */
  ranges?: boolean;
  /** The JSON response is also available as text/csv: what selects it. */
  csv?: string;
}

/** Declares a route, keeping its literal schema types for the server and the client. */
export const defineRoute = <const R extends RouteContract>(r: R): R => r;

/** The path parameter names of a path, in order: `/v1/a/{id}/b/{n}` → ['id', 'n']. */
export const pathParamNames = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** The path parameters' schema of a route: its own, else every `{name}` is a UUID. */
export function pathParamsOf(r: RouteContract): z.ZodObject {
  return r.params ?? z.object(Object.fromEntries(pathParamNames(r.path).map((n) => [n, UuidId])));
}

/** The path parameters a route needs, as strings. */
export type PathParams<R extends RouteContract> = R['params'] extends z.ZodObject
  ? z.input<R['params']>
  : Record<ParamNames<R['path']>, string>;
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;

/** The query a route accepts (what a client sends, before defaults apply). */
export type QueryOf<R extends RouteContract> = R['query'] extends z.ZodObject ? z.input<R['query']> : Record<string, never>;
/** The JSON body a route accepts. */
export type BodyOf<R extends RouteContract> = R['body'] extends z.ZodType ? z.input<R['body']> : undefined;
/** What a route answers: the parsed output type, or the raw bytes/text for binary and CSV routes. */
export type OutputOf<R extends RouteContract> = R['output'] extends z.ZodType
  ? z.output<R['output']>
  : R['output'] extends 'csv'
    ? string
    : Uint8Array;

/**
 * The URL path of a route with its parameters filled in (each percent-encoded) and its query
 * appended (undefined values left out): `buildPath(getAsset, { id }, { version: 2 })`.
 */
export function buildPath(r: RouteContract, params: Record<string, string | number>, query?: Record<string, unknown>): string {
  const path = r.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${r.method.toUpperCase()} ${r.path}: missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
  const qs = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

/** The OpenAPI operationId of a route: its method and path in camel case (`getV1AssetsIdPricing`). */
export const operationId = (r: RouteContract): string =>
  `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`;
