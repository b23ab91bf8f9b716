/**
 * The editor's marketplace panel: the pre-flight verdict, Submit (with the parent declaration a
 * derivative needs), the listing's progress through review, resubmit and appeal, conflicts, the
 * pricing editor with its live breakdown, and license offers — both before the first submission
 * too, which takes them to the listing.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiOutput, OutboxOpView, Tracking } from '@shared/api.ts';
import { submitStep } from '@shared/policy/marketplace.ts';
import { resolveConflict, retryAsDerivative } from '../../data/account.ts';
import { appeal as sendAppeal, submit as submitAsset } from '../../data/market.ts';
import { useTracking } from '../../data/push.ts';
import { provenance } from '../../data/trust.ts';
import { ago, download } from '../../market.ts';
import { selectNotifications, selectSync, selectUser } from '../../state/market.ts';
import { selectGo } from '../../state/router.ts';
import { useStudio } from '../../state/store.ts';
import { StatusBadge } from '../StatusBadge.tsx';
import { LicensingEditor } from './LicensingEditor.tsx';
import { PricingEditor } from './PricingEditor.tsx';
import { Problem, STATUS_LABEL, useAction } from './common.tsx';
import { lastSubmitOf, submissionSteps } from './progress.ts';
import { plural, withStop } from '../../words.ts';

/** The signed provenance record of the published version and its ancestors, verified here with the marketplace's key; exportable as proof of prior publication. */
function OwnershipProof({ remoteId, name }: { remoteId: string; name: string }) {
  const { busy, run } = useAction();
  const [r, setR] = useState<ApiOutput<'trust.provenance'> | null>(null);
  return (
    <div className="provenance">
      <h3>Ownership proof</h3>
      {!r ? (
        <button type="button" disabled={busy} onClick={() => void run(() => provenance(remoteId).then(setR))}>
          Verify the provenance record
        </button>
      ) : (
        <>
          <p data-testid="provenance">
            {r.verified ? '✓ Verified with the pinned marketplace key' : `✗ Not valid: ${r.problem ?? ''}`} — signed by{' '}
            {r.proof.record.record.keyId} on {new Date(r.proof.record.record.publishedAt).toLocaleString()}, version{' '}
            {r.proof.record.record.version}
          </p>
          {r.keyWarning ? (
            <p role="alert" className="banner error">
              {r.keyWarning}
            </p>
          ) : null}
          <ol className="hint">
            {[r.proof.record, ...r.proof.chain].map((p) => (
              <li key={p.recordHash}>
                {p.record.name} (v{p.record.version}) · record {p.recordHash.slice(0, 16)}…
                {p.record.parent ? ' · derivative of the next' : ' · original'}
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() =>
              download(`${name.replace(/[^\w-]+/g, '_')}.provenance.json`, JSON.stringify(r.proof, null, 2), 'application/json')
            }
          >
            Export proof
          </button>
        </>
      )}
    </div>
  );
}

export function PublishPanel({ assetId }: { assetId: string }) {
  const go = useStudio(selectGo);
  const { check, checkFailed, dirty, save, openAsset, refreshMarket } = useStudio(
    useShallow((s) => ({
      check: s.check,
      checkFailed: Boolean(s.checkError),
      dirty: s.dirty,
      save: s.save,
      openAsset: s.openAsset,
      refreshMarket: s.refreshMarket,
    })),
  );
  const sync = useStudio(selectSync);
  const notifications = useStudio(selectNotifications);
  const signedIn = Boolean(useStudio(selectUser));
  const { busy, run } = useAction();
  const tracking = useTracking(assetId);
  const t: Tracking | null = tracking.data;
  const setT = tracking.set;
  const reload = tracking.reload;
  const [appeal, setAppeal] = useState('');
  // Submitting an asset the latest check calls a copy, or one never checked, is confirmed first (MARKETPLACE_POLICY.submitOnCopy).
  const [confirming, setConfirming] = useState(false);

  if (!signedIn)
    return (
      <section className="publish card" aria-label="Marketplace">
        <h2>Marketplace</h2>
        <p>Sign in to submit this asset, price it and license it.</p>
        <button type="button" onClick={() => go({ name: 'account', back: { name: 'editor', id: assetId, tab: 'market' } })}>
          Sign in or create an account
        </button>
      </section>
    );

  const lastSubmit: OutboxOpView | undefined = lastSubmitOf(t);
  const candidates =
    (lastSubmit?.state === 'needs_action'
      ? (lastSubmit.result?.candidates as { assetId: string; name: string; combined: number }[])
      : null) ?? [];
  const rejection = notifications.find(
    (n) => n.payload.assetId === t?.remoteId && (n.kind === 'rejected' || n.kind === 'changes_requested'),
  );
  const submit = () =>
    run(async () => {
      if (dirty) await save();
      await submitAsset(assetId);
      reload();
      await refreshMarket();
    });
  const step = submitStep(checkFailed ? null : check);
  const askSubmit = () => {
    if (step.step === 'go') return void submit();
    setConfirming(true);
  };

  return (
    <section className="publish card" aria-label="Marketplace">
      <h2>Marketplace</h2>
      <div className="preflight">
        <strong>Pre-flight check:</strong> {check ? <StatusBadge status={check.status} /> : 'not run yet'}{' '}
        <span className="hint">
          {check?.compared === undefined ? 'against' : `against ${plural(check.compared, 'other asset')}:`} your library and{' '}
          {plural(sync?.index.count ?? 0, 'published marketplace asset')} (copy updated {ago(sync?.index.syncedAt ?? null)})
          {check?.compared === 0 ? ' — nothing to compare with yet' : ''}
        </span>
        {check && check.status !== 'approved' && <p className="hint">{check.action}</p>}
      </div>

      {t?.conflict && (
        <div className="banner error" role="alert">
          <p>
            <strong>Changed here and on the marketplace.</strong> The marketplace has version {t.conflict.remoteVersion} (description: “
            {String(t.conflict.remoteCard.description ?? '').slice(0, 120)}”); you changed it here too (revision {t.conflict.localRev}).
          </p>
          <button type="button" disabled={busy} onClick={() => void run(() => resolveConflict(assetId, 'local').then(setT))}>
            Keep mine (send as a new version)
          </button>{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                setT(await resolveConflict(assetId, 'server'));
                await openAsset(assetId);
              })
            }
          >
            Take the marketplace version (mine stays in history)
          </button>
        </div>
      )}

      {t?.remote || lastSubmit ? (
        <>
          <ol className="steps" aria-label="Submission progress">
            {submissionSteps(t).map((s, i) => (
              <li
                key={i}
                className={s.state === 'reached' ? 'done' : s.state === 'failed' ? 'failed' : ''}
                aria-current={s.current ? 'step' : undefined}
              >
                {s.state === 'failed' ? '✗ ' : ''}
                {s.label}
              </li>
            ))}
          </ol>
          <p>
            Status:{' '}
            <strong data-testid="listing-status">
              {t?.remote
                ? STATUS_LABEL[t.remote.status]
                : lastSubmit?.state === 'pending'
                  ? 'queued (waiting for the marketplace)'
                  : lastSubmit?.state === 'failed'
                    ? 'failed (not sent)'
                    : lastSubmit?.state === 'needs_action'
                      ? 'needs your action (not sent)'
                      : ''}
            </strong>
            {t?.remote?.estimatedReviewTime ? ` · review target ${t.remote.estimatedReviewTime}` : ''}
            {t?.remote ? ` · version ${t.remote.latestVersion}` : ''}
          </p>
          {lastSubmit?.state === 'pending' && lastSubmit.lastError && (
            <p className="hint">Not sent yet: {lastSubmit.lastError}. It will be retried.</p>
          )}
          {lastSubmit?.state === 'failed' && <Problem error={lastSubmit.lastError} />}
          {rejection && t?.remote && ['rejected', 'changes_requested'].includes(t.remote.status) && (
            <p className="banner error">Moderator: {String(rejection.payload.reason ?? '')}</p>
          )}
        </>
      ) : (
        <p className="hint">Not on the marketplace yet.</p>
      )}

      {candidates.length > 0 && (
        <div className="banner" role="alert">
          <p>{lastSubmit?.lastError}</p>
          <ul>
            {candidates.map((c) => (
              <li key={c.assetId}>
                {c.name} ({Math.round(c.combined * 100)}% similar){' '}
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      await retryAsDerivative(lastSubmit?.id as string, c.assetId);
                      reload();
                    }, 'Resubmitted as a derivative')
                  }
                >
                  Declare as parent and resubmit
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="row">
        {!t?.remote && lastSubmit?.state !== 'pending' && (
          <button type="button" className="primary" disabled={busy || confirming} onClick={askSubmit}>
            Submit to marketplace
          </button>
        )}
        {t?.remote && t.remote.status !== 'in_review' && t.remote.status !== 'taken_down' && (
          <button type="button" disabled={busy || confirming} onClick={askSubmit}>
            Submit this revision as a new version
          </button>
        )}
      </div>
      {confirming && (
        <div
          className="banner submit-confirm"
          role="alertdialog"
          aria-labelledby="submit-confirm-title"
          aria-describedby="submit-confirm-text"
        >
          <p id="submit-confirm-title">
            {step.why === 'unchecked' ? (
              <strong>This asset has not been checked yet.</strong>
            ) : (
              <>
                <strong>The latest check says:</strong> <StatusBadge status={check?.status} />
              </>
            )}
          </p>
          <p id="submit-confirm-text">
            {step.why === 'copy' && check ? `${withStop(check.reason)} ` : ''}
            {step.step === 'refuse'
              ? 'This marketplace does not take submissions the check calls a copy: change the asset first.'
              : step.why === 'unchecked'
                ? 'The marketplace checks it when it arrives and may refuse it or hold it for a moderator. Submit it anyway?'
                : 'The marketplace refuses a copy of your own listing (published or waiting for review), asks a close derivative to declare its parent, and holds a likely copy of another creator’s asset for a moderator. Submit it anyway?'}
          </p>
          <div className="row">
            {step.step === 'confirm' && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => {
                  setConfirming(false);
                  void submit();
                }}
              >
                Submit anyway
              </button>
            )}
            <button type="button" onClick={() => setConfirming(false)}>
              {step.step === 'refuse' ? 'OK' : 'Cancel'}
            </button>
          </div>
        </div>
      )}
      {t?.remote && ['rejected', 'changes_requested', 'taken_down'].includes(t.remote.status) && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => sendAppeal(assetId, appeal).then(reload), 'Appeal sent to a different moderator');
          }}
        >
          <div className="field grow">
            <label htmlFor="appeal">Appeal the decision</label>
            <input id="appeal" value={appeal} onChange={(e) => setAppeal(e.target.value)} placeholder="Why should it be reconsidered?" />
          </div>
          <button type="submit" disabled={busy}>
            Appeal
          </button>
        </form>
      )}

      {t?.remote?.status === 'taken_down' && (
        <p className="banner error" role="alert">
          Taken down by the moderators{t.remote.takedown?.reason ? `: ${t.remote.takedown.reason}` : ''}.{' '}
          <button type="button" className="link" onClick={() => go({ name: 'reputation' })}>
            See the strike and appeal
          </button>
        </p>
      )}
      {t?.remoteId && t.remote?.publishedVersion !== null && t.remote?.publishedVersion !== undefined && (
        <OwnershipProof remoteId={t.remoteId} name={t.remote.name} />
      )}
      {/* Priced and licensed while it is prepared too: the first submission takes both to the listing. */}
      {t && (
        <>
          <PricingEditor
            assetId={assetId}
            hasParent={Boolean(t.remote?.parentAssetId)}
            listed={Boolean(t.remoteId)}
            published={t.remote?.publishedVersion !== null && t.remote?.publishedVersion !== undefined}
            ops={t.ops}
          />
          <LicensingEditor assetId={assetId} listed={Boolean(t.remoteId)} ops={t.ops} />
        </>
      )}
    </section>
  );
}
