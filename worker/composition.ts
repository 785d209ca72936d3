/**
 * The one composition of the worker, shared by the single-process host (worker/host.ts) and the
 * stand-alone worker (worker/index.ts), which only add their own HTTP server:
 *
 *   env → database (migrated) → broker history source → metrics → ports for the web side
 *       → start(io): pipeline, feeds, collectors, desk, gap repair (worker/runtime.ts startWorker)
 *         and official day candles after the close
 *       → shutdown: persist ticks and candles, close the entry's servers, close the database.
 *
 * The ports (lib/gateway/types.ts WorkerPorts) exist before the worker starts and answer
 * "starting" (health), 503 (scanner, collectors) until it runs: the host hands them to its
 * in-process gateway, the stand-alone worker serves them over HTTP (worker/gateway-server.ts).
 */
import type { Logger } from 'pino';
import { parseHistoryEnv } from '@/lib/config/history-env';
import type { WorkerEnv } from '@/lib/config/worker-env';
import type { Database } from '@/lib/db/client';
import type { WorkerHealth, WorkerPorts } from '@/lib/gateway';
import { OfficialDailyScheduler } from './backfill/official-daily';
import { createHistorySource } from './backfill/source';
import { deferredControl } from './collectors/deferred-control';
import { openWorkerDatabase } from './database';
import { createWorkerMetrics } from './metrics';
import type { RealtimeServer } from './realtime/broadcaster';
import { startWorker, type WorkerHandle } from './runtime';
import { installShutdown } from './shutdown';

export interface WorkerComposition {
  readonly db: Database;
  /** What the web side may ask of this worker (valid before start()). */
  readonly ports: WorkerPorts;
  /** Start the worker on the entry's Socket.IO server; resolves once it runs. */
  start(io: RealtimeServer): Promise<WorkerHandle>;
  /**
   * Stop the worker and persist its ticks and candles (bounded by `timeoutMs`), then
   * `closeServers`, then close the database. Resolves false when something could not be
   * persisted (it stays in the journal).
   */
  stop(timeoutMs: number, closeServers?: () => Promise<void> | void): Promise<boolean>;
  /** Install SIGINT/SIGTERM handling (worker/shutdown.ts, bounded by SHUTDOWN_TIMEOUT_MS) running stop(). */
  handleShutdown(closeServers: () => Promise<void> | void): void;
}

/** The health body before the worker runs (ok: false, feed state `starting`). */
function startingHealth(env: WorkerEnv, startedAt: string): WorkerHealth {
  return {
    ok: false,
    startedAt,
    feed: { name: env.FEED, state: 'starting', ticksEmitted: 0, lastTickTime: null },
    pipeline: { ticksAccepted: 0, ticksWritten: 0, bufferDepth: 0, writeErrors: 0, lastFlushAt: null, candlesClosed: 0, lateTicks: 0 },
    realtime: { clients: 0 },
  };
}

/**
 * Open the database and build everything up to the worker itself.
 * @param ownerUrl  the URL this process serves (recorded in the embedded database's owner file).
 * @throws DatabaseInUseError (lib/db/embedded-owner.ts) when another process owns DATA_DIR; config errors naming the variable.
 */
export async function composeWorker(options: { env: WorkerEnv; logger: Logger; ownerUrl: string }): Promise<WorkerComposition> {
  const { env, logger } = options;
  const { db, close } = await openWorkerDatabase(env, logger, options.ownerUrl);
  // Broker history (HISTORY_SOURCE; docs/storage.md): one source, so one rate limiter paces the
  // worker's gap repair and the official day candles after the close.
  const history = createHistorySource(parseHistoryEnv());
  // Official day bars replace provisional ones: /api/candles' cached day bars retire (issue 12 point 3).
  const officialDaily = history ? new OfficialDailyScheduler(db, history, logger, { onStored: (token) => worker?.pipeline.recent.storedChanged(token) }) : null;
  const startedAt = new Date().toISOString();
  let worker: WorkerHandle | undefined;
  const metrics = createWorkerMetrics({ health: () => worker?.health(), collectors: () => worker?.collectors.manager.snapshots() ?? [] });

  const ports: WorkerPorts = {
    scan(query) {
      if (!worker) throw new Error('the worker is still starting');
      return worker.desk.scanner.scan(query);
    },
    reloadAlerts: () => worker?.desk.alerts.reload(),
    collectors: deferredControl(() => worker?.collectors.manager),
    health: () => worker?.health() ?? startingHealth(env, startedAt),
    metrics: () => metrics.render(),
    recentCandles(query) {
      if (!worker) throw new Error('the worker is still starting');
      return worker.pipeline.recent.read(query.instrumentToken, query.timeframe, query.from, query.to);
    },
  };

  const composition: WorkerComposition = {
    db,
    ports,
    async start(io) {
      worker = await startWorker({ db, env, io, logger, history });
      officialDaily?.start();
      return worker;
    },
    async stop(timeoutMs, closeServers) {
      await officialDaily?.stop();
      const persisted = (await worker?.stop(timeoutMs)) ?? true;
      if (!persisted) logger.error('some ticks or candles could not be written before shutdown; they stay in the journal');
      await closeServers?.();
      await close();
      return persisted;
    },
    handleShutdown(closeServers) {
      // Leave a few seconds of SHUTDOWN_TIMEOUT_MS for closing the servers and the database.
      const timeoutMs = Math.max(1000, env.SHUTDOWN_TIMEOUT_MS - 3000);
      installShutdown(logger, async () => void (await composition.stop(timeoutMs, closeServers)), env.SHUTDOWN_TIMEOUT_MS);
    },
  };
  return composition;
}
