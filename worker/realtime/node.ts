/**
 * A realtime node (`npm run realtime`): a Socket.IO server for browsers, fed by the worker
 * through @socket.io/postgres-adapter (REALTIME_ADAPTER=postgres, DATABASE_URL; docs/scaling.md).
 * Run as many as the browsers need behind a load balancer; any node serves any client with the
 * protocol of docs/api.md (`subscribe`/`unsubscribe`, conflated `ticks`, `candle`, `alert`).
 *
 * HTTP on REALTIME_PORT (default 3002): Socket.IO, and `GET /health` →
 * `{ ok, role: "realtime", node, clients, symbols, epoch, delivered, dropped, gaps, waiting,
 *    syncs, lastFrameAt }` (lastFrameAt: ISO time of the last worker frame, or null).
 * The node writes no tables besides the adapter's and holds only the latest tick per symbol and
 * the open candles (from the worker's frames). It reads the auth tables: handshakes are
 * authenticated as on the host and the worker (lib/auth/socket.ts, docs/security.md), with the
 * web app's session cookie (`withCredentials`, so CORS allows credentials) or `auth: { token }`;
 * required with a non-loopback HOST (the default, 0.0.0.0) or once an account exists.
 * SIGINT/SIGTERM close it.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { policyForHost } from '@/lib/auth/policy';
import { realtimeAuth } from '@/lib/auth/socket';
import { parseRealtimeEnv } from '@/lib/config/realtime-env';
import { openServerDatabase } from '@/lib/db/client';
import { realtimeGuardOptions } from '@/lib/security/socket-guard';
import { createLogger } from '../logger';
import { installShutdown } from '../shutdown';
import { attachPostgresAdapter } from './postgres-adapter';
import { Relay, type NodeServer } from './relay';

async function main(): Promise<void> {
  const env = parseRealtimeEnv();
  const logger = createLogger(env.LOG_LEVEL, 'realtime');
  if (env.REALTIME_ADAPTER !== 'postgres' || !env.DATABASE_URL) {
    throw new Error('Invalid configuration: REALTIME_ADAPTER must be "postgres" (with DATABASE_URL) for a realtime node');
  }
  let relay: Relay | undefined;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      const stats = relay!.stats;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        ok: true,
        role: 'realtime',
        node: relay!.id,
        ...stats,
        lastFrameAt: stats.lastFrameAt === null ? null : new Date(stats.lastFrameAt).toISOString(),
      }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
  });
  // Browsers load pages from the web app's origin and connect here. Handshakes and CORS only for allowed Hosts and Origins (lib/security/socket-guard.ts, docs/security.md).
  const guard = realtimeGuardOptions();
  const io: NodeServer = new Server(server, { serveClient: false, ...guard, cors: { ...guard.cors, credentials: true } });
  // Sessions and API tokens live in the database: a small pool of its own for handshakes.
  const authDb = await openServerDatabase(env.DATABASE_URL, 2);
  io.use(realtimeAuth(authDb, policyForHost(env.HOST)));
  const adapter = await attachPostgresAdapter(io, { databaseUrl: env.DATABASE_URL, channel: env.REALTIME_CHANNEL, logger });
  relay = new Relay(io, {
    gapMs: env.REALTIME_GAP_MS,
    onGap: (missing) => logger.warn({ missing }, 'frames from the worker missing; asked for a snapshot'),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.REALTIME_PORT, env.HOST, resolve);
  });
  relay.requestSync();
  const { port } = server.address() as { port: number };
  logger.info({ port, node: relay.id, channel: env.REALTIME_CHANNEL }, 'realtime node ready');

  installShutdown(logger, async () => {
    relay!.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await adapter.close();
    await authDb.close();
  }, 5000);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
