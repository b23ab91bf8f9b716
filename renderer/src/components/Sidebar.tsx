/** The main navigation and, at its foot, the library size, the mode and the marketplace connection. */
import { selectInfo } from '../state/library.ts';
import { selectAccount, selectPendingOps, selectUnread, selectUser } from '../state/market.ts';
import { type View, selectGo, selectView } from '../state/router.ts';
import { useStudio } from '../state/store.ts';

function NavButton({ view, label, badge }: { view: View; label: string; badge?: number }) {
  const current = useStudio((s) => {
    const name = selectView(s).name;
    return name === view.name || (view.name === 'library' && name === 'editor') || (view.name === 'market' && name === 'listing');
  });
  const go = useStudio(selectGo);
  return (
    <button type="button" aria-current={current ? 'page' : undefined} onClick={() => go(view)}>
      {label}
      {badge ? (
        <span className="count" aria-label={`${badge} unread`}>
          {badge}
        </span>
      ) : null}
    </button>
  );
}

function Foot() {
  const info = useStudio(selectInfo);
  const account = useStudio(selectAccount);
  const pending = useStudio(selectPendingOps);
  if (!info) return null;
  return (
    <>
      <div>{info.assetCount} assets</div>
      <div className="sub">
        {info.mode === 'browser' ? 'Browser mode' : 'Desktop'} · v{info.version}
      </div>
      {account && (
        <div className="sub" data-testid="connection">
          {account.local ? 'Local marketplace' : (account.url ?? 'No marketplace')} · {account.online ? 'online' : 'offline'}
          {pending > 0 ? ` · ${pending} waiting to send` : ''}
        </div>
      )}
    </>
  );
}

export function Sidebar() {
  const user = useStudio(selectUser);
  const unread = useStudio(selectUnread);
  return (
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
      {user?.roles.includes('admin') && <NavButton view={{ name: 'users' }} label="Users" />}
      {user && <NavButton view={{ name: 'notifications' }} label="Notifications" badge={unread} />}
      <NavButton view={{ name: 'models' }} label="Models" />
      <NavButton view={{ name: 'account' }} label={user ? `Account · ${user.displayName}` : 'Sign in'} />
      <div className="sidebar-foot">
        <Foot />
      </div>
    </nav>
  );
}
