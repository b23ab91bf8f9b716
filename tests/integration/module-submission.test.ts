/**
 * The marketplace's submission path runs the same custom-module check as the studio
 * (engine/cards.ts): a module with the old filter's bypasses is refused with every violation named,
 * and a clean module is accepted for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  srv = await testServer();
  api = client(srv.url);
});
afterAll(() => srv.stop());

describe('module submissions', () => {
  it('refuses an unsafe module with every violation, and accepts a clean one', async () => {
    const admin = await api.user('admin@test.dev', 'Admin');
    const c = await api.user('mod@test.dev', 'Mo');
    await api.grant(admin.token, c.id, { creatorTier: true });
    const code =
      '<a href="jav&#x61;script:alert(1)">x</a>\n<meta http-equiv="refresh" content="0;url=https://evil.example">\n<style>@import url(https://evil.example/x.css);</style>';
    const bad = await api.call('POST', '/v1/submissions', {
      token: c.token,
      form: api.form({ asset_type: 'custom_module', name: 'Trap', custom_module: { code } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_card', field: 'card.custom_module.code' });
    expect(bad.body.error.message).toContain('4 problems');
    expect(bad.body.error.message).toContain('line 1, column 4: a javascript: URL in <a href>');
    expect(bad.body.error.message).toContain('line 2, column 1: a <meta> element');
    expect(bad.body.error.message).toContain('line 3, column 8: @import');
    const good = await api.call('POST', '/v1/submissions', {
      token: c.token,
      form: api.form({
        asset_type: 'custom_module',
        name: 'Glass panel',
        custom_module: { code: '.panel{border-radius:12px;backdrop-filter:blur(8px)}' },
      }),
    });
    expect(good.status).toBeLessThan(300);
  });
});
