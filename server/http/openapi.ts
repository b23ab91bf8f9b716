/**
 * The OpenAPI 3.1 document of the marketplace API, generated from the served routes: their contract
 * schemas (zod → JSON Schema, named schemas as components), authorization action and status codes.
 */
import { z } from 'zod';
import { operationId, pathParamsOf } from '../../shared/contracts/marketplace/route.ts';
import { ErrorBody } from '../../shared/marketplace.ts';
import type { ServedRoute } from './route.ts';

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
export function openApi(routes: readonly ServedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const comp = componentizer();
  const input = (s: z.ZodType) => comp.of(s, 'input');
  const output = (s: z.ZodType) => comp.of(s, 'output');
  const errorSchema = output(ErrorBody);
  for (const r of routes) {
    const params = Object.entries(pathParamsOf(r).shape).map(([name, s]) => ({
      name,
      in: 'path',
      required: true,
      schema: input(s as z.ZodType),
    }));
    const qs = r.query
      ? Object.entries(r.query.shape).map(([name, s]) => ({
          name,
          in: 'query',
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: input(s as z.ZodType),
        }))
      : [];
    const content =
      r.output === 'binary'
        ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
        : r.output === 'csv'
          ? { 'text/csv': { schema: { type: 'string' } } }
          : {
              'application/json': { schema: output(r.output) },
              ...(r.csv ? { 'text/csv': { schema: { type: 'string', description: r.csv } } } : {}),
            };
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: operationId(r),
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
