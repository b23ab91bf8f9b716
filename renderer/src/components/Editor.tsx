/**
 * The asset editor: header (name, type, revision, save, export), tabs (edit, history, marketplace),
 * the basics, the image or media file, the type's own form, the generation recipe, and the
 * uniqueness panel beside it. The check runs in the editor slice, not here.
 */
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { exportCard } from '../data/assets.ts';
import { TYPE_LABELS } from '../state/cards.ts';
import { selectEditorHead } from '../state/editor.ts';
import { type EditorTab, selectGo, viewKey } from '../state/router.ts';
import { useStudio } from '../state/store.ts';
import { selectToast } from '../state/toasts.ts';
import { BasicsForm, ImageField, RecipeForm, TYPE_FORMS } from './forms/index.ts';
import { DraftNotice, DraftState } from './DraftNotice.tsx';
import { ShowFieldErrors } from './fields.tsx';
import { PublishPanel } from './market/PublishPanel.tsx';
import { Revisions } from './Revisions.tsx';
import { TabPanel, Tabs } from './Tabs.tsx';
import { UniquenessPanel } from './UniquenessPanel.tsx';

function saveBlob(blob: Blob, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Downloads the card (and its image) as files. */
function useExport() {
  const toast = useStudio(selectToast);
  return async (id: string) => {
    try {
      const r = await exportCard(id);
      saveBlob(new Blob([JSON.stringify(r.card, null, 2)], { type: 'application/json' }), r.fileName);
      if (r.image && r.imageFileName)
        saveBlob(new Blob([Uint8Array.from(atob(r.image), (c) => c.charCodeAt(0))], { type: 'image/webp' }), r.imageFileName);
      toast(
        `Exported ${r.fileName}${r.imageFileName ? ` and ${r.imageFileName}` : ''}`,
        'info',
        undefined,
        viewKey({ name: 'editor', id }),
      );
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  };
}

export function Editor() {
  const h = useStudio(useShallow(selectEditorHead));
  const go = useStudio(selectGo);
  const save = useStudio((s) => s.save);
  const exportIt = useExport();
  // Opens on the view the link asked for (back from signing in: the Marketplace tab), else Edit.
  const startTab = useStudio((s) => (s.view.name === 'editor' ? s.view.tab : undefined));
  const [tab, setTab] = useState<EditorTab>(startTab ?? 'edit');
  // Another asset starts on Edit.
  const shownId = useRef(h.currentId);
  useEffect(() => {
    if (shownId.current === h.currentId) return;
    shownId.current = h.currentId;
    setTab('edit');
  }, [h.currentId]);

  if (!h.type) return null;
  const type = h.type;
  const TypeForm = TYPE_FORMS[type];

  return (
    <div className="editor-layout">
      <section className="editor" aria-label="Asset editor">
        <header className="editor-head">
          {/* The name and status on a line of their own, the views and actions under them: the
              status line growing ("unsaved changes · draft kept") never re-wraps the buttons. */}
          <div className="editor-title">
            <button type="button" className="link" onClick={() => go({ name: 'library' })}>
              ← Library
            </button>
            <h1 title={h.name?.trim() || undefined}>{h.name?.trim() || 'Untitled'}</h1>
            <span className="sub">
              {TYPE_LABELS[type]}
              {h.currentId ? ` · revision ${h.rev}` : ' · not saved yet'}
              {h.dirty ? ' · unsaved changes' : ''} <DraftState />
            </span>
          </div>
          <Tabs
            label="Editor views"
            idBase="editor"
            value={tab}
            onChange={setTab}
            tabs={[
              { id: 'edit', label: 'Edit' },
              { id: 'history', label: `History${h.revisionCount ? ` (${h.revisionCount})` : ''}`, disabled: !h.currentId },
              { id: 'market', label: 'Marketplace', disabled: !h.currentId },
            ]}
          />
          {h.currentId && (
            <button type="button" onClick={() => void exportIt(h.currentId as string)}>
              Export card
            </button>
          )}
          <button type="button" className="primary" disabled={h.saving} onClick={() => void save()}>
            {h.saving ? 'Saving…' : 'Save (Ctrl+S)'}
          </button>
        </header>

        <DraftNotice />
        {h.editorError && (
          <div className="banner error" role="alert">
            Not saved: {h.editorError.message}
          </div>
        )}

        <TabPanel idBase="editor" value={tab}>
          {tab === 'market' && h.currentId ? (
            <PublishPanel assetId={h.currentId} />
          ) : tab === 'history' ? (
            <Revisions />
          ) : (
            <ShowFieldErrors.Provider value={Boolean(h.editorError)}>
              <form
                className="form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save();
                }}
              >
                <BasicsForm />
                {type !== 'custom_module' && <ImageField />}
                <TypeForm />
                <RecipeForm />
              </form>
            </ShowFieldErrors.Provider>
          )}
        </TabPanel>
      </section>
      <UniquenessPanel />
    </div>
  );
}
