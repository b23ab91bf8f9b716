/** Marketplace contract: the signed-in account's notifications. */
import { z } from 'zod';
import { NotificationView } from '../../marketplace.ts';
import { IntId, defineRoute } from './route.ts';

export const notifications = defineRoute({
  method: 'get',
  path: '/v1/notifications',
  summary: 'Your notifications, newest first',
  tag: 'notifications',
  output: z.array(NotificationView),
});

export const markNotificationRead = defineRoute({
  method: 'post',
  path: '/v1/notifications/{id}/read',
  params: z.object({ id: IntId }),
  summary: 'Mark a notification read',
  tag: 'notifications',
  output: z.object({ updated: z.number().int() }),
});
