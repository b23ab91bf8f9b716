/**
 * Schema-driven fuzzing of the whole API: for every operation in /openapi.json, fast-check builds
 * requests with invalid, oversized and wrong-typed path and query parameters, bodies (from the
 * operation's own request schema) and headers, signed in as an admin (so validation past
 * authorization is reached) or not. No answer may be a 5xx. The number of runs is bounded so the
 * file finishes well under a minute.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { client, testServer } from '../helpers/server.ts';

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema: Schema }[];
  body: { type: string; schema: Schema } | null;
}

let srv: RunningServer;
let adminToken = '';
let doc: { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };
let ops: Operation[] = [];

beforeAll(async () => {
  srv = await testServer(['admin@fuzz.dev']);
  const api = client(srv.url);
  adminToken = (await api.user('admin@fuzz.dev')).token;
  doc = (await api.call('GET', '/openapi.json')).body;
  ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content ?? {};
      const [type, media] = Object.entries(content)[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []) as Operation['params'],
        body: type && media ? { type, schema: media.schema } : null,
      };
    }),
  );
}, 180_000);
afterAll(() => srv?.stop());

const resolve = (s: Schema): Schema => {
  const ref = s.$ref as string | undefined;
  return ref ? resolve(doc.components.schemas[ref.split('/').pop() as string] ?? {}) : s;
};

/** Values of the wrong type or out of range, whatever the schema says. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, 1e308, -1e308, 1.5, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }),
  fc.constantFrom('x'.repeat(100_000), '\u0000', '../../etc/passwd', "' OR 1=1 --", '%ZZ', '😀'.repeat(1000)),
);

/** A value shaped by the schema near its limits (just past maxLength, maximum + 1, unknown enum members), or a hostile one. */
function valueFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const near: fc.Arbitrary<unknown>[] = [];
  const t = s.type;
  if (Array.isArray(s.enum)) near.push(fc.constantFrom(...(s.enum as unknown[])), fc.string({ maxLength: 12 }));
  if (t === 'integer' || t === 'number') {
    const max = typeof s.maximum === 'number' ? s.maximum : 2 ** 31;
    const min = typeof s.minimum === 'number' ? s.minimum : -(2 ** 31);
    near.push(fc.constantFrom(max, max + 1, min, min - 1, max * 1000, 0), fc.integer());
  }
  if (t === 'string') {
    const max = typeof s.maxLength === 'number' ? s.maxLength : 1000;
    near.push(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('a'.repeat(max + 1), '', '2026-13-45T99:99:99Z', '00000000-0000-0000-0000-000000000000'),
    );
  }
  if (t === 'object' && depth < 3) {
    const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
    if (props.length) near.push(fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueFor(v, depth + 1)])), { requiredKeys: [] }));
  }
  if (t === 'array' && depth < 3 && s.items) near.push(fc.array(valueFor(s.items as Schema, depth + 1), { maxLength: 4 }));
  return near.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...near) }, { weight: 1, arbitrary: hostile }) : hostile;
}

const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

function requestFor(op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  return fc.record({
    path: fc.tuple(
      ...pathParams.map((p) =>
        fc.oneof(
          valueFor(p.schema).map((v) => encodeURIComponent(text(v)).slice(0, 3000)),
          fc.constantFrom('%ZZ', '%', '..', '%00', 'a%2Fb', '1'.repeat(40), '00000000-0000-4000-8000-000000000000'),
        ),
      ),
    ),
    query: fc.array(
      fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name), 'unknown', '__proto__'), valueFor(queryParams[0]?.schema ?? {})),
      { maxLength: 4 },
    ),
    body: op.body
      ? fc.oneof(
          { weight: 4, arbitrary: valueFor(op.body.schema).map((v) => JSON.stringify(v) ?? 'null') },
          { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '[]', '{"a":' + '['.repeat(5000), ' '.repeat(1_100_000)) },
          { weight: 1, arbitrary: fc.string() },
        )
      : fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    contentType: fc.constantFrom(
      'application/json',
      'multipart/form-data; boundary=x',
      'text/plain',
      'application/json; charset=latin1',
      '',
    ),
    auth: fc.constantFrom('admin', 'none', 'garbage'),
    idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.constant('k'.repeat(300))), { nil: undefined }),
    forwardedFor: fc.option(fc.constantFrom('1.2.3.4', 'not an address', ', , ,', '::1, 10.0.0.1'), { nil: undefined }),
  });
}

describe('fuzzing every route from the OpenAPI document', () => {
  it('never answers 5xx to invalid, oversized or wrong-typed parameters, bodies and headers', async () => {
    expect(ops.length).toBeGreaterThan(60);
    const failures: string[] = [];
    const t0 = Date.now();
    let previous = '';
    await fc
      .assert(
        fc.asyncProperty(
          fc.constantFrom(...ops).chain((op) => requestFor(op).map((req) => ({ op, req }))),
          async ({ op, req }) => {
            let i = 0;
            const path = op.path.replace(/\{\w+\}/g, () => req.path[i++] as string);
            const qs = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(text(v)).slice(0, 3000)}`).join('&');
            const headers: Record<string, string> = {};
            if (req.contentType) headers['content-type'] = req.contentType;
            // Logging out with the shared admin token would end the run's signed-in half.
            if (req.auth === 'admin' && op.path !== '/v1/auth/logout') headers.authorization = `Bearer ${adminToken}`;
            if (req.auth === 'garbage') headers.authorization = 'Bearer \u00ff not a token';
            if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey.replace(/[^\x20-\x7e]/g, '');
            if (req.forwardedFor) headers['x-forwarded-for'] = req.forwardedFor;
            const send = () =>
              fetch(`${srv.url.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`, {
                method: op.method,
                headers,
                ...(op.method !== 'GET' && req.body !== undefined ? { body: req.body } : {}),
              });
            // A kept-alive socket the server closed after an early answer (a body it did not read) can be
            // reused by the client just then: one retry on a fresh connection; a second failure counts.
            const res = await send()
              .catch(() => send())
              .catch((e: Error & { cause?: unknown }) => ({ status: 599, text: async () => `${e.message}: ${String(e.cause)}` }));
            const seen = `${op.method} ${path.slice(0, 200)} (${req.contentType}, body ${req.body?.length ?? 0} B, auth ${req.auth})`;
            if (res.status >= 500) {
              failures.push(`${seen} → ${res.status} ${(await res.text()).slice(0, 200)}; the request before: ${previous}`);
              return false;
            }
            await res.text();
            previous = `${seen} ${JSON.stringify(headers).slice(0, 300)} → ${res.status}`;
            return true;
          },
        ),
        { numRuns: 1000, endOnFailure: true },
      )
      .catch((e: Error) => failures.push(e.message.slice(0, 2000)));
    expect(failures).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 120_000);

  it('answers a malformed percent-encoding in any path without a 5xx', async () => {
    for (const p of ['/%ZZ', '/%', '/v1/%ZZ', '/v1/assets/%ZZ', '/v1/assets/%E0%A4%A/image', '/v1/moderation/cases/%ZZ/decision'])
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${srv.url.replace(/\/$/, '')}${p}`, { method, headers: { authorization: `Bearer ${adminToken}` } });
        expect(res.status, `${method} ${p}`).toBeLessThan(500);
      }
  });
});
