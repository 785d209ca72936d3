/**
 * The worker's composition: feed → pipeline (aggregator, buffer/writer) → broadcaster, plus the
 * embedded TimescaleDB job runner. Used by the single-process host (worker/host.ts) and by the
 * stand-alone worker (worker/index.ts); both own the HTTP/Socket.IO server and the database.
 */
import type { Logger } from 'pino';
import type { WorkerEnv } from '@/lib/config/worker-env';
import type { Database } from '@/lib/db/client';
import type { WorkerHealth } from '@/lib/runtime/host';
import type { TickFeed } from './feeds/feed';
import { createFeed } from './feeds';
import { EmbeddedJobRunner } from './jobs/embedded-jobs';
import { TickPipeline } from './pipeline/pipeline';
import { Broadcaster, type RealtimeServer } from './realtime/broadcaster';

export interface WorkerHandle {
  readonly feed: TickFeed;
  readonly pipeline: TickPipeline;
  health(): WorkerHealth;
  /** Resolves when the feed ends by itself (a replay reaching the end of its file). */
  readonly feedEnded: Promise<void>;
  /** Stop the feed, persist buffered ticks and candles (bounded by `timeoutMs`), stop timers. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** Start the worker on an open, migrated database and an attached Socket.IO server. */
export async function startWorker(options: {
  db: Database;
  env: WorkerEnv;
  io: RealtimeServer;
  logger: Logger;
  feed?: TickFeed;
}): Promise<WorkerHandle> {
  const { db, env, io, logger } = options;
  const feed = options.feed ?? (await createFeed(env, logger));
  const startedAt = new Date().toISOString();
  let broadcaster: Broadcaster | undefined;
  const pipeline = new TickPipeline({
    db,
    logger,
    flushSize: env.FLUSH_SIZE,
    flushIntervalMs: env.FLUSH_INTERVAL_MS,
    maxBufferTicks: env.MAX_BUFFER_TICKS,
    candleGraceMs: env.CANDLE_GRACE_MS,
    clock: () => feed.now(),
    onTicks: (ticks) => broadcaster?.onTicks(ticks),
    onClosedCandle: (candle) => broadcaster?.onClosedCandle(candle),
  });
  broadcaster = new Broadcaster(io, pipeline.aggregator);
  const jobs = db.kind === 'embedded' ? new EmbeddedJobRunner(db, logger) : null;

  await pipeline.registry.register(feed.instruments());
  pipeline.start();
  broadcaster.start();
  jobs?.start();

  const abort = new AbortController();
  let feedError: string | null = null;
  const feedEnded = (async () => {
    try {
      for await (const batch of feed.ticks(abort.signal)) {
        const wait = pipeline.accept(batch);
        if (wait) await wait;
      }
      if (!abort.signal.aborted) {
        // The recording is over: its last candles will get no more ticks, so close them now.
        const closed = pipeline.aggregator.closeAll();
        logger.info({ feed: feed.name, ticks: pipeline.ticksAccepted, closed }, 'feed ended; open candles closed');
      }
    } catch (error) {
      feedError = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, feed: feed.name }, 'feed failed');
    }
  })();

  return {
    feed,
    pipeline,
    feedEnded,
    health() {
      const status = feed.status();
      const buffer = pipeline.buffer.stats;
      return {
        ok: feedError === null && status.state !== 'failed',
        startedAt,
        feed: {
          name: status.name,
          state: feedError ? 'failed' : status.state,
          ticksEmitted: status.ticksEmitted,
          lastTickTime: status.lastTickTime === null ? null : new Date(status.lastTickTime).toISOString(),
          detail: feedError ?? status.detail,
        },
        pipeline: {
          ticksAccepted: pipeline.ticksAccepted,
          ticksWritten: buffer.written,
          bufferDepth: buffer.depth,
          writeErrors: buffer.writeErrors + pipeline.candles.errors,
          lastFlushAt: buffer.lastFlushAt === null ? null : new Date(buffer.lastFlushAt).toISOString(),
          candlesClosed: pipeline.aggregator.closedCount,
          lateTicks: pipeline.aggregator.lateTicks,
        },
        realtime: { clients: broadcaster!.clients },
      };
    },
    async stop(timeoutMs = 10_000) {
      abort.abort();
      await Promise.race([feedEnded, new Promise((r) => setTimeout(r, 2000))]);
      broadcaster!.stop();
      const persisted = await pipeline.stop({ timeoutMs });
      await jobs?.stop();
      return persisted;
    },
  };
}
