/** The library grid's window: only the rows in view (plus a margin) are rendered, so thousands of cards stay smooth. */
import { useEffect, useState } from 'react';

export const CARD_W = 196;
export const CARD_H = 264;
export const GAP = 16;

export function useGridWindow(count: number) {
  // A callback ref: the grid mounts only once the library has items, after the first render.
  const [el, ref] = useState<HTMLDivElement | null>(null);
  const [box, setBox] = useState({ width: 1000, height: 600, top: 0 });
  useEffect(() => {
    if (!el) return;
    const measure = () => setBox({ width: el.clientWidth, height: el.clientHeight, top: el.scrollTop });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [el]);
  const cols = Math.max(1, Math.floor((box.width - GAP) / (CARD_W + GAP)));
  const rows = Math.ceil(count / cols);
  const first = Math.max(0, Math.floor(box.top / (CARD_H + GAP)) - 2);
  const last = Math.min(rows, Math.ceil((box.top + box.height) / (CARD_H + GAP)) + 2);
  return { ref, cols, first, last, total: rows * (CARD_H + GAP) + GAP };
}
