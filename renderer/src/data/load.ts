/** Generic data hooks: load on mount and when deps change (optionally polling), and run a callback on an interval. */
import { useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
  /** Replaces the data by hand (an action's answer that already holds the new state). */
  set: (d: T) => void;
}

/** Loads data for a screen; problems (offline, signed out) come back as `error` for the screen to show in place. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
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
    const t = pollMs ? setInterval(() => void load(), pollMs) : null;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n, pollMs]);
  return { data, error, reload: () => setN((x) => x + 1), set: setData };
}

/** Runs `tick` every `ms` while `active` (and once at the start when `immediately`). */
export function useInterval(tick: () => void, ms: number, active = true, immediately = false): void {
  const ref = useRef(tick);
  ref.current = tick;
  useEffect(() => {
    if (!active) return;
    if (immediately) ref.current();
    const t = setInterval(() => ref.current(), ms);
    return () => clearInterval(t);
  }, [ms, active, immediately]);
}
