'use client';

/**
 * The sign-in form of /login: POST /api/auth/sign-in (which sets the httpOnly session cookie),
 * then a full page load of `next` so the header and every server check see the new session.
 */
import { useState } from 'react';

const field =
  'h-9 w-full rounded-md border border-desk-line bg-desk-bg px-3 text-[13px] text-desk-text focus:border-accent/60 focus:outline-none';

export function LoginForm({ next, exposed }: { next: string; exposed: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email.trim(), password }),
        cache: 'no-store',
      });
      if (response.ok) {
        window.location.assign(next);
        return;
      }
      const json = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(json?.error?.message ?? `Sign-in failed (HTTP ${response.status})`);
    } catch (failure) {
      setError((failure as Error).message);
    }
    setBusy(false);
  };

  return (
    <form
      data-testid="login-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      className="w-full max-w-sm space-y-4 rounded-lg border border-desk-line bg-desk-panel p-6 shadow-xl"
    >
      <div>
        <h1 className="text-base font-semibold tracking-tight">
          Sign in to Market<span className="text-accent">Desk</span>
        </h1>
        <p className="mt-1 text-xs text-desk-muted">
          {exposed ? 'This desk is reachable from other machines: sign in to use it.' : 'Accounts exist on this desk: sign in to use it.'}
        </p>
      </div>
      {error && (
        <div role="alert" data-testid="login-error" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">
          {error}
        </div>
      )}
      <label className="block space-y-1">
        <span className="text-[11px] font-semibold uppercase tracking-widest text-desk-faint">Email</span>
        <input
          data-testid="login-email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className={field}
        />
      </label>
      <label className="block space-y-1">
        <span className="text-[11px] font-semibold uppercase tracking-widest text-desk-faint">Password</span>
        <input
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          className={field}
        />
      </label>
      <button
        type="submit"
        data-testid="login-submit"
        disabled={busy || !email || !password}
        className="h-9 w-full rounded-md bg-accent font-medium text-black disabled:opacity-40"
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="text-[11px] leading-relaxed text-desk-faint">
        No account? An admin creates accounts in Settings. Scripts use API tokens instead (docs/security.md).
      </p>
    </form>
  );
}
