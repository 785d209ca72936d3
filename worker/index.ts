/**
 * Stand-alone worker (`npm run worker`), for production with a TimescaleDB server
 * (DATABASE_URL) where the web app runs on its own (`npm run web`, docker-compose.yml). Adds to
 * the shared composition (worker/composition.ts) its HTTP server on WORKER_PORT (default 3001):
 * the worker API the web app's HTTP gateway calls (worker/gateway-server.ts: /health, /metrics,
 * /scanner, /alerts/reload, /collectors; docs/api.md) and Socket.IO, which browsers connect to.
 *
 * Socket.IO handshakes are authenticated as on the host (lib/auth/socket.ts, docs/security.md):
 * with a non-loopback HOST (the default here, 0.0.0.0) or once an account exists, a client needs
 * the web app's session cookie (browsers send it with `withCredentials`, so CORS allows
 * credentials for the allowed origins) or `auth: { token }`.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { policyForHost } from '@/lib/auth/policy';
import { realtimeAuth } from '@/lib/auth/socket';
import { parseRealtimeEnv } from '@/lib/config/realtime-env';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { loadAuthSecret } from '@/lib/auth/secret';
import { workerApiKey } from '@/lib/auth/worker-api-key';
import { authEnv } from '@/lib/config/auth-env';
import { guardedListener } from '@/lib/security/node-listener';
import { realtimeGuardOptions } from '@/lib/security/socket-guard';
import { composeWorker } from './composition';
import { workerApiHandler } from './gateway-server';
import { attachRealtimeAdapter } from './realtime/cluster';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const env = parseWorkerEnv();
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  const url = `http://localhost:${env.WORKER_PORT}`;
  const composition = await composeWorker({ env, logger, ownerUrl: url });

  // Host / Origin / Content-Type allow-lists in front of the API (docs/security.md).
  // The internal API's key: derived from the session secret the web app shares (lib/auth/worker-api-key.ts).
  const apiKey = workerApiKey(await loadAuthSecret(composition.db, authEnv().AUTH_SECRET));
  const server = http.createServer(guardedListener(workerApiHandler(composition.ports, logger, apiKey)));
  // Browsers load pages from the web app's origin and connect here: CORS and handshakes for allowed origins only.
  const guard = realtimeGuardOptions();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(server, { serveClient: false, ...guard, cors: { ...guard.cors, credentials: true } });
  const authPolicy = policyForHost(env.HOST);
  io.use(realtimeAuth(composition.db, authPolicy)); // session cookie or auth.token, as on the host
  // REALTIME_ADAPTER=postgres: realtime nodes (`npm run realtime`) serve browsers too (docs/scaling.md).
  const cluster = await attachRealtimeAdapter(io, parseRealtimeEnv(), logger);
  await composition.start(io);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.WORKER_PORT, env.HOST, resolve);
  });
  logger.info({ url, feed: env.FEED, host: env.HOST, socketAuth: authPolicy.exposed ? 'required' : 'required once an account exists' }, 'worker ready');

  composition.handleShutdown(async () => {
    io.close();
    server.close();
    await cluster.close();
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
