/**
 * Stand-alone worker (`npm run worker`), for production with a TimescaleDB server
 * (DATABASE_URL) where the web app runs separately (`next start`, docker-compose.yml).
 * Serves Socket.IO, GET /health, GET /scanner, GET /metrics (Prometheus) and /collectors
 * (docs/api.md) on WORKER_PORT (default 3001).
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { OfficialDailyScheduler } from './backfill/official-daily';
import { historySourceFromEnvironment } from './backfill/source';
import { openWorkerDatabase } from './database';
import { serveCollectors } from './collectors/http-api';
import { createLogger } from './logger';
import { createWorkerMetrics } from './metrics';
import { handleScannerRequest } from './scanner/http';
import { startWorker, type WorkerHandle } from './runtime';
import { installShutdown } from './shutdown';

async function main(): Promise<void> {
  const env = parseWorkerEnv();
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  const url = `http://localhost:${env.WORKER_PORT}`;
  const { db, close } = await openWorkerDatabase(env, logger, url);

  let worker: WorkerHandle | undefined;
  const metrics = createWorkerMetrics({ health: () => worker?.health(), collectors: () => worker?.collectors.manager.snapshots() ?? [] });
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      void metrics.render().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      });
      return;
    }
    if (worker && (req.url === '/collectors' || req.url?.startsWith('/collectors/'))) {
      void serveCollectors(req, res, worker.collectors.manager, logger);
      return;
    }
    if (req.url === '/health') {
      const health = worker?.health();
      res.writeHead(health?.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(health ?? { ok: false, error: 'starting' }));
      return;
    }
    if (worker && req.method === 'GET' && (req.url === '/scanner' || req.url?.startsWith('/scanner?'))) {
      handleScannerRequest(worker.desk.scanner, req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'Only /health, /metrics, /collectors, /scanner and /socket.io are served here' } }));
  });
  // Browsers load pages from the web app's origin and connect here: allow cross-origin.
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(server, { serveClient: false, cors: { origin: true } });
  // Broker history (HISTORY_SOURCE): one source (one rate limiter) for gap repair and official day candles.
  const history = historySourceFromEnvironment();
  worker = await startWorker({ db, env, io, logger, history });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.WORKER_PORT, env.HOST, resolve);
  });
  logger.info({ url, feed: env.FEED }, 'worker ready');
  // After the close, replace provisional day bars with the broker's official ones (HISTORY_SOURCE).
  const officialDaily = history ? new OfficialDailyScheduler(db, history, logger) : null;
  officialDaily?.start();

  installShutdown(logger, async () => {
    await officialDaily?.stop();
    const persisted = await worker!.stop(Math.max(1000, env.SHUTDOWN_TIMEOUT_MS - 3000));
    if (!persisted) logger.error('some ticks or candles could not be written before shutdown; they stay in the journal');
    io.close();
    server.close();
    await close();
  }, env.SHUTDOWN_TIMEOUT_MS);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
