/**
 * The HTTP router (Hono): mounts every served route through the request pipeline with its body
 * limit, maps errors to the JSON error body, and serves /openapi.json generated from the routes,
 * the API's index and the page a buyer lands on after checkout.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../../shared/api.ts';
import type { Sql } from '../db.ts';
import { errorResponse, notFoundResponse } from './errors.ts';
import { openApi } from './openapi.ts';
import { type PipelineOptions, pipeline } from './pipeline.ts';
import type { ServedRoute } from './route.ts';
import { BODY_LIMITS } from './submission.ts';

const toHonoPath = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');

const tooLarge = (max: number) => () => {
  throw new ApiError('too_large', `request bodies here are limited to ${Math.round(max / 1024)} KiB`, '(body)', 413);
};

const CHECKOUT_COMPLETE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Originals</title></head><body style="font:16px system-ui;max-width:32rem;margin:3rem auto"><h1>Thank you</h1><p>Your payment is being confirmed. You can return to Originals Studio; the purchase appears there in a moment.</p></body></html>';

export function createRouter(routes: readonly ServedRoute[], db: Sql, opts: PipelineOptions): Hono {
  const app = new Hono();
  app.onError(errorResponse);
  app.notFound(notFoundResponse);
  for (const r of routes) {
    // Multipart bodies are streamed and limited part by part (submission.ts); Hono's bodyLimit would buffer them.
    const limit: MiddlewareHandler = r.multipart
      ? (_c, next) => next()
      : bodyLimit({ maxSize: BODY_LIMITS.json, onError: tooLarge(BODY_LIMITS.json) });
    app.on(r.method.toUpperCase(), toHonoPath(r.path), limit, pipeline(r, db, opts));
  }
  // Where a buyer lands after the processor's checkout page (the studio polls the purchase itself).
  app.get('/checkout/complete', (c) =>
    c.html(CHECKOUT_COMPLETE, 200, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }),
  );
  const doc = openApi(routes);
  app.get('/openapi.json', (c) => c.json(doc));
  app.get('/', (c) => c.json({ name: 'Originals marketplace API', openapi: '/openapi.json', version: 'v1' }));
  return app;
}
