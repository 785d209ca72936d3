/**
 * The web app alone (`npm run web`, production): Next.js in production mode on PORT (3000),
 * reaching the database through DATABASE_URL (a postgres.js pool) and the worker only through
 * WORKER_URL (the HTTP worker gateway, lib/gateway/http.ts). Browsers open Socket.IO on the
 * worker: /api/health tells them REALTIME_URL, else WORKER_URL.
 *
 * Registers both in the process registry (lib/runtime/registry.ts) and installs authentication
 * (lib/auth/install.ts, as the host does) before Next.js starts: with a non-loopback HOST (the
 * default here, 0.0.0.0) every page and route needs a session or token, the ADMIN_* admin is
 * created when no account exists, and the start is refused when no credential exists at all
 * (docs/security.md).
 * Migrations are not applied here (`npm run db:migrate`). SIGINT/SIGTERM close the server and the
 * pool; a second signal exits at once.
 *
 * Env: lib/config/web-env.ts (DATABASE_URL required, WORKER_URL, REALTIME_URL, PORT, HOST) and
 * lib/config/auth-env.ts (ADMIN_EMAIL, ADMIN_PASSWORD, AUTH_SECRET, PUBLIC_URL).
 * Exits 1 with a message naming the problem (no build, no DATABASE_URL, a bad variable).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { prepareAuth } from '@/lib/auth/bootstrap';
import { installAuth } from '@/lib/auth/install';
import { loadAuthSecret } from '@/lib/auth/secret';
import { workerApiKey } from '@/lib/auth/worker-api-key';
import { authEnv } from '@/lib/config/auth-env';
import { webEnv } from '@/lib/config/web-env';
import { openServerDatabase } from '@/lib/db/client';
import { clearWebRuntime, registerWebRuntime } from './registry';

async function main(): Promise<void> {
  const env = webEnv();
  const auth = authEnv(); // ADMIN_* and AUTH_SECRET; the bind address is webEnv's HOST
  if (!env.DATABASE_URL) throw new Error('Invalid configuration: DATABASE_URL is required by `npm run web` (postgres://… of the TimescaleDB server)');
  if (!existsSync(path.resolve(process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('The web app is not built: run `npm run build` first.');
  }
  const db = await openServerDatabase(env.DATABASE_URL);
  // The worker API's key, derived from the session secret both processes share (lib/auth/worker-api-key.ts).
  const apiKey = workerApiKey(await loadAuthSecret(db, auth.AUTH_SECRET));
  registerWebRuntime({ db, worker: { kind: 'http', url: env.WORKER_URL, apiKey }, realtime: { url: env.WORKER_URL } });
  // Accounts and tokens (lib/auth): first admin from ADMIN_*, refusal when exposed with no credential.
  const policy = installAuth({ bindHost: env.HOST, database: async () => db });
  const authStart = await prepareAuth(db, auth, policy).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });

  const app = next({ dev: false, dir: process.cwd(), port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  console.log(JSON.stringify({ level: 'info', msg: `marketdesk web ready at http://localhost:${env.PORT}`, worker: env.WORKER_URL }));
  console.log(
    JSON.stringify({
      level: 'info',
      msg: policy.exposed || authStart.users > 0 ? 'sign-in required (docs/security.md)' : 'local desk: no account yet, no sign-in on this machine',
      host: env.HOST,
      accounts: authStart.users,
      tokens: authStart.activeTokens,
      createdAdmin: authStart.createdAdmin ?? undefined,
    }),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    server.close();
    void Promise.resolve(app.close?.())
      .then(() => db.close())
      .finally(() => {
        clearWebRuntime();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
