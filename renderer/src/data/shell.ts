/**
 * What the desktop shell adds to the page, when there is one: its menu commands, its folder picker,
 * showing saved files; and whether the page is connected to the studio at all (browser mode's session).
 */
import { useSyncExternalStore } from 'react';
import { type SessionState, bridge, getSessionState, onSessionState } from '../api.ts';

/** Whether the page reaches the studio (browser mode: a session from the launch link); re-renders when it changes. */
export const useSessionState = (): SessionState => useSyncExternalStore(onSessionState, getSessionState);

/** Menu commands from the desktop app's menu (save, new, find); nothing in browser mode. */
export const onMenu = (cb: (action: string) => void): (() => void) | undefined => bridge?.onMenu?.(cb);

/** The desktop app's folder picker; null in browser mode, where the path is typed. */
export const pickFolder: (() => Promise<string | null>) | null = bridge?.pickFolder
  ? () => bridge?.pickFolder?.() ?? Promise.resolve(null)
  : null;

/** The desktop app shows a purchase's saved files in the file manager; null in browser mode (the files are download links there). */
export const revealPurchase: ((purchaseId: string) => Promise<void>) | null = bridge?.revealPurchase
  ? async (purchaseId) => {
      const r = await bridge?.revealPurchase?.(purchaseId);
      if (r && !r.ok) throw new Error(r.error.message);
    }
  : null;
