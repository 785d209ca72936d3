/**
 * Who must sign in, and which role each route needs (issue 10; docs/security.md). The rules the
 * route wrapper (via lib/auth/install.ts), the page proxy (proxy.ts) and Socket.IO
 * (lib/auth/socket.ts) all apply.
 *
 * - Exposed (the app listens on a non-loopback address): every route but the public ones needs
 *   a session or a token.
 * - Loopback: the same once an account exists; before that the app is a local single-user desk
 *   and a caller without credentials is the local admin (LOCAL_PRINCIPAL).
 */
import type { Database } from '@/lib/db/client';
import { hasAnyUser } from './users';
import { isLoopbackHost, type AuthRequirement } from './roles';

export interface AuthPolicy {
  /** The address the app listens on (HOST). */
  bindHost: string;
  /** True when bindHost is not a loopback address. */
  exposed: boolean;
}

export function policyForHost(bindHost: string): AuthPolicy {
  return { bindHost, exposed: !isLoopbackHost(bindHost) };
}

/** Routes anyone may call, by exact path (method-independent). */
const PUBLIC_PATHS = new Set(['/api/health', '/api/auth/sign-in', '/api/auth/sign-out', '/api/auth/session']);
/** Pages anyone may open. */
export const PUBLIC_PAGES = new Set(['/login']);

const startsWith = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

/**
 * The requirement of a route without an explicit `auth` in its spec: admin for API tokens,
 * users and any change to collectors (which includes broker access tokens); public for health
 * and the sign-in routes; viewer for everything else.
 */
export function defaultRequirement(method: string, pathname: string): AuthRequirement {
  if (PUBLIC_PATHS.has(pathname)) return 'public';
  if (startsWith(pathname, '/api/tokens') || startsWith(pathname, '/api/auth/users')) return 'admin';
  const reads = method === 'GET' || method === 'HEAD';
  if (startsWith(pathname, '/api/collectors') && !reads) return 'admin';
  return 'viewer';
}

/**
 * True when callers must present a session or token: exposed, or an account exists (cached,
 * lib/auth/users.ts hasAnyUser). Once an account exists it stays true (the last admin cannot be
 * deleted).
 */
export async function signInRequired(db: Database, policy: AuthPolicy): Promise<boolean> {
  return policy.exposed || (await hasAnyUser(db));
}
