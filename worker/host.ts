/**
 * Single-process host (`npm start`): embedded TimescaleDB (or DATABASE_URL), the Next.js app,
 * the Socket.IO server and the worker in one Node process, on one port.
 *
 * Why one process: PGlite is a single backend that one process must own (platform.md quirk 4).
 * The host builds the shared worker composition (worker/composition.ts), registers its database
 * and the worker's ports in the process registry (lib/runtime/registry.ts) before Next.js
 * starts, so route handlers reach both through the in-process gateway, and serves Next.js and
 * Socket.IO from the same HTTP server (browsers get realtimeUrl = this origin).
 *
 * Env: see lib/config/worker-env.ts (PORT, DATA_DIR, FEED, REPLAY_*, …). `--dev` runs Next in
 * development mode.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { Server } from 'socket.io';
import { prepareAuth } from '@/lib/auth/bootstrap';
import { installAuth } from '@/lib/auth/install';
import { realtimeAuth } from '@/lib/auth/socket';
import { authEnv } from '@/lib/config/auth-env';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { DatabaseInUseError } from '@/lib/db/embedded-owner';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { realtimeGuardOptions } from '@/lib/security/socket-guard';
import { clearWebRuntime, registerWebRuntime } from '@/lib/runtime/registry';
import { composeWorker } from './composition';
import { hostRequestListener } from './host-listener';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const env = parseWorkerEnv();
  const logger = createLogger(env.LOG_LEVEL, 'host');
  const auth = authEnv(); // HOST defaults to 127.0.0.1 here: local by default (docs/security.md)
  if (!dev && !existsSync(path.resolve(process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('The web app is not built: run `npm run build` first (or `npm run dev` for development).');
  }
  const url = `http://localhost:${env.PORT}`;
  const composition = await composeWorker({ env, logger, ownerUrl: url });
  registerWebRuntime({ db: composition.db, worker: { kind: 'in-process', ports: composition.ports }, realtime: 'same-origin' });
  // Accounts and tokens (lib/auth): first admin from ADMIN_*, refusal when exposed with no credential.
  const policy = installAuth({ bindHost: auth.HOST, database: async () => composition.db });
  const authStart = await prepareAuth(composition.db, auth, policy).catch(async (error: unknown) => {
    await composition.stop(1000);
    throw error;
  });

  const app = next({ dev, dir: process.cwd(), port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  // GET /api/candles before Next (worker/host-listener.ts); everything else through Next.
  const server = http.createServer(hostRequestListener((req, res) => handle(req, res), { candleReadsPerTurn: env.HOST_CANDLE_READS_PER_TURN }));
  // Handshakes only from allowed Hosts and Origins (docs/security.md).
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(server, { serveClient: false, ...realtimeGuardOptions() });
  io.use(realtimeAuth(composition.db, policy)); // session cookie or auth.token (lib/auth/socket.ts)
  await composition.start(io);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, auth.HOST, resolve);
  });
  logger.info({ url, feed: env.FEED, dataDir: env.DATABASE_URL ? undefined : env.dataDir }, `marketdesk ready at ${url}`);
  logger.info(
    { host: auth.HOST, accounts: authStart.users, tokens: authStart.activeTokens, createdAdmin: authStart.createdAdmin ?? undefined },
    policy.exposed || authStart.users > 0 ? 'sign-in required (docs/security.md)' : 'local desk: no account yet, no sign-in on this machine',
  );

  composition.handleShutdown(async () => {
    io.close();
    server.close();
    await app.close?.();
    clearWebRuntime();
  });
}

main().catch((error) => {
  if (error instanceof DatabaseInUseError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  if (!(error instanceof DatabaseInUseError) && error instanceof Error && process.env.LOG_LEVEL === 'debug') console.error(error.stack);
  process.exit(1);
});
