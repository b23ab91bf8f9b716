import { useEffect } from 'react';
import { bridge, onPush, onPushConnect } from './api.ts';
import { Editor } from './components/Editor.tsx';
import { Library } from './components/Library.tsx';
import { Models } from './components/Models.tsx';
import { AccountView } from './components/market/AccountView.tsx';
import { EarningsView } from './components/market/EarningsView.tsx';
import { ListingView, MarketView } from './components/market/MarketView.tsx';
import { NotificationsView } from './components/market/NotificationsView.tsx';
import { PurchasesView } from './components/market/PurchasesView.tsx';
import { QueueView } from './components/market/QueueView.tsx';
import { ReputationView } from './components/market/ReputationView.tsx';
import { useMarket } from './market.ts';
import { type View, useStudio } from './store.ts';

function NavButton({ view, label, badge }: { view: View; label: string; badge?: number }) {
  const s = useStudio();
  const current =
    s.view.name === view.name ||
    (view.name === 'library' && s.view.name === 'editor') ||
    (view.name === 'market' && s.view.name === 'listing');
  return (
    <button type="button" aria-current={current ? 'page' : undefined} onClick={() => s.go(view)}>
      {label}
      {badge ? (
        <span className="count" aria-label={`${badge} unread`}>
          {badge}
        </span>
      ) : null}
    </button>
  );
}

export function App() {
  const s = useStudio();
  const m = useMarket();

  useEffect(() => {
    void s.init();
    const refresh = () => void m.refresh().catch(() => undefined);
    refresh();
    // The backend pushes account, sync and notification changes; a refresh only on (re)connecting.
    const offs = [
      onPush('account.status', (account) => useMarket.setState({ account })),
      onPush('sync.status', (sync) => useMarket.setState({ sync })),
      onPush('notifications.changed', ({ notifications }) => useMarket.setState({ notifications })),
      onPushConnect(refresh),
    ];
    return () => offs.forEach((off) => off());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const user = m.account?.user;

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
        <NavButton view={{ name: 'library' }} label="Library" />
        <NavButton view={{ name: 'market' }} label="Marketplace" />
        {user && <NavButton view={{ name: 'earnings' }} label="Earnings" />}
        {user && <NavButton view={{ name: 'purchases' }} label="Purchases" />}
        {user && <NavButton view={{ name: 'reputation' }} label="Reputation" />}
        {user && (user.roles.includes('moderator') || user.roles.includes('admin')) && (
          <NavButton view={{ name: 'queue' }} label="Review queue" />
        )}
        {user && <NavButton view={{ name: 'notifications' }} label="Notifications" badge={m.sync?.unread ?? 0} />}
        <NavButton view={{ name: 'models' }} label="Models" />
        <NavButton view={{ name: 'account' }} label={user ? `Account · ${user.displayName}` : 'Sign in'} />
        <div className="sidebar-foot">
          {s.info && (
            <>
              <div>{s.info.assetCount} assets</div>
              <div className="sub">
                {s.info.mode === 'browser' ? 'Browser mode' : 'Desktop'} · v{s.info.version}
              </div>
              {m.account && (
                <div className="sub" data-testid="connection">
                  {m.account.local ? 'Local marketplace' : (m.account.url ?? 'No marketplace')} · {m.account.online ? 'online' : 'offline'}
                  {m.sync && m.sync.outbox.filter((o) => o.state === 'pending').length > 0
                    ? ` · ${m.sync.outbox.filter((o) => o.state === 'pending').length} waiting to send`
                    : ''}
                </div>
              )}
            </>
          )}
        </div>
      </nav>
      <main>
        {s.view.name === 'library' && <Library />}
        {s.view.name === 'editor' && <Editor />}
        {s.view.name === 'models' && <Models />}
        {s.view.name === 'account' && <AccountView />}
        {s.view.name === 'market' && <MarketView />}
        {s.view.name === 'listing' && <ListingView remoteId={s.view.remoteId} />}
        {s.view.name === 'earnings' && <EarningsView />}
        {s.view.name === 'purchases' && <PurchasesView />}
        {s.view.name === 'queue' && <QueueView />}
        {s.view.name === 'notifications' && <NotificationsView />}
        {s.view.name === 'reputation' && <ReputationView />}
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
