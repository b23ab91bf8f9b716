/** Marketplace contract, money: disputes about purchases (opened by either party, resolved by a moderator). */
import { z } from 'zod';
import { DisputeInput, DisputeResolution, DisputeView } from '../../payments.ts';
import { IntId, defineRoute } from './route.ts';

export const openDispute = defineRoute({
  method: 'post',
  path: '/v1/purchases/{id}/disputes',
  summary: 'Open a dispute about a purchase (its buyer or the asset’s creator); a moderator resolves it',
  tag: 'disputes',
  body: DisputeInput,
  output: DisputeView,
  status: 201,
});

export const disputes = defineRoute({
  method: 'get',
  path: '/v1/disputes',
  summary: 'My disputes (as buyer or creator); moderators see all',
  tag: 'disputes',
  output: z.array(DisputeView),
});

export const resolveDispute = defineRoute({
  method: 'post',
  path: '/v1/disputes/{id}/resolve',
  params: z.object({ id: IntId }),
  summary: 'Resolve a dispute (refund or not); both parties are notified',
  tag: 'disputes',
  body: DisputeResolution,
  output: DisputeView,
});
