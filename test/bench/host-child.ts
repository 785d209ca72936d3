/**
 * What the bench's server children (test/bench/candles-server.ts, health-server.ts) share with
 * `npm start` (worker/host.ts): their database, and the host's request listener serving the
 * app's own routes over the web runtime registered as the host registers it.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { openEmbeddedDatabase, openServerDatabase, type Database } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import type { WorkerPorts } from '@/lib/gateway';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { hostRequestListener } from '@/worker/host-listener';
import type { TickPipeline } from '@/worker/pipeline/pipeline';

/** BENCH_SERVER_DB_URL (a server database the parent created) or an embedded one under `dir`/db; migrated. */
export async function openChildDatabase(dir: string): Promise<Database> {
  const db = process.env.BENCH_SERVER_DB_URL
    ? await openServerDatabase(process.env.BENCH_SERVER_DB_URL, 4)
    : await openEmbeddedDatabase(path.join(dir, 'db'));
  await migrateDatabase(db);
  return db;
}

/**
 * Register the web runtime as worker/host.ts does (`db`, the worker's `ports` in-process, with
 * `recentCandles` from `pipeline`'s memory) and serve the host's request listener on 127.0.0.1
 * (a free port; keep-alive 60 s; candle reads paced by HOST_CANDLE_READS_PER_TURN as in
 * `npm start`). `fallback` answers what the listener hands on (Next.js in `npm start`; 404 here
 * by default). Resolves once listening.
 */
export async function serveHostRoutes(
  db: Database,
  pipeline: TickPipeline,
  options: { ports?: Partial<WorkerPorts>; fallback?: (req: IncomingMessage, res: ServerResponse) => unknown } = {},
): Promise<{ server: http.Server; port: number }> {
  const ports = {
    recentCandles: (q) => pipeline.recent.read(q.instrumentToken, q.timeframe, q.from, q.to),
    ...options.ports,
  } as Partial<WorkerPorts> as WorkerPorts;
  registerWebRuntime({ db, worker: { kind: 'in-process', ports }, realtime: 'same-origin' });
  const fallback = options.fallback ?? ((_req, res) => res.writeHead(404).end());
  const server = http.createServer(hostRequestListener(fallback, { candleReadsPerTurn: parseWorkerEnv().HOST_CANDLE_READS_PER_TURN }));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
