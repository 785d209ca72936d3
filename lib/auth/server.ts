/**
 * The better-auth instance of a database (issue 10; docs/security.md): email + password
 * accounts (scrypt-hashed by better-auth), database sessions in an httpOnly, SameSite=Lax cookie
 * `marketdesk.session_token`, Drizzle adapter over lib/db/schema-auth.ts.
 *
 * No better-auth HTTP handler is mounted: sign-in, sign-out and the session are thin routes in
 * app/api/auth/* that go through the one route wrapper (lib/http/route.ts) and call
 * `auth.api.*` here; sign-up is disabled (accounts are created by an admin, ADMIN_EMAIL at
 * first start, or the local desk: lib/auth/users.ts).
 *
 * One instance per Database (and per module copy: the Next bundle and the host each build their
 * own over the same database and secret).
 */
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { authEnv } from '@/lib/config/auth-env';
import type { Database } from '@/lib/db/client';
import { authAccounts, authSessions, authUsers, authVerifications } from '@/lib/db/schema-auth';
import { loadAuthSecret } from './secret';

export const SESSION_COOKIE_PREFIX = 'marketdesk';
/** Name of the session cookie (better-auth: `<prefix>.session_token`; `__Secure-` prefixed over https). */
export const SESSION_COOKIE = `${SESSION_COOKIE_PREFIX}.session_token`;

/** Session lifetime: 7 days, renewed daily while used. */
const SESSION_SECONDS = 7 * 24 * 3600;

function createAuth(db: Database, secret: string, publicUrl: string | undefined) {
  return betterAuth({
    appName: 'MarketDesk',
    secret,
    baseURL: publicUrl,
    database: drizzleAdapter(db.orm, {
      provider: 'pg',
      schema: { user: authUsers, session: authSessions, account: authAccounts, verification: authVerifications },
    }),
    emailAndPassword: { enabled: true, autoSignIn: false, minPasswordLength: 12, maxPasswordLength: 128 },
    user: { additionalFields: { role: { type: 'string', required: false, defaultValue: 'viewer', input: false } } },
    session: { expiresIn: SESSION_SECONDS, updateAge: 24 * 3600 },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: SESSION_COOKIE_PREFIX,
      useSecureCookies: publicUrl?.startsWith('https://') ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', path: '/' },
      // Host/Origin allow-lists are enforced for every route by the request guard of the route
      // wrapper (lib/security/request-guard.ts), which the sign-in route goes through.
      disableOriginCheck: true,
    },
    logger: { level: 'error' },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const instances = new WeakMap<Database, Promise<Auth>>();

/** The better-auth instance of `db` (created on first use; the secret is loaded or generated then). */
export function authServer(db: Database): Promise<Auth> {
  let instance = instances.get(db);
  if (!instance) {
    const env = authEnv();
    instance = loadAuthSecret(db, env.AUTH_SECRET).then((secret) => createAuth(db, secret, env.PUBLIC_URL));
    instance.catch(() => instances.delete(db));
    instances.set(db, instance);
  }
  return instance;
}
