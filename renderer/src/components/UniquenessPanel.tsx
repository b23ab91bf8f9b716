/**
 * The uniqueness panel: the check's verdict (shared/verdict.ts: honest about blank, refused and
 * unsaved cards and about layers that could not run), which layers ran, and each match with its evidence.
 */
import type { LayerName, Match } from '@shared/check.ts';
import { isBlankCard, verdictOf } from '@shared/verdict.ts';
import { useShallow } from 'zustand/react/shallow';
import { imageUrl } from '../data/assets.ts';
import { blankCard } from '../state/cards.ts';
import { selectCheck } from '../state/editor.ts';
import { selectInfo } from '../state/library.ts';
import { useStudio } from '../state/store.ts';
import { PassageList, RegionImage, describeRegion } from './evidence.tsx';
import { MediaEvidence } from './media.tsx';

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

function Score({ label, value }: { label: string; value: number | undefined | null }) {
  if (value === undefined || value === null) return null;
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="score">
      <span>{label}</span>
      <meter min={0} max={100} value={pct} aria-label={`${label} ${pct}%`} />
      <span className="num">{pct}%</span>
    </div>
  );
}

function MatchCard({ m, mine }: { m: Match; mine: string | null }) {
  const creatorId = useStudio((s) => selectInfo(s)?.creatorId);
  const openAsset = useStudio((s) => s.openAsset);
  const yours = m.creatorId === creatorId;
  // A media match is shown by its timelines; the image row only when either side has an image.
  const images = !m.media?.length || Boolean(mine || m.imageSha);
  return (
    <li className={`match${m.copySignals.length ? ' copy' : ''}`}>
      {images && (
        <div className="side-by-side">
          <figure>
            {mine ? (
              <RegionImage src={imageUrl(mine, true)} alt="Your image" box={m.region?.query} outline={m.region?.outline} />
            ) : (
              <div className="no-image">No image</div>
            )}
            <figcaption>This asset</figcaption>
          </figure>
          <figure>
            {m.imageSha ? (
              <RegionImage src={imageUrl(m.imageSha, true)} alt={`Image of ${m.name}`} box={m.region?.match} />
            ) : (
              <div className="no-image">No image</div>
            )}
            <figcaption>{m.name}</figcaption>
          </figure>
        </div>
      )}
      <div className="match-body">
        <div className="match-title">
          <strong>{m.name}</strong> <span className="sub">{yours ? 'in your library' : `by ${m.creatorId}`}</span>
          <span className="combined">{Math.round(m.combined * 100)}% combined</span>
        </div>
        <Score label="Visual" value={m.layers.visual ?? (m.layers.exact?.pixels ? 1 : undefined)} />
        <Score label="Partial" value={m.layers.local} />
        <Score label="Text" value={m.layers.text} />
        <Score label="Words" value={m.layers.passage} />
        <Score label="Code" value={m.layers.code} />
        <Score label="CLIP" value={m.layers.semantic_image} />
        <Score label="BGE" value={m.layers.semantic_text} />
        <Score label="Media" value={m.layers.media} />
        {m.summary && <p className="match-summary">{m.summary}</p>}
        {m.media && m.media.length > 0 && <MediaEvidence media={m.media} matchName={m.name} />}
        {m.region && <p className="hint">Matched region (outlined): {describeRegion(m.region)}</p>}
        {m.passages && m.passages.length > 0 && <PassageList passages={m.passages} matchName={m.name} />}
        {m.copySignals.length > 0 && (
          <p className="signals">
            <strong>Why:</strong> {m.copySignals.join(' · ')}
          </p>
        )}
        {(m.differences.transform.length > 0 || m.differences.fields.length > 0) && (
          <p className="diffs">
            <strong>Differences:</strong>{' '}
            {[
              ...m.differences.transform.map((t) => `${m.media?.[0]?.kind ?? 'image'} ${t}`),
              ...m.differences.fields.map((f) => `${f} changed`),
            ].map((d) => (
              <mark key={d}>{d}</mark>
            ))}
          </p>
        )}
        {yours && (
          <button type="button" className="link" onClick={() => void openAsset(m.assetId)}>
            Open “{m.name}”
          </button>
        )}
      </div>
    </li>
  );
}

export function UniquenessPanel() {
  const { check: r, checking, checkError } = useStudio(useShallow(selectCheck));
  const imageSha = useStudio((s) => s.imageSha);
  const blank = useStudio((s) => (s.draft ? isBlankCard(s.draft, blankCard(s.draft.asset_type, 0), s.imageSha) : true));
  const saveError = useStudio((s) => s.editorError?.message ?? null);
  const unsaved = useStudio((s) => s.dirty);
  const v = verdictOf({ check: r, blank, saveError, checkError: checkError?.message ?? null, unsaved });
  return (
    <aside className="uniqueness" aria-label="Uniqueness check" aria-live="polite" aria-busy={checking} tabIndex={0}>
      <header>
        <h2>Uniqueness</h2>
        {checking && (
          <span className="spinner" role="status">
            Checking…
          </span>
        )}
      </header>
      {checkError && (
        <div className="banner error" role="alert">
          {checkError.message}
        </div>
      )}
      {(r || checkError) && (
        <div className={`verdict ${v.tone}`}>
          <span className={`badge ${v.tone}`}>{v.title}</span>
          <p className="reason">{v.reason}</p>
          {v.action && (
            <p className="action">
              <strong>Recommended:</strong> {v.action}
            </p>
          )}
        </div>
      )}
      {r && (
        <>
          <h3>Layers</h3>
          <ul className="layers">
            {(Object.entries(r.layers) as [LayerName, (typeof r.layers)[LayerName]][]).map(([k, v]) => (
              <li key={k} className={v.state}>
                <span className="dot" aria-hidden="true" />
                <span>{LAYER_LABELS[k]}</span>
                <span className="state">{v.state === 'ran' ? 'ran' : `${v.state}${v.reason ? ` — ${v.reason}` : ''}`}</span>
              </li>
            ))}
          </ul>
          <h3>Closest matches</h3>
          {r.matches.length === 0 ? (
            <p className="hint">Nothing similar found.</p>
          ) : (
            <ul className="matches">
              {r.matches.map((m) => (
                <MatchCard key={m.assetId} m={m} mine={imageSha} />
              ))}
            </ul>
          )}
          <p className="hint">
            Checked in {r.elapsedMs} ms · policy v{r.policyVersion}
          </p>
        </>
      )}
    </aside>
  );
}
