/**
 * The toasts, bottom right (beside the editor: at the right of the form, clear of the uniqueness
 * panel) — or at the top while the bottom stack would cover the control in focus (the field a
 * message is about is the one being worked on). Subscribes to the toasts slice alone, so a toast
 * re-renders nothing else.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { selectDismiss, selectToasts } from '../state/toasts.ts';
import { useStudio } from '../state/store.ts';

/** Whether two boxes overlap. */
export function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Moves the stack to the top while at the bottom it would cover the focused control. */
function usePlacement(count: number) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(false);
  const place = () => {
    const el = box.current;
    const focused = document.activeElement;
    // Only a control counts (a screen or heading that took the focus on a screen change does not).
    const control = focused?.matches('input, textarea, select, button, a[href], summary, [role="tab"]') ? focused : null;
    if (!el || !control || el.contains(control) || count === 0) return setTop(false);
    // Where the stack sits at the bottom: its own box, or (while it is at the top) the same size at the bottom.
    const r = el.getBoundingClientRect();
    const bottom = top ? new DOMRect(r.left, window.innerHeight - 16 - r.height, r.width, r.height) : r;
    setTop(overlaps(bottom, control.getBoundingClientRect()));
  };
  useLayoutEffect(place);
  useEffect(() => {
    window.addEventListener('focusin', place);
    return () => window.removeEventListener('focusin', place);
  });
  return { box, top };
}

export function Toasts() {
  const toasts = useStudio(selectToasts);
  const dismiss = useStudio(selectDismiss);
  const { box, top } = usePlacement(toasts.length);
  return (
    <div className={`toasts${top ? ' top' : ''}`} role="status" aria-live="polite" ref={box}>
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`}>
          <span>{t.text}</span>
          {t.action && (
            <button
              type="button"
              onClick={() => {
                t.action?.run();
                dismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
