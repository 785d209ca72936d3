'use client';

/**
 * Accounts on the Settings page (admin): the list with role changes and deletion (the server
 * refuses to remove or demote the last admin), and a form that creates an account. On the local
 * desk the first account turns sign-in on: the page says so and then loads /login.
 */
import { useCallback, useEffect, useState } from 'react';
import { formatIst, settingsApi, type Role, type UserRow } from './api';

const field = 'h-8 rounded-md border border-desk-line bg-desk-bg px-2 text-[13px] focus:border-accent/60 focus:outline-none';
const heading = 'text-[11px] font-semibold uppercase tracking-widest text-desk-faint';

export function UsersPanel({ localDesk }: { localDesk: boolean }) {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(localDesk ? 'admin' : 'viewer');
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    settingsApi.users().then(setUsers, (failure: Error) => setError(failure.message));
  }, []);
  useEffect(reload, [reload]);

  const act = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    }
    reload();
  };

  const create = () =>
    act(async () => {
      await settingsApi.createUser({ email: email.trim(), password, role });
      setEmail('');
      setPassword('');
      if (localDesk) window.location.assign('/login?next=%2Fsettings'); // sign-in is on from now on
    });

  return (
    <section data-testid="users-panel" className="space-y-3 rounded-lg border border-desk-line bg-desk-panel p-4 text-[13px]">
      <h2 className={heading}>Accounts</h2>
      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-[12px]">
          <thead className="text-[11px] text-desk-faint">
            <tr>
              <th className="py-1 font-medium">Email</th>
              <th className="py-1 font-medium">Role</th>
              <th className="py-1 font-medium">Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users?.length === 0 && (
              <tr>
                <td colSpan={4} className="py-2 text-desk-muted">No accounts: this is the local desk.</td>
              </tr>
            )}
            {users?.map((user) => (
              <tr key={user.id} data-testid="user-row" data-email={user.email} className="border-t border-desk-line">
                <td className="py-1.5 text-desk-text">{user.email}</td>
                <td className="py-1.5">
                  <select
                    aria-label={`Role of ${user.email}`}
                    value={user.role}
                    onChange={(e) => void act(async () => void (await settingsApi.setRole(user.id, e.target.value as Role)))}
                    className={`${field} h-7`}
                  >
                    <option value="viewer">viewer</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td className="py-1.5 text-desk-muted">{formatIst(user.createdAt)}</td>
                <td className="py-1.5 text-right">
                  <button type="button" onClick={() => void act(async () => void (await settingsApi.deleteUser(user.id)))} className="rounded border border-down/40 px-2 py-0.5 text-[11px] text-down hover:bg-down/10">
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        data-testid="user-form"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
        className="flex flex-wrap items-center gap-2"
      >
        <input aria-label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="email@example.com" className={`${field} w-60`} />
        <input aria-label="Password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="Password (12+ characters)" className={`${field} w-56`} />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} className={field}>
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" disabled={!email.trim() || password.length < 12} className="rounded-md bg-accent px-3 py-1.5 font-medium text-black disabled:opacity-40">
          Create account
        </button>
        {localDesk && <span className="text-[11px] text-desk-faint">The first account turns sign-in on: make it an admin you can sign in with.</span>}
      </form>
    </section>
  );
}
