/** What the desktop shell adds to the page, when there is one: its menu commands and its folder picker. */
import { bridge } from '../api.ts';

/** Menu commands from the desktop app's menu (save, new, find); nothing in browser mode. */
export const onMenu = (cb: (action: string) => void): (() => void) | undefined => bridge?.onMenu?.(cb);

/** The desktop app's folder picker; null in browser mode, where the path is typed. */
export const pickFolder: (() => Promise<string | null>) | null = bridge?.pickFolder
  ? () => bridge?.pickFolder?.() ?? Promise.resolve(null)
  : null;
