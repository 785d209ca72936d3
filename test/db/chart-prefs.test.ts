/**
 * Per-user chart studies (issue 13 point 1): GET/PUT /api/me/chart-prefs on both database
 * backends, through the real route wrapper and authenticator (lib/auth/install.ts):
 *   - exposed app, two accounts signed in: each sees only their own choice; ids are stored
 *     canonical and de-duplicated; a bad id is a 400 naming `body.studies.N`; no credentials 401;
 *     deleting the account deletes its preferences;
 *   - loopback local desk (no account): scope "browser", PUT 409 (the browser keeps the choice).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET, PUT } from '@/app/api/me/chart-prefs/route';
import { installAuth, uninstallAuth } from '@/lib/auth/install';
import { authServer } from '@/lib/auth/server';
import { createUser, deleteUser } from '@/lib/auth/users';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const URL_ = 'http://127.0.0.1:3000/api/me/chart-prefs';
const HEADERS = { host: '127.0.0.1:3000', 'content-type': 'application/json' };

async function get(headers: Record<string, string>) {
  const response = await GET(new Request(URL_, { headers: { ...HEADERS, ...headers } }), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function put(headers: Record<string, string>, body: unknown) {
  const response = await PUT(new Request(URL_, { method: 'PUT', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describeEachBackend('chart prefs per user', (backend) => {
  const database = useTestDatabase(backend);
  const cookies = { a: '', b: '' };
  let userB = '';

  beforeAll(async () => {
    const db = database.db;
    registerWebRuntime({ db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' });
    installAuth({ bindHost: '0.0.0.0', database: async () => database.db });
    await createUser(db, { email: 'a@example.com', password: 'password of a 12', role: 'admin' });
    userB = (await createUser(db, { email: 'b@example.com', password: 'password of b 12', role: 'viewer' })).id;
    const auth = await authServer(db);
    for (const [who, email, password] of [['a', 'a@example.com', 'password of a 12'], ['b', 'b@example.com', 'password of b 12']] as const) {
      const signedIn = await auth.api.signInEmail({ body: { email, password }, asResponse: true });
      cookies[who] = signedIn.headers.getSetCookie()[0].split(';')[0];
    }
  });
  afterAll(() => uninstallAuth());

  it('stores the choice per account', async () => {
    expect(await get({ cookie: cookies.a })).toEqual({ status: 200, body: { scope: 'user', prefs: null } });
    const saved = await put({ cookie: cookies.a }, { studies: ['rsi:14', 'bb:20:2.0', 'rsi:14', 'ema:50'], volume: false, oi: true });
    expect(saved).toEqual({ status: 200, body: { scope: 'user', prefs: { studies: ['rsi:14', 'bb:20:2', 'ema:50'], volume: false, oi: true } } });
    expect((await get({ cookie: cookies.a })).body).toEqual({ scope: 'user', prefs: { studies: ['rsi:14', 'bb:20:2', 'ema:50'], volume: false, oi: true } });
    // B has nothing yet; B's own choice does not touch A's.
    expect((await get({ cookie: cookies.b })).body).toEqual({ scope: 'user', prefs: null });
    await put({ cookie: cookies.b }, { studies: ['macd:12:26:9'], volume: true, oi: false });
    expect((await get({ cookie: cookies.b })).body).toMatchObject({ prefs: { studies: ['macd:12:26:9'], oi: false } });
    expect((await get({ cookie: cookies.a })).body).toMatchObject({ prefs: { studies: ['rsi:14', 'bb:20:2', 'ema:50'] } });
    // Replacing, not merging.
    await put({ cookie: cookies.a }, { studies: [], volume: true, oi: true });
    expect((await get({ cookie: cookies.a })).body).toEqual({ scope: 'user', prefs: { studies: [], volume: true, oi: true } });
  });

  it('rejects bad input naming the body field, and callers without credentials', async () => {
    const bad = await put({ cookie: cookies.a }, { studies: ['rsi:14', 'rsi:0'], volume: true, oi: true });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.studies.1');
    const missing = await put({ cookie: cookies.a }, { studies: [] });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('body.volume');
    const tooMany = await put({ cookie: cookies.a }, { studies: Array.from({ length: 13 }, (_, i) => `sma:${i + 2}`), volume: true, oi: true });
    expect(tooMany.status).toBe(400);
    expect((await get({})).status).toBe(401);
    expect((await put({}, { studies: [], volume: true, oi: true })).status).toBe(401);
  });

  it("deleting an account deletes its preferences", async () => {
    await put({ cookie: cookies.b }, { studies: ['vwap'], volume: true, oi: true });
    const count = async () => (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM user_preferences WHERE user_id = $1', [userB]))[0].n;
    expect(await count()).toBe(1);
    await deleteUser(database.db, userB);
    expect(await count()).toBe(0);
  });

  it('local desk (loopback, no account): the browser keeps the choice', async () => {
    await database.db.query('DELETE FROM auth_sessions');
    await database.db.query('DELETE FROM auth_accounts');
    await database.db.query('DELETE FROM auth_users');
    const db = await database.reopen(); // a new handle: "an account exists" is cached per handle (lib/auth/users.ts)
    registerWebRuntime({ db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' });
    installAuth({ bindHost: '127.0.0.1', database: async () => database.db });
    expect(await get({})).toEqual({ status: 200, body: { scope: 'browser', prefs: null } });
    const refused = await put({}, { studies: ['rsi:14'], volume: true, oi: true });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'conflict' } });
  });
});
