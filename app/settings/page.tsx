/**
 * /settings (issue 10; docs/security.md): the caller's account (a signed-in account changes its
 * own password here), and for admins (the local desk's
 * user included) API tokens (create, shown once; revoke) and accounts (create, change role,
 * delete). Tokens and accounts are admin-only on the server (/api/tokens, /api/auth/users), so
 * a viewer sees only who they are.
 */
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { authStatus } from '@/lib/auth/install';
import { getDatabase } from '@/lib/db/runtime';
import { PasswordPanel } from './PasswordPanel';
import { TokensPanel } from './TokensPanel';
import { UsersPanel } from './UsersPanel';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Settings' };

const heading = 'text-[11px] font-semibold uppercase tracking-widest text-desk-faint';

export default async function SettingsPage() {
  const status = await authStatus(await getDatabase(), await headers());
  const principal = status.principal;
  const admin = status.mode === 'local' || principal?.role === 'admin';
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <section data-testid="settings-account" className="rounded-lg border border-desk-line bg-desk-panel p-4 text-[13px]">
        <h2 className={heading}>Account</h2>
        {status.mode === 'local' ? (
          <p className="mt-2 text-desk-muted">
            <span className="text-desk-text">Local desk (no sign-in).</span> The app listens on loopback and no account exists,
            so whoever uses this machine is the admin. Creating an account below turns sign-in on for everyone.
          </p>
        ) : (
          <p className="mt-2 text-desk-muted">
            Signed in as <span className="text-desk-text">{principal?.name}</span> ({principal?.role}
            {principal?.kind === 'token' ? ', API token' : ''}).
            {status.exposed ? ' The app is reachable from other machines.' : ''}
          </p>
        )}
      </section>
      {principal?.kind === 'session' ? <PasswordPanel /> : null}
      {admin ? (
        <>
          <TokensPanel />
          <UsersPanel localDesk={status.mode === 'local'} />
        </>
      ) : (
        <p data-testid="settings-viewer" className="rounded-lg border border-desk-line bg-desk-panel p-4 text-[13px] text-desk-muted">
          API tokens and accounts are managed by an admin. Ask one for a token to use the API from scripts.
        </p>
      )}
    </div>
  );
}
