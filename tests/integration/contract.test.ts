/**
 * The marketplace contract (shared/contracts/marketplace) against the server: every contract route
 * is served by exactly one handler built from that very route object, and has its OpenAPI entry;
 * the document validates; and a response that does not match its output schema is an error
 * (500 `response_contract`) while the check is on — as it is under the test runner.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/create-app.ts';
import { serve } from '../../server/http/route.ts';
import { createRouter } from '../../server/http/router.ts';
import type { RunningServer } from '../../server/server.ts';
import { marketplaceRoutes, operationId } from '../../shared/contracts/marketplace/index.ts';
import { provenanceKey } from '../../shared/contracts/marketplace/provenance.ts';
import { testServer } from '../helpers/server.ts';

let srv: RunningServer;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(() => srv.stop());

const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

describe('marketplace contract', () => {
  it('every contract route has exactly one server handler built from it, and the server serves nothing else', () => {
    const { routes } = createApp(srv.marketplace);
    const served = new Map<string, (typeof routes)[number][]>();
    for (const r of routes) served.set(key(r), [...(served.get(key(r)) ?? []), r]);
    const missing: string[] = [];
    for (const { name, route } of marketplaceRoutes) {
      const handlers = served.get(key(route)) ?? [];
      if (handlers.length !== 1) {
        missing.push(`${name} (${key(route)}): ${handlers.length} handlers`);
        continue;
      }
      const h = handlers[0] as (typeof routes)[number];
      // The very schemas of the contract, not copies: a change to the contract changes the server.
      expect(h.output, name).toBe(route.output);
      expect(h.body, name).toBe(route.body);
      expect(h.query, name).toBe(route.query);
      expect(h.params, name).toBe(route.params);
      expect(h.multipart, name).toBe(route.multipart);
      expect(typeof h.handler, name).toBe('function');
      expect(h.action, name).toMatch(/^[a-z]+\.[a-z]+$/);
    }
    expect(missing).toEqual([]);
    const contractKeys = new Set(marketplaceRoutes.map((r) => key(r.route)));
    expect(routes.map(key).filter((k) => !contractKeys.has(k))).toEqual([]);
    expect(routes).toHaveLength(marketplaceRoutes.length);
  });

  it('every contract route has its OpenAPI entry, and the document validates', async () => {
    const doc = (await (await fetch(new URL('/openapi.json', srv.url))).json()) as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const res = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(res.errors ?? []).toEqual([]);
    const absent: string[] = [];
    for (const { name, route } of marketplaceRoutes) {
      const op = doc.paths[route.path]?.[route.method];
      if (!op) {
        absent.push(name);
        continue;
      }
      expect(op.operationId, name).toBe(operationId(route));
      const content = Object.keys(op.responses[String(route.status ?? 200)]?.content ?? {});
      const want = route.output === 'binary' ? 'application/octet-stream' : route.output === 'csv' ? 'text/csv' : 'application/json';
      expect(content, name).toContain(want);
    }
    expect(absent).toEqual([]);
    const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(marketplaceRoutes.length);
  });

  it('answers 500 response_contract when a handler returns what its output schema refuses (and passes it through when the check is off)', async () => {
    const wrong = serve(provenanceKey, {
      action: 'public.read',
      // A deliberately wrong answer: the contract says keyId is a string and spkiBase64 is required.
      handler: async () => ({ keyId: 42 }) as unknown as { keyId: string; spkiBase64: string },
    });
    const opts = { rateLimits: false as const, trustProxyHops: 0 };
    const checked = createRouter([wrong], srv.marketplace.db, { ...opts, checkResponses: true });
    const r = await checked.request(provenanceKey.path);
    expect(r.status).toBe(500);
    const body = (await r.json()) as { error: { code: string; message: string; field: string } };
    expect(body.error.code).toBe('response_contract');
    expect(body.error.message).toContain('GET /v1/provenance/key');
    expect(body.error.field).toBe('keyId');

    const unchecked = createRouter([wrong], srv.marketplace.db, { ...opts, checkResponses: false });
    const u = await unchecked.request(provenanceKey.path);
    expect(u.status).toBe(200);
    expect(await u.json()).toEqual({ keyId: 42 });
  });

  it('the served app checks responses under the test runner: the real key route matches its schema', async () => {
    const { app } = createApp(srv.marketplace);
    const r = await app.request(provenanceKey.path);
    expect(r.status).toBe(200);
    expect(provenanceKey.output.parse(await r.json()).keyId).toBe(srv.marketplace.signer.keyId);
  });
});
