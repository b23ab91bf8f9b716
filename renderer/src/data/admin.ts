/** Administration through the studio process: the marketplace's accounts, listed and changed by an admin. */
import type { ApiInput } from '@shared/api.ts';
import { api } from '../api.ts';
import { useLoad } from './load.ts';

export type UsersQuery = ApiInput<'admin.users'>;

export const useAdminUsers = (query: UsersQuery) =>
  useLoad(() => api.call('admin.users', query), [query.q, query.role, query.tier, query.page]);
export const updateUser = (input: ApiInput<'admin.updateUser'>) => api.call('admin.updateUser', input);
