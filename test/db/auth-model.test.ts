/**
 * Accounts, sessions, tokens and the start refusal (issue 10; lib/auth) on a migrated database:
 * better-auth over Drizzle signs in and verifies sessions, tokens are stored hashed and stop
 * working when revoked, viewer vs admin, local desk vs exposed, and prepareAuth's refusal.
 */
import { describe, expect, it } from 'vitest';
import { prepareAuth, StartRefusedError } from '@/lib/auth/bootstrap';
import { policyForHost } from '@/lib/auth/policy';
import { authorize, resolvePrincipal } from '@/lib/auth/principal';
import { isLoopbackHost } from '@/lib/auth/roles';
import { authServer } from '@/lib/auth/server';
import { createApiToken, hashToken, revokeApiToken } from '@/lib/auth/tokens';
import { createUser } from '@/lib/auth/users';
import { isAppError } from '@/lib/http/errors';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : String(error);
  }
  return 'no error';
}

describe('isLoopbackHost', () => {
  it('tells loopback from exposed listen addresses', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'desk.example.com', '10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describeEachBackend('auth model', (backend) => {
  const database = useTestDatabase(backend);
  const exposed = policyForHost('0.0.0.0');
  const local = policyForHost('127.0.0.1');

  it('refuses an exposed start without credentials, accepts a local one, creates the ADMIN_* admin', async () => {
    const db = database.db;
    await expect(prepareAuth(db, {}, exposed)).rejects.toBeInstanceOf(StartRefusedError);
    await expect(prepareAuth(db, {}, exposed)).rejects.toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD.*\n?.*npm run token -- create/s);
    expect(await prepareAuth(db, {}, local)).toMatchObject({ users: 0, activeTokens: 0 });
    // Local desk: no credentials → the local admin.
    expect(await authorize(db, local, new Headers(), 'admin')).toMatchObject({ kind: 'local', role: 'admin' });
    expect(await errorCode(authorize(db, exposed, new Headers(), 'viewer'))).toBe('unauthorized');

    const start = await prepareAuth(db, { ADMIN_EMAIL: 'Admin@Example.com', ADMIN_PASSWORD: 'correct horse battery' }, exposed);
    expect(start).toMatchObject({ users: 1, createdAdmin: 'admin@example.com' });
    // Stored hashed: the password is not in the database.
    const rows = await db.query<{ password: string }>(`SELECT password FROM auth_accounts`);
    expect(rows[0].password).not.toContain('correct horse');
  });

  it('signs in with a session cookie that authorizes by role; a wrong password is refused', async () => {
    const db = database.db;
    await createUser(db, { email: 'viewer@example.com', password: 'viewer password 1', role: 'viewer' });
    const auth = await authServer(db);
    const bad = await auth.api.signInEmail({ body: { email: 'viewer@example.com', password: 'nope nope nope' }, asResponse: true });
    expect(bad.status).toBe(401);
    const ok = await auth.api.signInEmail({ body: { email: 'viewer@example.com', password: 'viewer password 1' }, asResponse: true });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.getSetCookie().join('; ');
    expect(setCookie).toMatch(/marketdesk\.session_token=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = new Headers({ cookie: ok.headers.getSetCookie()[0].split(';')[0] });
    expect(await resolvePrincipal(db, cookie)).toMatchObject({ kind: 'session', role: 'viewer', name: 'viewer@example.com' });
    expect(await authorize(db, exposed, cookie, 'viewer')).toMatchObject({ role: 'viewer' });
    expect(await errorCode(authorize(db, exposed, cookie, 'admin'))).toBe('forbidden');
    // Once an account exists, the loopback desk needs sign-in too.
    expect(await errorCode(authorize(db, local, new Headers(), 'viewer'))).toBe('unauthorized');
  });

  it('API tokens: stored as SHA-256, role-checked, revoked tokens refused', async () => {
    const db = database.db;
    const { token, info } = await createApiToken(db, { name: 'script', role: 'viewer' });
    expect(token).toMatch(/^mdk_[\w-]{43}$/);
    const stored = await db.query<{ token_hash: string }>(`SELECT token_hash FROM api_tokens WHERE id = $1`, [info.id]);
    expect(stored[0].token_hash).toBe(hashToken(token));
    expect(stored[0].token_hash).not.toContain(token.slice(4));
    expect(await authorize(db, exposed, bearer(token), 'viewer')).toMatchObject({ kind: 'token', role: 'viewer', name: 'script' });
    expect(await errorCode(authorize(db, exposed, bearer(token), 'admin'))).toBe('forbidden');
    const admin = await createApiToken(db, { name: 'ops', role: 'admin' });
    expect(await authorize(db, exposed, bearer(admin.token), 'admin')).toMatchObject({ role: 'admin' });
    expect((await revokeApiToken(db, 'script')).map((t) => t.id)).toEqual([info.id]);
    expect(await errorCode(authorize(db, exposed, bearer(token), 'viewer'))).toBe('unauthorized');
    expect(await errorCode(authorize(db, exposed, bearer('mdk_forged'), 'viewer'))).toBe('unauthorized');
  });
});

describeEachBackend('auth start with a token only', (backend) => {
  const database = useTestDatabase(backend);
  it('an active API token is enough to start exposed; revoking it brings the refusal back', async () => {
    const { info } = await createApiToken(database.db, { name: 'bootstrap', role: 'admin' });
    expect(await prepareAuth(database.db, {}, policyForHost('0.0.0.0'))).toMatchObject({ users: 0, activeTokens: 1 });
    await revokeApiToken(database.db, info.id);
    await expect(prepareAuth(database.db, {}, policyForHost('0.0.0.0'))).rejects.toBeInstanceOf(StartRefusedError);
  });
});

