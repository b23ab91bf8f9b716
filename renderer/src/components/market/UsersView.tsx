/**
 * The admin Users screen: the marketplace's accounts with search, role and Creator-tier filters and
 * paging; each account's roles, Creator tier, verified badge and selling ban, each changeable here.
 * Changes that take something away are confirmed first; errors are shown on the account's row in
 * plain words. Admins never change their own account (another admin does), so its controls are off.
 */
import { type FormEvent, useState } from 'react';
import type { AdminUserView, AdminUsersPage } from '@shared/api.ts';
import type { Role } from '@shared/marketplace.ts';
import { type UsersQuery, updateUser, useAdminUsers } from '../../data/admin.ts';
import { selectUser } from '../../state/market.ts';
import { useStudio } from '../../state/store.ts';
import { selectToast } from '../../state/toasts.ts';
import { Problem, Screen } from './common.tsx';
import { type Change, ROLE_LABEL, ROLE_ORDER, banChange, plainError, roleChange, tierChange, verifiedChange } from './user-changes.ts';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function Filters({ query, onChange }: { query: UsersQuery; onChange: (q: UsersQuery) => void }) {
  const [q, setQ] = useState(query.q ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ ...query, q: q.trim() || undefined, page: 1 });
  };
  return (
    <form className="toolbar users-filters" role="search" aria-label="Find accounts" onSubmit={submit}>
      <label htmlFor="users-q" className="sr-only">
        Search accounts by name or e-mail
      </label>
      <input
        id="users-q"
        className="search"
        type="search"
        placeholder="Search by name or e-mail"
        value={q}
        maxLength={200}
        onChange={(e) => setQ(e.target.value)}
      />
      <label htmlFor="users-role" className="sr-only">
        Role
      </label>
      <select
        id="users-role"
        value={query.role ?? ''}
        onChange={(e) => onChange({ ...query, role: (e.target.value || undefined) as Role | undefined, page: 1 })}
      >
        <option value="">Any role</option>
        {ROLE_ORDER.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}s
          </option>
        ))}
      </select>
      <label htmlFor="users-tier" className="sr-only">
        Creator tier
      </label>
      <select
        id="users-tier"
        value={query.tier ?? ''}
        onChange={(e) => onChange({ ...query, tier: (e.target.value || undefined) as UsersQuery['tier'], page: 1 })}
      >
        <option value="">Any tier</option>
        <option value="creator">With Creator tier</option>
        <option value="none">Without Creator tier</option>
      </select>
      <button type="submit">Search</button>
    </form>
  );
}

function UserRow({ u, self, onSaved }: { u: AdminUserView; self: boolean; onSaved: (u: AdminUserView) => void }) {
  const toast = useStudio(selectToast);
  const [pending, setPending] = useState<Change | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const off = self || busy;
  const send = async (c: Change) => {
    setPending(null);
    setError(null);
    setBusy(true);
    try {
      const next = await updateUser({ userId: u.id, patch: c.patch });
      onSaved({ ...u, ...next });
      toast(c.done);
    } catch (e) {
      setError(plainError(e));
    } finally {
      setBusy(false);
    }
  };
  const ask = (c: Change | null) => {
    if (!c) return;
    if (c.destructive) setPending(c);
    else void send(c);
  };
  const who = u.displayName;
  return (
    <>
      <tr aria-label={`Account ${who}`} data-testid={`user-${u.email}`}>
        <td>
          <strong>{who}</strong>
          {self && <span className="sub"> (you)</span>}
          <div className="sub">{u.email}</div>
          {self && <div className="hint">Your own account: another admin changes it.</div>}
        </td>
        <td>
          <fieldset className="roles" disabled={off}>
            <legend className="sr-only">Roles of {who}</legend>
            {ROLE_ORDER.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" checked={u.roles.includes(r)} onChange={(e) => ask(roleChange(u, r, e.target.checked))} />
                {ROLE_LABEL[r]}
              </label>
            ))}
          </fieldset>
        </td>
        <td>
          <span className={u.creatorTier ? 'state-on' : 'state-off'}>{u.creatorTier ? 'Creator tier' : 'No tier'}</span>
          <br />
          <button type="button" disabled={off} onClick={() => ask(tierChange(u, !u.creatorTier))}>
            {u.creatorTier ? 'Revoke tier' : 'Grant Creator tier'}
            <span className="sr-only"> for {who}</span>
          </button>
        </td>
        <td>
          <label className="check">
            <input type="checkbox" disabled={off} checked={u.verified} onChange={(e) => ask(verifiedChange(u, e.target.checked))} />
            Verified<span className="sr-only"> badge for {who}</span>
          </label>
        </td>
        <td>
          <span className={u.sellingBanned ? 'state-bad' : 'state-on'}>{u.sellingBanned ? 'Banned' : 'Allowed'}</span>
          <br />
          <button
            type="button"
            disabled={off}
            className={u.sellingBanned ? '' : 'danger'}
            onClick={() => ask(banChange(u, !u.sellingBanned))}
          >
            {u.sellingBanned ? 'Lift ban' : 'Ban from selling'}
            <span className="sr-only"> ({who})</span>
          </button>
        </td>
        <td>{u.strikes}</td>
        <td>{new Date(u.createdAt).toLocaleDateString()}</td>
      </tr>
      {pending && (
        <tr className="confirm-row">
          <td colSpan={7}>
            <div role="alertdialog" aria-label={`Confirm the change to ${who}`} className="banner">
              <p>{pending.question}</p>
              <button type="button" className="danger" onClick={() => void send(pending)}>
                Yes, change it
              </button>{' '}
              <button type="button" autoFocus onClick={() => setPending(null)}>
                Cancel
              </button>
            </div>
          </td>
        </tr>
      )}
      {error && (
        <tr>
          <td colSpan={7}>
            <p className="banner error" role="alert">
              {error}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}

function Pager({ page, onPage }: { page: AdminUsersPage; onPage: (n: number) => void }) {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  return (
    <nav className="pager" aria-label="Pages of accounts">
      <button type="button" disabled={page.page <= 1} onClick={() => onPage(page.page - 1)}>
        Previous
      </button>
      <span>
        Page {page.page} of {pages} · {plural(page.total, 'account')}
      </span>
      <button type="button" disabled={page.page >= pages} onClick={() => onPage(page.page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function UsersView() {
  const me = useStudio(selectUser);
  const [query, setQuery] = useState<UsersQuery>({ page: 1 });
  const list = useAdminUsers(query);
  const data = list.data;
  const saved = (u: AdminUserView) => {
    if (data) list.set({ ...data, users: data.users.map((x) => (x.id === u.id ? u : x)) });
  };
  return (
    <Screen title="Users" actions={<button onClick={list.reload}>Refresh</button>}>
      <p className="hint">
        Grant the Creator tier to let an account sell, the verified badge to vouch for a creator, and roles for moderators and admins.
      </p>
      <Filters query={query} onChange={setQuery} />
      <Problem error={list.error ? plainError({ message: list.error }) : null} />
      {data && data.users.length === 0 && <p className="empty">No account matches.</p>}
      {data && data.users.length > 0 && (
        <div className="table-wrap">
          <table className="table users" aria-label="Accounts">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Roles</th>
                <th scope="col">Creator tier</th>
                <th scope="col">Badge</th>
                <th scope="col">Selling</th>
                <th scope="col">Strikes</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <UserRow key={u.id} u={u} self={u.id === me?.id} onSaved={saved} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && <Pager page={data} onPage={(n) => setQuery({ ...query, page: n })} />}
    </Screen>
  );
}
