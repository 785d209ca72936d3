/**
 * The authentication hook of the route wrapper (lib/http/route.ts; issue 10, docs/security.md).
 *
 * lib/http stays framework- and database-free: it only knows *that* a route needs a role. The
 * process entry (worker/host.ts for `npm start`, lib/runtime/web-server.ts for `npm run web`)
 * installs the authenticator of lib/auth (lib/auth/install.ts) in the process registry
 * (@marketdesk/process-registry, see lib/runtime/registry.ts: the Next.js route bundles load
 * their own copy of this module but the one copy of that package). Each `route()` call asks it
 * for the caller before parsing anything; it throws AppError `unauthorized` (401) or
 * `forbidden` (403).
 *
 * With no authenticator installed (the stand-alone worker's internal API, tests that call route
 * handlers directly) every request passes with `principal: undefined`.
 */
import { getSlot, setSlot } from '@marketdesk/process-registry';

/**
 * What a route requires: `public` (anyone, e.g. /api/health, sign-in), `viewer` (any signed-in
 * account or token), `admin`. Undefined: the authenticator's default for the path and method.
 */
export type AuthRequirement = 'public' | 'viewer' | 'admin';

/** The caller of a request, as the handler sees it. */
export interface RoutePrincipal {
  /** `local`: the loopback desk with no account yet (no sign-in); `session`: a browser; `token`: an API token. */
  kind: 'local' | 'session' | 'token';
  role: 'admin' | 'viewer';
  /** auth_users.id of the account (a token's creator for `token`), null for `local` and CLI tokens. */
  userId: string | null;
  /** Account email, token name, or `local`. */
  name: string;
}

/** Resolves the caller of `request` or throws AppError 401/403. */
export type RouteAuthenticator = (request: Request, requirement: AuthRequirement | undefined) => Promise<RoutePrincipal | undefined>;

const SLOT = 'marketdesk.route-authenticator';

/** Install (or with undefined, remove) this process's route authenticator. */
export function setRouteAuthenticator(authenticator: RouteAuthenticator | undefined): void {
  setSlot(SLOT, authenticator);
}

/** The installed authenticator, or undefined. */
export function getRouteAuthenticator(): RouteAuthenticator | undefined {
  return getSlot(SLOT) as RouteAuthenticator | undefined;
}

/** The caller of `request` under `requirement` (undefined when no authenticator is installed). */
export async function authenticateRoute(request: Request, requirement: AuthRequirement | undefined): Promise<RoutePrincipal | undefined> {
  const authenticator = getRouteAuthenticator();
  return authenticator ? authenticator(request, requirement) : undefined;
}
