'use client';

/**
 * The header's account corner (issue 10): "local desk (no sign-in)" on the loopback desk with no
 * account; otherwise the signed-in account with its role, Settings and Sign out; a Sign-in link
 * when signed out. Re-reads GET /api/auth/session on each navigation.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { fetchSession, signOut, type SessionInfo } from './session';

const link = 'rounded px-2 py-1 text-[12px] text-desk-muted transition-colors hover:text-desk-text';

export function AccountStatus() {
  const pathname = usePathname();
  const [session, setSession] = useState<SessionInfo | null>(null);

  useEffect(() => {
    let alive = true;
    fetchSession().then(
      (info) => alive && setSession(info),
      () => alive && setSession(null),
    );
    return () => {
      alive = false;
    };
  }, [pathname]);

  if (!session) return null;
  if (session.mode === 'local') {
    return (
      <div data-testid="account-status" data-mode="local" className="flex items-center gap-1">
        <span className="rounded border border-desk-line px-2 py-0.5 text-[11px] text-desk-muted" title="Listening on loopback with no account: anyone on this machine is the admin">
          local desk (no sign-in)
        </span>
        <Link href="/settings" className={link}>
          Settings
        </Link>
      </div>
    );
  }
  if (session.mode === 'signed-out') {
    if (pathname === '/login') return null;
    return (
      <Link data-testid="account-status" data-mode="signed-out" href="/login" className={link}>
        Sign in
      </Link>
    );
  }
  const principal = session.principal!;
  return (
    <div data-testid="account-status" data-mode="signed-in" className="flex items-center gap-1">
      <span data-testid="account-name" className="max-w-[14rem] truncate text-[12px] text-desk-text" title={principal.name}>
        {principal.name}
      </span>
      <span className="rounded bg-desk-raised px-1.5 py-0.5 text-[10px] uppercase tracking-wider text-desk-muted">{principal.role}</span>
      <Link href="/settings" className={link}>
        Settings
      </Link>
      {principal.kind === 'session' && (
        <button type="button" data-testid="sign-out" onClick={() => void signOut()} className={link}>
          Sign out
        </button>
      )}
    </div>
  );
}
