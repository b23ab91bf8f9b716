/** The marketplace's notifications to this account. */
import { useEffect } from 'react';
import type { NotificationView } from '@shared/marketplace.ts';
import { usdFromMicros } from '@shared/format.ts';
import { markRead } from '../../data/account.ts';
import { ago } from '../../market.ts';
import { selectLoadNotifications, selectNotifications } from '../../state/market.ts';
import { useStudio } from '../../state/store.ts';
import { sentence } from '../../words.ts';
import { Screen, useAction } from './common.tsx';

function describe(n: NotificationView): string {
  const p = n.payload;
  const name = String(p.name ?? p.assetName ?? '');
  switch (n.kind) {
    case 'sale':
      return `Sale: ${name} — you earn ${usdFromMicros(Number(p.creatorNetMicros ?? 0))} of ${usdFromMicros(Number(p.grossMicros ?? 0))}`;
    case 'derivative_royalty':
      return `Royalty from a derivative of yours (${name}): ${usdFromMicros(Number(p.royaltyMicros ?? 0))}`;
    case 'refund_issued':
      return `Refund issued for ${name}`;
    case 'sale_refunded':
      return `A sale of ${name} was refunded (${String(p.reason ?? '').replace(/_/g, ' ')})`;
    case 'purchase_complete':
      return `Purchase complete: ${name}`;
    case 'approved':
    case 'published':
      return `Approved and published: ${name}`;
    case 'rejected':
      return `Rejected: ${name} — ${String(p.reason ?? '')}`;
    case 'changes_requested':
      return `Changes requested on ${name}: ${String(p.reason ?? '')}`;
    case 'submitted':
      return `Submitted for review: ${name}${p.estimatedReviewTime ? ` — review target ${String(p.estimatedReviewTime)}` : ''}`;
    default:
      return sentence(
        `${n.kind.replace(/_/g, ' ')}${name ? `: ${name}` : ''}${p.reason ? ` — ${String(p.reason)}` : p.message ? ` — ${String(p.message)}` : ''}`,
      );
  }
}

export function NotificationsView() {
  const notifications = useStudio(selectNotifications);
  const loadNotifications = useStudio(selectLoadNotifications);
  const { run } = useAction();
  useEffect(() => {
    void loadNotifications();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <Screen title="Notifications">
      {notifications.length === 0 && <p className="empty">No notifications.</p>}
      <ul className="notifications">
        {notifications.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            <span>{describe(n)}</span>
            <span className="hint">{ago(n.createdAt)}</span>
            {!n.readAt && (
              <button type="button" className="link" onClick={() => void run(() => markRead(n.id).then(() => loadNotifications()))}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </Screen>
  );
}
