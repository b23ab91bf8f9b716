/** The studio's contract, administration domain: the marketplace's accounts as an admin sees and changes them. */
import { z } from 'zod';
import type { AdminUserView } from '../marketplace/schemas.ts';
import { AdminUserUpdate, Role } from '../../marketplace.ts';
import type { HandlerMap } from './common.ts';

export interface AdminUsersPage {
  users: AdminUserView[];
  total: number;
  page: number;
  pageSize: number;
}

export const adminInputs = {
  'admin.users': z.object({
    q: z.string().trim().max(200, 'search: at most 200 characters').optional(),
    role: Role.optional(),
    tier: z.enum(['creator', 'none']).optional(),
    page: z.number().int().min(1).max(10_000).default(1),
  }),
  'admin.updateUser': z.object({ userId: z.string().uuid('must be an account id'), patch: AdminUserUpdate }),
} as const;

export interface AdminOutputs {
  'admin.users': AdminUsersPage;
  /** The account after the change (its strikes and creation time are not in the answer: reload the list). */
  'admin.updateUser': Omit<AdminUserView, 'strikes' | 'createdAt'>;
}

export type AdminHandlers = HandlerMap<typeof adminInputs, AdminOutputs>;
