/**
 * A served route: a contract route (shared/contracts/marketplace) plus what only the server knows —
 * the authorization action it needs, its rate-limit class, and its handler. `serve` joins them and
 * types the handler's context from the contract's schemas.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { RouteContract } from '../../shared/contracts/marketplace/route.ts';
import type { UserRow } from '../auth.ts';
import type { Action } from '../authz.ts';

/** Rate-limit classes (shared/policy/trust.ts rateLimits): per account and per IP. */
export type LimitClass = 'auth' | 'submissions' | 'reports';

type Out<S> = S extends z.ZodType ? z.output<S> : never;
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;

/** What a handler receives: the caller, and the request's parts parsed by the contract's schemas. */
export interface HandlerContext<R extends RouteContract> {
  user: UserRow | null;
  token: string | null;
  /** The parsed JSON body; the raw text for a `rawBody` route; undefined otherwise. */
  body: R['rawBody'] extends z.ZodType ? string : R['body'] extends z.ZodType ? Out<R['body']> : undefined;
  query: R['query'] extends z.ZodObject ? Out<R['query']> : Record<string, never>;
  params: R['params'] extends z.ZodObject ? Out<R['params']> : Record<ParamNames<R['path']>, string>;
  c: Context;
  /** The client's address (client-address.ts). */
  ip: string;
}

/** What a handler returns: the JSON output (checked against the contract in tests), or a Response it built itself. */
export type HandlerResult<R extends RouteContract> = R['output'] extends z.ZodType ? z.input<R['output']> | Response : Response;

export interface ServerParts<R extends RouteContract> {
  action: Action;
  limit?: LimitClass;
  handler: (ctx: HandlerContext<R>) => Promise<HandlerResult<R>>;
}

/** A route the router mounts: the contract's fields, the action and limit, and the handler. */
export type ServedRoute = RouteContract & {
  action: Action;
  limit?: LimitClass;
  handler: (ctx: HandlerContext<RouteContract>) => Promise<unknown>;
};

/** Serves a contract route with its server-only parts. */
export function serve<const R extends RouteContract>(route: R, parts: ServerParts<R>): ServedRoute {
  return { ...route, ...parts } as unknown as ServedRoute;
}

/** The signed-in account of a route whose action already required one. */
export const signedIn = (user: UserRow | null): UserRow => user as UserRow;
