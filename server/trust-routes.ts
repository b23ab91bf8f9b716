/** Trust and safety routes: moderation cases, takedowns, strikes and appeals, badges, the audit log, blocklists. */
import { z } from 'zod';
import type { UserRow } from './auth.ts';
import type { RouteDef } from './app.ts';
import type { Marketplace } from './marketplace.ts';
import { IntId, positiveId } from './params.ts';

type Route = <B extends z.ZodType, Q extends z.ZodType>(r: RouteDef<B, Q>) => void;

const me = (u: UserRow | null) => u as UserRow;
const caseId = (params: Record<string, string>) => positiveId(params.id, 'id');
const Reason = z.string().trim().min(3, 'give the creator a reason they can act on').max(4000);
const CaseView = z.record(z.string(), z.unknown());

export function trustRoutes(route: Route, mp: Marketplace): void {
  const m = mp.moderation;
  route({
    method: 'get',
    path: '/v1/moderation/cases',
    summary: 'Moderation cases: reports and automatic detections (spam, misrepresentation, copyright) with their evidence',
    tag: 'moderation',
    action: 'moderation.queue',
    query: z.object({ state: z.enum(['open', 'appeals', 'all']).default('open') }),
    response: z.array(CaseView),
    handler: ({ user, query }) => m.cases(me(user), query.state),
  });
  route({
    method: 'post',
    path: '/v1/moderation/cases/{id}/decision',
    params: z.object({ id: IntId }),
    summary:
      'Take the listing down (refund every buyer, strike, reputation) or dismiss the case; the creator is told why and how to appeal',
    tag: 'moderation',
    action: 'moderation.queue',
    body: z.object({ action: z.enum(['takedown', 'dismiss']), reason: Reason, strike: z.boolean().optional() }),
    response: CaseView,
    handler: ({ user, params, body }) => m.decide(me(user), caseId(params), body),
  });
  route({
    method: 'post',
    path: '/v1/moderation/cases/{id}/appeal',
    params: z.object({ id: IntId }),
    summary: 'The creator appeals a takedown; a different moderator decides',
    tag: 'moderation',
    action: 'account.self',
    body: z.object({ reason: Reason }),
    response: CaseView,
    status: 201,
    handler: ({ user, params, body }) => m.appeal(me(user), caseId(params), body.reason),
  });
  route({
    method: 'post',
    path: '/v1/moderation/cases/{id}/appeal-decision',
    params: z.object({ id: IntId }),
    summary: 'Decide an appeal (not the moderator who took the listing down): overturning restores listing, reputation and strike',
    tag: 'moderation',
    action: 'moderation.queue',
    body: z.object({ decision: z.enum(['overturn', 'uphold']), reason: Reason }),
    response: CaseView,
    handler: ({ user, params, body }) => m.decideAppeal(me(user), caseId(params), body),
  });
  route({
    method: 'get',
    path: '/v1/me/cases',
    summary: 'Takedowns of my listings: the reasons, strikes and appeal state',
    tag: 'moderation',
    action: 'account.self',
    response: z.array(CaseView),
    handler: ({ user }) => m.myCases(me(user)),
  });
  route({
    method: 'get',
    path: '/v1/assets/{id}/badges',
    summary: 'An asset’s badges under the published rules (quality, trending, community favorite)',
    tag: 'trust',
    action: 'public.read',
    response: z.object({ badges: z.array(z.string()), rules: z.record(z.string(), z.string()) }),
    handler: async ({ params }) => ({ badges: await m.assetBadges(params.id as string), rules: m.policy.badges }),
  });
  route({
    method: 'get',
    path: '/v1/admin/audit-log',
    summary: 'The append-only log of moderator and admin actions (who, what, when, why), as JSON or CSV',
    tag: 'admin',
    action: 'admin.users',
    query: z.object({ since: z.iso.datetime().optional(), format: z.enum(['json', 'csv']).default('json') }),
    response: z.array(z.record(z.string(), z.unknown())),
    csv: 'with ?format=csv: one line per entry (id, at, actor_id, actor, action, target_type, target_id, reason, details)',
    handler: async ({ query, c }) =>
      query.format === 'csv'
        ? c.body(await m.auditCsv(query.since), 200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="audit-log.csv"',
          })
        : m.auditLog(query.since),
  });
  route({
    method: 'post',
    path: '/v1/admin/blocklist',
    summary:
      'Import a blocklist of fingerprints (the engine’s fingerprints JSON, as in exported asset cards); submissions matching it are held for a human',
    tag: 'admin',
    action: 'admin.users',
    body: z.object({
      list: z.string().trim().min(1).max(200),
      entries: z
        .array(z.object({ label: z.string().trim().min(1).max(500), fingerprints: z.record(z.string(), z.unknown()) }))
        .min(1)
        .max(10_000),
    }),
    response: z.object({ list: z.string(), added: z.number() }),
    status: 201,
    handler: ({ user, body }) => m.importBlocklist(me(user), body),
  });
}
