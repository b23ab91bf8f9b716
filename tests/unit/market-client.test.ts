/**
 * The studio's marketplace client generated from the contract: a method for every contract route,
 * URLs built from the route's path and parameters, answers parsed with the route's output schema,
 * and an answer that does not match reported as `bad_response` naming the route and the field.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Transport, type TransportOptions, createMarketClient } from '../../electron/main/market/client.ts';
import { ApiError } from '../../shared/api.ts';
import { marketplaceRoutes } from '../../shared/contracts/marketplace/index.ts';
import type { AssetView } from '../../shared/marketplace.ts';

function recording(answer: (method: string, path: string) => unknown) {
  const calls: { method: string; path: string; opts: TransportOptions }[] = [];
  const transport: Transport = async (method, path, opts) => {
    calls.push({ method, path, opts });
    return answer(method, path);
  };
  return { calls, client: createMarketClient(transport) };
}

describe('generated marketplace client', () => {
  it('has one method for every route of the contract, and nothing else', () => {
    const { client } = recording(() => null);
    const methods = Object.entries(client).flatMap(([d, routes]) => Object.keys(routes).map((n) => `${d}.${n}`));
    expect(methods.sort()).toEqual(marketplaceRoutes.map((r) => r.name).sort());
    for (const name of methods) {
      const [d, n] = name.split('.') as [string, string];
      expect(typeof (client as unknown as Record<string, Record<string, unknown>>)[d]![n], name).toBe('function');
    }
  });

  it('builds the URL from the path parameters and query, sends the body and idempotency key, and parses the answer', async () => {
    const { calls, client } = recording((_m, path) => (path.endsWith('/read') ? { updated: 1, extra: 'dropped' } : null));
    expect(await client.notifications.markNotificationRead({ params: { id: '17' }, idempotencyKey: 'k-1' })).toEqual({ updated: 1 });
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/v1/notifications/17/read', opts: { idempotencyKey: 'k-1' } });
    const id = '5d0f1a7e-8b9c-4d2e-9f10-1a2b3c4d5e6f';
    const body = { model: 'one_time', priceCents: 500 } as const;
    await client.pricing.setPricing({ params: { id }, body }).catch(() => undefined);
    expect(calls[1]).toMatchObject({ method: 'POST', path: `/v1/assets/${id}/pricing`, opts: { json: body } });
    await client.discovery.getAsset({ params: { id }, query: { version: 3 } }).catch(() => undefined);
    expect(calls[2]).toMatchObject({ method: 'GET', path: `/v1/assets/${id}?version=3` });
  });

  it('reports an answer that does not match its schema as bad_response, naming the route and the field', async () => {
    const { client } = recording(() => ({ id: 42, status: 'published' }));
    const err = await client.discovery
      .getAsset({ params: { id: '5d0f1a7e-8b9c-4d2e-9f10-1a2b3c4d5e6f' } })
      .then(() => null)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'bad_response', status: 502 });
    expect((err as ApiError).message).toContain('discovery.getAsset');
    expect((err as ApiError).message).toMatch(/\w+: /);
  });

  it('passes CSV text and binary bytes through as they are, asking the transport for them', async () => {
    const { calls, client } = recording((_m, path) => (path.includes('.csv') ? 'a,b\n1,2\n' : new Uint8Array([1, 2, 3])));
    expect(await client.earnings.earningsCsv({ query: { kind: 'sales' } })).toBe('a,b\n1,2\n');
    expect(calls[0]!.opts).toMatchObject({ text: true, bytes: false });
    const img = await client.media.assetImage({ params: { id: '5d0f1a7e-8b9c-4d2e-9f10-1a2b3c4d5e6f' } });
    expect(img).toEqual(new Uint8Array([1, 2, 3]));
    expect(calls[1]!.opts).toMatchObject({ text: false, bytes: true });
  });

  it('refuses a call without its path parameter instead of requesting a wrong URL', async () => {
    const { calls, client } = recording(() => null);
    await expect(client.discovery.getAsset({ params: {} as { id: string } })).rejects.toThrow(/missing path parameter id/);
    expect(calls).toHaveLength(0);
  });

  it('types each method from its route (compile-time)', () => {
    const { client } = recording(() => null);
    expectTypeOf(client.discovery.getAsset).returns.resolves.toEqualTypeOf<AssetView>();
    expectTypeOf(client.earnings.earningsCsv).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(client.media.assetImage).returns.resolves.toEqualTypeOf<Uint8Array>();
  });
});
