/**
 * Single-process host (`npm start`): embedded TimescaleDB (or DATABASE_URL), the Next.js app,
 * the Socket.IO server and the worker pipeline in one Node process, on one port.
 *
 * Why one process: PGlite is a single backend that one process must own (platform.md quirk 4).
 * The host opens it, registers it in lib/runtime/host.ts for the route handlers, and serves
 * Next.js and Socket.IO from the same HTTP server (browsers get realtimeUrl = this origin).
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
import { parseHistoryEnv } from '@/lib/config/history-env';
import { setHostRuntime } from '@/lib/runtime/host';
import { OfficialDailyScheduler } from './backfill/official-daily';
import { createHistorySource } from './backfill/source';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { openWorkerDatabase } from './database';
import { deferredControl } from './collectors/deferred-control';
import { createLogger } from './logger';
import { createWorkerMetrics } from './metrics';
import { startWorker, type WorkerHandle } from './runtime';
import { installShutdown } from './shutdown';

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const env = parseWorkerEnv();
  const logger = createLogger(env.LOG_LEVEL, 'host');
  if (!dev && !existsSync(path.resolve(process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('The web app is not built: run `npm run build` first (or `npm run dev` for development).');
  }
  const url = `http://localhost:${env.PORT}`;
  const { db, close } = await openWorkerDatabase(env, logger, url);

  let worker: WorkerHandle | undefined;
  const metrics = createWorkerMetrics({ health: () => worker?.health(), collectors: () => worker?.collectors.manager.snapshots() ?? [] });
  setHostRuntime({
    db,
    collectors: deferredControl(() => worker?.collectors.manager),
    metrics: () => metrics.render(),
    workerHealth: () =>
      worker?.health() ?? {
        ok: false,
        startedAt: new Date().toISOString(),
        feed: { name: env.FEED, state: 'starting', ticksEmitted: 0, lastTickTime: null },
        pipeline: { ticksAccepted: 0, ticksWritten: 0, bufferDepth: 0, writeErrors: 0, lastFlushAt: null, candlesClosed: 0, lateTicks: 0 },
        realtime: { clients: 0 },
      },
  });

  // Broker history (HISTORY_SOURCE; docs/storage.md): one source (one rate limiter) for the
  // worker's gap repair and for replacing provisional day bars with the official ones after the close.
  const history = createHistorySource(parseHistoryEnv());
  const officialDaily = history ? new OfficialDailyScheduler(db, history, logger) : null;

  const app = next({ dev, dir: process.cwd(), port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => void handle(req, res));
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(server, { serveClient: false });
  worker = await startWorker({ db, env, io, logger, history });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  logger.info({ url, feed: env.FEED, dataDir: env.DATABASE_URL ? undefined : env.dataDir }, `marketdesk ready at ${url}`);
  officialDaily?.start();

  installShutdown(logger, async () => {
    // Leave a few seconds of SHUTDOWN_TIMEOUT_MS for closing the servers and the database.
    await officialDaily?.stop();
    const persisted = await worker!.stop(Math.max(1000, env.SHUTDOWN_TIMEOUT_MS - 3000));
    if (!persisted) logger.error('some ticks or candles could not be written before shutdown');
    io.close();
    server.close();
    await app.close?.();
    await close();
  }, env.SHUTDOWN_TIMEOUT_MS);
}

main().catch((error) => {
  if (error instanceof DatabaseInUseError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  if (!(error instanceof DatabaseInUseError) && error instanceof Error && process.env.LOG_LEVEL === 'debug') console.error(error.stack);
  process.exit(1);
});
