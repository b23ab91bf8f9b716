/**
 * The uniqueness panel: the check's verdict (shared/verdict.ts: honest about blank, refused and
 * unsaved cards and about layers that could not run), each match with its evidence right under it,
 * then which layers ran. While a new check runs, the last result stays, greyed and marked as the
 * previous result; when a result arrives for another card or with another verdict, the panel
 * shows its top, so the verdict is never left scrolled out of view.
 */
import type { LayerName, LayerRun } from '@shared/check.ts';
import { isBlankCard, verdictOf } from '@shared/verdict.ts';
import { useLayoutEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { blankCard } from '../state/cards.ts';
import { selectCheck } from '../state/editor.ts';
import { selectInfo } from '../state/library.ts';
import { selectGo } from '../state/router.ts';
import { useStudio } from '../state/store.ts';
import { plural } from '../words.ts';
import { MatchCard } from './MatchCard.tsx';

const LAYER_LABELS: Record<LayerName, string> = {
  exact: 'Exact (file, pixels, metadata hash)',
  visual: 'Visual copy (perceptual hashes)',
  local: 'Partial copy (local features, geometric check)',
  media: 'Audio / video copy (landmarks, Chromaprint, aligned frames)',
  passage: 'Reused passages (winnowing) and word overlap',
  text: 'Text near-copy (MinHash)',
  code: 'Module / template structure',
  semantic_image: 'Semantic image (CLIP)',
  semantic_text: 'Semantic text (BGE)',
};

/** A layer's state in words: an unavailable one points to the Models screen (never a terminal command). */
function LayerState({ state, reason }: { state: LayerRun['state']; reason: string | undefined }) {
  const go = useStudio(selectGo);
  if (state === 'ran') return <span className="state">ran</span>;
  if (state === 'unavailable')
    return (
      <span className="state">
        not installed: its model is not downloaded yet —{' '}
        <button type="button" className="link" onClick={() => go({ name: 'models' })}>
          Get it on the Models screen
        </button>
      </span>
    );
  return <span className="state">{`skipped${reason ? ` — ${reason}` : ''}`}</span>;
}

/** Scrolls the panel back to its top (the verdict) whenever `key` changes: another card, another verdict. */
function useVerdictInView(key: string) {
  const panel = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    if (panel.current && panel.current.scrollTop > 0) panel.current.scrollTop = 0;
  }, [key]);
  return panel;
}

export function UniquenessPanel() {
  const { check: r, checking, checkError } = useStudio(useShallow(selectCheck));
  const imageSha = useStudio((s) => s.imageSha);
  const blank = useStudio((s) => (s.draft ? isBlankCard(s.draft, blankCard(s.draft.asset_type, 0), s.imageSha) : true));
  const saveError = useStudio((s) => s.editorError?.message ?? null);
  const unsaved = useStudio((s) => s.dirty);
  const v = verdictOf({ check: r, blank, saveError, checkError: checkError?.message ?? null, unsaved });
  const creatorId = useStudio((s) => selectInfo(s)?.creatorId);
  const go = useStudio(selectGo);
  const card = useStudio((s) => s.draftId ?? s.current?.id ?? '');
  const panel = useVerdictInView(`${card} ${v.tone}`);
  // A new check is running: what is shown is the last one's answer, out of date until it finishes.
  const stale = checking && Boolean(r || checkError);
  // A card the check refused was not checked: the last result's matches and layers (an earlier
  // version of the card) are not shown under "Not checked", as if this one had run. Nor are a
  // blank card's: under "Nothing to check yet" they would only say that two default names
  // ("Untitled character 2", "… 3") are alike.
  const shown = checkError || blank ? null : r;
  return (
    <aside className="uniqueness" aria-label="Uniqueness check" aria-live="polite" aria-busy={checking} tabIndex={0} ref={panel}>
      <header>
        <h2>Uniqueness</h2>
        {checking && (
          <span className="spinner" role="status">
            Checking…
          </span>
        )}
      </header>
      {stale && <p className="stale-note">Previous result — out of date until this check finishes</p>}
      <div className={stale ? 'check-result stale' : 'check-result'}>
        {/* A refused card says why once, in the verdict, announced as an alert. */}
        {(r || checkError) && (
          <div className={`verdict ${v.tone}`} {...(checkError ? { role: 'alert' } : {})}>
            <span className={`badge ${v.tone}`}>{v.title}</span>
            <p className="reason">{v.reason}</p>
            {v.action && (
              <p className="action">
                <strong>Recommended:</strong> {v.action}
              </p>
            )}
            {v.coverage && (
              <button type="button" onClick={() => go({ name: 'models' })}>
                Open the Models screen
              </button>
            )}
          </div>
        )}
        {shown && (
          <>
            <h3>Closest matches</h3>
            {shown.matches.length === 0 ? (
              <p className="hint">Nothing similar found.</p>
            ) : (
              <ul className="matches">
                {shown.matches.map((m) => (
                  <MatchCard key={m.assetId} m={m} mine={imageSha} yours={m.creatorId === creatorId} />
                ))}
              </ul>
            )}
            <h3>Layers</h3>
            <ul className="layers">
              {(Object.entries(shown.layers) as [LayerName, (typeof shown.layers)[LayerName]][]).map(([k, v]) => (
                <li key={k} className={v.state}>
                  <span className="dot" aria-hidden="true" />
                  <span>{LAYER_LABELS[k]}</span>
                  <LayerState state={v.state} reason={v.reason} />
                </li>
              ))}
            </ul>
            <p className="hint">
              Checked in {shown.elapsedMs} ms
              {shown.compared === undefined ? '' : ` against ${plural(shown.compared, 'other asset')}`} · policy v{shown.policyVersion}
            </p>
          </>
        )}
      </div>
    </aside>
  );
}
