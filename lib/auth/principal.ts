/**
 * Resolving and authorizing the caller of a request or a socket from its headers (issue 10):
 * `Authorization: Bearer mdk_…` (API token, lib/auth/tokens.ts) or the session cookie
 * (better-auth, lib/auth/server.ts).
 */
import type { Database } from '@/lib/db/client';
import { AppError } from '@/lib/http/errors';
import { signInRequired, type AuthPolicy } from './policy';
import { isRole, LOCAL_PRINCIPAL, satisfies, type AuthRequirement, type Principal } from './roles';
import { authServer, SESSION_COOKIE } from './server';
import { verifyApiToken } from './tokens';

/** The bearer token of an Authorization header, or null. */
export function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match ? match[1] : null;
}

/**
 * The caller presenting credentials, or null when it presents none.
 * @throws AppError unauthorized when an Authorization header or session cookie is present but invalid.
 */
export async function resolvePrincipal(db: Database, headers: Headers): Promise<Principal | null> {
  if (headers.has('authorization')) {
    const token = bearerToken(headers);
    const principal = token ? await verifyApiToken(db, token) : null;
    if (!principal) throw new AppError('unauthorized', 'Authorization: unknown or revoked API token (expected `Bearer mdk_…`)');
    return principal;
  }
  const cookie = headers.get('cookie') ?? '';
  if (!cookie.includes(SESSION_COOKIE)) return null;
  const auth = await authServer(db);
  const session = await auth.api.getSession({ headers });
  if (!session) return null; // expired or signed out: treated as no credentials
  const role = (session.user as { role?: unknown }).role;
  return { kind: 'session', role: isRole(role) ? role : 'viewer', userId: session.user.id, name: session.user.email };
}

/**
 * The caller of a request that needs `requirement`.
 * - public: the caller if it presents valid credentials, else undefined (never throws for them);
 * - otherwise the caller, or LOCAL_PRINCIPAL when sign-in is not required (loopback, no account).
 * @throws AppError unauthorized (401) without valid credentials where required, forbidden (403)
 *         for a viewer on an admin route.
 */
export async function authorize(
  db: Database,
  policy: AuthPolicy,
  headers: Headers,
  requirement: AuthRequirement,
): Promise<Principal | undefined> {
  if (requirement === 'public') return (await resolvePrincipal(db, headers).catch(() => null)) ?? undefined;
  const principal = (await resolvePrincipal(db, headers)) ?? ((await signInRequired(db, policy)) ? null : LOCAL_PRINCIPAL);
  if (!principal) throw new AppError('unauthorized', 'Sign in, or send `Authorization: Bearer <API token>` (docs/security.md)');
  if (!satisfies(principal, requirement)) throw new AppError('forbidden', `This needs the ${requirement} role; ${principal.name} is a ${principal.role}`);
  return principal;
}
