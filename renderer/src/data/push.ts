/**
 * What the backend pushes, in one place: the account, sync status, notifications and a model
 * download's progress land in their slices; a submission's tracking and a checkout's settlement
 * reach the screen that waits for them. Nothing polls: each hook reads once on (re)connecting the
 * push stream, then only applies pushed events.
 */
import { useEffect, useState } from 'react';
import type { Tracking } from '@shared/api.ts';
import type { PurchaseView } from '@shared/payments.ts';
import { onPush, onPushConnect } from '../api.ts';
import { useStudio } from '../state/store.ts';
import { getPurchase, track } from './market.ts';
import { useLoad } from './load.ts';

/** Subscribes for a component's lifetime; `subscribe` returns the unsubscribe functions. */
function usePushSubscriptions(subscribe: () => (() => void)[], deps: unknown[]): void {
  useEffect(() => {
    const offs = subscribe();
    return () => offs.forEach((off) => off());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

/**
 * App-wide: pushed account, sync status, notifications and model download progress written into
 * the market and models slices, library damage found after opening into the app's info; the account and sync status read now and on each reconnect.
 */
export function usePushedState(): void {
  usePushSubscriptions(() => {
    const st = useStudio.getState();
    const refresh = () =>
      void useStudio
        .getState()
        .refreshMarket()
        .catch(() => undefined);
    refresh();
    return [
      onPush('account.status', (account) => st.receiveAccount(account)),
      onPush('sync.status', (sync) => st.receiveSync(sync)),
      onPush('notifications.changed', ({ notifications, unread }) => st.receiveNotifications(notifications, unread)),
      onPush('models.progress', ({ download }) => st.receiveDownload(download)),
      // Kept with the app's info: the banner stays until the app restarts on a sound file.
      onPush('library.damaged', (damage) => useStudio.setState((s) => ({ info: s.info && { ...s.info, libraryDamage: damage } }))),
      onPushConnect(() => {
        refresh();
        if (useStudio.getState().models) void useStudio.getState().loadModels();
      }),
    ];
  }, []);
}

/** An asset's way through the marketplace (outbox operations, listing status, conflict): read once, then as pushed. */
export function useTracking(assetId: string) {
  const loaded = useLoad<Tracking>(() => track(assetId), [assetId]);
  const { set, reload } = loaded;
  usePushSubscriptions(
    () => [onPush('market.tracking', (next) => next.assetId === assetId && set(next)), onPushConnect(reload)],
    [assetId],
  );
  return loaded;
}

/** Opens the processor's checkout page and waits for the backend to push the purchase's settlement. */
export function useCheckout() {
  const [waiting, setWaiting] = useState<PurchaseView | null>(null);
  usePushSubscriptions(() => {
    if (!waiting) return [];
    let settled = false;
    const settle = (p: PurchaseView) => {
      if (settled || p.id !== waiting.id || p.status === 'pending') return;
      settled = true;
      setWaiting(null);
      const { toast, go } = useStudio.getState();
      toast(
        p.status === 'paid' ? `Purchase complete: ${p.assetName ?? 'balance top-up'}` : `Purchase ${p.status}`,
        p.status === 'paid' ? 'info' : 'error',
      );
      if (p.status === 'paid') go({ name: 'purchases' });
    };
    // Asked once now (it may have settled already) and on reconnecting (a push may have been missed).
    const check = () => void getPurchase(waiting.id).then(settle, () => undefined);
    check();
    return [onPush('market.purchaseSettled', ({ purchase }) => settle(purchase)), onPushConnect(check)];
  }, [waiting]);
  function start(p: PurchaseView) {
    if (p.status !== 'pending' || !p.checkoutUrl) {
      useStudio.getState().toast(p.status === 'paid' ? 'Done' : `Purchase ${p.status}`);
      return;
    }
    window.open(p.checkoutUrl, '_blank', 'noopener');
    setWaiting(p);
  }
  return { waiting, start };
}
