/** The generic data hook: load on mount and when deps change (fresh data after that comes pushed, see push.ts). */
import { useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
  /** Replaces the data by hand (an action's answer that already holds the new state). */
  set: (d: T) => void;
}

/** Loads data for a screen; problems (offline, signed out) come back as `error` for the screen to show in place. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    const load = () =>
      fnRef
        .current()
        .then((d) => {
          if (live) {
            setData(d);
            setError(null);
          }
        })
        .catch((e: Error) => live && setError(e.message));
    void load();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1), set: setData };
}
