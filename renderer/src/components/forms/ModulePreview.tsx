/**
 * A custom module rendered as it would look: a frame with `sandbox=""` (no scripts, no same origin,
 * no forms, no popups) showing the sanitized module (module-preview-doc.ts) under its own
 * Content-Security-Policy. What the sanitizer took out is said, not shown.
 */
import { useDeferredValue, useMemo } from 'react';
import { previewDoc } from './module-preview-doc.ts';

export function ModulePreview({ code }: { code: string }) {
  const deferred = useDeferredValue(code);
  const doc = useMemo(() => previewDoc(deferred), [deferred]);
  if (!deferred.trim()) return null;
  return (
    <figure className="module-preview">
      <iframe title="Module preview" sandbox="" srcDoc={doc.srcdoc} referrerPolicy="no-referrer" />
      <figcaption className="hint">
        {doc.kind === 'css' ? 'Preview: the stylesheet on sample markup' : 'Preview of the module'} (sandboxed: no scripts run)
        {doc.removed > 0 && (
          <span role="status" data-testid="preview-removed">
            {' '}
            · {doc.removed} {doc.removed === 1 ? 'part is' : 'parts are'} not shown: not allowed in modules
          </span>
        )}
      </figcaption>
    </figure>
  );
}
