/** Account and sync: sign up / in / out, the marketplace URL, the outbox (OutboxPanel) and the index copy's freshness. */
import { useEffect, useState } from 'react';
import { type FieldErrors, fieldErrors } from '@shared/form-errors.ts';
import { accountInputs } from '@shared/contracts/studio/account.ts';
import { RegisterInput } from '@shared/marketplace.ts';
import * as data from '../../data/account.ts';
import { ago } from '../../market.ts';
import { selectAccount, selectRefreshMarket, selectSync } from '../../state/market.ts';
import { selectGo } from '../../state/router.ts';
import { selectDismiss, selectToast } from '../../state/toasts.ts';
import { useStudio } from '../../state/store.ts';
import { asFieldError } from '../../state/types.ts';
import { TextInput } from '../fields.tsx';
import { TabPanel, Tabs } from '../Tabs.tsx';
import { OutboxPanel } from './OutboxPanel.tsx';
import { Problem, Screen, useAction } from './common.tsx';
import { pluralWord, sentence } from '../../words.ts';

/** What signing out says (dismissed when the next sign-in succeeds). */
const SIGNED_OUT = 'Signed out';

export function AccountView() {
  const account = useStudio(selectAccount);
  const sync = useStudio(selectSync);
  const refresh = useStudio(selectRefreshMarket);
  const go = useStudio(selectGo);
  const dismiss = useStudio(selectDismiss);
  // The screen that sent the creator here to sign in (an asset's Marketplace tab): signing in returns there.
  const back = useStudio((s) => (s.view.name === 'account' ? s.view.back : undefined));
  const { busy, run } = useAction();
  const toast = useStudio(selectToast);
  const [mode, setMode] = useState<'in' | 'up'>('up');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | undefined>(undefined);
  // Every field's problem at once (sign-up is checked here with the marketplace's own schema before sending), and an error of no field.
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void refresh();
    void data.getSettings().then((s) => setUrl(s.marketplaceUrl ?? ''));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const a = account;
  const err = (f: string) => errors[f];
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (mode === 'up') {
      // Sign-up is checked whole here; signing in leaves the check to the studio (a wrong address is just a failed sign-in).
      const checked = RegisterInput.safeParse({ email, password, displayName: name });
      setErrors(checked.success ? {} : fieldErrors(checked.error.issues, { schema: RegisterInput }));
      if (!checked.success) return;
    } else setErrors({});
    try {
      if (mode === 'up') await data.signUp(email, password, name);
      else await data.signIn(email, password);
      setPassword('');
      // The last session's "Signed out" would otherwise still be showing under the new account.
      for (const t of useStudio.getState().toasts) if (t.text === sentence(SIGNED_OUT)) dismiss(t.id);
      await refresh();
      if (back) go(back);
    } catch (x) {
      const f = asFieldError(x);
      if (f.issues?.length) setErrors(Object.fromEntries(f.issues.map((i) => [i.field, i.message])));
      else if (f.field) setErrors({ [f.field]: f.message });
      else setError(f.message);
    }
  }

  return (
    <Screen title="Marketplace account" label="Account">
      {back && (
        <p>
          <button type="button" className="link" onClick={() => go(back)}>
            ← {back.name === 'editor' ? 'Back to the asset' : 'Back'}
          </button>
        </p>
      )}
      {a && (
        <p className="banner">
          {a.local ? (
            <>
              Connected to the <strong>local marketplace</strong> on this computer ({a.url}) — the whole loop works offline; the first
              account created here is its admin. Set a marketplace URL below to connect to a real one.
            </>
          ) : (
            <>
              Marketplace: <strong>{a.url ?? 'none'}</strong> · {a.online ? 'online' : 'not reachable right now'}
            </>
          )}
        </p>
      )}
      {a?.user ? (
        <div className="card">
          <h2>{a.user.displayName}</h2>
          <p>
            {a.user.email} · roles: {a.user.roles.join(', ')} ·{' '}
            {a.user.creatorTier ? 'Creator tier' : 'no Creator tier yet (an admin grants it)'}
            {a.user.verified ? ' · verified' : ''} · reputation {a.user.reputation.toFixed(3)}
          </p>
          <p className="hint">Your session is kept by the studio process ({a.tokenProtection}), never in this page.</p>
          <button
            type="button"
            disabled={busy}
            // Signed out is said once the session is gone; the account and sync status refresh after it.
            onClick={() =>
              void run(
                () =>
                  data.signOut().then(() => {
                    setMode('in');
                    void refresh();
                  }),
                SIGNED_OUT,
              )
            }
          >
            Sign out
          </button>
        </div>
      ) : (
        <form className="card form narrow" onSubmit={(e) => void submit(e)} aria-label={mode === 'up' ? 'Sign up' : 'Sign in'}>
          <Tabs
            label="Account"
            idBase="account"
            value={mode}
            onChange={setMode}
            tabs={[
              { id: 'up', label: 'New here' },
              { id: 'in', label: 'I have an account' },
            ]}
          />
          <TabPanel idBase="account" value={mode}>
            {mode === 'up' && (
              <TextInput label="Display name" name="displayName" value={name} onChange={setName} error={err('displayName')} />
            )}
            <TextInput label="Email" name="email" value={email} onChange={setEmail} error={err('email')} />
            <div className={`field${err('password') ? ' has-error' : ''}`}>
              <label htmlFor="pw">Password</label>
              <input
                id="pw"
                name="password"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete={mode === 'up' ? 'new-password' : 'current-password'}
                aria-invalid={Boolean(err('password'))}
                aria-describedby={err('password') ? 'pw-error' : undefined}
              />
              {err('password') && (
                <div className="field-error" role="alert" id="pw-error">
                  {err('password')}
                </div>
              )}
            </div>
            <Problem error={error} />
            <button type="submit" className="primary">
              {mode === 'up' ? 'Create account' : 'Sign in'}
            </button>
          </TabPanel>
        </form>
      )}

      <h2>Sync</h2>
      {sync && (
        <div className="card">
          <p>
            Your assets last synced {ago(sync.lastPullAt)} · the marketplace copy for the pre-flight check (no account needed):{' '}
            <strong>{sync.index.count}</strong> published {pluralWord(sync.index.count, 'asset')}, updated {ago(sync.index.syncedAt)}
          </p>
          <Problem error={sync.lastError} />
          {sync.conflicts.length > 0 && (
            <p className="banner error">
              Changed here and on the marketplace:{' '}
              {sync.conflicts.map((c) => (
                <button key={c.assetId} type="button" className="link" onClick={() => go({ name: 'editor', id: c.assetId })}>
                  {c.name}
                </button>
              ))}
            </p>
          )}
          <OutboxPanel sync={sync} />
        </div>
      )}

      <h2>Settings</h2>
      <form
        className="card form narrow"
        aria-label="Marketplace settings"
        onSubmit={(e) => {
          e.preventDefault();
          // Checked here with the contract's own schema, the problem shown at the field, never sent.
          const checked = accountInputs['settings.set'].safeParse({ marketplaceUrl: url.trim() || null });
          setUrlError(checked.success ? undefined : Object.values(fieldErrors(checked.error.issues))[0]);
          if (!checked.success) return;
          void run(async () => {
            try {
              await data.setMarketplaceUrl(checked.data.marketplaceUrl);
            } catch (x) {
              // The studio's refusal of the address itself is shown at the field too, not in a toast.
              const f = asFieldError(x);
              if (f.field !== 'marketplaceUrl' && !f.issues?.some((i) => i.field === 'marketplaceUrl')) throw x;
              setUrlError(f.issues?.[0]?.message ?? f.message);
              return;
            }
            await refresh();
            toast('Settings saved');
          });
        }}
      >
        <TextInput
          label="Marketplace URL"
          name="marketplaceUrl"
          value={url}
          error={urlError}
          onChange={(v) => {
            setUrl(v);
            setUrlError(undefined);
          }}
          hint="Leave empty to use the local marketplace the studio runs on this computer. Changing it signs you out."
        />
        <button type="submit">Save settings</button>
      </form>
    </Screen>
  );
}
