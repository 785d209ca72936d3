/**
 * Browser calls for the signed-in state (issue 10): GET /api/auth/session and sign-out. Shared
 * by the header (AccountStatus) and the Settings page.
 */

/** GET /api/auth/session (lib/auth/install.ts authStatus). */
export interface SessionInfo {
  /** `local`: loopback desk with no account (no sign-in); `signed-in`; `signed-out` (sign-in required). */
  mode: 'local' | 'signed-in' | 'signed-out';
  exposed: boolean;
  principal: { kind: 'local' | 'session' | 'token'; role: 'admin' | 'viewer'; name: string } | null;
}

export async function fetchSession(): Promise<SessionInfo> {
  const response = await fetch('/api/auth/session', { cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as SessionInfo;
}

/** End the session (clears the httpOnly cookie server-side), then load /login. */
export async function signOut(): Promise<void> {
  await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', cache: 'no-store' });
  window.location.assign('/login');
}
