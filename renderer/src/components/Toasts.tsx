/** The toasts, bottom right; subscribes to the toasts slice alone, so a toast re-renders nothing else. */
import { selectDismiss, selectToasts } from '../state/toasts.ts';
import { useStudio } from '../state/store.ts';

export function Toasts() {
  const toasts = useStudio(selectToasts);
  const dismiss = useStudio(selectDismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
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
