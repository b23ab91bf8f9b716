/** Marketplace contract: administration (first admin, account tiers and roles, audit log, blocklists, payout reconciliation). */
import { z } from 'zod';
import { AdminUserUpdate, Role, UserView } from '../../marketplace.ts';
import { defineRoute } from './route.ts';
import { AdminUserView, AuditEntry } from './schemas.ts';

export const bootstrapAdmin = defineRoute({
  method: 'post',
  path: '/v1/admin/bootstrap',
  summary: 'Make the signed-in account the first admin with the one-time token the server printed at start (only while there is no admin)',
  tag: 'admin',
  body: z.object({ token: z.string().min(16).max(200) }),
  output: UserView,
});

export const users = defineRoute({
  method: 'get',
  path: '/v1/admin/users',
  summary: 'The accounts, newest first: search by e-mail or display name, filter by role or Creator tier, one page at a time',
  tag: 'admin',
  query: z.object({
    q: z.string().trim().max(200).optional(),
    role: Role.optional(),
    tier: z.enum(['creator', 'none']).optional().describe('creator: only accounts with the Creator tier; none: only those without'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  }),
  output: z.object({
    users: z.array(AdminUserView),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  }),
});

export const updateUser = defineRoute({
  method: 'post',
  path: '/v1/admin/users/{id}',
  summary: 'Grant or revoke the Creator tier, the verified badge, roles, a selling ban',
  tag: 'admin',
  body: AdminUserUpdate,
  output: UserView,
});

export const auditLog = defineRoute({
  method: 'get',
  path: '/v1/admin/audit-log',
  summary: 'The append-only log of moderator and admin actions (who, what, when, why), as JSON or CSV',
  tag: 'admin',
  query: z.object({ since: z.iso.datetime().optional(), format: z.enum(['json', 'csv']).default('json') }),
  output: z.array(AuditEntry),
  csv: 'with ?format=csv: one line per entry (id, at, actor_id, actor, action, target_type, target_id, reason, details)',
});

export const importBlocklist = defineRoute({
  method: 'post',
  path: '/v1/admin/blocklist',
  summary:
    'Import a blocklist of fingerprints (the engine’s fingerprints JSON, as in exported asset cards); submissions matching it are held for a human',
  tag: 'admin',
  body: z.object({
    list: z.string().trim().min(1).max(200),
    entries: z
      .array(z.object({ label: z.string().trim().min(1).max(500), fingerprints: z.record(z.string(), z.unknown()) }))
      .min(1)
      .max(10_000),
  }),
  output: z.object({ list: z.string(), added: z.number() }),
  status: 201,
});

export const reconcilePayouts = defineRoute({
  method: 'post',
  path: '/v1/admin/payouts/reconcile',
  summary: 'Re-send transfers left pending by an interruption (same idempotency keys)',
  tag: 'admin',
  output: z.object({ resent: z.number() }),
});
