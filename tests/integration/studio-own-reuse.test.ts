/**
 * The studio's advice on reusing part of one's own asset follows the connected marketplace's rule
 * (policy `ownPartReuse`, published in GET /v1/policy and pulled by the sync engine): against a
 * marketplace that refuses such reuse, the check no longer calls it "allowed" — the walkthrough's
 * finding of session 90, left open in session 91 for a marketplace set to 'refuse'.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/main/handlers.ts';
import type { Connected } from '../../electron/main/services/connected.ts';
import type { Studio } from '../../electron/main/services/studio.ts';
import type { CheckResult } from '../../shared/check.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { handlerCall, openConnectedStudio } from '../helpers/connected-studio.ts';

let srv: RunningServer;
let studio: Studio;
let connected: Connected;
let h: Handlers;
const call = handlerCall(() => h);

beforeAll(async () => {
  srv = await startServer({
    dataDir: mkdtempSync(join(tmpdir(), 'mp-own-')),
    port: 0,
    serve,
    uniquenessPolicy: { ...UNIQUENESS_POLICY, ownPartReuse: 'refuse' },
  });
  ({
    studio,
    connected,
    handlers: h,
  } = await openConnectedStudio(mkdtempSync(join(tmpdir(), 'studio-own-')), { syncIntervalMs: 3_600_000 }));
}, 60_000);
afterAll(async () => {
  await connected.close();
  await studio.close();
  await srv.stop();
});

describe("the studio's advice on reusing part of one's own asset", () => {
  const quote =
    'The lighthouse keeper counted the drowned bells every winter night, and each bell he counted rang once more beneath the grey water of the bay.';
  const series = {
    asset_type: 'location',
    name: 'Grey Harbour Beacon',
    description: `Fishermen from three villages still argue about who built this place and why it was abandoned so quickly. ${quote} Nobody climbs the stairs after dusk, and the lamp has been dark for a hundred years.`,
    tags: ['beacon', 'ruin'],
  };

  it("follows the studio's own policy until a marketplace's rule is known, then that marketplace's", async () => {
    await call('assets.create', {
      card: {
        asset_type: 'location',
        name: 'Bellwater Light',
        description: `A tall white tower on the northern cliffs. ${quote} Sailors leave salt on the steps for luck.`,
        tags: ['lighthouse', 'coast'],
      },
    });
    const before = await call<CheckResult>('check.run', { card: series });
    expect(before.status).toBe('duplicate_self');
    expect(before.action).toBe('Reusing part of your own “Bellwater Light” is allowed; change it if buyers should see two distinct assets');

    await call('settings.set', { marketplaceUrl: srv.url });
    expect((await call('market.policy')).uniqueness).toEqual({ ownPartReuse: 'refuse' });
    await call('sync.now');
    const after = await call<CheckResult>('check.run', { card: series });
    expect(after.status).toBe('duplicate_self');
    expect(after.action).toBe(
      'This marketplace refuses reusing part of your own “Bellwater Light”: change this asset, or update “Bellwater Light” instead',
    );
  });
});
