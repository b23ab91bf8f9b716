/** The layer boundaries are lint rules; these tests prove the rules fire. */
import { describe, expect, it } from 'vitest';
import { ruleIds } from '../helpers/lint.ts';

describe('layer boundaries (eslint)', () => {
  it('engine/ cannot import electron, the UI or the server', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'engine/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { x } from '../renderer/store.ts';\nexport const a = x;\n", 'engine/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", 'engine/x.ts')).toEqual([]);
  });

  it('renderer/ cannot import engine, electron, server or Node modules', async () => {
    for (const src of ["'../engine/library.ts'", "'@engine/library.ts'", "'electron'", "'../server/server.ts'", "'node:fs'"]) {
      expect(await ruleIds(`import * as m from ${src};\nexport const a = m;\n`, 'renderer/src/x.ts')).toContain('no-restricted-imports');
    }
    expect(await ruleIds("import { AssetCard } from '../../shared/asset.ts';\nexport const a = AssetCard;\n", 'renderer/src/x.ts')).toEqual(
      [],
    );
  });

  it('shared/ holds no Node-only code', async () => {
    expect(await ruleIds("import { createHash } from 'node:crypto';\nexport const a = createHash;\n", 'shared/x.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('only the payment processor imports stripe (runtime or types)', async () => {
    const rule = '@typescript-eslint/no-restricted-imports';
    const runtime = "import Stripe from 'stripe';\nexport const s = new Stripe('sk_test_x');\n";
    const types = "import type Stripe from 'stripe';\nexport type E = Stripe.Event;\n";
    for (const file of ['server/money.ts', 'server/services/money/refunds.ts', 'server/server.ts', 'shared/x.ts', 'electron/main/x.ts'])
      for (const code of [runtime, types]) expect(await ruleIds(code, file)).toContain(rule);
    expect(await ruleIds("import { Stripe } from 'stripe/cjs/stripe.cjs.node.js';\nexport const s = Stripe;\n", 'server/x.ts')).toContain(
      rule,
    );
    expect(await ruleIds(runtime, 'server/payments/processor.ts')).not.toContain(rule);
    expect(await ruleIds(types, 'server/payments/processor.ts')).not.toContain(rule);
  });

  it('only server/db.ts and server/repos/ import the database drivers', async () => {
    const rule = '@typescript-eslint/no-restricted-imports';
    const drivers = [
      "import pg from 'pg';\nexport const p = pg;\n",
      "import type { PoolClient } from 'pg';\nexport type C = PoolClient;\n",
      "import { PGlite } from '@electric-sql/pglite';\nexport const p = PGlite;\n",
      "import { vector } from '@electric-sql/pglite/vector';\nexport const v = vector;\n",
    ];
    for (const file of [
      'server/container.ts',
      'server/services/listings/listings.ts',
      'server/create-app.ts',
      'electron/main/x.ts',
      'shared/x.ts',
    ])
      for (const code of drivers) expect(await ruleIds(code, file)).toContain(rule);
    for (const file of ['server/db.ts', 'server/repos/listings.ts', 'server/repos/money/purchases.ts'])
      for (const code of drivers) expect(await ruleIds(code, file)).not.toContain(rule);
    // The stripe restriction still holds where the drivers are allowed, and the reverse.
    expect(await ruleIds("import Stripe from 'stripe';\nexport const s = Stripe;\n", 'server/repos/x.ts')).toContain(rule);
    expect(await ruleIds(drivers[0] as string, 'server/payments/processor.ts')).toContain(rule);
  });

  it('SQL runs only in server/repos/ and server/db.ts', async () => {
    const rule = 'no-restricted-syntax';
    const sql = [
      "export const f = (db: { query(s: string): Promise<unknown> }) => db.query('SELECT 1');\n",
      'export const f = (sql: { query(s: string): Promise<unknown> }, id: string) => sql.query(`SELECT * FROM assets WHERE id = ${id}`);\n',
      'export const f = (mp: { db: { query(s: string): Promise<unknown> } }, text: string) => mp.db.query(text);\n',
      "export const f = (tx: { exec(s: string): Promise<unknown> }) => tx.exec('DELETE FROM sessions');\n",
    ];
    for (const file of ['server/container.ts', 'server/services/review/review.ts', 'server/money.ts', 'server/routes/assets.ts'])
      for (const code of sql) expect(await ruleIds(code, file)).toContain(rule);
    for (const file of ['server/repos/review.ts', 'server/repos/money/offers.ts', 'server/db.ts'])
      for (const code of sql) expect(await ruleIds(code, file)).toEqual([]);
    // Not SQL: a regular expression's exec, a request's query string.
    const notSql = 'export const f = (s: string, c: { req: { query(): unknown } }) => [/a(b)/.exec(s), c.req.query()];\n';
    expect(await ruleIds(notSql, 'server/http/multipart.ts')).toEqual([]);
  });

  it('routes call services, never repositories or the database (routes → services → repos → db)', async () => {
    const rule = 'no-restricted-imports';
    const below = [
      "import { getAsset } from '../repos/listings.ts';\nexport const a = getAsset;\n",
      "import type { Sql } from '../repos/money/index.ts';\nexport type S = Sql;\n",
      "import { openDatabase } from '../db.ts';\nexport const a = openDatabase;\n",
      "import type { Database } from '../db.ts';\nexport type D = Database;\n",
      "export { keys } from '../repos/provenance.ts';\n",
    ];
    for (const file of ['server/routes/trust.ts', 'server/routes/money-pricing.ts'])
      for (const code of below) expect(await ruleIds(code, file)).toContain(rule);
    // A route module's own imports: services, the HTTP helpers, the contract.
    const allowed = [
      "import type { TrustService } from '../services/trust/trust.ts';\nexport type T = TrustService;\n",
      "import { serve } from '../http/route.ts';\nexport const s = serve;\n",
      "import * as contract from '../../shared/contracts/marketplace/trust.ts';\nexport const c = contract;\n",
    ];
    for (const code of allowed) expect(await ruleIds(code, 'server/routes/trust.ts')).toEqual([]);
    // Services (and the wiring) still reach the repositories and the database.
    expect(await ruleIds(below[0] as string, 'server/services/listings/x.ts')).toEqual([]);
    expect(await ruleIds(below[3] as string, 'server/services/trust/trust.ts')).toEqual([]);
    expect(await ruleIds(below[0] as string, 'server/create-app.ts')).toEqual([]);
    // The server-wide rule still holds in routes: no desktop-app imports.
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'server/routes/x.ts')).toContain(rule);
  });

  it('services never import the routes or the HTTP layer', async () => {
    const rule = 'no-restricted-imports';
    const http = [
      "import { accountRoutes } from '../../routes/accounts.ts';\nexport const r = accountRoutes;\n",
      "import type { ServedRoute } from '../../http/route.ts';\nexport type R = ServedRoute;\n",
      "import { readSubmission } from '../../http/submission.ts';\nexport const r = readSubmission;\n",
      "import { createApp } from '../../create-app.ts';\nimport { createRouter } from '../../http/router.ts';\nexport const a = [createApp, createRouter];\n",
    ];
    for (const file of ['server/services/submissions/submissions.ts', 'server/services/money/refunds.ts'])
      for (const code of http) expect(await ruleIds(code, file)).toContain(rule);
    expect(await ruleIds("import { get } from 'node:http';\nexport const g = get;\n", 'server/services/x/x.ts')).toEqual([]);
    expect(await ruleIds("import type { UserRow } from '../../auth.ts';\nexport type U = UserRow;\n", 'server/services/x/x.ts')).toEqual(
      [],
    );
    // The HTTP layer itself may use services' types.
    expect(await ruleIds(http[1] as string, 'server/routes/x.ts')).toEqual([]);
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'server/services/x/x.ts')).toContain(rule);
  });

  it('raw ipcMain/ipcRenderer are allowed only in the typed wrappers', async () => {
    const code = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
    expect(await ruleIds(code, 'electron/main/window.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds(code, 'electron/main/ipc.ts')).toEqual([]);
  });

  it('the studio builds no marketplace URL by hand: only the generated client names /v1/ routes', async () => {
    const rule = 'no-restricted-syntax';
    const handBuilt = [
      "export const me = (c: { request(m: string, p: string): unknown }) => c.request('GET', '/v1/me');\n",
      'export const asset = (id: string) => `/v1/assets/${id}/pricing`;\n',
      "export const root = '/v1';\n",
    ];
    for (const file of [
      'electron/main/services/sync.ts',
      'electron/main/handlers/money.ts',
      'electron/main/ipc.ts',
      'electron/preload/x.ts',
    ])
      for (const code of handBuilt) expect(await ruleIds(code, file), `${file}: ${code}`).toContain(rule);
    // Not a marketplace path: one that merely contains /v1/ later, another version, a regular expression.
    const fine = "export const f = (id: string) => [`${id}/v1/x`, '/v10/x', /^\\/v1\\//];\n";
    expect(await ruleIds(fine, 'electron/main/handlers/market.ts')).toEqual([]);
    // The server and the shared contract do name the routes.
    expect(await ruleIds(handBuilt[0] as string, 'server/routes/x.ts')).not.toContain(rule);
    expect(await ruleIds("export const path = '/v1/me';\n", 'shared/contracts/marketplace/x.ts')).toEqual([]);
  });
});
