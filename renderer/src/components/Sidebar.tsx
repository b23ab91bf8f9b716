/**
 * The main navigation and, at its foot, the library size, the mode and the marketplace connection.
 * Below the layout breakpoint (styles.css, 1100px) it collapses to a rail with a Menu button that
 * opens it over the screen; choosing a screen or Escape closes it again.
 */
import { useState } from 'react';
import { plural } from '../words.ts';
import { selectInfo } from '../state/library.ts';
import { selectAccount, selectPendingOps, selectUnread, selectUser } from '../state/market.ts';
import { type View, selectGo, selectView } from '../state/router.ts';
import { useStudio } from '../state/store.ts';

function NavButton({
  view,
  label,
  title,
  badge,
  onGo,
}: {
  view: View;
  label: string;
  /** The full text where the label may be cut short (a long account name ends in an ellipsis). */
  title?: string;
  badge?: number;
  onGo: () => void;
}) {
  const current = useStudio((s) => {
    const name = selectView(s).name;
    return name === view.name || (view.name === 'library' && name === 'editor') || (view.name === 'market' && name === 'listing');
  });
  const go = useStudio(selectGo);
  return (
    <button type="button" aria-current={current ? 'page' : undefined} title={title} onClick={() => (go(view), onGo())}>
      <span className="nav-label">{label}</span>
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
      <div>{plural(info.assetCount, 'asset')}</div>
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
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <nav
      className={`sidebar${open ? ' open' : ''}`}
      aria-label="Main"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        close();
        e.currentTarget.querySelector<HTMLButtonElement>('.menu-toggle')?.focus();
      }}
    >
      <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="main-nav-items" onClick={() => setOpen(!open)}>
        <span aria-hidden="true">☰</span> Menu
        {user && unread ? (
          <span className="count" aria-label={`${unread} unread`}>
            {unread}
          </span>
        ) : null}
      </button>
      <div className="nav-items" id="main-nav-items">
        <div className="brand">Originals Studio</div>
        <NavButton view={{ name: 'library' }} label="Library" onGo={close} />
        <NavButton view={{ name: 'market' }} label="Marketplace" onGo={close} />
        <NavButton view={{ name: 'models' }} label="Models" onGo={close} />
        {/* Above the signed-in screens, so that the account arriving after a page load moves none of
            the buttons above (a click whose press and release land on different buttons is lost). */}
        <NavButton
          view={{ name: 'account' }}
          label={user ? `Account · ${user.displayName}` : 'Sign in'}
          title={user?.displayName}
          onGo={close}
        />
        {user && <NavButton view={{ name: 'earnings' }} label="Earnings" onGo={close} />}
        {user && <NavButton view={{ name: 'purchases' }} label="Purchases" onGo={close} />}
        {user && <NavButton view={{ name: 'reputation' }} label="Reputation" onGo={close} />}
        {user && (user.roles.includes('moderator') || user.roles.includes('admin')) && (
          <NavButton view={{ name: 'queue' }} label="Review queue" onGo={close} />
        )}
        {user?.roles.includes('admin') && <NavButton view={{ name: 'users' }} label="Users" onGo={close} />}
        {user && <NavButton view={{ name: 'notifications' }} label="Notifications" badge={unread} onGo={close} />}
        <div className="sidebar-foot">
          <Foot />
        </div>
      </div>
    </nav>
  );
}
