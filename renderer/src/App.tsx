import { useEffect } from 'react';
import { bridge } from './api.ts';
import { Editor } from './components/Editor.tsx';
import { Library } from './components/Library.tsx';
import { Models } from './components/Models.tsx';
import { useStudio } from './store.ts';

export function App() {
  const s = useStudio();

  useEffect(() => {
    void s.init();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Keyboard shortcuts: save, new, search.
  useEffect(() => {
    const run = (action: string) => {
      const st = useStudio.getState();
      if (action === 'save' && st.view.name === 'editor') void st.save();
      if (action === 'new') st.newAsset('character');
      if (action === 'find') {
        if (st.view.name !== 'library') st.go({ name: 'library' });
        setTimeout(() => window.dispatchEvent(new Event('studio:find')), 0);
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      const action = k === 's' ? 'save' : k === 'n' ? 'new' : k === 'f' ? 'find' : null;
      if (!action) return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    const off = bridge?.onMenu?.(run);
    return () => {
      window.removeEventListener('keydown', onKey);
      off?.();
    };
  }, []);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Originals Studio</div>
        <button
          type="button"
          aria-current={s.view.name === 'library' || s.view.name === 'editor' ? 'page' : undefined}
          onClick={() => s.go({ name: 'library' })}
        >
          Library
        </button>
        <button type="button" aria-current={s.view.name === 'models' ? 'page' : undefined} onClick={() => s.go({ name: 'models' })}>
          Models
        </button>
        <div className="sidebar-foot">
          {s.info && (
            <>
              <div>{s.info.assetCount} assets</div>
              <div className="sub">
                {s.info.mode === 'browser' ? 'Browser mode' : 'Desktop'} · v{s.info.version}
              </div>
            </>
          )}
        </div>
      </nav>
      <main>
        {s.view.name === 'library' && <Library />}
        {s.view.name === 'editor' && <Editor />}
        {s.view.name === 'models' && <Models />}
      </main>
      <div className="toasts" role="status" aria-live="polite">
        {s.toasts.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`}>
            <span>{t.text}</span>
            {t.action && (
              <button
                type="button"
                onClick={() => {
                  t.action?.run();
                  s.dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" className="close" aria-label="Dismiss" onClick={() => s.dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
