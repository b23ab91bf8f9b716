/** The app shell: navigation, the current screen, toasts, and the keyboard/menu shortcuts. */
import { useEffect, useRef } from 'react';
import { Editor } from './components/Editor.tsx';
import { Library } from './components/Library.tsx';
import { Models } from './components/Models.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { Toasts } from './components/Toasts.tsx';
import { AccountView } from './components/market/AccountView.tsx';
import { EarningsView } from './components/market/EarningsView.tsx';
import { ListingView, MarketView } from './components/market/MarketView.tsx';
import { NotificationsView } from './components/market/NotificationsView.tsx';
import { PurchasesView } from './components/market/PurchasesView.tsx';
import { QueueView } from './components/market/QueueView.tsx';
import { ReputationView } from './components/market/ReputationView.tsx';
import { UsersView } from './components/market/UsersView.tsx';
import { usePushedState } from './data/push.ts';
import { onMenu, useSessionState } from './data/shell.ts';
import { selectView, selectViewName } from './state/router.ts';
import { useStudio } from './state/store.ts';

/** Save, new and search, from the keyboard or the desktop app's menu. */
function useShortcuts() {
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
    const off = onMenu(run);
    return () => {
      window.removeEventListener('keydown', onKey);
      off?.();
    };
  }, []);
}

/**
 * Focus follows the screen, for keyboard and screen-reader users: opening an asset puts it in the
 * editor's first field, any other new screen on its heading (or the screen itself), unless focus is
 * already inside the new screen.
 */
function useFocusOnScreenChange() {
  const name = useStudio(selectViewName);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) return void (first.current = false);
    const frame = requestAnimationFrame(() => {
      const main = document.querySelector('main');
      if (!main || (document.activeElement && document.activeElement !== main && main.contains(document.activeElement))) return;
      const field = name === 'editor' ? main.querySelector<HTMLElement>('.editor form input, .editor form textarea') : null;
      const target = field ?? main.querySelector<HTMLElement>('h1') ?? (main.firstElementChild as HTMLElement | null);
      if (!target) return;
      if (!field && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [name]);
}

function Screen() {
  const view = useStudio(selectView);
  switch (view.name) {
    case 'library':
      return <Library />;
    case 'editor':
      return <Editor />;
    case 'models':
      return <Models />;
    case 'account':
      return <AccountView />;
    case 'market':
      return <MarketView />;
    case 'listing':
      return <ListingView remoteId={view.remoteId} />;
    case 'earnings':
      return <EarningsView />;
    case 'purchases':
      return <PurchasesView />;
    case 'queue':
      return <QueueView />;
    case 'notifications':
      return <NotificationsView />;
    case 'reputation':
      return <ReputationView />;
    case 'users':
      return <UsersView />;
  }
}

/**
 * Browser mode without a session (no launch link, a spent one, a restarted studio): says how to
 * connect instead of showing an empty library. A new link opened in this tab connects it.
 */
function NotConnected({ reason }: { reason: string | undefined }) {
  return (
    <main className="not-connected">
      <h1>Not connected</h1>
      <p>
        This page is not connected to the studio. Open the link printed in the terminal where the studio runs (press Enter there for a new
        one), or restart the studio with <code>npm start</code>.
      </p>
      {reason && <p className="hint">{reason}</p>}
    </main>
  );
}

/** Loads the studio's state at start, and again when the page (re)connects after having no session. */
function useInitOnConnect(state: string) {
  const prev = useRef(state);
  useEffect(() => void useStudio.getState().init(), []);
  useEffect(() => {
    if (prev.current === 'disconnected' && state === 'connected') {
      // What failed while disconnected ("missing or wrong session token") is no longer true.
      useStudio.setState({ toasts: [] });
      void useStudio.getState().init();
    }
    prev.current = state;
  }, [state]);
}

/**
 * The background check of a large library file found damage after it opened: said on every screen
 * (the message names the file, the newest backup and how to restore it), since edits made now may
 * not be kept.
 */
function LibraryDamage() {
  const damage = useStudio((s) => s.info?.libraryDamage);
  if (!damage) return null;
  return (
    <div className="banner error" role="alert">
      <strong>Your library file is damaged.</strong>{' '}
      {damage.backup
        ? 'Quit Originals Studio and restore the newest backup before making more changes'
        : 'Changes made now may not be kept'}
      : {damage.message}
    </div>
  );
}

export function App() {
  const session = useSessionState();
  useInitOnConnect(session.state);
  usePushedState();
  useShortcuts();
  useFocusOnScreenChange();
  if (session.state === 'disconnected') return <NotConnected reason={session.reason} />;
  return (
    <div className="app">
      <Sidebar />
      <main>
        <LibraryDamage />
        <Screen />
      </main>
      <Toasts />
    </div>
  );
}
