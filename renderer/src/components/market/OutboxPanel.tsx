/**
 * The Account screen's outbox: every operation waiting for the marketplace (or sent in the last
 * day), each naming its asset, what it does, where it stands, its attempts, its last problem in
 * plain words and when it last changed; Retry (sends it again now) and Discard for the ones not
 * sent; Sync now (sends what is due, ignoring backoff) and what that pass did.
 */
import { useState } from 'react';
import type { OutboxOpView, SyncStatusView } from '@shared/api.ts';
import * as data from '../../data/account.ts';
import { ago } from '../../market.ts';
import { selectRefreshMarket, selectUser } from '../../state/market.ts';
import { selectGo } from '../../state/router.ts';
import { useStudio } from '../../state/store.ts';
import { selectToast } from '../../state/toasts.ts';
import { useAction } from './common.tsx';
import { operationWords, passWords, stateWords } from './outbox-words.ts';

/** What a Retry did, for the toast. */
function retried(op: OutboxOpView): [string, 'info' | 'error'] {
  const what = `${operationWords(op)} of “${op.assetName ?? 'a deleted asset'}”`;
  if (op.state === 'done') return [`Sent: ${what}`, 'info'];
  if (op.state === 'pending') return [`Queued again: ${what} (${op.lastError ?? 'waiting its turn'})`, 'info'];
  return [`Still not sent: ${what}: ${op.lastError ?? ''}`, 'error'];
}

export function OutboxPanel({ sync }: { sync: SyncStatusView }) {
  const refresh = useStudio(selectRefreshMarket);
  const toast = useStudio(selectToast);
  const go = useStudio(selectGo);
  const me = useStudio(selectUser)?.id ?? null;
  const { busy, run } = useAction();
  const [lastPass, setLastPass] = useState<string | null>(null);
  const ops = sync.outbox;

  const retry = (o: OutboxOpView) =>
    run(async () => {
      const [text, kind] = retried(await data.retryOp(o.id));
      toast(text, kind);
      await refresh();
    });
  const syncNow = () =>
    run(async () => {
      const r = await data.syncNow();
      const text = passWords(r.pass);
      setLastPass(text);
      toast(text, r.pass.failed || r.pass.error ? 'error' : 'info');
      await refresh();
    });

  return (
    <section aria-labelledby="outbox-h">
      <h3 id="outbox-h">Outbox</h3>
      {ops.length === 0 ? (
        <p className="hint">Nothing waiting to be sent.</p>
      ) : (
        <table className="table outbox" aria-label="Outbox">
          <thead>
            <tr>
              <th>Asset</th>
              <th>What</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Problem</th>
              <th>Changed</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ops.map((o) => {
              const name = o.assetName ?? 'a deleted asset';
              const what = operationWords(o);
              return (
                <tr key={o.id} data-testid={`op-${o.id}`} className={o.state === 'failed' ? 'failed' : undefined}>
                  <td>
                    {o.assetId && o.assetName ? (
                      <button type="button" className="link" onClick={() => go({ name: 'editor', id: o.assetId as string })}>
                        {o.assetName}
                      </button>
                    ) : (
                      name
                    )}
                  </td>
                  <td>{what}</td>
                  <td>{stateWords(o, ops, me)}</td>
                  <td>{o.attempts}</td>
                  <td>{o.lastError ?? ''}</td>
                  <td>
                    <time dateTime={o.updatedAt} title={new Date(o.updatedAt).toLocaleString()}>
                      {ago(o.updatedAt)}
                    </time>
                  </td>
                  <td>
                    {o.state !== 'done' && (
                      <div className="row">
                        <button type="button" disabled={busy} aria-label={`Retry: ${what} of ${name}`} onClick={() => void retry(o)}>
                          Retry
                        </button>
                        <button
                          type="button"
                          disabled={busy}
                          aria-label={`Discard: ${what} of ${name}`}
                          onClick={() => void run(() => data.discardOp(o.id).then(() => refresh()), `Discarded: ${what} of “${name}”`)}
                        >
                          Discard
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="hint">
        A failed operation holds back nothing else: fix its cause, then Retry it (or Discard it). Problems like an unreachable marketplace
        are retried on their own.
      </p>
      <button type="button" disabled={busy} onClick={() => void syncNow()}>
        Sync now
      </button>
      {lastPass && (
        <p className="hint" data-testid="sync-pass">
          {lastPass}
        </p>
      )}
    </section>
  );
}
