/**
 * The renderer's polls, in one place: the account and sync status (4 s), a submission's progress
 * (3 s), a checkout waiting to settle (1.5 s) and a model download's progress (0.5 s). Each is a
 * data hook; the screens only read what they return.
 */
import { useState } from 'react';
import type { Tracking } from '@shared/api.ts';
import type { PurchaseView } from '@shared/payments.ts';
import { selectDownloadActive } from '../state/models.ts';
import { useStudio } from '../state/store.ts';
import { getPurchase, track } from './market.ts';
import { useInterval, useLoad } from './load.ts';

export const MARKET_POLL_MS = 4000;
export const TRACK_POLL_MS = 3000;
export const CHECKOUT_POLL_MS = 1500;
export const MODELS_POLL_MS = 500;

/** Keeps the account and sync status fresh while the app runs. */
export function useMarketPolling(): void {
  useInterval(
    () =>
      void useStudio
        .getState()
        .refreshMarket()
        .catch(() => undefined),
    MARKET_POLL_MS,
    true,
    true,
  );
}

/** Reloads the models' status while a download runs. */
export function useModelsPolling(): void {
  const active = useStudio(selectDownloadActive);
  useInterval(() => void useStudio.getState().loadModels(), MODELS_POLL_MS, active);
}

/** An asset's way through the marketplace (outbox operations, listing status, conflict), kept fresh. */
export const useTracking = (assetId: string) => useLoad<Tracking>(() => track(assetId), [assetId], TRACK_POLL_MS);

/** Opens the processor's checkout page and waits for the purchase to settle. */
export function useCheckout() {
  const [waiting, setWaiting] = useState<PurchaseView | null>(null);
  useInterval(
    () => {
      if (!waiting) return;
      void getPurchase(waiting.id).then((p) => {
        if (p.status === 'pending') return;
        setWaiting(null);
        const { toast, go } = useStudio.getState();
        toast(
          p.status === 'paid' ? `Purchase complete: ${p.assetName ?? 'balance top-up'}` : `Purchase ${p.status}`,
          p.status === 'paid' ? 'info' : 'error',
        );
        if (p.status === 'paid') go({ name: 'purchases' });
      });
    },
    CHECKOUT_POLL_MS,
    Boolean(waiting),
  );
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
