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
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { DatabaseInUseError } from '@/lib/db/embedded-owner';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { clearWebRuntime, registerWebRuntime } from '@/lib/runtime/registry';
import { composeWorker } from './composition';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const env = parseWorkerEnv();
  const logger = createLogger(env.LOG_LEVEL, 'host');
  if (!dev && !existsSync(path.resolve(process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('The web app is not built: run `npm run build` first (or `npm run dev` for development).');
  }
  const url = `http://localhost:${env.PORT}`;
  const composition = await composeWorker({ env, logger, ownerUrl: url });
  registerWebRuntime({ db: composition.db, worker: { kind: 'in-process', ports: composition.ports }, realtime: 'same-origin' });

  const app = next({ dev, dir: process.cwd(), port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => void handle(req, res));
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(server, { serveClient: false });
  await composition.start(io);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  logger.info({ url, feed: env.FEED, dataDir: env.DATABASE_URL ? undefined : env.dataDir }, `marketdesk ready at ${url}`);

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
