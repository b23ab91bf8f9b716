/**
 * The marketplace HTTP API (Hono). Every route is declared once in a table: method, path,
 * summary, the authorization action it needs, its zod schemas — from which the router validates
 * input and /openapi.json is generated. Errors are JSON `{ error: { code, message, field } }`.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { ApiError } from '../shared/api.ts';
import { invalidInput } from '../shared/errors.ts';
import {
  AdminUserUpdate,
  AssetView,
  CreatorQuery,
  CreatorView,
  Decision,
  ErrorBody,
  IndexPage,
  IndexQuery,
  LoginInput,
  NotificationView,
  QueueItem,
  ReasonInput,
  RegisterInput,
  SearchQuery,
  SearchResult,
  Session,
  SubmissionResult,
  UserView,
} from '../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../shared/policy/marketplace.ts';
import { MEDIA_POLICY } from '../shared/policy/media.ts';
import { TRUST_POLICY, type TrustPolicy } from '../shared/policy/trust.ts';
import { takeToken } from './rate-limit.ts';
import { trustRoutes } from './trust-routes.ts';
import { type UserRow, userForToken, userView } from './auth.ts';
import { type Action, authorize } from './authz.ts';
import type { Marketplace, SubmissionInput } from './marketplace.ts';
import { moneyRoutes } from './money-routes.ts';
import { mediaResponse } from './media-files.ts';
import { boundaryOf, readMultipart } from './multipart.ts';
import { IntId, UuidId, positiveId } from './params.ts';
import { ProvenanceSigner } from './provenance.ts';
import { REPORT_KINDS, addReview, reputationView, reviewsOf } from './trust.ts';

type Method = 'get' | 'post';

interface Ctx<B, Q> {
  user: UserRow | null;
  token: string | null;
  body: B;
  query: Q;
  params: Record<string, string>;
  c: Context;
  /** The client's address (see clientAddress). */
  ip: string;
}

export interface RouteDef<B extends z.ZodType, Q extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  action: Action;
  body?: B;
  /** multipart/form-data instead of JSON; its fields are described here for the OpenAPI document. */
  multipart?: z.ZodObject;
  query?: Q;
  /** Path parameters; by default every `{name}` in the path is a UUID (see `pathParams`). */
  params?: z.ZodObject;
  response: z.ZodType | 'binary' | 'csv';
  /** A binary response that honours one-range Range requests (206; 416 past the end). */
  ranges?: boolean;
  /** The JSON response is also available as text/csv (what selects it). */
  csv?: string;
  /** Rate-limited per account and per IP (shared/policy/trust.ts). */
  limit?: 'auth' | 'submissions' | 'reports';
  /** The handler receives the raw request body as text (signed webhooks). */
  rawBody?: z.ZodType;
  status?: number;
  handler: (ctx: Ctx<z.output<B>, z.output<Q>>) => Promise<unknown>;
}

export type AnyRoute = RouteDef<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const toHonoPath = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');

/** The path parameters of a route: its own schema, else every `{name}` is a UUID. */
export function pathParams(r: AnyRoute): z.ZodObject {
  if (r.params) return r.params;
  return z.object(Object.fromEntries([...r.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1] as string, UuidId])));
}

const JSON_LIMIT = 1024 * 1024;

/**
 * Submission limits, per part and for the whole streamed body: the media file's from the media
 * policy, the image's from the marketplace policy, the card's as any JSON body.
 */
export const SUBMISSION_LIMITS = {
  card: JSON_LIMIT,
  image: MARKETPLACE_POLICY.maxUploadBytes,
  media: MEDIA_POLICY.limits.maxBytes,
  // The whole body: the largest media file plus room for the card and part headers (an image sent
  // with a media file shares this budget).
  body: Math.max(MEDIA_POLICY.limits.maxBytes, MARKETPLACE_POLICY.maxUploadBytes) + JSON_LIMIT + 64 * 1024,
} as const;

/** Request body limits per route class (413): JSON before anything is read, multipart as it streams. */
export const BODY_LIMITS = { json: JSON_LIMIT, multipart: SUBMISSION_LIMITS.body } as const;

type SubmissionUpload = SubmissionInput & { cleanup(): Promise<void> };

/** Runs a submission with its uploaded files, then removes their temporary folder whatever happened. */
async function withUpload<T>(upload: SubmissionUpload, run: (input: SubmissionInput) => Promise<T>): Promise<T> {
  try {
    return await run(upload);
  } finally {
    await upload.cleanup();
  }
}

/**
 * The client's address: with `hops` trusted proxies in front, the entry the outermost trusted
 * proxy appended to X-Forwarded-For (counting from the right); with 0 hops, the socket address.
 * Entries further left are whatever the client sent and are never trusted.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, hops: number): string {
  const socket = socketAddress || 'unknown';
  if (hops <= 0) return socket;
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    socket,
  ];
  return chain[Math.max(0, chain.length - 1 - hops)] ?? socket;
}

const fieldError = (err: z.ZodError, prefix = ''): ApiError => invalidInput(err, { prefix, fallback: '(body)' });

const Submission = z.object({
  card: z.string().describe('the asset card, as JSON text'),
  media: z
    .string()
    .meta({ format: 'binary' })
    .optional()
    .describe('the audio or video file of a media asset (streamed; size limit from the media policy); a text field is refused'),
  image: z
    .string()
    .meta({ format: 'binary' })
    .optional()
    .describe('the image file (png, jpeg, webp, gif, avif, tiff); a text field is refused'),
  parentAssetId: z.string().uuid().optional().describe('declared parent, for a derivative'),
});

export interface AppOptions {
  /** Rate limits (default: shared/policy/trust.ts); false turns them off (benchmarks). */
  rateLimits?: TrustPolicy['rateLimits'] | false;
  /** How many trusted proxies stand in front of the server (0: use the socket address; X-Forwarded-For is ignored). */
  trustProxyHops?: number;
}

export function createApp(mp: Marketplace, opts: AppOptions = {}): { app: Hono; routes: AnyRoute[] } {
  const limits = opts.rateLimits === undefined ? TRUST_POLICY.rateLimits : opts.rateLimits;
  const app = new Hono();
  const routes: AnyRoute[] = [];
  const route = <B extends z.ZodType, Q extends z.ZodType>(r: RouteDef<B, Q>) => routes.push(r as AnyRoute);

  // ---------------------------------------------------------------- accounts
  route({
    method: 'post',
    path: '/v1/auth/register',
    summary: 'Create an account (buyer + creator roles; the Creator tier is granted by an admin)',
    tag: 'accounts',
    action: 'public.read',
    limit: 'auth',
    body: RegisterInput,
    response: Session,
    status: 201,
    handler: ({ body }) => mp.register(body),
  });
  route({
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Sign in; returns an opaque bearer token',
    tag: 'accounts',
    action: 'public.read',
    limit: 'auth',
    body: LoginInput,
    response: Session,
    handler: ({ body }) => mp.login(body),
  });
  route({
    method: 'post',
    path: '/v1/auth/logout',
    summary: 'Revoke the current token',
    tag: 'accounts',
    action: 'account.self',
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ token }) => {
      await mp.logout(token as string);
      return { ok: true };
    },
  });
  route({
    method: 'post',
    path: '/v1/admin/bootstrap',
    summary:
      'Make the signed-in account the first admin with the one-time token the server printed at start (only while there is no admin)',
    tag: 'admin',
    action: 'account.self',
    limit: 'auth',
    body: z.object({ token: z.string().min(16).max(200) }),
    response: UserView,
    handler: ({ user, body }) => mp.bootstrapAdmin(user as UserRow, body.token),
  });
  route({
    method: 'get',
    path: '/v1/me',
    summary: 'The signed-in account',
    tag: 'accounts',
    action: 'account.self',
    response: UserView,
    handler: async ({ user }) => userView(user as UserRow),
  });
  route({
    method: 'post',
    path: '/v1/admin/users/{id}',
    summary: 'Grant or revoke the Creator tier, the verified badge, roles',
    tag: 'admin',
    action: 'admin.users',
    body: AdminUserUpdate,
    response: UserView,
    handler: ({ params, body, user }) => mp.updateUser(params.id as string, body, user as UserRow),
  });

  // ---------------------------------------------------------------- submissions and assets
  route({
    method: 'post',
    path: '/v1/submissions',
    summary:
      'Submit a new asset (multipart: card JSON + image and/or an audio or video file); every fingerprint is recomputed here, then a human reviews it',
    tag: 'submissions',
    action: 'asset.submit',
    limit: 'submissions',
    multipart: Submission,
    response: SubmissionResult,
    status: 201,
    handler: async ({ user, c }) => {
      // Refused before a byte of the upload is read when the account may not submit at all.
      await mp.assertMaySubmit(user as UserRow);
      return withUpload(await readSubmission(c), (input) => mp.submit(user as UserRow, { ...input, signal: c.req.raw.signal }));
    },
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/versions',
    summary: 'Submit a new version of your asset (reviewed again; buyers keep the version they bought)',
    tag: 'submissions',
    action: 'account.self',
    limit: 'submissions',
    multipart: Submission,
    response: SubmissionResult,
    status: 201,
    handler: async ({ user, c, params }) => {
      await mp.assertMaySubmit(user as UserRow);
      return withUpload(await readSubmission(c), (input) => mp.submit(user as UserRow, { ...input, signal: c.req.raw.signal }, params.id));
    },
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/appeal',
    summary: 'Appeal a rejection; a different moderator decides',
    tag: 'submissions',
    action: 'account.self',
    body: ReasonInput,
    response: z.object({ appealId: z.number().int(), estimatedReviewTime: z.string() }),
    status: 201,
    handler: ({ user, params, body }) => mp.appeal(user as UserRow, params.id as string, body.reason),
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/withdraw',
    summary: 'Take your listing off sale (buyers keep what they bought; the index feed gets a tombstone)',
    tag: 'submissions',
    action: 'account.self',
    response: z.object({ assetId: z.string(), status: z.literal('withdrawn') }),
    handler: ({ user, params }) => mp.withdraw(user as UserRow, params.id as string),
  });
  route({
    method: 'get',
    path: '/v1/my/library',
    summary: 'Assets you hold: the versions you own and whether a newer published version is available',
    tag: 'discovery',
    action: 'account.self',
    response: z.array(
      z.object({
        assetId: z.string(),
        name: z.string(),
        ownedVersions: z.array(z.number().int()),
        latestPublishedVersion: z.number().int().nullable(),
        updateAvailable: z.boolean(),
      }),
    ),
    handler: ({ user }) => mp.myLibrary(user as UserRow),
  });
  route({
    method: 'get',
    path: '/v1/my/assets',
    summary: 'Your assets with their review status',
    tag: 'submissions',
    action: 'account.self',
    response: z.array(AssetView),
    handler: ({ user }) => mp.myAssets(user as UserRow),
  });
  route({
    method: 'get',
    path: '/v1/assets/{id}',
    summary: 'A published listing (public), or any version for its creator and moderators',
    tag: 'discovery',
    action: 'asset.read',
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: AssetView,
    handler: ({ user, params, query }) => mp.getAsset(user, params.id as string, query.version),
  });
  route({
    method: 'get',
    path: '/v1/assets/{id}/image',
    summary: 'The asset’s image',
    tag: 'discovery',
    action: 'asset.read',
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: 'binary',
    handler: async ({ user, params, query, c }) => {
      const bytes = await mp.image(user, params.id as string, query.version);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=300',
      });
    },
  });
  route({
    method: 'get',
    path: '/v1/assets/{id}/media',
    summary:
      'A version’s audio or video file, streamed (Range requests answered 206 so players can seek): for its creator, buyers entitled to it, and moderators/admins while it is in review or published',
    tag: 'discovery',
    action: 'asset.media',
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: 'binary',
    ranges: true,
    handler: async ({ user, params, query, c }) =>
      mediaResponse(await mp.mediaFile(user, params.id as string, query.version), c.req.header('range')),
  });

  route({
    method: 'get',
    path: '/v1/assets/{id}/provenance',
    summary:
      'The signed provenance record of a published version with its ancestors’ records: proof of prior publication, verifiable offline',
    tag: 'provenance',
    action: 'asset.read',
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: z.record(z.string(), z.unknown()),
    handler: ({ user, params, query }) => mp.provenance(user, params.id as string, query.version),
  });
  route({
    method: 'get',
    path: '/v1/provenance/key',
    summary: 'The marketplace’s Ed25519 public key (SPKI, base64) that signs provenance records',
    tag: 'provenance',
    action: 'public.read',
    response: z.object({ keyId: z.string(), spkiBase64: z.string() }),
    handler: async () => ({ keyId: mp.signer.keyId, spkiBase64: mp.signer.spkiBase64 }),
  });
  route({
    method: 'get',
    path: '/v1/provenance/keys',
    summary:
      'Every key the marketplace has signed provenance records with, and its validity period (a rotated-out key keeps verifying the records it signed); pin these',
    tag: 'provenance',
    action: 'public.read',
    response: z.object({
      keys: z.array(z.object({ keyId: z.string(), spkiBase64: z.string(), validFrom: z.string(), validUntil: z.string().nullable() })),
    }),
    handler: async () => ({ keys: await ProvenanceSigner.keys(mp.db) }),
  });

  // ---------------------------------------------------------------- trust
  route({
    method: 'post',
    path: '/v1/assets/{id}/reviews',
    summary: 'Rate (1–5) and review an asset you bought; one review per buyer, a new one replaces it',
    tag: 'trust',
    action: 'account.self',
    body: z.object({ rating: z.number().int().min(1).max(5), body: z.string().trim().max(5000).default('') }),
    response: z.object({ assetId: z.string(), rating: z.number().int() }),
    status: 201,
    handler: ({ user, params, body }) => mp.db.tx((sql) => addReview(sql, user as UserRow, params.id as string, body.rating, body.body)),
  });
  route({
    method: 'get',
    path: '/v1/assets/{id}/reviews',
    summary: 'Verified-purchase reviews of an asset and its average rating',
    tag: 'trust',
    action: 'public.read',
    response: z.object({
      count: z.number().int(),
      average: z.number().nullable(),
      reviews: z.array(z.object({ rating: z.number().int(), body: z.string(), by: z.string(), at: z.string() })),
    }),
    handler: ({ params }) => reviewsOf(mp.db, params.id as string),
  });
  route({
    method: 'post',
    path: '/v1/assets/{id}/reports',
    summary: 'Report a published asset (spam, misrepresentation, copyright, offensive) to the moderators',
    tag: 'trust',
    action: 'account.self',
    limit: 'reports',
    body: z.object({
      kind: z.enum(REPORT_KINDS),
      details: z.string().trim().min(10, 'say what is wrong (at least 10 characters)').max(5000),
    }),
    response: z.object({ reportId: z.number().int(), caseId: z.number().int(), state: z.literal('open') }),
    status: 201,
    handler: ({ user, params, body }) => mp.moderation.report(user as UserRow, params.id as string, body.kind, body.details),
  });
  route({
    method: 'get',
    path: '/v1/creators/{id}/reputation',
    summary: 'A creator’s reputation: total, level, each component with its inputs and what would raise it, and its history',
    tag: 'trust',
    action: 'public.read',
    response: z.record(z.string(), z.unknown()),
    handler: ({ params }) => reputationView(mp.db, params.id as string),
  });

  // ---------------------------------------------------------------- moderation
  route({
    method: 'get',
    path: '/v1/moderation/queue',
    summary: 'Open review items: flagged first, then oldest first, with the similarity evidence',
    tag: 'moderation',
    action: 'moderation.queue',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.array(QueueItem),
    handler: ({ user, query }) => mp.queue(user as UserRow, query.limit),
  });
  route({
    method: 'post',
    path: '/v1/moderation/items/{itemId}/claim',
    params: z.object({ itemId: IntId }),
    summary: `Claim an item (one moderator at a time; claims expire after ${MARKETPLACE_POLICY.claimMinutes} minutes)`,
    tag: 'moderation',
    action: 'moderation.queue',
    response: z.object({ itemId: z.number().int(), claimedBy: z.string(), claimExpiresAt: z.string() }),
    handler: ({ user, params }) => mp.claim(user as UserRow, positiveId(params.itemId, 'itemId')),
  });
  route({
    method: 'post',
    path: '/v1/moderation/items/{itemId}/decision',
    params: z.object({ itemId: IntId }),
    summary: 'Approve, reject (reason required) or request changes; for appeals, overturn or uphold',
    tag: 'moderation',
    action: 'moderation.queue',
    body: Decision,
    response: z.object({
      itemId: z.number().int(),
      decision: z.string(),
      assetId: z.string(),
      version: z.number().int(),
      published: z.boolean(),
    }),
    handler: ({ user, params, body }) => mp.decide(user as UserRow, positiveId(params.itemId, 'itemId'), body),
  });

  // ---------------------------------------------------------------- notifications
  route({
    method: 'get',
    path: '/v1/notifications',
    summary: 'Your notifications, newest first',
    tag: 'notifications',
    action: 'notification.self',
    response: z.array(NotificationView),
    handler: ({ user }) => mp.notifications(user as UserRow),
  });
  route({
    method: 'post',
    path: '/v1/notifications/{id}/read',
    params: z.object({ id: IntId }),
    summary: 'Mark a notification read',
    tag: 'notifications',
    action: 'notification.self',
    response: z.object({ updated: z.number().int() }),
    handler: ({ user, params }) => mp.markRead(user as UserRow, positiveId(params.id, 'id')),
  });

  // ---------------------------------------------------------------- discovery
  route({
    method: 'get',
    path: '/v1/search',
    summary: 'Search published assets (semantic + keyword; keyword only without a text model)',
    tag: 'discovery',
    action: 'public.read',
    query: SearchQuery,
    response: SearchResult,
    handler: ({ query }) => mp.search(query),
  });
  route({
    method: 'get',
    path: '/v1/creators',
    summary: 'Creators ranked by reputation first, proximity second; at most 20',
    tag: 'discovery',
    action: 'public.read',
    query: CreatorQuery,
    response: z.array(CreatorView),
    handler: ({ query }) => mp.creators(query.q),
  });
  route({
    method: 'get',
    path: '/v1/index',
    summary: 'The published index as an incremental feed (fingerprints, minimal cards, tombstones) for the studio’s offline copy',
    tag: 'discovery',
    action: 'public.read',
    query: IndexQuery,
    response: IndexPage,
    handler: ({ query }) => mp.indexFeed(query.since, query.limit),
  });
  route({
    method: 'get',
    path: '/v1/policy',
    summary: 'The marketplace policy in force (review targets, reputation minimum, royalty)',
    tag: 'discovery',
    action: 'public.read',
    response: z.record(z.string(), z.unknown()),
    handler: async () => ({ ...MARKETPLACE_POLICY, money: mp.money.policy, trust: mp.moderation.policy }),
  });

  moneyRoutes(route, mp);
  trustRoutes(route, mp);

  // ---------------------------------------------------------------- wiring
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      const retry = err.details?.retryAfterSeconds;
      if (err.status === 429 && typeof retry === 'number') c.header('Retry-After', String(retry));
      // The refused body is not read: the connection is closed after the answer rather than reused mid-body.
      if (err.status === 413) c.header('Connection', 'close');
      return c.json({ error: err.toBody() }, err.status as 400);
    }
    if (err instanceof URIError)
      return c.json({ error: { code: 'malformed_path', message: 'the path is not valid percent-encoding' } }, 400);
    console.error('[server] unhandled', err);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  const tooLarge = (max: number) => () => {
    throw new ApiError('too_large', `request bodies here are limited to ${Math.round(max / 1024)} KiB`, '(body)', 413);
  };
  for (const r of routes) {
    const maxBody = BODY_LIMITS.json;
    const paramSchema = pathParams(r);
    // Multipart bodies are streamed and limited part by part (readSubmission); Hono's bodyLimit would buffer them.
    const limit: MiddlewareHandler = r.multipart ? (_c, next) => next() : bodyLimit({ maxSize: maxBody, onError: tooLarge(maxBody) });
    app.on(r.method.toUpperCase(), toHonoPath(r.path), limit, async (c) => {
      let params: Record<string, string>;
      try {
        params = c.req.param() as Record<string, string>;
      } catch {
        throw new ApiError('malformed_path', 'the path is not valid percent-encoding', '(path)', 400);
      }
      const pp = paramSchema.safeParse(params);
      if (!pp.success) throw fieldError(pp.error);
      const auth = c.req.header('authorization') ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
      const user = token ? await userForToken(mp.db, token) : null;
      if (token && !user) throw new ApiError('unauthorized', 'the token is invalid, expired or revoked', undefined, 401);
      if (r.action !== 'asset.read') authorize(user, r.action === 'asset.submit' ? 'account.self' : r.action);
      let query: unknown = {};
      if (r.query) {
        const p = r.query.safeParse(c.req.query());
        if (!p.success) throw fieldError(p.error);
        query = p.data;
      }
      let body: unknown;
      if (r.rawBody) body = await c.req.text();
      else if (r.body) {
        if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
          throw new ApiError('unsupported_media_type', 'send application/json', undefined, 415);
        let raw: unknown;
        try {
          raw = await c.req.json();
        } catch {
          throw new ApiError('malformed_json', 'the request body is not valid JSON', '(body)', 400);
        }
        const p = r.body.safeParse(raw);
        if (!p.success) throw fieldError(p.error);
        body = p.data;
      }
      const ip = clientAddress(
        (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress,
        c.req.header('x-forwarded-for'),
        opts.trustProxyHops ?? 0,
      );
      if (r.limit && limits) {
        const l = limits[r.limit];
        const what = { auth: 'sign-in attempts', submissions: 'submissions', reports: 'reports' }[r.limit];
        await takeToken(mp.db, `${r.limit}:ip:${ip}`, l.perIp, `${what} from this address`);
        // Sign-in attempts count per account *and* address, so someone else's failures elsewhere never lock an account out.
        const who = user?.id ?? (body as { email?: string } | undefined)?.email ?? null;
        if (who) await takeToken(mp.db, r.limit === 'auth' ? `auth:acct:${who}:ip:${ip}` : `${r.limit}:acct:${who}`, l.perAccount, what);
      }
      const run = async () => {
        const out = await r.handler({ user, token, body, query, params: pp.data as Record<string, string>, c, ip });
        if (out instanceof Response) return out;
        return c.json(out as object, (r.status ?? 200) as 200);
      };
      const key = c.req.header('idempotency-key');
      if (r.method !== 'post' || !key || !user) return run();
      return idempotent(mp, user.id, key, c.req.path, run);
    });
  }

  // Where a buyer lands after the processor's checkout page (the studio polls the purchase itself).
  app.get('/checkout/complete', (c) =>
    c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Originals</title></head><body style="font:16px system-ui;max-width:32rem;margin:3rem auto"><h1>Thank you</h1><p>Your payment is being confirmed. You can return to Originals Studio; the purchase appears there in a moment.</p></body></html>',
      200,
      { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
    ),
  );
  app.get('/openapi.json', (c) => c.json(openApi(routes)));
  app.get('/', (c) => c.json({ name: 'Originals marketplace API', openapi: '/openapi.json', version: 'v1' }));
  return { app, routes };
}

/**
 * Runs a POST once per (account, Idempotency-Key): the first response (success or client error) is
 * stored and replayed for every retry with the same key; a retry while the first is still running
 * gets 409; a server error forgets the key so the retry runs again.
 */
async function idempotent(mp: Marketplace, userId: string, key: string, path: string, run: () => Promise<Response>): Promise<Response> {
  if (key.length > 200) throw new ApiError('invalid_input', 'Idempotency-Key: at most 200 characters', 'Idempotency-Key', 400);
  const claimed = await mp.db.query(
    `INSERT INTO idempotency_keys (user_id, key, method, path, state) VALUES ($1, $2, 'POST', $3, 'running') ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, path],
  );
  if (!claimed.rows.length) {
    const prior = (
      await mp.db.query<{ path: string; state: string; status: number; body: unknown }>(
        'SELECT * FROM idempotency_keys WHERE user_id = $1 AND key = $2',
        [userId, key],
      )
    ).rows[0];
    if (prior?.path !== path)
      throw new ApiError('idempotency_key_reused', 'this Idempotency-Key was used for a different request', 'Idempotency-Key', 422);
    if (prior.state !== 'done')
      throw new ApiError(
        'idempotency_in_progress',
        'the first request with this Idempotency-Key is still running; retry shortly',
        'Idempotency-Key',
        409,
      );
    return new Response(JSON.stringify(prior.body), {
      status: prior.status,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
    });
  }
  let res: Response;
  try {
    res = await run();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) {
      await mp.db.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
      throw err;
    }
    res = new Response(JSON.stringify({ error: err.toBody() }), { status: err.status, headers: { 'content-type': 'application/json' } });
  }
  if (res.status >= 500 || !(res.headers.get('content-type') ?? '').includes('json')) {
    await mp.db.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
    return res;
  }
  const text = await res.clone().text();
  await mp.db.query(`UPDATE idempotency_keys SET state = 'done', status = $3, body = $4 WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
    res.status,
    text,
  ]);
  return res;
}

/** Reads a streamed multipart submission (server/multipart.ts); the caller removes `media`'s folder with `cleanup`. */
async function readSubmission(c: Context): Promise<SubmissionUpload> {
  const type = c.req.header('content-type') ?? '';
  const boundary = boundaryOf(type);
  if (!boundary)
    throw new ApiError(
      'unsupported_media_type',
      'send multipart/form-data with a "card" field (JSON), an optional "image" file and, for audio or video, a "media" file',
      undefined,
      415,
    );
  const len = Number(c.req.header('content-length') ?? 'NaN');
  // Refused before a byte is read when the declared length is over; a chunked body is counted as it streams.
  if (Number.isFinite(len) && len > SUBMISSION_LIMITS.body)
    throw new ApiError('too_large', `uploads are limited to ${Math.round(SUBMISSION_LIMITS.body / 1024 / 1024)} MB`, '(body)', 413);
  const form = await readMultipart(c.req.raw.body, {
    boundary,
    maxBodyBytes: SUBMISSION_LIMITS.body,
    parts: {
      card: { kind: 'text', maxBytes: SUBMISSION_LIMITS.card },
      parentAssetId: { kind: 'text', maxBytes: 100 },
      image: { kind: 'file', maxBytes: SUBMISSION_LIMITS.image, storage: 'memory', describe: 'the image bytes' },
      media: { kind: 'file', maxBytes: SUBMISSION_LIMITS.media, storage: 'disk', describe: 'the audio or video file' },
    },
  });
  try {
    const cardText = form.text.get('card');
    if (cardText === undefined) throw new ApiError('invalid_input', 'card: the "card" field (asset card JSON) is required', 'card', 400);
    let card: unknown;
    try {
      card = JSON.parse(cardText);
    } catch {
      throw new ApiError('malformed_json', 'card: not valid JSON', 'card', 400);
    }
    const parent = form.text.get('parentAssetId');
    if (parent !== undefined && !z.string().uuid().safeParse(parent).success)
      throw new ApiError('invalid_input', 'parentAssetId: must be an asset id', 'parentAssetId', 400);
    const image = form.files.get('image');
    const media = form.files.get('media');
    if (media && media.size === 0) throw new ApiError('invalid_input', 'media: the file is empty', 'media', 400);
    return {
      card,
      ...(image?.bytes ? { image: new Uint8Array(image.bytes) } : {}),
      ...(media?.path ? { media: { path: media.path, filename: media.filename } } : {}),
      ...(parent !== undefined ? { parentAssetId: parent } : {}),
      cleanup: form.cleanup,
    };
  } catch (err) {
    await form.cleanup();
    throw err;
  }
}

type Json = Record<string, unknown>;

/**
 * Turns zod's JSON Schema into an OpenAPI schema object: named schemas (`.meta({ id })`) move to
 * `components.schemas` and every reference points there; `$schema` keys are dropped. A request
 * (input) form that differs from the response form of the same name is stored as `<Name>Input`.
 */
function componentizer() {
  const schemas: Record<string, Json> = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  /** The component name for a named schema: its id, or a suffixed one when that name holds a different schema. */
  const keyFor = (name: string, def: Json, io: 'input' | 'output'): string => {
    for (let i = 0; ; i++) {
      const key = i === 0 ? name : `${name}${io === 'input' ? 'Input' : 'Output'}${i > 1 ? i : ''}`;
      if (!schemas[key] || same(schemas[key], def)) return key;
    }
  };
  const rewrite = (v: unknown, names: Record<string, string>): unknown => {
    if (Array.isArray(v)) return v.map((x) => rewrite(x, names));
    if (!v || typeof v !== 'object') return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v as Json)) {
      if (k === '$schema' || k === '$defs') continue;
      if (k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/'))
        out[k] = `#/components/schemas/${names[x.slice(8)] ?? x.slice(8)}`;
      else out[k] = rewrite(x, names);
    }
    return out;
  };
  const of = (s: z.ZodType, io: 'input' | 'output'): Json => {
    const js = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    const names: Record<string, string> = {};
    for (const [name, def] of Object.entries(defs)) names[name] = keyFor(name, rewrite(def, {}) as Json, io);
    for (const [name, def] of Object.entries(defs)) schemas[names[name] as string] = rewrite(def, names) as Json;
    return rewrite(js, names) as Json;
  };
  return { of, schemas };
}

/** OpenAPI 3.1 from the route table and its zod schemas. */
export function openApi(routes: AnyRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const comp = componentizer();
  const input = (s: z.ZodType) => comp.of(s, 'input');
  const output = (s: z.ZodType) => comp.of(s, 'output');
  const errorSchema = output(ErrorBody);
  for (const r of routes) {
    const params = Object.entries(pathParams(r).shape).map(([name, s]) => ({
      name,
      in: 'path',
      required: true,
      schema: input(s as z.ZodType),
    }));
    const qs = r.query
      ? Object.entries((r.query as unknown as z.ZodObject).shape).map(([name, s]) => ({
          name,
          in: 'query',
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: input(s as z.ZodType),
        }))
      : [];
    const content =
      r.response === 'binary'
        ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
        : r.response === 'csv'
          ? { 'text/csv': { schema: { type: 'string' } } }
          : {
              'application/json': { schema: output(r.response) },
              ...(r.csv ? { 'text/csv': { schema: { type: 'string', description: r.csv } } } : {}),
            };
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      tags: [r.tag],
      'x-authorization': r.action,
      parameters: [
        ...params,
        ...qs,
        ...(r.ranges ? [{ name: 'Range', in: 'header', required: false, schema: { type: 'string', example: 'bytes=0-1023' } }] : []),
      ],
      responses: {
        [String(r.status ?? 200)]: { description: 'OK', content },
        ...(r.ranges ? { '206': { description: 'Partial Content: the one byte range asked for', content } } : {}),
        default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
      },
      ...(r.action !== 'public.read' && r.action !== 'asset.read' ? { security: [{ bearer: [] }] } : {}),
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: input(r.body) } } };
    if (r.rawBody) op.requestBody = { required: true, content: { 'application/json': { schema: input(r.rawBody) } } };
    if (r.multipart) op.requestBody = { required: true, content: { 'multipart/form-data': { schema: input(r.multipart) } } };
    paths[r.path] = { ...(paths[r.path] ?? {}), [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Originals marketplace API',
      version: '1.0.0',
      description:
        'Submission → automated checks → human review → publish; discovery; the index feed; pricing, licenses, purchases, refunds, payouts and earnings.',
    },
    components: { schemas: comp.schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
