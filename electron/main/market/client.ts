/**
 * The studio's marketplace client, generated from the marketplace contract
 * (shared/contracts/marketplace): one method per route, `client.<domain>.<route>(args)`, which
 * builds the URL from the route's path and parameters and *parses* the answer with the route's
 * output schema. An answer that does not match its schema is an error (`bad_response`, naming the
 * route and the field), never a value cast into a type it does not have.
 */
import type { z } from 'zod';
import { ApiError } from '../../../shared/api.ts';
import {
  type BodyOf,
  type MarketplaceContract,
  type OutputOf,
  type PathParams,
  type QueryOf,
  type RouteContract,
  buildPath,
  marketplaceContract,
} from '../../../shared/contracts/marketplace/index.ts';

/** How a request travels (services/connection.ts `request`): method, path, options → the answer's JSON, text or bytes. */
export type Transport = (method: string, path: string, opts: TransportOptions) => Promise<unknown>;

export interface TransportOptions {
  json?: unknown;
  form?: FormData;
  idempotencyKey?: string | undefined;
  /** Send the session token (default true). */
  auth?: boolean;
  /** Return the raw text instead of JSON (CSV). */
  text?: boolean;
  /** Return the raw bytes (images). */
  bytes?: boolean;
  /** How long to wait for the answer (default 30 s). */
  timeoutMs?: number;
}

type HasPathParams<P extends string> = P extends `${string}{${string}}${string}` ? true : false;

/** What a call takes: path parameters when the path has any, a body when the route takes JSON, a query when it has one. */
export type CallArgs<R extends RouteContract> = (HasPathParams<R['path']> extends true
  ? { params: PathParams<R> }
  : { params?: undefined }) &
  (R['body'] extends z.ZodType ? { body: BodyOf<R> } : { body?: undefined }) &
  (R['query'] extends z.ZodObject ? { query?: QueryOf<R> } : { query?: undefined }) & {
    /** multipart/form-data (submissions). */
    form?: FormData;
    idempotencyKey?: string | undefined;
    /** Send the session token (default true). */
    auth?: boolean;
    timeoutMs?: number;
  };

type RouteCall<R extends RouteContract> =
  Partial<CallArgs<R>> extends CallArgs<R> ? (args?: CallArgs<R>) => Promise<OutputOf<R>> : (args: CallArgs<R>) => Promise<OutputOf<R>>;

/** `client.<domain>.<route>`: one typed method per route of the contract. */
export type MarketClient = {
  [D in keyof MarketplaceContract]: {
    [N in keyof MarketplaceContract[D]]: MarketplaceContract[D][N] extends RouteContract ? RouteCall<MarketplaceContract[D][N]> : never;
  };
};

/** The first problem of a failed parse, as "field: message". */
function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}` : 'does not match';
}

/** Calls one route through `transport` and parses the answer. */
export async function callRoute<R extends RouteContract>(
  transport: Transport,
  name: string,
  route: R,
  args: Partial<CallArgs<R>> = {},
): Promise<OutputOf<R>> {
  const path = buildPath(route, (args.params ?? {}) as Record<string, string | number>, args.query as Record<string, unknown> | undefined);
  const raw = await transport(route.method.toUpperCase(), path, {
    json: args.body,
    form: args.form,
    idempotencyKey: args.idempotencyKey,
    auth: args.auth,
    timeoutMs: args.timeoutMs,
    text: route.output === 'csv',
    bytes: route.output === 'binary',
  });
  if (route.output === 'csv' || route.output === 'binary') return raw as OutputOf<R>;
  const parsed = route.output.safeParse(raw);
  if (!parsed.success)
    throw new ApiError(
      'bad_response',
      `the marketplace answered ${name} with an unexpected response (${firstIssue(parsed.error)})`,
      undefined,
      502,
    );
  return parsed.data as OutputOf<R>;
}

/** A client for every route of `contract` (by default the marketplace's). */
export function createMarketClient(transport: Transport, contract: MarketplaceContract = marketplaceContract): MarketClient {
  const client: Record<string, Record<string, (args?: object) => Promise<unknown>>> = {};
  for (const [domain, routes] of Object.entries(contract)) {
    const methods: Record<string, (args?: object) => Promise<unknown>> = {};
    for (const [name, route] of Object.entries(routes as Record<string, RouteContract>))
      methods[name] = (args = {}) => callRoute(transport, `${domain}.${name}`, route, args);
    client[domain] = methods;
  }
  return client as unknown as MarketClient;
}
