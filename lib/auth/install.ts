/**
 * Installing authentication in a process (issue 10): the route authenticator of the one route
 * wrapper (lib/http/auth.ts), the policy and the page gate of proxy.ts, all in the process
 * registry (@marketdesk/process-registry; lib/runtime/registry.ts says why), so the Next.js
 * bundles (their own copies of this module) find what the entry installed.
 *
 * Called before Next.js starts by worker/host.ts (`npm start`) and lib/runtime/web-server.ts
 * (`npm run web`), each with the address it listens on and its database.
 */
import { getSlot, setSlot } from '@marketdesk/process-registry';
import type { Database } from '@/lib/db/client';
import { getDatabase } from '@/lib/db/runtime';
import { setRouteAuthenticator } from '@/lib/http/auth';
import { setPageGate, type PageGate } from './page-gate';
import { authorize } from './principal';
import { defaultRequirement, policyForHost, PUBLIC_PAGES, signInRequired, type AuthPolicy } from './policy';
import type { Principal } from './roles';

export { getPageGate, type PageGate } from './page-gate';

/** What the header and /api/auth/session show. */
export interface AuthStatus {
  /** `local`: loopback desk, no account, no sign-in; `signed-in`; `signed-out` (sign-in required). */
  mode: 'local' | 'signed-in' | 'signed-out';
  exposed: boolean;
  principal: Principal | null;
}

const POLICY_SLOT = 'marketdesk.auth-policy';

/** The installed policy; without one (nothing installed), exposed: the safe default. */
export function currentPolicy(): AuthPolicy {
  return (getSlot(POLICY_SLOT) as AuthPolicy | undefined) ?? policyForHost('0.0.0.0');
}

/** True once installAuth ran in this process. */
export function authInstalled(): boolean {
  return getSlot(POLICY_SLOT) !== undefined;
}

/** Install the route authenticator and the page gate for a process listening on `bindHost`. */
export function installAuth(options: { bindHost: string; database?: () => Promise<Database> }): AuthPolicy {
  const policy = policyForHost(options.bindHost);
  const database = options.database ?? getDatabase;
  setSlot(POLICY_SLOT, policy);
  setRouteAuthenticator(async (request, requirement) => {
    const requirementOf = requirement ?? defaultRequirement(request.method, new URL(request.url).pathname);
    return authorize(await database(), policy, request.headers, requirementOf);
  });
  setPageGate((async (headers, pathname) => {
    if (PUBLIC_PAGES.has(pathname)) return 'allow';
    const db = await database();
    const principal = await authorize(db, policy, headers, 'viewer').catch(() => null);
    return principal ? 'allow' : 'login';
  }) satisfies PageGate);
  return policy;
}

/** Remove what installAuth installed (tests, shutdown). */
export function uninstallAuth(): void {
  setSlot(POLICY_SLOT, undefined);
  setPageGate(undefined);
  setRouteAuthenticator(undefined);
}

/** The auth status of a caller (for /api/auth/session and the header). */
export async function authStatus(db: Database, headers: Headers): Promise<AuthStatus> {
  const policy = currentPolicy();
  const principal = await authorize(db, policy, headers, 'public');
  if (principal) return { mode: 'signed-in', exposed: policy.exposed, principal };
  const required = await signInRequired(db, policy);
  return { mode: required ? 'signed-out' : 'local', exposed: policy.exposed, principal: null };
}
