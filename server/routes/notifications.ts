/** Notification routes: the signed-in account's notifications, marking one read. */
import * as contract from '../../shared/contracts/marketplace/notifications.ts';
import { type ServedRoute, serve, signedIn } from '../http/route.ts';
import type { Marketplace } from '../marketplace.ts';

export function notificationRoutes(mp: Marketplace): ServedRoute[] {
  return [
    serve(contract.notifications, { action: 'notification.self', handler: ({ user }) => mp.notifications(signedIn(user)) }),
    serve(contract.markNotificationRead, {
      action: 'notification.self',
      handler: ({ user, params }) => mp.markRead(signedIn(user), Number(params.id)),
    }),
  ];
}
