/**
 * POST /api/auth/password (app/api/auth/password/route.ts) on both database backends, through the
 * real route wrapper and authenticator (exposed app): a signed-in account changes its own
 * password; the old one stops working and the new one signs in; the account's other sessions are
 * signed out, this one stays; a wrong current password is a 400 naming body.currentPassword; a
 * short new one a 400 naming body.newPassword; no credentials 401; an API token 403.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST } from '@/app/api/auth/password/route';
import { installAuth, uninstallAuth } from '@/lib/auth/install';
import { authServer } from '@/lib/auth/server';
import { createApiToken } from '@/lib/auth/tokens';
import { createUser } from '@/lib/auth/users';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const HEADERS = { host: '127.0.0.1:3000', 'content-type': 'application/json' };
const OLD = 'old password 1234';
const NEW = 'new password 5678';

async function change(headers: Record<string, string>, body: unknown) {
  const request = new Request('http://127.0.0.1:3000/api/auth/password', { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) });
  const response = await POST(request, { params: Promise.resolve({}) });
  return { status: response.status, text: await response.text(), cookies: response.headers.getSetCookie() };
}

describeEachBackend('password change', (backend) => {
  const database = useTestDatabase(backend);

  beforeAll(async () => {
    registerWebRuntime({ db: database.db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' });
    installAuth({ bindHost: '0.0.0.0', database: async () => database.db });
    await createUser(database.db, { email: 'trader@example.com', password: OLD, role: 'viewer' });
  });
  afterAll(() => uninstallAuth());

  const signIn = async (password: string) => {
    const auth = await authServer(database.db);
    const answer = await auth.api.signInEmail({ body: { email: 'trader@example.com', password }, asResponse: true });
    return answer.ok ? answer.headers.getSetCookie()[0].split(';')[0] : null;
  };
  const signedIn = async (cookie: string) => {
    const auth = await authServer(database.db);
    return (await auth.api.getSession({ headers: new Headers({ cookie }) })) !== null;
  };

  it('changes the password, keeps this session and ends the others', async () => {
    const here = (await signIn(OLD))!;
    const elsewhere = (await signIn(OLD))!;
    expect(await signedIn(elsewhere)).toBe(true);

    const wrong = await change({ cookie: here }, { currentPassword: 'not the password', newPassword: NEW });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('body.currentPassword');
    const short = await change({ cookie: here }, { currentPassword: OLD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('body.newPassword');
    expect(await signIn(OLD)).not.toBeNull(); // nothing changed yet

    const ok = await change({ cookie: here }, { currentPassword: OLD, newPassword: NEW });
    expect(ok.status).toBe(200);
    expect(await signIn(OLD)).toBeNull();
    expect(await signIn(NEW)).not.toBeNull();
    expect(await signedIn(elsewhere)).toBe(false);
    // This browser stays signed in: with the cookie it had, or the fresh one it was handed.
    const renewed = ok.cookies.find((c) => c.startsWith('marketdesk'))?.split(';')[0];
    expect(await signedIn(renewed ?? here)).toBe(true);
  });

  it('refuses callers without a session: 401 without credentials, 403 for an API token', async () => {
    expect((await change({}, { currentPassword: NEW, newPassword: 'another password 9' })).status).toBe(401);
    const { token } = await createApiToken(database.db, { name: 'script', role: 'admin' });
    expect((await change({ authorization: `Bearer ${token}` }, { currentPassword: NEW, newPassword: 'another password 9' })).status).toBe(403);
    expect(await signIn(NEW)).not.toBeNull();
  });
});
