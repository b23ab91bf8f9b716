/**
 * One request through a served route: path parameters, bearer token, authorization action, query,
 * body (JSON, raw text or — read by the handler — multipart), rate limit, the handler, the response
 * check against the contract's output schema (when on), and idempotency for POSTs with a key.
 */
import type { Context } from 'hono';
import { ApiError, invalidInput } from '../../shared/errors.ts';
import { pathParamsOf } from '../../shared/contracts/marketplace/route.ts';
import type { TrustPolicy } from '../../shared/policy/trust.ts';
import { userForToken } from '../auth.ts';
import { authorize } from '../authz.ts';
import type { Sql } from '../db.ts';
import { takeToken } from '../rate-limit.ts';
import { clientAddress } from './client-address.ts';
import { idempotent } from './idempotency.ts';
import { refuseNul } from './nul.ts';
import type { ServedRoute } from './route.ts';

export interface PipelineOptions {
  /** Rate limits per class; false turns them off. */
  rateLimits: TrustPolicy['rateLimits'] | false;
  /** Trusted proxies in front of the server (client-address.ts). */
  trustProxyHops: number;
  /** Parse every JSON response with the route's output schema and answer 500 `response_contract` when it does not match. */
  checkResponses: boolean;
}

/** A request's zod failure with no path names the body. */
const BODY = { fallback: '(body)' };

const LIMIT_WHAT = { auth: 'sign-in attempts', submissions: 'submissions', reports: 'reports' } as const;

/** The request handler of one route. */
export function pipeline(r: ServedRoute, db: Sql, opts: PipelineOptions): (c: Context) => Promise<Response> {
  const paramSchema = pathParamsOf(r);
  return async (c) => {
    let rawParams: Record<string, string>;
    try {
      rawParams = c.req.param() as Record<string, string>;
    } catch {
      throw new ApiError('malformed_path', 'the path is not valid percent-encoding', '(path)', 400);
    }
    const pp = paramSchema.safeParse(rawParams);
    if (!pp.success) throw invalidInput(pp.error, { ...BODY, schema: paramSchema });
    const auth = c.req.header('authorization') ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const user = token ? await userForToken(db, token) : null;
    if (token && !user) throw new ApiError('unauthorized', 'the token is invalid, expired or revoked', undefined, 401);
    if (r.action !== 'asset.read') authorize(user, r.action === 'asset.submit' ? 'account.self' : r.action);
    let query: unknown = {};
    if (r.query) {
      const rawQuery = c.req.query();
      refuseNul(rawQuery);
      const p = r.query.safeParse(rawQuery);
      if (!p.success) throw invalidInput(p.error, { ...BODY, schema: r.query });
      query = p.data;
    }
    const body = await readBody(r, c);
    const ip = clientAddress(
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress,
      c.req.header('x-forwarded-for'),
      opts.trustProxyHops,
    );
    if (r.limit && opts.rateLimits) {
      const l = opts.rateLimits[r.limit];
      const what = LIMIT_WHAT[r.limit];
      await takeToken(db, `${r.limit}:ip:${ip}`, l.perIp, `${what} from this address`);
      // Sign-in attempts count per account *and* address, so someone else's failures elsewhere never lock an account out.
      const who = user?.id ?? (body as { email?: string } | undefined)?.email ?? null;
      if (who) await takeToken(db, r.limit === 'auth' ? `auth:acct:${who}:ip:${ip}` : `${r.limit}:acct:${who}`, l.perAccount, what);
    }
    const run = async () => {
      const out = await r.handler({ user, token, body, query, params: pp.data as Record<string, string>, c, ip } as Parameters<
        ServedRoute['handler']
      >[0]);
      if (out instanceof Response) return out;
      if (opts.checkResponses) checkOutput(r, out);
      return c.json(out as object, (r.status ?? 200) as 200);
    };
    const key = c.req.header('idempotency-key');
    if (r.method !== 'post' || !key || !user) return run();
    return idempotent(db, user.id, key, c.req.path, run);
  };
}

/** The JSON body parsed by the route's schema, the raw text of a `rawBody` route, or nothing (multipart is read by its handler). */
async function readBody(r: ServedRoute, c: Context): Promise<unknown> {
  if (r.rawBody) return c.req.text();
  if (!r.body) return undefined;
  if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
    throw new ApiError('unsupported_media_type', 'send application/json', undefined, 415);
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError('malformed_json', 'the request body is not valid JSON', '(body)', 400);
  }
  refuseNul(raw);
  const p = r.body.safeParse(raw);
  if (!p.success) throw invalidInput(p.error, { ...BODY, schema: r.body });
  return p.data;
}

/** Checks what the client will read (the JSON text parsed back) against the contract's output schema. */
export function checkOutput(r: ServedRoute, out: unknown): void {
  if (typeof r.output === 'string') {
    throw new ApiError(
      'response_contract',
      `${r.method.toUpperCase()} ${r.path} answered JSON where its contract says ${r.output}`,
      undefined,
      500,
    );
  }
  const p = r.output.safeParse(JSON.parse(JSON.stringify(out ?? null)));
  if (p.success) return;
  const issue = p.error.issues[0];
  const where = issue?.path.join('.') || '(root)';
  const message = `${r.method.toUpperCase()} ${r.path}: the response does not match its contract at ${where}: ${issue?.message ?? 'invalid'}`;
  console.error(`[server] ${message}`);
  throw new ApiError('response_contract', message, where, 500);
}
