/** What the desktop shell adds to the page, when there is one: its menu commands, its folder picker, showing saved files. */
import { bridge } from '../api.ts';

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
