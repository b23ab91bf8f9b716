/**
 * What a purchase delivers, on its row in Purchases: the license in plain language, the saved files
 * as download links (card, license text, image, audio/video) and adding the card to the library —
 * with the listing as the declared parent where the license allows derivatives.
 */
import type { PurchaseFilesView } from '@shared/contracts/studio/purchases.ts';
import { termsInWords, wordsFor } from '@shared/license-words.ts';
import type { PurchaseView } from '@shared/payments.ts';
import { addToLibrary, downloadPurchase, purchaseFileUrl } from '../../data/market.ts';
import { revealPurchase } from '../../data/shell.ts';
import { selectGo } from '../../state/router.ts';
import { useStudio } from '../../state/store.ts';
import { useAction } from './common.tsx';

const FILE_LABELS: Record<PurchaseFilesView['files'][number]['kind'], string> = {
  card: 'Asset card (JSON)',
  license: 'License (text)',
  image: 'Image',
  media: 'Audio/video file',
};

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** The purchase's license (or the purchase kind's rights) in plain language. */
export function LicenseWords({ p }: { p: PurchaseView }) {
  if (p.kind === 'top_up') return null;
  const w = wordsFor(p.kind, p.licenseType);
  return (
    <details className="license-words">
      <summary>
        {w.title} {p.kind === 'license' ? 'license' : ''}: what you may do
      </summary>
      <p>{w.summary}</p>
      <ul>
        {p.terms && termsInWords(p.terms).map((t) => <li key={t}>{t}</li>)}
        <li>{w.derivatives ? 'Derivatives allowed: declare this listing as their parent when you publish them.' : 'No derivatives.'}</li>
      </ul>
    </details>
  );
}

export function Delivery({ p, saved, onChange }: { p: PurchaseView; saved: PurchaseFilesView | undefined; onChange: () => void }) {
  const go = useStudio(selectGo);
  const loadLibrary = useStudio((s) => s.loadLibrary);
  const { busy, run } = useAction();
  const lib = saved?.library ?? null;
  return (
    <div className="delivery">
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void run(() => downloadPurchase(p.id), 'Files saved').then(onChange)}>
          {saved ? 'Download again' : 'Download files'}
        </button>
        {!lib && (
          <button
            type="button"
            disabled={busy}
            onClick={
              () =>
                void run(() => addToLibrary(p.id), 'Added to your library')
                  .then(onChange)
                  .then(() => loadLibrary()) // the library and its count show the new asset at once
            }
          >
            Add to library
          </button>
        )}
      </div>
      {saved && (
        <>
          <ul className="files" aria-label={`Files of ${saved.asset.name}`}>
            {saved.files.map((f) => (
              <li key={f.name}>
                <a href={purchaseFileUrl(p.id, f.name)} download={f.name}>
                  {FILE_LABELS[f.kind]}: {f.name}
                </a>{' '}
                <span className="hint">{size(f.bytes)}</span>
              </li>
            ))}
          </ul>
          <p className="hint">
            Saved on this computer in {saved.folder}{' '}
            {revealPurchase && (
              <button
                type="button"
                className="link"
                onClick={() => void run(() => (revealPurchase as (id: string) => Promise<void>)(p.id))}
              >
                Show in folder
              </button>
            )}
          </p>
        </>
      )}
      {lib && (
        <p className="library-link" role="status">
          In your library as{' '}
          <button type="button" className="link" onClick={() => go({ name: 'editor', id: lib.assetId })}>
            {lib.name}
          </button>
          {lib.parentAssetId
            ? ` · declared parent: “${lib.parentName}” (publish derivatives of it as such; its creator earns a royalty)`
            : ' · reference copy: its license does not allow derivatives'}
        </p>
      )}
    </div>
  );
}
