/** Notification routes: the signed-in account's notifications, marking one read. */
import * as contract from '../../shared/contracts/marketplace/notifications.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { NotificationsService } from '../services/notifications/notifications.ts';

export function notificationRoutes({ notifications }: { notifications: NotificationsService }): ServedRoute[] {
  return [
    serve(contract.notifications, { action: 'notification.self', handler: ({ user }) => notifications.notifications(signedIn(user)) }),
    serve(contract.markNotificationRead, {
      action: 'notification.self',
      handler: ({ user, params }) => notifications.markRead(signedIn(user), Number(params.id)),
    }),
  ];
}
