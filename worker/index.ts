/**
 * Stand-alone worker (`npm run worker`), for production with a TimescaleDB server
 * (DATABASE_URL) where the web app runs separately (`next start`, docker-compose.yml).
 * Serves Socket.IO and GET /health on WORKER_PORT (default 3001).
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { openWorkerDatabase } from './database';
import { createLogger } from './logger';
import { startWorker, type WorkerHandle } from './runtime';
import { installShutdown } from './shutdown';

async function main(): Promise<void> {
  const env = parseWorkerEnv();
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  const url = `http://localhost:${env.WORKER_PORT}`;
  const { db, close } = await openWorkerDatabase(env, logger, url);

  let worker: WorkerHandle | undefined;
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      const health = worker?.health();
      res.writeHead(health?.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(health ?? { ok: false, error: 'starting' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'Only /health and /socket.io are served here' } }));
  });
  // Browsers load pages from the web app's origin and connect here: allow cross-origin.
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(server, { serveClient: false, cors: { origin: true } });
  worker = await startWorker({ db, env, io, logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.WORKER_PORT, env.HOST, resolve);
  });
  logger.info({ url, feed: env.FEED }, 'worker ready');

  installShutdown(logger, async () => {
    await worker!.stop();
    io.close();
    server.close();
    await close();
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
