/**
 * Auth on every mutating route (issue 10), generated from the files under app/api: each exported
 * POST/PUT/PATCH/DELETE handler is called with the authenticator installed as an exposed app
 * (HOST=0.0.0.0) would:
 *   - no credentials → 401 unauthorized;
 *   - a viewer token → 403 forbidden on admin routes (lib/auth/policy.ts defaultRequirement, or
 *     the route's own `auth`), not 401/403 elsewhere;
 *   - an admin token and an admin session cookie → neither 401 nor 403.
 * A new route file is covered without touching this test. Handlers are called directly (the
 * route wrapper is where enforcement lives); path params get placeholder values. No web runtime
 * is registered: past authentication a handler may fail (500); only 401/403 matter here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installAuth, uninstallAuth } from '@/lib/auth/install';
import { defaultRequirement } from '@/lib/auth/policy';
import { authServer } from '@/lib/auth/server';
import { createApiToken } from '@/lib/auth/tokens';
import { createUser } from '@/lib/auth/users';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MUTATING = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface RouteCase {
  file: string;
  method: (typeof MUTATING)[number];
  /** URL path with placeholders for dynamic segments. */
  url: string;
  params: Record<string, string>;
  admin: boolean;
  /** Public routes (sign-in, sign-out): must answer without credentials. */
  public: boolean;
  /** False while the file does not go through the route wrapper yet (lib/http): reported as skipped. */
  wrapped: boolean;
}

/** Every mutating handler exported by a route.ts under app/api (found by reading the files). */
function mutatingRoutes(): RouteCase[] {
  const cases: RouteCase[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const source = readFileSync(full, 'utf8');
        const segments = path.relative(path.join(ROOT, 'app'), dir).split(path.sep);
        const params: Record<string, string> = {};
        const url = '/' + segments.map((s) => (/^\[(\w+)\]$/.test(s) ? ((params[s.slice(1, -1)] = s === '[id]' ? '00000000-0000-4000-8000-000000000001' : 'placeholder'), params[s.slice(1, -1)]) : s)).join('/');
        for (const method of MUTATING) {
          if (new RegExp(`export\\s+(const|async function|function)\\s+${method}\\b`).test(source)) {
            const explicitAdmin = /auth:\s*'admin'/.test(source);
            const requirement = defaultRequirement(method, url);
            cases.push({
              file: path.relative(ROOT, full),
              method,
              url,
              params,
              admin: explicitAdmin || requirement === 'admin',
              public: requirement === 'public',
              wrapped: /from '@\/lib\/http(\/route)?'/.test(source),
            });
          }
        }
      }
    }
  };
  walk(path.join(ROOT, 'app/api'));
  return cases;
}

const CASES = mutatingRoutes();

async function call(c: RouteCase, headers: Record<string, string>): Promise<number> {
  const mod = (await import(/* @vite-ignore */ path.join(ROOT, c.file))) as Record<string, (r: Request, ctx: unknown) => Promise<Response>>;
  const request = new Request(`http://127.0.0.1:3000${c.url}`, {
    method: c.method,
    headers: { 'content-type': 'application/json', host: '127.0.0.1:3000', ...headers },
    body: '{}',
  });
  const response = await mod[c.method](request, { params: Promise.resolve(c.params) });
  return response.status;
}

it('finds the mutating routes (the generator works)', () => {
  expect(CASES.length).toBeGreaterThan(10);
  expect(CASES.some((c) => c.url === '/api/tokens' && c.method === 'POST' && c.admin)).toBe(true);
  expect(CASES.some((c) => c.url.startsWith('/api/collectors/') && c.admin)).toBe(true);
  expect(CASES.some((c) => c.url === '/api/watchlists' && !c.admin)).toBe(true);
});

describeEachBackend('auth on every mutating route (exposed)', (backend) => {
  const database = useTestDatabase(backend);
  const creds = { viewer: '', admin: '', cookie: '' };

  beforeAll(async () => {
    const db = database.db;
    installAuth({ bindHost: '0.0.0.0', database: async () => database.db });
    creds.viewer = (await createApiToken(db, { name: 'viewer', role: 'viewer' })).token;
    creds.admin = (await createApiToken(db, { name: 'admin', role: 'admin' })).token;
    await createUser(db, { email: 'root@example.com', password: 'root password 12', role: 'admin' });
    const auth = await authServer(db);
    const signedIn = await auth.api.signInEmail({ body: { email: 'root@example.com', password: 'root password 12' }, asResponse: true });
    creds.cookie = signedIn.headers.getSetCookie()[0].split(';')[0];
  });
  afterAll(() => {
    uninstallAuth();
  });

  for (const c of CASES.filter((c) => c.public)) {
    it(`${c.method} ${c.url} (public) answers without credentials`, async () => {
      expect([401, 403]).not.toContain(await call(c, {}));
    });
  }

  for (const c of CASES.filter((c) => !c.public)) {
    it.skipIf(!c.wrapped)(`${c.method} ${c.url} (${c.admin ? 'admin' : 'viewer'})${c.wrapped ? '' : ' [skipped: not on lib/http route() yet]'}`, async () => {
      expect(await call(c, {}), 'no credentials').toBe(401);
      expect(await call(c, { authorization: 'Bearer mdk_not-a-real-token' }), 'unknown token').toBe(401);
      const asViewer = await call(c, { authorization: `Bearer ${creds.viewer}` });
      if (c.admin) expect(asViewer, 'viewer token on an admin route').toBe(403);
      else expect([401, 403], 'viewer token').not.toContain(asViewer);
      expect([401, 403], 'admin token').not.toContain(await call(c, { authorization: `Bearer ${creds.admin}` }));
      expect([401, 403], 'admin session cookie').not.toContain(await call(c, { cookie: creds.cookie }));
    });
  }
});
