/** The marketplace contract's route helpers: URL building, path parameters, unique names and paths. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { getAsset } from '../../shared/contracts/marketplace/discovery.ts';
import {
  buildPath,
  marketplaceContract,
  marketplaceRoutes,
  operationId,
  pathParamNames,
  pathParamsOf,
} from '../../shared/contracts/marketplace/index.ts';
import { assetImage } from '../../shared/contracts/marketplace/media.ts';
import { resolveDispute } from '../../shared/contracts/marketplace/money-disputes.ts';
import { earningsCsv } from '../../shared/contracts/marketplace/money-earnings.ts';
import type { BodyOf, OutputOf, PathParams, QueryOf } from '../../shared/contracts/marketplace/route.ts';
import type { AssetView } from '../../shared/marketplace.ts';
import type { DisputeView } from '../../shared/payments.ts';

describe('marketplace contract routes', () => {
  it('builds a URL from a route, its parameters (percent-encoded) and its query (undefined left out)', () => {
    expect(buildPath(getAsset, { id: 'a b/c' }, { version: 2, other: undefined })).toBe('/v1/assets/a%20b%2Fc?version=2');
    expect(buildPath(resolveDispute, { id: 7 })).toBe('/v1/disputes/7/resolve');
    expect(() => buildPath(resolveDispute, {})).toThrow(/missing path parameter id/);
  });

  it('defaults every path parameter to a UUID and uses a route’s own schema when it has one', () => {
    const uuid = pathParamsOf(getAsset);
    expect(uuid.safeParse({ id: '3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b' }).success).toBe(true);
    expect(uuid.safeParse({ id: '12' }).success).toBe(false);
    const int = pathParamsOf(resolveDispute);
    expect(int.safeParse({ id: '12' }).success).toBe(true);
    expect(int.safeParse({ id: '0' }).success).toBe(false);
  });

  it('has unique route names, unique method+path pairs and operation ids, and a schema for every path parameter', () => {
    const names = marketplaceRoutes.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const keys = marketplaceRoutes.map((r) => `${r.route.method} ${r.route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = marketplaceRoutes.map((r) => operationId(r.route));
    expect(new Set(ids).size).toBe(ids.length);
    for (const { name, route } of marketplaceRoutes) {
      expect(Object.keys(pathParamsOf(route).shape).sort(), name).toEqual(pathParamNames(route.path).sort());
      expect(route.output === 'binary' || route.output === 'csv' || route.output instanceof z.ZodType, name).toBe(true);
      expect([route.body, route.multipart, route.rawBody].filter(Boolean).length, name).toBeLessThanOrEqual(1);
      if (route.method === 'get') expect(route.body ?? route.multipart ?? route.rawBody, name).toBeUndefined();
    }
    expect(Object.keys(marketplaceContract)).toContain('discovery');
    expect(marketplaceContract.discovery.getAsset).toBe(getAsset);
  });
});

describe('marketplace contract types (what a generated client sees)', () => {
  it('derives parameters, query, body and output types from a route', () => {
    expectTypeOf<PathParams<typeof getAsset>>().toEqualTypeOf<Record<'id', string>>();
    expectTypeOf<PathParams<typeof resolveDispute>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<QueryOf<typeof getAsset>>().toEqualTypeOf<{ version?: unknown }>();
    expectTypeOf<BodyOf<typeof resolveDispute>>().toEqualTypeOf<{ outcome: 'refund' | 'no_refund'; resolution: string }>();
    expectTypeOf<OutputOf<typeof getAsset>>().toEqualTypeOf<AssetView>();
    expectTypeOf<OutputOf<typeof resolveDispute>>().toEqualTypeOf<DisputeView>();
    expectTypeOf<OutputOf<typeof assetImage>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<OutputOf<typeof earningsCsv>>().toEqualTypeOf<string>();
  });
});
